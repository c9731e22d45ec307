"""Whole-process speed of ``lapor-nlp predict`` against the pipeline a user would otherwise write.

Both sides run as fresh processes over the same CSV (the Surabaya texts when ../shared/data is
present, else the seed data repeated): start, model load, CSV in, route, CSV out. The naive side
is PySastrawi ``stem()`` per document, then a joblib-loaded TF-IDF + LinearSVC trained on the same
seed data. Prints medians of wall time, documents/second and CPU seconds (user + system, forked
workers included), peak RSS, and the ratios.

Run: ``.venv/bin/python benchmarks/predict_speed.py [--repeats 3] [--limit N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import joblib
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.quality import append_to_benchmarks  # noqa: E402
from lapor_nlp.paths import BUNDLED_MODELS_DIR, SHARED_DATA_DIR, TRAINING_DATA_DIR  # noqa: E402

NAIVE_SCRIPT = r"""
import sys, joblib, pandas as pd
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
model = joblib.load(sys.argv[1])
frame = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
stemmer = StemmerFactory().create_stemmer()
docs = [stemmer.stem(text) for text in frame["text"]]
frame["opd"] = model.predict(docs)
frame.to_csv(sys.argv[3], index=False)
"""


def corpus(limit: int | None) -> tuple[list[str], str]:
    surabaya = SHARED_DATA_DIR / "surabaya-mediacenter-2022" / "Dataset_Preprocessing.xlsx"
    if surabaya.is_file():
        texts = pd.read_excel(surabaya, usecols=["keluhan"])["keluhan"].dropna().astype(str)
        source = "Surabaya keluhan"
    else:
        seed = pd.read_csv(TRAINING_DATA_DIR / "seed_complaints.csv")["text"].astype(str)
        texts = pd.concat([seed] * 5)
        source = "seed complaints x5 (../shared/data absent)"
    values = texts.tolist()
    return (values[:limit] if limit else values), source


def train_naive(path: Path) -> None:
    """What a user would write: Sastrawi per document, TF-IDF, LinearSVC (fit outside timing)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    seed = pd.read_csv(TRAINING_DATA_DIR / "seed_complaints.csv")
    stemmer = StemmerFactory().create_stemmer()
    docs = [stemmer.stem(t) for t in seed["text"].astype(str)]
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2), LinearSVC()
    )
    joblib.dump(model.fit(docs, seed["opd"]), path)


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, the child's peak RSS in MB (one child per call, measured alone) and the CPU
    seconds (user + system) of the child and the workers it waited for."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _RSS_WRAPPER, *cmd], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed:\n{proc.stderr[-2000:]}")
    rss, cpu = proc.stdout.strip().splitlines()[-1].split()
    return seconds, float(rss), float(cpu)


# Runs the command as a grandchild and prints its peak RSS (ru_maxrss of RUSAGE_CHILDREN) and
# its CPU seconds, forked workers included.
_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss / 1024, use.ru_utime + use.ru_stime)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()

    texts, source = corpus(args.limit)
    models = [p for p in BUNDLED_MODELS_DIR.iterdir() if (p / "model.joblib").is_file()]
    if not models:
        raise SystemExit("no bundled model: run `make model` first")
    cli = str(Path(sys.executable).with_name("lapor-nlp"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pd.DataFrame({"text": texts}).to_csv(work / "in.csv", index=False)
        train_naive(work / "naive.joblib")
        (work / "naive.py").write_text(NAIVE_SCRIPT)
        ours_cmd = [
            cli,
            "predict",
            "--input",
            str(work / "in.csv"),
            "--output",
            str(work / "ours.csv"),
            "--model",
            str(models[0]),
        ]
        naive_cmd = [
            sys.executable,
            str(work / "naive.py"),
            str(work / "naive.joblib"),
            str(work / "in.csv"),
            str(work / "naive.csv"),
        ]
        ours, naive = [], []
        for _ in range(args.repeats):  # interleaved so drift hits both sides alike
            naive.append(run(naive_cmd))
            ours.append(run(ours_cmd))
    n = len(texts)
    rows = []
    for name, samples in (
        ("naive: Sastrawi stem() + TF-IDF + LinearSVC", naive),
        ("lapor-nlp predict", ours),
    ):
        wall = statistics.median(s for s, _, _ in samples)
        rss = max(r for _, r, _ in samples)
        cpu = statistics.median(c for _, _, c in samples)
        rows.append((name, wall, n / wall, rss, cpu))
    ratio = rows[1][2] / rows[0][2]
    cpu_ratio = rows[0][4] / rows[1][4]
    lines = [
        f"Corpus: {source}, {n} documents; {args.repeats} interleaved runs, median wall time.",
        "",
        "| pipeline | wall s (median) | docs/s | CPU s (median) | peak RSS MB |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {wall:.1f} | {dps:.0f} | {cpu:.1f} | {rss:.0f} |"
            for name, wall, dps, rss, cpu in rows
        ],
        "",
        f"Ratio (ours / naive docs/s): **{ratio:.1f}x** (goal >= 3x, peak RSS <= 1024 MB); "
        f"CPU seconds naive / ours: {cpu_ratio:.1f}x.",
    ]
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        machine = f"{os.cpu_count()} cores {platform.machine()}, Python {platform.python_version()}"
        append_to_benchmarks(["", f"## Batch prediction speed ({stamp}; {machine})", "", table, ""])


if __name__ == "__main__":
    main()

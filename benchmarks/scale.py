"""``lapor-nlp train`` at national volume: wall time and peak memory by corpus size (run by hand).

SP4N-LAPOR! holds about 2.2 million reports; a region or the national channel retrains on its
own history. The corpus is built here, in memory and in a temporary folder, by resampling the
real Surabaya and Kab. Bandung reports of the standard agency task and perturbing each copy
(typos in some words, a synthetic street name, RT/RW and house number appended), so vocabulary
and stem cache grow as they would with new text. Nothing of it is written into the project.
Labels are the two regions' agencies, kept apart (about 50 classes).

For each size, two fresh processes on the same CSV: ``lapor-nlp train`` (everything: read,
preprocess, held-out folds, calibration, thresholds, artifact) and the plain baseline (read,
TF-IDF word 1-2-grams + LinearSVC fit, dump). Prints wall time and peak RSS of each, the ratio,
and the time projected to 2.2M rows from the two largest sizes.

    .venv/bin/python benchmarks/scale.py --sizes 12050 100000 1000000 [--no-baseline-above 100000]
    .venv/bin/python benchmarks/scale.py --no-write      # print only
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from predict_speed import run  # noqa: E402

from benchmarks.quality import append_to_benchmarks  # noqa: E402
from lapor_nlp.data.real import AGENCY_TASKS  # noqa: E402

NATIONAL_ROWS = 2_200_000
Measured = tuple[float, float, float]
"""Wall seconds, peak RSS in MB, CPU seconds of one process."""
SEED = 0
TYPO_RATE = 0.04  # share of longer words given one typo (swap, drop or double a letter)
BASELINE_SCRIPT = r"""
import sys, time, joblib, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
started = time.perf_counter()
model = make_pipeline(
    TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=2),
    LinearSVC(class_weight="balanced", random_state=0),
).fit(frame["text"], frame["opd"])
print(f"fit {time.perf_counter() - started:.2f}", file=sys.stderr)
joblib.dump(model, sys.argv[2])
"""
_SYLLABLES = ("ma", "ra", "ku", "sa", "ri", "ta", "wi", "jo", "ba", "ngu", "la", "pe", "do", "si")


def source_rows() -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for region, load in AGENCY_TASKS.items():
        task = load()
        texts += task.texts
        labels += [f"{region}:{label}" for label in task.labels]
    return texts, labels


def perturbed(text: str, rng: random.Random) -> str:
    """One more report like ``text``: a few typos and a new address line."""
    words = text.split()
    for i, word in enumerate(words):
        if len(word) > 3 and rng.random() < TYPO_RATE:
            j = rng.randrange(len(word) - 1)
            kind = rng.randrange(3)
            if kind == 0:
                word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            elif kind == 1:
                word = word[:j] + word[j + 1 :]
            else:
                word = word[:j] + word[j] + word[j:]
            words[i] = word
    street = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    rt, rw = rng.randint(1, 20), rng.randint(1, 12)
    address = f"Jl. {street} No {rng.randint(1, 200)} RT {rt:02d}/RW {rw:02d}"
    return " ".join(words) + (f". Alamat {address}." if rng.random() < 0.6 else "")


def build_corpus(size: int, texts: list[str], labels: list[str], path: Path) -> None:
    """The first ``size`` source rows as they are (12,050: the Surabaya task), then perturbed
    copies of randomly drawn ones."""
    rng = random.Random(SEED + size)
    keep = min(size, len(texts))
    picks = [rng.randrange(len(texts)) for _ in range(size - keep)]
    rows = {
        "text": texts[:keep] + [perturbed(texts[i], rng) for i in picks],
        "opd": labels[:keep] + [labels[i] for i in picks],
    }
    pd.DataFrame(rows).to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12_050, 100_000, 1_000_000])
    parser.add_argument(
        "--no-baseline-above", type=int, default=None, help="skip the baseline above this size"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="folder for corpora (temporary)")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()

    texts, labels = source_rows()
    cli = str(Path(sys.executable).with_name("lapor-nlp"))
    results: list[tuple[int, Measured, Measured | None]] = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        (work / "baseline.py").write_text(BASELINE_SCRIPT)
        for size in args.sizes:
            corpus = work / f"corpus-{size}.csv"
            build_corpus(size, texts, labels, corpus)
            print(f"{datetime.now(UTC):%H:%M:%S} {size:,} rows: lapor-nlp train …", flush=True)
            ours = run(
                [cli, "train", "--data", str(corpus), "--text-col", "text", "--opd-col", "opd",
                 "--out", str(work / f"model-{size}")]
            )  # fmt: skip
            base = None
            if args.no_baseline_above is None or size <= args.no_baseline_above:
                print(f"{datetime.now(UTC):%H:%M:%S} {size:,} rows: baseline …", flush=True)
                base = run(
                    [sys.executable, str(work / "baseline.py"), str(corpus), str(work / "b.joblib")]
                )
            results.append((size, ours, base))
            print(f"  ours {ours}; baseline {base}", flush=True)
            corpus.unlink()

    lines = [
        "| rows | `lapor-nlp train` wall s | CPU s | peak RSS MB "
        "| baseline wall s | baseline CPU s | baseline RSS MB | ratio (wall) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, (seconds, rss, cpu), base in results:
        if base is None:
            lines.append(f"| {size:,} | {seconds:.0f} | {cpu:.0f} | {rss:.0f} | – | – | – | – |")
            continue
        b_seconds, b_rss, b_cpu = base
        lines.append(
            f"| {size:,} | {seconds:.0f} | {cpu:.0f} | {rss:.0f} | {b_seconds:.0f} | {b_cpu:.0f} "
            f"| {b_rss:.0f} | {seconds / b_seconds:.1f}x |"
        )
    if len(results) >= 2:
        (n1, (s1, *_), _), (n2, (s2, *_), _) = sorted(results, key=lambda r: r[0])[-2:]
        per_row = (s2 - s1) / (n2 - n1)
        projected = s2 + per_row * (NATIONAL_ROWS - n2)
        lines += [
            "",
            f"Projected for {NATIONAL_ROWS:,} rows (linear from the two largest sizes): "
            f"{projected / 60:.0f} min.",
        ]
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        machine = f"{os.cpu_count()} cores {platform.machine()}, Python {platform.python_version()}"
        append_to_benchmarks(
            ["", f"## Training at national volume ({stamp}; {machine})", "", table, ""]
        )


if __name__ == "__main__":
    main()

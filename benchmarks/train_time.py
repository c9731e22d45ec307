"""Whole-process time of ``lapor-nlp train`` on a region's own history against the plain
baseline's fit (run by hand).

The Surabaya standard agency task (12,050 rows, 27 agencies) is written to a temporary CSV
(never into the repository). Each repeat runs, as fresh processes over that file:

- the plain baseline: read the CSV, fit TF-IDF (word 1-2-grams, sublinear tf, min_df 2) +
  class-balanced LinearSVC on all rows;
- ``lapor-nlp train --heldout-fraction 0`` of this checkout (all rows: text pipeline,
  features, heads, calibration, thresholds and held-out metrics, artifact written);
- optionally ``--other-cli PATH``: another installed ``lapor-nlp`` (e.g. an older checkout's).

Prints medians of wall time and the ratio to the baseline; appends a "## Training time"
section to BENCHMARKS.md unless ``--no-write``.

    nice .venv/bin/python benchmarks/train_time.py [--repeats 3] [--other-cli OTHER/lapor-nlp]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.quality import append_to_benchmarks, machine  # noqa: E402
from lapor_nlp.data import real  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
CLI = str(Path(sys.executable).with_name("lapor-nlp"))

BASELINE_SCRIPT = r"""
import sys, pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
frame = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
make_pipeline(
    TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=2),
    LinearSVC(class_weight="balanced", random_state=0),
).fit(frame["text"], frame["opd"])
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed:\n{result.stderr[-2000:]}")
    return seconds


def train_command(cli: str, data: Path, out: Path) -> list[str]:
    return [
        cli, "train", "--data", str(data), "--text-col", "text", "--opd-col", "opd",
        "--heldout-fraction", "0", "--out", str(out), "--version", "bench",
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--other-cli", help="another lapor-nlp executable to time beside")
    parser.add_argument("--other-repeats", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()

    data = real.AGENCY_TASKS["surabaya"]()
    times: dict[str, list[float]] = {"baseline": [], "ours": [], "other": []}
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "surabaya.csv"
        pd.DataFrame({"text": data.texts, "opd": data.labels}).to_csv(csv, index=False)
        for i in range(args.repeats):
            times["baseline"].append(timed([sys.executable, "-c", BASELINE_SCRIPT, str(csv)]))
            times["ours"].append(timed(train_command(CLI, csv, Path(tmp) / f"ours{i}")))
            if args.other_cli and i < args.other_repeats:
                times["other"].append(
                    timed(train_command(args.other_cli, csv, Path(tmp) / f"other{i}"))
                )
            print({k: [round(s, 1) for s in v] for k, v in times.items() if v}, flush=True)
    base = statistics.median(times["baseline"])
    lines = [
        "| process | runs | median s | runs (s) | ratio to baseline |",
        "|---|---:|---:|---|---:|",
    ]
    names = {
        "baseline": "plain baseline fit (TF-IDF word 1-2 + LinearSVC)",
        "ours": "`lapor-nlp train` (this checkout)",
        "other": f"`{args.other_cli} train`",
    }
    for key, runs in times.items():
        if runs:
            median = statistics.median(runs)
            listed = ", ".join(f"{s:.1f}" for s in runs)
            lines.append(
                f"| {names[key]} | {len(runs)} | {median:.1f} | {listed} | {median / base:.2f}x |"
            )
    print("\n".join(lines))
    if args.no_write:
        return
    section = [
        "",
        "## Training time",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC on {machine()} "
        "(`benchmarks/train_time.py`"
        + (" --other-cli <previous checkout>" if args.other_cli else "")
        + "). Whole processes over the same CSV of the Surabaya standard agency task "
        f"({len(data)} rows, {data.n_classes} agencies), repeats interleaved, all rows trained on "
        "(`--heldout-fraction 0`). Wall time includes start-up, reading, the text pipeline and "
        "writing the model.",
        "",
        *lines,
        "",
    ]
    append_to_benchmarks(section, BENCHMARKS_MD)
    print(f"appended to {BENCHMARKS_MD}")


if __name__ == "__main__":
    main()

"""Routing quality on the real shared data: the plain baseline vs our pipeline (run by hand).

The standard agency task (see /work/shared/data/README.md) on Surabaya and Kab. Bandung,
5-fold stratified CV (shuffled, seed 0); both systems are scored on identical folds (the
baseline reuses the fold index our ``cross_val_proba`` reports). Optionally the category task
on Kab. Bandung (official LAPOR! categories) and Purbalingga (6 hand-labelled categories).

    .venv/bin/python benchmarks/quality.py                 # agency tasks
    .venv/bin/python benchmarks/quality.py --category      # + category tasks
    .venv/bin/python benchmarks/quality.py --no-write      # print only

Prints a table and appends a "## Routing quality" section to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from lapor_nlp.data import real
from lapor_nlp.evaluation import accuracy, expected_calibration_error, macro_f1, top_k_accuracy
from lapor_nlp.paths import PROJECT_ROOT

N_SPLITS = 5
SEED = 0
BENCHMARKS_MD = PROJECT_ROOT / "BENCHMARKS.md"
# issue 12: (accuracy, macro-F1) on the agency task, and >= 1.5 points above the baseline on both
GOALS = {"surabaya": (0.830, 0.665), "bandung": (0.730, 0.665)}


@dataclass
class Row:
    task: str
    system: str
    n: int
    n_classes: int
    accuracy: float
    macro_f1: float
    top3: float
    ece: float | None = None
    auto_precision: float | None = None
    auto_coverage: float | None = None
    seconds: float = 0.0
    goal: str = ""


def baseline_scores(texts: list[str], labels: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Out-of-fold decision scores of TF-IDF (word 1-2-grams, sublinear tf, min_df 2) +
    class-balanced LinearSVC on lower-cased text; columns follow ``np.unique(labels)``."""
    classes = np.unique(labels)
    scores = np.zeros((len(texts), len(classes)))
    docs = np.asarray(texts, dtype=object)
    for fold in range(int(folds.max()) + 1):
        train, test = folds != fold, folds == fold
        model = make_pipeline(
            TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=2),
            LinearSVC(class_weight="balanced", random_state=SEED),
        )
        model.fit(list(docs[train]), labels[train])
        decision = model.decision_function(list(docs[test]))
        if decision.ndim == 1:  # two classes
            decision = np.column_stack([-decision, decision])
        columns = np.searchsorted(classes, model.classes_)
        block = np.full((int(test.sum()), len(classes)), -np.inf)
        block[:, columns] = decision
        scores[test] = block
    return scores


def stratified_folds(labels: np.ndarray) -> np.ndarray:
    """Fold index per row: StratifiedKFold(5, shuffle=True, random_state=0)."""
    folds = np.zeros(len(labels), dtype=int)
    splitter = StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=SEED)
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels)):
        folds[test] = fold
    return folds


def ours_cv(
    texts: list[str], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Our pipeline's out-of-fold probabilities, classes, fold index and auto-route mask
    (each fold model with thresholds fitted on its own training part)."""
    from lapor_nlp.model.training import cross_val_proba

    result = cross_val_proba(texts, list(labels), n_splits=N_SPLITS, seed=SEED)
    return result.opd_proba, np.asarray(result.opd_classes), result.folds, result.auto


def score_task(
    name: str, data: real.LabelledTexts, *, with_ours: bool, log: Callable[[str], None]
) -> list[Row]:
    labels = np.asarray(data.labels, dtype=object).astype(str)
    classes = np.unique(labels)
    rows: list[Row] = []
    folds = stratified_folds(labels)
    if with_ours:
        log(f"{name}: our pipeline, {N_SPLITS}-fold CV on {len(data)} texts …")
        start = time.perf_counter()
        proba, our_classes, our_folds, auto = ours_cv(data.texts, labels)
        seconds = time.perf_counter() - start
        if not np.array_equal(our_folds, folds):
            log(f"{name}: note: our folds differ from StratifiedKFold(seed 0); baseline uses ours")
        folds = our_folds
        routed = auto.astype(bool)
        correct = our_classes[np.argmax(proba, axis=1)] == labels
        rows.append(
            Row(
                task=name,
                system="lapor-nlp",
                n=len(data),
                n_classes=len(classes),
                accuracy=accuracy(labels, proba, our_classes),
                macro_f1=macro_f1(labels, proba, our_classes),
                top3=top_k_accuracy(labels, proba, our_classes, k=3),
                ece=expected_calibration_error(labels, proba, our_classes),
                auto_precision=float(correct[routed].mean()) if routed.any() else None,
                auto_coverage=float(routed.mean()),
                seconds=seconds,
            )
        )
    log(f"{name}: baseline …")
    start = time.perf_counter()
    scores = baseline_scores(data.texts, labels, folds)
    rows.insert(
        0,
        Row(
            task=name,
            system="baseline TF-IDF+LinearSVC",
            n=len(data),
            n_classes=len(classes),
            accuracy=accuracy(labels, scores, classes),
            macro_f1=macro_f1(labels, scores, classes),
            top3=top_k_accuracy(labels, scores, classes, k=3),
            seconds=time.perf_counter() - start,
        ),
    )
    goal = GOALS.get(name)
    if goal:
        for row in rows:
            met = row.accuracy >= goal[0] and row.macro_f1 >= goal[1]
            row.goal = f">= {goal[0]:.3f} / {goal[1]:.3f}: {'met' if met else 'not met'}"
    return rows


def markdown_table(rows: list[Row]) -> list[str]:
    lines = [
        "| task | system | n | classes | accuracy | macro-F1 | top-3 | ECE | auto precision "
        "| auto coverage | goal (acc / macro-F1) | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.task} | {r.system} | {r.n} | {r.n_classes} | {r.accuracy:.3f} | "
            f"{r.macro_f1:.3f} | {r.top3:.3f} | {_fmt(r.ece)} | {_fmt(r.auto_precision)} | "
            f"{_fmt(r.auto_coverage)} | {r.goal or '–'} | {r.seconds:.0f} |"
        )
    return lines


def machine() -> str:
    return (
        f"{platform.node()} · {platform.platform()} · {platform.processor() or platform.machine()}"
        f" · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    )


def append_section(rows: list[Row], path: Path = BENCHMARKS_MD) -> None:
    section = [
        "",
        "## Routing quality",
        "",
        f"Run {datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine()} "
        "(`benchmarks/quality.py`).",
        "Standard agency task of the shared data README (Surabaya, Kab. Bandung); 5-fold "
        "stratified CV, shuffled, seed 0, identical folds for both systems. Baseline top-3 from "
        "LinearSVC decision scores. Auto precision/coverage: rows each fold's model would "
        "auto-route with the thresholds it fitted on its own training part. Category tasks "
        "(if present) train our pipeline's main head on the category label.",
        "",
        *markdown_table(rows),
        "",
    ]
    append_to_benchmarks(section, path)


def append_to_benchmarks(section: list[str], path: Path = BENCHMARKS_MD) -> None:
    """Append ``section`` (lines; the first usually empty) to BENCHMARKS.md: every benchmark
    script that writes its table goes through here."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(existing.rstrip("\n") + "\n" + "\n".join(section), encoding="utf-8")


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--category", action="store_true", help="also the category tasks")
    parser.add_argument("--baseline-only", action="store_true", help="skip our pipeline")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--tasks", default="surabaya,bandung", help="comma-separated agency tasks")
    args = parser.parse_args()

    loaders: list[tuple[str, Callable[[], real.LabelledTexts]]] = [
        (name, real.AGENCY_TASKS[name]) for name in args.tasks.split(",") if name
    ]
    if args.category:
        loaders += [
            ("bandung-category", real.load_bandung_category),
            ("purbalingga-category", real.load_purbalingga_category),
        ]
    rows: list[Row] = []
    for name, loader in loaders:
        data = loader()
        rows += score_task(name, data, with_ours=not args.baseline_only, log=print)
    print("\n".join(markdown_table(rows)))
    if not args.no_write:
        append_section(rows)
        print(f"appended to {BENCHMARKS_MD}")


if __name__ == "__main__":
    main()

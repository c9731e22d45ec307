"""Retraining on real verdicts: one round of ~90 operator corrections, scored on later reports.

Run by hand (needs ``../shared/data``; each retraining takes a few minutes)::

    nice .venv/bin/python benchmarks/retrain_real.py [--verdicts 90] [--eval 3000]

Per region (Kab. Bandung, Kota Surabaya; mapped rows of the crosswalk, reports of agencies mapped
to ``none`` left out), reports arrive in export order and the bundled model answers each. A
simulated operator gives the true mapped OPD as verdict to the reports answered ``review`` and
to a 5% audit draw of those answered ``auto``, until ``--verdicts`` verdicts are in. Then, in
the same run, with the service's own retraining (:func:`lapor_nlp.model.retraining.retrain`:
seed data + corrections, 20% of the corrections held out for the candidate report):

- the candidate with corrections at weight 1, and with the weight chosen on inner folds;
- a plain TF-IDF (word 1-2-grams + character 3-5-grams, sublinear tf) + class-balanced
  LinearSVC on the seed rows plus the same training corrections;

all scored on the next ``--eval`` reports of the stream (disjoint from the verdicts): top-1,
and the auto precision/coverage of the model's own ``auto`` decisions. Prints Markdown.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime

import numpy as np

from lapor_nlp.data.crosswalk import load_mapped_reports
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.retraining import FeedbackLabel, feedback_rows, retrain
from lapor_nlp.paths import BUNDLED_MODELS_DIR
from lapor_nlp.registry.artifact import load_model_dir
from lapor_nlp.registry.metadata import ModelMetadata

REGIONS = ("bandung", "surabaya")
AUDIT_RATE = 0.05
SEED = 0


def simulate_operator(
    router: ComplaintRouter, texts: list[str], opd: list[str], region: str, wanted: int
) -> tuple[list[FeedbackLabel], int, dict[str, int]]:
    """Verdicts on the stream until ``wanted``; returns them, the stream position reached and
    how many verdicts were on ``review`` and on audited ``auto`` answers."""
    draw = random.Random(SEED)
    labels: list[FeedbackLabel] = []
    counts = {"review": 0, "audited auto": 0, "needs_info skipped": 0}
    position = 0
    batch = 50
    while len(labels) < wanted and position < len(texts):
        decisions = router.route(texts[position : position + batch], top_k=1, explain=False)
        for offset, decision in enumerate(decisions):
            i = position + offset
            judged = decision.decision == "review" or (
                decision.decision == "auto" and draw.random() < AUDIT_RATE
            )
            if decision.decision == "needs_info":
                counts["needs_info skipped"] += 1
            if judged and len(labels) < wanted:
                counts["review" if decision.decision == "review" else "audited auto"] += 1
                labels.append(FeedbackLabel(key=f"{region}-{i}", text=texts[i], opd=opd[i]))
            if len(labels) == wanted:
                return labels, i + 1, counts
        position += batch
    return labels, position, counts


def evaluate(router: ComplaintRouter, texts: list[str], opd: list[str]) -> dict[str, float | None]:
    """Top-1 and the precision/coverage of the router's own ``auto`` decisions."""
    decisions = router.route(texts, top_k=1, explain=False)
    right = np.array([d.opd[0].code == o for d, o in zip(decisions, opd, strict=True)])
    auto = np.array([d.decision == "auto" for d in decisions])
    return {
        "top1": float(right.mean()),
        "auto_precision": float(right[auto].mean()) if auto.any() else None,
        "auto_coverage": float(auto.mean()),
        "auto_n": float(auto.sum()),
    }


def plain_top1(
    train_texts: list[str], train_opd: list[str], texts: list[str], opd: list[str]
) -> float:
    from real_text import PlainBaseline  # the baseline of the real-text benchmark, beside this file

    baseline = PlainBaseline().fit(train_texts, train_opd)
    predicted = baseline.classes_[np.argmax(baseline.scores(texts), axis=1)]
    return float(np.mean(predicted == np.asarray(opd, dtype=object)))


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if pct else f"{value:.3f}"


def region_lines(
    region: str, router: ComplaintRouter, metadata: ModelMetadata, verdicts: int, n_eval: int
) -> list[str]:
    from lapor_nlp.data.base import load_base_data

    data = load_mapped_reports(region)
    labels, reached, counts = simulate_operator(router, data.texts, data.opd, region, verdicts)
    eval_texts = data.texts[reached : reached + n_eval]
    eval_opd = data.opd[reached : reached + n_eval]
    log(f"{region}: {len(labels)} verdicts from the first {reached} reports {counts}")
    rows: list[tuple[str, dict[str, float | None], str]] = []
    rows.append(("bundled model (before)", evaluate(router, eval_texts, eval_opd), "–"))
    reports = {}
    for name, weight in (("weight 1", 1.0), ("chosen weight", None)):
        started = time.perf_counter()
        result = retrain(router, metadata, labels, feedback_weight=weight)
        seconds = time.perf_counter() - started
        chosen = result.report["feedback_weight"]
        pair = result.router.thresholds_
        reports[name] = (result.report, pair, seconds)
        log(f"{region}: retrained ({name}) in {seconds:.0f} s, weight {chosen['weight']}")
        label = f"retrained, corrections at {name} ({chosen['weight']:g})"
        rows.append((label, evaluate(result.router, eval_texts, eval_opd), f"{seconds:.0f}"))
    base = load_base_data(metadata["base_data"])
    fb_train, _ = feedback_rows(labels, base.train)
    plain = plain_top1(
        base.train.texts + fb_train.texts, base.train.opd + fb_train.opd, eval_texts, eval_opd
    )
    lines = [
        f"**{region}**: {len(labels)} verdicts from the first {reached} reports of the stream "
        f"({counts['review']} on `review`, {counts['audited auto']} audited `auto`; "
        f"{counts['needs_info skipped']} `needs_info` answers got none); "
        f"{len(fb_train)} train, {len(labels) - len(fb_train)} held out for the candidate "
        f"report; scored on the next {len(eval_texts)} reports.",
        "",
        "| system | top-1 | auto precision | auto coverage | auto n | retrain s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s, seconds in rows:
        lines.append(
            f"| {name} | {_fmt(s['top1'])} | {_fmt(s['auto_precision'])} | "
            f"{_fmt(s['auto_coverage'], pct=True)} | {int(s['auto_n'] or 0)} | {seconds} |"
        )
    lines.append(
        f"| plain TF-IDF+LinearSVC, seed + same corrections | {plain:.3f} | – | – | – | – |"
    )
    lines.append("")
    for name, (report, pair, _) in reports.items():
        weight = report["feedback_weight"]
        verified = report["verified"]
        scores = ", ".join(f"{s['weight']:g}: {s['top1']:.3f}" for s in weight["scores"])
        lines.append(
            f"- {name}: weight {weight['weight']:g} ({weight['chosen_by']}"
            + (f"; inner-fold top-1 {scores}" if scores else "")
            + f"); pair threshold {pair['threshold']:.2f} margin {pair['margin']:.2f}, "
            f"verified rows in its folds {pair.get('verified')}; candidate report on the "
            f"{verified['n']} held-out corrections: candidate {verified['candidate']}, "
            f"active {verified['active']}"
        )
    lines.append("")
    return lines


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verdicts", type=int, default=90)
    parser.add_argument("--eval", type=int, default=3000, help="later reports scored per region")
    parser.add_argument("--regions", nargs="*", default=list(REGIONS), choices=REGIONS)
    args = parser.parse_args()
    model_dir = next(p for p in sorted(BUNDLED_MODELS_DIR.iterdir()) if p.is_dir())
    loaded = load_model_dir(model_dir)
    log(f"model {loaded.version}")
    lines: list[str] = []
    for region in args.regions:
        lines += region_lines(region, loaded.router, loaded.metadata, args.verdicts, args.eval)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

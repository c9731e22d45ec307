"""Routing quality on real text: the Kaltim model on other regions' mapped reports (run by hand).

Surabaya and Kab. Bandung reports, each report's agency mapped to the Kaltim OPD with the same
function by ``training/crosswalk/agencies.csv`` (agencies without a provincial counterpart
dropped). In one run, on each region's mapped rows:

- the bundled model (or ``--model DIR``): top-1, top-3, macro-F1, auto precision and coverage
  with its own thresholds, per-OPD recall, the largest confusions;
- a plain TF-IDF (word 1-2-grams + character 3-5-grams, sublinear tf) + class-balanced
  LinearSVC trained on the same seed rows as the model;
- the cross-region references: the plain pipeline and ours trained on the OTHER region's
  mapped rows (evaluation only: these models are never shipped);
- with ``--ablation``, our pipeline retrained on the seed rows with and without the
  agency-mention features.

With ``--style`` it prints instead the style statistics of the seed data beside the real
exports: length quantiles of title + ". " + body and the share of reports that name an agency.

It also reports the threshold and margin that would keep auto precision >= 0.95 on the pooled
mapped rows at the largest coverage (``--target``), the two numbers the build script may take
from real text. Prints Markdown to paste into BENCHMARKS.md.

    .venv/bin/python benchmarks/real_text.py                  # everything
    .venv/bin/python benchmarks/real_text.py --no-cross-ours  # skip the slow cross-region fits
    .venv/bin/python benchmarks/real_text.py --style          # seed vs real style statistics
    .venv/bin/python benchmarks/real_text.py --independent    # the hand-written independent set

``--independent [DIR]`` scores a model instead on complaints written without seeing the seed
data (default ``benchmarks/data/independent``): ``routable.csv`` (``title,text,opd,category``),
``not_authority.csv`` (``title,text,level,opd``) and ``nonroutable.csv`` (``text,reason``).
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from lapor_nlp.data.base import load_base_data
from lapor_nlp.data.crosswalk import MappedReports, load_mapped_reports
from lapor_nlp.data.real import RAW_AGENCY_EXPORTS
from lapor_nlp.evaluation import accuracy, macro_f1, top_k_accuracy
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.decision import fit_thresholds, precision_coverage
from lapor_nlp.paths import BUNDLED_MODELS_DIR, PROJECT_ROOT
from lapor_nlp.registry.artifact import load_model_dir
from lapor_nlp.taxonomy.aliases import load_agency_aliases

REGIONS = ("surabaya", "bandung")
SEED = 0


@dataclass
class Score:
    region: str
    system: str
    n: int
    top1: float
    top3: float
    macro_f1: float
    auto_precision: float | None = None
    auto_coverage: float | None = None
    seconds: float = 0.0
    authority: float | None = None  # share of rows the authority head sends to review
    coverage_without_authority: float | None = None


@dataclass
class Detail:
    """Per-OPD recall and the largest confusions of one system on one region."""

    recall: dict[str, tuple[float, int]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


class PlainBaseline:
    """Word 1-2-gram + character 3-5-gram TF-IDF (sublinear tf) + class-balanced LinearSVC."""

    def fit(self, texts: list[str], labels: list[str]) -> PlainBaseline:
        self.word_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        self.char_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2
        )
        features = sp.hstack([self.word_.fit_transform(texts), self.char_.fit_transform(texts)])
        self.svm_ = LinearSVC(class_weight="balanced", random_state=SEED).fit(features, labels)
        self.classes_ = self.svm_.classes_
        return self

    def scores(self, texts: list[str]) -> np.ndarray:
        features = sp.hstack([self.word_.transform(texts), self.char_.transform(texts)])
        return np.asarray(self.svm_.decision_function(features))


def score_scores(
    region: str, system: str, data: MappedReports, scores: np.ndarray, classes: np.ndarray
) -> Score:
    truth = np.asarray(data.opd, dtype=object)
    return Score(
        region=region,
        system=system,
        n=len(data),
        top1=accuracy(truth, scores, classes),
        top3=top_k_accuracy(truth, scores, classes, k=3),
        macro_f1=macro_f1(truth, scores, classes),
    )


def score_router(
    region: str, system: str, data: MappedReports, router: ComplaintRouter
) -> tuple[Score, np.ndarray]:
    """Scores of a router with its own thresholds; ``needs_info`` counts as not auto-routed."""
    proba = router.predict_proba(data.texts)
    score = score_scores(region, system, data, proba, router.classes_)
    decisions = router.route(data.texts, top_k=1, explain=False)
    auto = np.array([d.decision == "auto" for d in decisions])
    correct = router.classes_[np.argmax(proba, axis=1)] == np.asarray(data.opd, dtype=object)
    score.auto_coverage = float(auto.mean())
    score.auto_precision = float(correct[auto].mean()) if auto.any() else None
    if getattr(router, "authority_head_", None) is not None:
        called = np.array([d.authority is not None for d in decisions])
        plain = router.route(data.texts, top_k=1, explain=False, authority=False)
        score.authority = float(called.mean())
        score.coverage_without_authority = float(np.mean([d.decision == "auto" for d in plain]))
    return score, proba


def detail(data: MappedReports, proba: np.ndarray, classes: np.ndarray, top: int = 10) -> Detail:
    truth = np.asarray(data.opd, dtype=object)
    predicted = classes[np.argmax(proba, axis=1)]
    out = Detail()
    for code, n in sorted(Counter(data.opd).items(), key=lambda kv: -kv[1]):
        mask = truth == code
        out.recall[code] = (float(np.mean(predicted[mask] == code)), n)
    pairs = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    out.confusions = [(t, p, n) for (t, p), n in pairs.most_common(top)]
    return out


def seed_rows(model_dir: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """The model's own seed training rows (held-out share excluded) and non-routable texts."""
    meta = load_model_dir(model_dir).metadata
    base = load_base_data(meta["base_data"])
    category = base.train.category or []
    return base.train.texts, base.train.opd, category, base.nonroutable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="model directory (bundled)")
    parser.add_argument("--no-cross-ours", action="store_true", help="skip our cross-region fits")
    parser.add_argument("--ablation", action="store_true", help="with/without agency mentions")
    parser.add_argument("--target", type=float, default=0.95, help="auto precision to keep")
    parser.add_argument("--style", type=Path, nargs="*", help="seed CSV files (title,text,...)")
    parser.add_argument(
        "--independent",
        type=Path,
        nargs="?",
        const=PROJECT_ROOT / "benchmarks" / "data" / "independent",
        help="folder of a hand-written test set",
    )
    args = parser.parse_args()
    if args.style is not None:
        print("\n".join(style_table(args.style)))
        return
    if args.independent is not None:
        print("\n".join(independent_lines(args.independent, args.model)))
        return

    model_dir = args.model or next(p for p in sorted(BUNDLED_MODELS_DIR.iterdir()) if p.is_dir())
    loaded = load_model_dir(model_dir)
    router: ComplaintRouter = loaded.router
    texts, opd, category, nonroutable = seed_rows(model_dir)
    mapped = {region: load_mapped_reports(region) for region in REGIONS}
    log(
        f"model {loaded.version}; seed rows {len(texts)}; "
        + ", ".join(f"{r} {len(m)} mapped ({m.unmapped} unmapped)" for r, m in mapped.items())
    )

    started = time.perf_counter()
    plain_seed = PlainBaseline().fit(texts, opd)
    plain_seconds = time.perf_counter() - started
    scores: list[Score] = []
    details: dict[str, Detail] = {}
    pooled: list[tuple[np.ndarray, np.ndarray]] = []
    unmapped_notes: list[str] = []
    for region, data in mapped.items():
        started = time.perf_counter()
        score, proba = score_router(region, f"bundled model ({loaded.version})", data, router)
        score.seconds = time.perf_counter() - started
        scores.append(score)
        details[region] = detail(data, proba, router.classes_)
        if getattr(router, "authority_head_", None) is not None and data.unmapped_texts:
            calls = router.route(data.unmapped_texts, top_k=1, explain=False)
            fired = np.mean([d.authority is not None for d in calls])
            unmapped_notes.append(
                f"{region}: the authority head sends {fired:.1%} of the {data.unmapped:,} reports "
                "of agencies without a provincial counterpart (kelurahan, kecamatan, …) to "
                f"review, against {score.authority:.1%} of the mapped rows."
            )
        pooled.append((proba, np.asarray(data.opd, dtype=object)))
        plain = score_scores(
            region,
            "plain TF-IDF+LinearSVC, seed rows",
            data,
            plain_seed.scores(data.texts),
            plain_seed.classes_,
        )
        plain.seconds = plain_seconds
        scores.append(plain)

    if args.ablation:
        scores += ablation(texts, opd, category, nonroutable, mapped)

    for region, data in mapped.items():
        other = next(r for r in REGIONS if r != region)
        train = mapped[other]
        started = time.perf_counter()
        cross = PlainBaseline().fit(train.texts, train.opd)
        row = score_scores(
            region,
            f"plain TF-IDF+LinearSVC, {other} mapped rows",
            data,
            cross.scores(data.texts),
            cross.classes_,
        )
        row.seconds = time.perf_counter() - started
        scores.append(row)
        if not args.no_cross_ours:
            log(f"our pipeline on {other}'s {len(train)} mapped rows …")
            started = time.perf_counter()
            ours = ComplaintRouter(threshold_folds=3, random_state=SEED).fit(
                train.texts, train.opd, nonroutable=nonroutable
            )
            row, _ = score_router(region, f"lapor-nlp, {other} mapped rows", data, ours)
            row.seconds = time.perf_counter() - started
            scores.append(row)

    print(f"\nRun {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, model `{loaded.version}`.\n")
    print("\n".join(score_table(scores)))
    print("\n".join(threshold_lines(pooled, router, args.target)))
    for note in unmapped_notes:
        print(f"\n{note}")
    for region in REGIONS:
        print("\n".join(detail_lines(region, details[region])))


def ablation(
    texts: list[str],
    opd: list[str],
    category: list[str],
    nonroutable: list[str],
    mapped: dict[str, MappedReports],
) -> list[Score]:
    """Our pipeline retrained on the seed rows with and without the agency-mention block."""
    rows: list[Score] = []
    for mentions in (True, False):
        name = f"lapor-nlp, seed rows, agency mentions {'on' if mentions else 'off'}"
        log(f"{name} …")
        started = time.perf_counter()
        model = ComplaintRouter(random_state=SEED, agency_mentions=mentions).fit(
            texts, opd, category or None, nonroutable=nonroutable
        )
        seconds = time.perf_counter() - started
        for region, data in mapped.items():
            row, _ = score_router(region, name, data, model)
            row.seconds = seconds
            rows.append(row)
    return rows


GENERIC_AGENCY = r"dinas|badan|kelurahan|kecamatan|pemkot|pemkab|pemprov|pemda|uptd|upt"


def agency_pattern() -> re.Pattern[str]:
    """Any alias of the taxonomy's alias list, or a generic agency word, as a whole word."""
    aliases = sorted({re.escape(a.alias.lower()) for a in load_agency_aliases()}, key=len)
    return re.compile(rf"\b(?:{'|'.join(aliases[::-1])}|{GENERIC_AGENCY})\b")


def style_row(name: str, texts: list[str], pattern: re.Pattern[str]) -> str:
    lengths = np.array([len(t) for t in texts])
    p25, p50, p75 = np.percentile(lengths, [25, 50, 75])
    named = np.mean([bool(pattern.search(t.lower())) for t in texts])
    return (
        f"| {name} | {len(texts):,} | {p25:.0f} | {p50:.0f} | {p75:.0f} | {lengths.mean():.0f} | "
        f"{np.mean(lengths < 150):.0%} | {np.mean(lengths > 700):.0%} | {named:.0%} |"
    )


def style_table(seed_files: list[Path]) -> list[str]:
    """Seed files (title + ". " + text where there is a title) beside the real exports."""
    from lapor_nlp.data.io import read_table

    pattern = agency_pattern()
    lines = [
        "| data | n | p25 chars | median | p75 | mean | < 150 | > 700 | names an agency |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path in seed_files:
        frame = read_table(path).fillna("")
        titles = frame["title"] if "title" in frame.columns else [""] * len(frame)
        texts = [
            ". ".join(p for p in (str(t).strip(), str(b).strip()) if p)
            for t, b in zip(titles, frame["text"], strict=True)
        ]
        lines.append(style_row(f"seed `{path.name}`", texts, pattern))
        titled = [text for text, title in zip(texts, titles, strict=True) if str(title).strip()]
        if 0 < len(titled) < len(texts):
            lines.append(style_row(f"seed `{path.name}`, rows with a title", titled, pattern))
    for region, loader in RAW_AGENCY_EXPORTS.items():
        raw, _ = loader()
        texts = list(dict.fromkeys(str(t).strip() for t in raw if t == t and str(t).strip()))
        lines.append(style_row(f"real {region}", texts, pattern))
    return lines


def _titled(path: Path) -> tuple[list[str], pd.DataFrame]:
    import pandas as pd

    from lapor_nlp.text import model_input

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    titles = frame["title"] if "title" in frame.columns else [""] * len(frame)
    return [model_input(t, b) for t, b in zip(titles, frame["text"], strict=True)], frame


def independent_lines(folder: Path, model: Path | None) -> list[str]:
    """OPD routing, authority calls and needs_info of a model on a hand-written test set."""
    model_dir = model or next(p for p in sorted(BUNDLED_MODELS_DIR.iterdir()) if p.is_dir())
    loaded = load_model_dir(model_dir)
    router = loaded.router
    texts, frame = _titled(folder / "routable.csv")
    proba = router.predict_proba(texts)
    truth = frame["opd"].to_numpy(dtype=object)
    decisions = router.route(texts, top_k=1, explain=False)
    auto = np.array([d.decision == "auto" for d in decisions])
    correct = router.classes_[np.argmax(proba, axis=1)] == truth
    called = np.mean([d.authority is not None for d in decisions])
    lines = [
        f"Model `{loaded.version}` on `{folder.name}`: {len(texts)} routable complaints: OPD "
        f"top-1 {accuracy(truth, proba, router.classes_):.3f}, top-3 "
        f"{top_k_accuracy(truth, proba, router.classes_, k=3):.3f}, macro-F1 "
        f"{macro_f1(truth, proba, router.classes_):.3f}; auto precision "
        f"{_fmt(float(correct[auto].mean()) if auto.any() else None)} at coverage "
        f"{auto.mean():.1%}; authority head fires on {called:.1%}."
    ]
    other_path = folder / "not_authority.csv"
    if other_path.is_file():
        other, other_frame = _titled(other_path)
        calls = router.route(other, top_k=1, explain=False)
        levels = other_frame["level"].tolist()
        fired = [c.authority for c in calls]
        right = sum(1 for a, lv in zip(fired, levels, strict=True) if a and a.level == lv)
        lines.append(
            f"{len(other)} not-authority complaints: the authority head fires on "
            f"{np.mean([a is not None for a in fired]):.1%}, with the right level on "
            f"{right / len(other):.1%}; decisions: "
            + ", ".join(f"{k} {v}" for k, v in Counter(c.decision for c in calls).items())
            + "."
        )
    nonroutable_path = folder / "nonroutable.csv"
    if nonroutable_path.is_file():
        rows = pd.read_csv(nonroutable_path, dtype=str, keep_default_na=False)
        calls = router.route(rows["text"].tolist(), top_k=1, explain=False)
        lines.append(
            f"{len(rows)} non-routable texts: "
            + ", ".join(f"{k} {v}" for k, v in Counter(c.decision for c in calls).items())
            + "."
        )
    return lines


def score_table(scores: list[Score]) -> list[str]:
    lines = [
        "| region | system | n | top-1 | top-3 | macro-F1 | auto precision | auto coverage "
        "| authority → review (coverage without) | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for s in sorted(scores, key=lambda s: REGIONS.index(s.region)):
        lines.append(
            f"| {s.region} | {s.system} | {s.n:,} | {s.top1:.3f} | {s.top3:.3f} | "
            f"{s.macro_f1:.3f} | {_fmt(s.auto_precision)} | {_pct(s.auto_coverage)} | "
            f"{_authority(s)} | {s.seconds:.0f} |"
        )
    return lines


def threshold_lines(
    pooled: list[tuple[np.ndarray, np.ndarray]], router: ComplaintRouter, target: float
) -> list[str]:
    """The model's own thresholds on the pooled mapped rows, and the pair that keeps ``target``."""
    proba = np.vstack([p for p, _ in pooled])
    truth = np.concatenate([t for _, t in pooled])
    own: dict[str, Any] = dict(router.thresholds_)
    quality = precision_coverage(proba, truth, router.classes_, own["threshold"], own["margin"])
    precision, coverage = quality.precision or 0.0, quality.coverage
    chosen = fit_thresholds(proba, truth, router.classes_, target)
    seed_pair = own.get("fitted_on_seed")
    seed_note = ""
    if seed_pair:
        seed_quality = precision_coverage(
            proba, truth, router.classes_, seed_pair["threshold"], seed_pair["margin"]
        )
        p, c = seed_quality.precision or 0.0, seed_quality.coverage
        seed_note = (
            f" The pair fitted on the seed data alone (threshold {seed_pair['threshold']:.2f}, "
            f"margin {seed_pair['margin']:.2f}) gives {p:.3f} at {c:.1%}."
        )
    return [
        "",
        f"Pooled mapped rows ({len(truth):,}): the model's thresholds (threshold "
        f"{own['threshold']:.2f}, margin {own['margin']:.2f}) give auto precision "
        f"{precision:.3f} at coverage {coverage:.1%} (content gate not applied); the largest "
        f"coverage keeping precision >= {target:.2f} is {chosen['heldout_coverage']:.1%} "
        f"(precision {chosen['heldout_precision']:.3f}) at threshold "
        f"{chosen['threshold']:.2f}, margin {chosen['margin']:.2f}.{seed_note}",
    ]


def detail_lines(region: str, d: Detail) -> list[str]:
    recall = ", ".join(f"{code} {r:.2f} ({n})" for code, (r, n) in d.recall.items())
    confusions = ", ".join(f"{t} → {p} ({n})" for t, p, n in d.confusions)
    return [
        "",
        f"{region}, bundled model, per-OPD recall (rows): {recall}.",
        "",
        f"{region}, largest confusions (true → predicted): {confusions}.",
    ]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _authority(s: Score) -> str:
    if s.authority is None:
        return "–"
    return f"{s.authority:.1%} ({_pct(s.coverage_without_authority)})"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


if __name__ == "__main__":
    main()

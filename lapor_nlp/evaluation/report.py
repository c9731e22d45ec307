"""Write an evaluation as ``report.md`` + ``metrics.json`` + one confusion-matrix PNG per head.

The report holds numbers and label names only, never complaint text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from lapor_nlp.errors import MissingExtraError
from lapor_nlp.evaluation.metrics import CurvePoint
from lapor_nlp.evaluation.summary import HeadEvaluation, Headline

MAX_PLOT_LABELS = 30
TOP_CONFUSIONS = 15


def write_report(
    evaluations: Sequence[HeadEvaluation],
    out_dir: str | Path,
    *,
    title: str = "Routing evaluation",
    metadata: Mapping[str, object] | None = None,
) -> dict[str, Path]:
    """Write the report files into ``out_dir`` (created) and return their paths by name.

    Names: ``report`` (Markdown), ``metrics`` (JSON), ``confusion_<head>`` (PNG per head,
    only with the ``charts`` extra; without it the report says how to get them).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    charts_missing: str | None = None
    for evaluation in evaluations:
        png = out / f"confusion_{evaluation.head}.png"
        try:
            plot_confusion(evaluation, png)
        except MissingExtraError as exc:
            charts_missing = str(exc)
            break
        paths[f"confusion_{evaluation.head}"] = png
    metrics_path = out / "metrics.json"
    payload = {
        "title": title,
        "metadata": {k: str(v) for k, v in (metadata or {}).items()},
        "heads": [e.to_dict() for e in evaluations],
    }
    metrics_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["metrics"] = metrics_path
    report_path = out / "report.md"
    markdown = render_markdown(evaluations, title, metadata or {}, charts=charts_missing is None)
    if charts_missing:
        markdown += f"\nNo confusion-matrix charts: {charts_missing}\n"
    report_path.write_text(markdown, encoding="utf-8")
    paths["report"] = report_path
    return paths


def render_markdown(
    evaluations: Sequence[HeadEvaluation],
    title: str,
    metadata: Mapping[str, object],
    *,
    charts: bool = True,
) -> str:
    """The Markdown report as one string (``charts``: link the confusion-matrix PNGs)."""
    lines = [f"# {title}", ""]
    lines += [f"- **{key}**: {value}" for key, value in metadata.items()]
    lines += ["", "## Headline", "", *_headline_table({e.head: e.headline for e in evaluations})]
    for evaluation in evaluations:
        lines += _head_section(evaluation, charts=charts)
    return "\n".join(lines).rstrip() + "\n"


def _head_section(e: HeadEvaluation, *, charts: bool) -> list[str]:
    lines = ["", f"## {e.head}", ""]
    if e.auto_route is not None and e.auto_rule is not None:
        lines += [
            f"Auto-route ({e.auto_rule}): precision {_fmt(e.auto_route.precision)}, "
            f"coverage {_fmt(e.auto_route.coverage)} ({e.auto_route.n_routed} of "
            f"{e.headline.n} auto-routed).",
            "",
        ]
    if e.slices:
        lines += ["### Slices", "", *_headline_table(e.slices), ""]
    lines += ["### Auto-route precision / coverage", ""]
    lines += _curve_table(e.curve_probability, e.curve_margin)
    lines += ["", "### Per class", "", "| label | precision | recall | F1 | support |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for m in sorted(e.per_class, key=lambda m: (-m.support, m.label)):
        lines.append(
            f"| {_md(m.label)} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} | {m.support} |"
        )
    lines += ["", "### Most frequent confusions", ""]
    lines += _confusion_table(e.confusion, e.labels)
    if charts:
        lines += ["", f"![confusion matrix](confusion_{e.head}.png)"]
    return lines


def _headline_table(rows: Mapping[str, Headline]) -> list[str]:
    lines = ["| | n | accuracy | macro-F1 | top-3 | ECE |", "|---|---:|---:|---:|---:|---:|"]
    for name, h in rows.items():
        lines.append(
            f"| {_md(name)} | {h.n} | {_fmt(h.accuracy)} | {_fmt(h.macro_f1)} | "
            f"{_fmt(h.top3_accuracy)} | {_fmt(h.ece)} |"
        )
    return lines


def _curve_table(by_probability: list[CurvePoint], by_margin: list[CurvePoint]) -> list[str]:
    lines = [
        "| threshold | precision (top-1 prob) | coverage | precision (margin) | coverage |",
        "|---:|---:|---:|---:|---:|",
    ]
    for p, m in zip(by_probability, by_margin, strict=True):
        lines.append(
            f"| {p.threshold:.2f} | {_fmt(p.precision)} | {p.coverage:.3f} | "
            f"{_fmt(m.precision)} | {m.coverage:.3f} |"
        )
    return lines


def _confusion_table(matrix: np.ndarray, labels: list[str]) -> list[str]:
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    order = np.argsort(-off, axis=None, kind="stable")[:TOP_CONFUSIONS]
    lines = ["| true | predicted | count |", "|---|---|---:|"]
    for flat in order:
        i, j = np.unravel_index(flat, off.shape)
        if off[i, j] == 0:
            break
        lines.append(f"| {_md(labels[i])} | {_md(labels[j])} | {int(off[i, j])} |")
    return lines if len(lines) > 2 else ["No confusions."]


def plot_confusion(evaluation: HeadEvaluation, path: Path) -> None:
    """Row-normalised confusion matrix of the most frequent true labels, saved as PNG."""
    from lapor_nlp.extras import require

    matplotlib = require("matplotlib", "the confusion-matrix chart")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix, labels = evaluation.confusion, evaluation.labels
    support = matrix.sum(axis=1)
    keep = np.sort(np.argsort(-support, kind="stable")[:MAX_PLOT_LABELS])
    sub = matrix[np.ix_(keep, keep)].astype(float)
    rows = sub.sum(axis=1, keepdims=True)
    normalised = np.divide(sub, rows, out=np.zeros_like(sub), where=rows > 0)
    names = [_short(labels[i]) for i in keep]
    size = max(4.0, 0.35 * len(keep) + 2.5)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    try:
        image = ax.imshow(normalised, cmap="Blues", vmin=0.0, vmax=1.0)
        ax.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        shown = f" (top {len(keep)} of {len(labels)} labels)" if len(keep) < len(labels) else ""
        ax.set_title(f"{evaluation.head}: share of each true label{shown}", fontsize=9)
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _short(label: str, width: int = 32) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"

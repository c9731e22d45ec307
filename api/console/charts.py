"""Server-side SVG charts of the dashboard, drawn in Python (no JavaScript, no library).

Every function returns markup that is safe to embed: all text passes through ``escape``.
Charts scale with their container (``viewBox``) and carry a ``<title>`` for screen readers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from lapor_nlp.api.console.render import day_label

FONT = 12
INK = "#1c2430"
MUTED = "#5b6675"
GRID = "#e3e7ec"
DECISION_COLOURS = {"auto": "#2e7d32", "review": "#e0a100", "needs_info": "#78909c"}
VERDICT_COLOURS = {
    "accept": "#2e7d32",
    "correct": "#e4572e",
    "not_authority": "#8e44ad",
    "incomplete": "#90a4ae",
}
TRAINING_COLOUR = "#90a4ae"
FEEDBACK_COLOUR = "#e4572e"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Svg:
    """A tiny SVG builder: elements are appended as escaped strings."""

    def __init__(self, width: float, height: float, label: str, css_class: str = "fit") -> None:
        self.width, self.height, self.label, self.css_class = width, height, label, css_class
        self.parts: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> None:
        """Add a rectangle, with a hover tip when given."""
        title = f"<title>{escape(tip)}</title>" if tip else ""
        self.parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" '
            f'height="{_num(max(h, 0))}" fill="{fill}" rx="2">{title}</rect>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1
    ) -> None:
        """Add a line."""
        self.parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{stroke}" stroke-width="{_num(width)}"/>'
        )

    def circle(self, x: float, y: float, r: float, fill: str, tip: str = "") -> None:
        """Add a circle, with a hover tip when given."""
        title = f"<title>{escape(tip)}</title>" if tip else ""
        self.parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}">{title}</circle>'
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = FONT,
        fill: str = INK,
        weight: str = "normal",
    ) -> None:
        """Add a text label."""
        self.parts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{fill}" '
            f'text-anchor="{anchor}" font-weight="{weight}" dominant-baseline="middle">'
            f"{escape(content)}</text>"
        )

    def markup(self) -> Markup:
        """The finished ``<svg>`` element, safe to insert into a template."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(self.width)} '
            f'{_num(self.height)}" width="{_num(self.width)}" height="{_num(self.height)}" '
            f'class="{self.css_class}" role="img" aria-label="{escape(self.label)}">'
            f"<title>{escape(self.label)}</title>"
        )
        return Markup(head + "".join(self.parts) + "</svg>")


def _empty(message: str) -> Markup:
    return Markup('<p class="chart-empty">%s</p>') % message


def _blue(share: float) -> str:
    """White (0) to deep blue (1)."""
    share = min(max(share, 0.0), 1.0)
    start, end = (240, 245, 251), (11, 92, 173)
    r, g, b = (round(s + (e - s) * share**0.7) for s, e in zip(start, end, strict=True))
    return f"rgb({r},{g},{b})"


def volume_heatmap(per_day: Sequence[dict[str, Any]], days: Sequence[str]) -> Markup:
    """Complaints per OPD (rows, busiest first) and day (columns), with daily totals on top.

    The OPD names and totals sit on the right, next to the latest days: on a phone the chart
    scrolls sideways and opens at its right end.
    """
    label = "Jumlah pengaduan per OPD per hari"
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in per_day:
        counts[str(row["opd"]) or "?"][str(row["day"])] = int(row["count"])
    if not counts or not days:
        return _empty("Belum ada pengaduan pada rentang ini.")
    totals = {opd: sum(by_day.values()) for opd, by_day in counts.items()}
    opds = sorted(counts, key=lambda o: (-totals[o], o))
    left, right, top, cell_h = 8, 170, 92, 20
    width = 1100
    cell_w = (width - left - right) / len(days)
    total_x = width - right + 40  # right edge of the totals column
    height = top + cell_h * len(opds) + 8
    svg = Svg(width, height, label, css_class="wide")
    daily = [sum(counts[o].get(d, 0) for o in opds) for d in days]
    peak_day = max(daily) or 1
    peak_cell = max(max(by_day.values()) for by_day in counts.values()) or 1
    bar_top, bar_h = 6, 56
    svg.text(total_x + 12, bar_top + bar_h - 6, "total per hari", fill=MUTED, size=11)
    for i, (day, total) in enumerate(zip(days, daily, strict=True)):
        h = bar_h * total / peak_day
        x = left + i * cell_w
        svg.rect(x + 1, bar_top + bar_h - h, cell_w - 2, h, "#0b5cad", f"{day_label(day)}: {total}")
    step = max(1, round(len(days) / 10))
    for i, day in enumerate(days):
        if (len(days) - 1 - i) % step == 0:
            svg.text(
                left + (i + 0.5) * cell_w,
                top - 14,
                day_label(day),
                anchor="middle",
                size=10.5,
                fill=MUTED,
            )
    svg.text(total_x, top - 14, "total", anchor="end", size=10.5, fill=MUTED)
    for r, opd in enumerate(opds):
        y = top + r * cell_h
        for i, day in enumerate(days):
            n = counts[opd].get(day, 0)
            fill = _blue(n / peak_cell) if n else "#f4f6f8"
            svg.rect(
                left + i * cell_w + 1,
                y + 1,
                cell_w - 2,
                cell_h - 2,
                fill,
                f"{opd}, {day_label(day)}: {n} pengaduan",
            )
        svg.text(total_x, y + cell_h / 2, str(totals[opd]), anchor="end", size=12, weight="bold")
        svg.text(total_x + 12, y + cell_h / 2, opd, size=12)
    return svg.markup()


def decision_shares(decisions: dict[str, Any], labels: dict[str, str]) -> Markup:
    """One 100 % bar: the shares of auto, review and needs_info decisions."""
    label = "Bagian keputusan otomatis, perlu tinjauan dan perlu info"
    counts = {d: int((decisions.get(d) or {}).get("count") or 0) for d in DECISION_COLOURS}
    total = sum(counts.values())
    if not total:
        return _empty("Belum ada pengaduan pada rentang ini.")
    width, left, bar_y, bar_h = 400, 4, 10, 44
    svg = Svg(width, 100, label, css_class="span")  # as wide as its panel
    x = float(left)
    usable = width - 2 * left
    for decision, n in counts.items():
        w = usable * n / total
        name = labels.get(decision, decision)
        tip = f"{name}: {n} ({100 * n / total:.0f}%)"
        svg.rect(x, bar_y, w, bar_h, DECISION_COLOURS[decision], tip)
        if w > 70:
            svg.text(
                x + w / 2,
                bar_y + bar_h / 2,
                f"{100 * n / total:.0f}%",
                anchor="middle",
                fill="#ffffff",
                weight="bold",
                size=15,
            )
        x += w
    legend_x = float(left)
    for decision, n in counts.items():
        svg.rect(legend_x, 76, 12, 12, DECISION_COLOURS[decision])
        text = f"{labels.get(decision, decision)} {n}"
        svg.text(legend_x + 18, 82, text, size=12)
        legend_x += 26 + 6.4 * len(text)
    return svg.markup()


def feedback_rates(per_opd: Sequence[dict[str, Any]], labels: dict[str, str]) -> Markup:
    """Per predicted OPD: shares of operators' verdicts (accepted first), busiest OPDs first."""
    label = "Penerimaan dan koreksi saran per OPD"
    rows = sorted((r for r in per_opd if r.get("n")), key=lambda r: (-int(r["n"]), str(r["opd"])))
    if not rows:
        return _empty("Belum ada umpan balik operator.")
    rows = rows[:20]
    left, right, top, row_h = 120, 170, 8, 24
    width = 1100
    height = top + row_h * len(rows) + 34
    usable = width - left - right
    svg = Svg(width, height, label, css_class="wide")
    for r, row in enumerate(rows):
        y = top + r * row_h
        n = int(row["n"])
        svg.text(
            left - 8, y + row_h / 2, str(row["opd"] or "(tanpa prediksi)"), anchor="end", size=11.5
        )
        x = float(left)
        for verdict, colour in VERDICT_COLOURS.items():
            k = int(row.get(verdict) or 0)
            w = usable * k / n
            svg.rect(
                x, y + 3, w, row_h - 6, colour, f"{row['opd']}: {labels[verdict]} {k} dari {n}"
            )
            x += w
        accepted = row.get("acceptance_rate")
        summary = (
            f"n={n} · diterima {100 * float(accepted):.0f}%" if accepted is not None else f"n={n}"
        )
        svg.text(width - right + 8, y + row_h / 2, summary, size=11.5, fill=MUTED)
    legend_y = top + row_h * len(rows) + 18
    legend_x = float(left)
    for verdict, colour in VERDICT_COLOURS.items():
        svg.rect(legend_x, legend_y - 6, 12, 12, colour)
        svg.text(legend_x + 18, legend_y, labels[verdict], size=12)
        legend_x += 34 + 7.2 * len(labels[verdict])
    return svg.markup()


CHAR_WIDTH = 7.6
"""Width of one character of an 11.5 px label (generous: uppercase codes are wide)."""
DOT_GAP = 14


def drift_dumbbell(per_opd: Sequence[dict[str, Any]], limit: int = 15) -> Markup:
    """Per OPD: its share among corrected labels vs among training labels (largest gaps first)."""
    label = "Pergeseran label koreksi dibanding data latih"
    rows = [r for r in per_opd if r.get("feedback_share") or r.get("training_share")]
    rows = sorted(rows, key=lambda r: (-abs(float(r.get("delta") or 0)), str(r["opd"])))[:limit]
    if not rows or not any(r.get("feedback_share") for r in rows):
        return _empty("Belum ada label dari operator untuk dibandingkan.")
    largest = max(max(float(r["feedback_share"]), float(r["training_share"])) for r in rows)
    step = next(s for s in (0.02, 0.05, 0.1, 0.2, 0.25) if largest / s <= 4)
    ticks = max(1, math.ceil(largest / step))
    peak = step * ticks
    # The code column fits the longest code ("DISNAKERTRANS"); the delta column never
    # reaches the dots (a dot at 100 % ends DOT_GAP before it).
    longest = max(len(str(row["opd"])) for row in rows)
    left, right, top, row_h = 14 + CHAR_WIDTH * longest, 84, 26, 22
    width = max(440, left + 260 + right)
    usable = width - left - right - DOT_GAP
    height = top + row_h * len(rows) + 30
    svg = Svg(width, height, label, css_class="wide")  # phones: scrolls sideways, text readable
    for tick in range(ticks + 1):
        share = step * tick
        x = left + usable * share / peak
        svg.line(x, top - 6, x, top + row_h * len(rows), GRID)
        svg.text(x, top - 14, f"{100 * share:.0f}%", anchor="middle", size=10.5, fill=MUTED)
    for r, row in enumerate(rows):
        y = top + r * row_h + row_h / 2
        train, fb = float(row["training_share"]), float(row["feedback_share"])
        x_train, x_fb = left + usable * train / peak, left + usable * fb / peak
        svg.text(left - 8, y, str(row["opd"]), anchor="end", size=11.5)
        svg.line(x_train, y, x_fb, y, "#c5ccd5", 3)
        svg.circle(x_train, y, 5.5, TRAINING_COLOUR, f"{row['opd']}: data latih {100 * train:.1f}%")
        svg.circle(x_fb, y, 5.5, FEEDBACK_COLOUR, f"{row['opd']}: koreksi {100 * fb:.1f}%")
        delta = 100 * (fb - train)
        svg.text(
            width - 8,
            y,
            f"{delta:+.1f} poin",
            anchor="end",
            size=11.5,
            fill=FEEDBACK_COLOUR if abs(delta) >= 5 else MUTED,
        )
    legend_y = top + row_h * len(rows) + 16
    svg.circle(left + 6, legend_y, 5.5, TRAINING_COLOUR)
    svg.text(left + 16, legend_y, "bagian di data latih", size=12)
    svg.circle(left + 150, legend_y, 5.5, FEEDBACK_COLOUR)
    svg.text(left + 160, legend_y, "bagian di label operator", size=12)
    return svg.markup()

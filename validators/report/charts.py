"""Inline SVG bar charts: all articles per bin, with the failing part of each bar drawn darker.

No chart library: a few rectangles and labels, small enough to inline and readable without scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from validators.report.summary import Bin

WIDTH = 520
HEIGHT = 200
LEFT = 44
BOTTOM = 34
TOP = 12
MAX_LABELS = 8


def bar_chart(title: str, bins: Sequence[Bin], threshold: float | None = None, note: str = "") -> str:
    """A ``<figure>`` with an SVG bar chart of ``bins``; ``threshold`` (0..1) marks a limit on the x axis."""
    caption = f"<figcaption>{escape(title)}{_note(note)}</figcaption>"
    if not bins or not any(b.total for b in bins):
        return f"<figure class='chart'>{caption}<p class='muted'>No data.</p></figure>"
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - TOP - BOTTOM
    peak = max(b.total for b in bins)
    step = plot_w / len(bins)
    gap = min(2.0, step * 0.15)
    parts = [
        f"<svg viewBox='0 0 {WIDTH} {HEIGHT}' role='img' aria-label='{escape(title, quote=True)}'>",
        f"<line class='axis' x1='{LEFT}' y1='{TOP + plot_h}' x2='{LEFT + plot_w}' y2='{TOP + plot_h}'/>",
        f"<text class='tick' x='{LEFT - 4}' y='{TOP + 4}' text-anchor='end'>{peak}</text>",
        f"<text class='tick' x='{LEFT - 4}' y='{TOP + plot_h}' text-anchor='end'>0</text>",
    ]
    every = max(1, -(-len(bins) // MAX_LABELS))
    for i, b in enumerate(bins):
        x = LEFT + i * step + gap / 2
        w = max(step - gap, 0.5)
        total_h = plot_h * b.total / peak
        failing_h = plot_h * b.failing / peak
        label = escape(f"{b.label}: {b.total} articles, {b.failing} failing")
        parts.append(
            f"<g><title>{label}</title>"
            f"<rect class='bar' x='{x:.1f}' y='{TOP + plot_h - total_h:.1f}' width='{w:.1f}' "
            f"height='{total_h:.1f}'/>"
            f"<rect class='bar-fail' x='{x:.1f}' y='{TOP + plot_h - failing_h:.1f}' width='{w:.1f}' "
            f"height='{failing_h:.1f}'/></g>"
        )
        if i % every == 0:
            parts.append(
                f"<text class='tick' x='{x + w / 2:.1f}' y='{TOP + plot_h + 14}' text-anchor='middle'>"
                f"{escape(_tick(b.label, len(bins)))}</text>"
            )
    if threshold is not None and 0.0 <= threshold <= 1.0:
        x = LEFT + plot_w * threshold
        parts.append(
            f"<line class='limit' x1='{x:.1f}' y1='{TOP}' x2='{x:.1f}' y2='{TOP + plot_h}'/>"
            f"<text class='tick limit-label' x='{x + 3:.1f}' y='{TOP + 10}'>limit {threshold:g}</text>"
        )
    parts.append("</svg>")
    legend = (
        "<div class='chart-legend'><span class='key key-all'></span>all articles "
        "<span class='key key-fail'></span>failing any check</div>"
    )
    return f"<figure class='chart'>{caption}{''.join(parts)}{legend}</figure>"


def _tick(label: str, count: int) -> str:
    # Share bins are labelled by their lower edge only, so the axis stays legible.
    return label.split("–")[0] if count >= 12 else label


def _note(note: str) -> str:
    return f" <span class='muted'>{escape(note)}</span>" if note else ""

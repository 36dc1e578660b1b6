"""Aggregates over every article of a run: breakdowns by source and language, and chart bins.

These are computed in Python over the whole measures table, so the page shows counts and rates for all
articles while embedding only a bounded sample of them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from validators.report.payload import NONE_LABEL, language_label, source_label

MAX_BREAKDOWN_ROWS = 25
LENGTH_EDGES = (0, 1, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000)
SHARE_BINS = 20
MAX_MONTHS = 72


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: a source or language, its article count and failures per check."""

    label: str
    articles: int
    failing: int
    by_check: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Bin:
    """One bar of a chart: all articles in the bin, and how many of them fail any check."""

    label: str
    total: int
    failing: int


@dataclass(frozen=True)
class Summary:
    """Everything the report aggregates from the measures table."""

    by_source: list[Group]
    by_language: list[Group]
    text_length: list[Bin]
    foreign_fraction: list[Bin]
    boilerplate_share: list[Bin]
    months: list[Bin]
    undated: int


def summarise(measures: pa.Table, results: Mapping[str, Any]) -> Summary:
    """Breakdowns and chart bins over every article in ``measures``."""
    columns = measures.column_names

    def column(name: str) -> list[Any]:
        return measures.column(name).to_pylist() if name in columns else [None] * measures.num_rows

    ids = column("article_id")
    failed_checks: dict[str, list[str]] = {}
    for check in results.get("checks", []):
        for article_id in check.get("failed_ids", []):
            failed_checks.setdefault(article_id, []).append(str(check["id"]))
    failing = [article_id in failed_checks for article_id in ids]
    sources = [source_label(n, h) for n, h in zip(column("source_name"), column("source_host"), strict=True)]
    languages = [
        language_label(d, t) for d, t in zip(column("language_declared"), column("language_detected"), strict=True)
    ]
    dates = column("published_at")
    return Summary(
        by_source=_groups(ids, sources, failed_checks),
        by_language=_groups(ids, languages, failed_checks),
        text_length=_length_bins(column("text_chars"), failing),
        foreign_fraction=_share_bins(column("foreign_fraction"), failing),
        boilerplate_share=_share_bins(column("boilerplate_share"), failing),
        months=_month_bins(dates, failing),
        undated=sum(1 for d in dates if d is None),
    )


def _groups(ids: Sequence[str], labels: Sequence[str], failed_checks: Mapping[str, list[str]]) -> list[Group]:
    articles: Counter[str] = Counter(labels)
    failing: Counter[str] = Counter()
    by_check: dict[str, Counter[str]] = {}
    for article_id, label in zip(ids, labels, strict=True):
        checks = failed_checks.get(article_id)
        if checks:
            failing[label] += 1
            by_check.setdefault(label, Counter()).update(checks)
    ordered = sorted(articles, key=lambda label: (-articles[label], label == NONE_LABEL, label))
    shown = [Group(lb, articles[lb], failing[lb], dict(by_check.get(lb, {}))) for lb in ordered]
    if len(shown) <= MAX_BREAKDOWN_ROWS:
        return shown
    rest = shown[MAX_BREAKDOWN_ROWS - 1 :]
    merged: Counter[str] = Counter()
    for group in rest:
        merged.update(group.by_check)
    other = Group(f"{len(rest)} others", sum(g.articles for g in rest), sum(g.failing for g in rest), dict(merged))
    return [*shown[: MAX_BREAKDOWN_ROWS - 1], other]


def _length_bins(lengths: Sequence[int | None], failing: Sequence[bool]) -> list[Bin]:
    edges = LENGTH_EDGES
    totals = [0] * len(edges)
    bad = [0] * len(edges)
    for length, fails in zip(lengths, failing, strict=True):
        if length is None:
            continue
        slot = max(i for i, edge in enumerate(edges) if length >= edge)
        totals[slot] += 1
        bad[slot] += int(fails)
    labels = [_length_label(edges, i) for i in range(len(edges))]
    return [Bin(label, t, b) for label, t, b in zip(labels, totals, bad, strict=True)]


def _length_label(edges: Sequence[int], i: int) -> str:
    if edges[i] == 0:
        return "0"
    if i + 1 == len(edges):
        return f"≥{_short(edges[i])}"
    return f"{_short(edges[i])}–{_short(edges[i + 1] - 1)}"


def _short(number: int) -> str:
    return f"{number // 1000}k" if number >= 1000 and number % 1000 == 0 else str(number)


def _share_bins(values: Sequence[float | None], failing: Sequence[bool]) -> list[Bin]:
    totals = [0] * SHARE_BINS
    bad = [0] * SHARE_BINS
    for value, fails in zip(values, failing, strict=True):
        if value is None or not math.isfinite(value):
            continue
        slot = min(SHARE_BINS - 1, max(0, int(value * SHARE_BINS)))
        totals[slot] += 1
        bad[slot] += int(fails)
    return [Bin(f"{i / SHARE_BINS:.2f}–{(i + 1) / SHARE_BINS:.2f}", totals[i], bad[i]) for i in range(SHARE_BINS)]


def _month_bins(dates: Sequence[datetime | None], failing: Sequence[bool]) -> list[Bin]:
    """Articles per month; per year when the dates span more than ``MAX_MONTHS`` months."""
    months: Counter[tuple[int, int]] = Counter()
    bad: Counter[tuple[int, int]] = Counter()
    for value, fails in zip(dates, failing, strict=True):
        if value is None:
            continue
        key = (value.year, value.month)
        months[key] += 1
        bad[key] += int(fails)
    if not months:
        return []
    first, last = min(months), max(months)
    span = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    if span <= MAX_MONTHS:
        keys = [((first[1] - 1 + i) // 12 + first[0], (first[1] - 1 + i) % 12 + 1) for i in range(span)]
        return [Bin(f"{y:04d}-{m:02d}", months[(y, m)], bad[(y, m)]) for y, m in keys]
    years: Counter[int] = Counter()
    bad_years: Counter[int] = Counter()
    for (year, _), count in months.items():
        years[year] += count
    for (year, _), count in bad.items():
        bad_years[year] += count
    if last[0] - first[0] + 1 > MAX_MONTHS:
        return [Bin(str(y), years[y], bad_years[y]) for y in sorted(years)]
    return [Bin(str(y), years[y], bad_years[y]) for y in range(first[0], last[0] + 1)]

"""Aggregates over every article of a run: breakdowns by source and language, and chart bins.

These are counted over every article, slice by slice, so the page shows counts and rates for all articles
while embedding only a bounded sample of them, and memory does not grow with the run.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from validators.report.payload import (
    MEASURE_BATCH_ROWS,
    NONE_LABEL,
    Measures,
    language_label,
    measure_batches,
    source_label,
)

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


# The measures the report aggregates (never the spans, the largest column).
SUMMARY_COLUMNS = (
    "article_id",
    "source_name",
    "source_host",
    "language_declared",
    "language_detected",
    "text_chars",
    "foreign_fraction",
    "boilerplate_share",
    "published_at",
)


@dataclass
class _Tally:
    """Running counts of one breakdown: articles, failing articles and failures per check, per label."""

    articles: Counter[str] = field(default_factory=Counter)
    failing: Counter[str] = field(default_factory=Counter)
    by_check: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, ids: Sequence[str], labels: Sequence[str], failed_checks: Mapping[str, list[str]]) -> None:
        self.articles.update(labels)
        for article_id, label in zip(ids, labels, strict=True):
            checks = failed_checks.get(article_id)
            if checks:
                self.failing[label] += 1
                self.by_check.setdefault(label, Counter()).update(checks)

    def groups(self) -> list[Group]:
        articles = self.articles
        ordered = sorted(articles, key=lambda label: (-articles[label], label == NONE_LABEL, label))
        shown = [Group(lb, articles[lb], self.failing[lb], dict(self.by_check.get(lb, {}))) for lb in ordered]
        if len(shown) <= MAX_BREAKDOWN_ROWS:
            return shown
        rest = shown[MAX_BREAKDOWN_ROWS - 1 :]
        merged: Counter[str] = Counter()
        for group in rest:
            merged.update(group.by_check)
        other = Group(f"{len(rest)} others", sum(g.articles for g in rest), sum(g.failing for g in rest), dict(merged))
        return [*shown[: MAX_BREAKDOWN_ROWS - 1], other]


def summarise(measures: Measures, results: Mapping[str, Any], batch_rows: int = MEASURE_BATCH_ROWS) -> Summary:
    """Breakdowns and chart bins over every article of the measures (a table, or the run's Parquet file).

    The measures are aggregated slice by slice, so memory does not grow with the number of articles.
    """
    failed_checks: dict[str, list[str]] = {}
    for check in results.get("checks", []):
        for article_id in check.get("failed_ids", []):
            failed_checks.setdefault(article_id, []).append(str(check["id"]))
    by_source, by_language = _Tally(), _Tally()
    lengths = _Bins(len(LENGTH_EDGES))
    foreign, boilerplate = _Bins(SHARE_BINS), _Bins(SHARE_BINS)
    months: Counter[tuple[int, int]] = Counter()
    bad_months: Counter[tuple[int, int]] = Counter()
    undated = 0
    for part in measure_batches(measures, SUMMARY_COLUMNS, batch_rows):

        def column(name: str, table: pa.Table = part) -> list[Any]:
            return table.column(name).to_pylist()

        ids = column("article_id")
        failing = [article_id in failed_checks for article_id in ids]
        sources = [source_label(n, h) for n, h in zip(column("source_name"), column("source_host"), strict=True)]
        languages = [
            language_label(d, t) for d, t in zip(column("language_declared"), column("language_detected"), strict=True)
        ]
        by_source.add(ids, sources, failed_checks)
        by_language.add(ids, languages, failed_checks)
        for length, fails in zip(column("text_chars"), failing, strict=True):
            if length is not None:
                lengths.add(max(i for i, edge in enumerate(LENGTH_EDGES) if length >= edge), fails)
        foreign.add_shares(column("foreign_fraction"), failing)
        boilerplate.add_shares(column("boilerplate_share"), failing)
        for value, fails in zip(column("published_at"), failing, strict=True):
            if value is None:
                undated += 1
                continue
            months[(value.year, value.month)] += 1
            bad_months[(value.year, value.month)] += int(fails)
    return Summary(
        by_source=by_source.groups(),
        by_language=by_language.groups(),
        text_length=lengths.labelled([_length_label(LENGTH_EDGES, i) for i in range(len(LENGTH_EDGES))]),
        foreign_fraction=foreign.labelled(_share_labels()),
        boilerplate_share=boilerplate.labelled(_share_labels()),
        months=_month_bins(months, bad_months),
        undated=undated,
    )


class _Bins:
    """Running totals of a chart: all articles and failing articles per bar."""

    def __init__(self, size: int) -> None:
        self.totals = [0] * size
        self.bad = [0] * size

    def add(self, slot: int, fails: bool) -> None:
        self.totals[slot] += 1
        self.bad[slot] += int(fails)

    def add_shares(self, values: Sequence[float | None], failing: Sequence[bool]) -> None:
        """Bin values in 0..1 into equal-width bars; missing and non-finite values are left out."""
        size = len(self.totals)
        for value, fails in zip(values, failing, strict=True):
            if value is not None and math.isfinite(value):
                self.add(min(size - 1, max(0, int(value * size))), fails)

    def labelled(self, labels: Sequence[str]) -> list[Bin]:
        return [Bin(label, t, b) for label, t, b in zip(labels, self.totals, self.bad, strict=True)]


def _share_labels() -> list[str]:
    return [f"{i / SHARE_BINS:.2f}–{(i + 1) / SHARE_BINS:.2f}" for i in range(SHARE_BINS)]


def _length_label(edges: Sequence[int], i: int) -> str:
    if edges[i] == 0:
        return "0"
    if i + 1 == len(edges):
        return f"≥{_short(edges[i])}"
    return f"{_short(edges[i])}–{_short(edges[i + 1] - 1)}"


def _short(number: int) -> str:
    return f"{number // 1000}k" if number >= 1000 and number % 1000 == 0 else str(number)


def _month_bins(months: Counter[tuple[int, int]], bad: Counter[tuple[int, int]]) -> list[Bin]:
    """Articles per month; per year when the dates span more than ``MAX_MONTHS`` months."""
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

"""Aggregates over every article of a run: breakdowns by source and language, and chart bins.

These are counted over every article, slice by slice, so the page shows counts and rates for all articles
while embedding only a bounded sample of them, and memory does not grow with the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

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


# The measures the report aggregates (never the spans, the largest column), and the type a column the
# measures lack is given.
SUMMARY_COLUMNS: dict[str, pa.DataType] = {
    "article_id": pa.string(),
    "source_name": pa.string(),
    "source_host": pa.string(),
    "language_declared": pa.string(),
    "language_detected": pa.string(),
    "text_chars": pa.int64(),
    "foreign_fraction": pa.float64(),
    "boilerplate_share": pa.float64(),
    "published_at": pa.timestamp("us", tz="UTC"),
}


@dataclass
class _Tally:
    """Running counts of one breakdown: articles, failing articles and failures per check, per label."""

    articles: Counter[str] = field(default_factory=Counter)
    failing: Counter[str] = field(default_factory=Counter)
    by_check: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, labels: pa.Array, failing: pa.Array, ids: pa.Array, failed_checks: Mapping[str, list[str]]) -> None:
        """Count one slice: ``labels`` of its articles, ``failing`` marks those failing any check."""
        self.articles.update(_value_counts(labels))
        failing_labels = labels.filter(failing)
        self.failing.update(_value_counts(failing_labels))
        # Only failing articles (a minority) are visited one by one, in table order.
        for article_id, label in zip(ids.filter(failing).to_pylist(), failing_labels.to_pylist(), strict=True):
            self.by_check.setdefault(label, Counter()).update(failed_checks[article_id])

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

    The measures are aggregated slice by slice with Arrow's column functions, so memory does not grow with the
    number of articles and a million articles take seconds.
    """
    failed_checks: dict[str, list[str]] = {}
    for check in results.get("checks", []):
        for article_id in check.get("failed_ids", []):
            failed_checks.setdefault(article_id, []).append(str(check["id"]))
    failed_ids = pa.array(list(failed_checks), type=pa.string())
    by_source, by_language = _Tally(), _Tally()
    lengths = _Bins(len(LENGTH_EDGES))
    foreign, boilerplate = _Bins(SHARE_BINS), _Bins(SHARE_BINS)
    months: Counter[tuple[int, int]] = Counter()
    bad_months: Counter[tuple[int, int]] = Counter()
    undated = 0
    for part in measure_batches(measures, list(SUMMARY_COLUMNS), batch_rows):
        columns = {name: _typed(part.column(name).combine_chunks(), kind) for name, kind in SUMMARY_COLUMNS.items()}
        ids = columns["article_id"]
        failing = pc.is_in(ids, value_set=failed_ids).fill_null(False)
        sources = _labels(source_label, columns["source_name"], columns["source_host"])
        languages = _labels(language_label, columns["language_declared"], columns["language_detected"])
        by_source.add(sources, failing, ids, failed_checks)
        by_language.add(languages, failing, ids, failed_checks)
        fails = failing.to_numpy(zero_copy_only=False)
        length = columns["text_chars"].to_numpy(zero_copy_only=False)  # float, NaN where missing
        known = ~np.isnan(length.astype(np.float64))
        lengths.add(np.searchsorted(LENGTH_EDGES, length[known], side="right") - 1, fails[known])
        foreign.add_shares(columns["foreign_fraction"], fails)
        boilerplate.add_shares(columns["boilerplate_share"], fails)
        published = columns["published_at"]
        undated += published.null_count
        dated = published.is_valid()
        stamps = published.filter(dated)
        # One number per month (12 * year + month) so that Arrow counts the months.
        month_keys = pc.add(pc.multiply(pc.year(stamps), 12), pc.month(stamps))
        for key, count in _value_counts(month_keys).items():
            months[_month_of(key)] += count
        for key, count in _value_counts(month_keys.filter(failing.filter(dated))).items():
            bad_months[_month_of(key)] += count
    return Summary(
        by_source=by_source.groups(),
        by_language=by_language.groups(),
        text_length=lengths.labelled([_length_label(LENGTH_EDGES, i) for i in range(len(LENGTH_EDGES))]),
        foreign_fraction=foreign.labelled(_share_labels()),
        boilerplate_share=boilerplate.labelled(_share_labels()),
        months=_month_bins(months, bad_months),
        undated=undated,
    )


def _labels(label: Callable[[str | None, str | None], str], first: pa.Array, second: pa.Array) -> pa.Array:
    """``label(first, second)`` of every row, called once per distinct pair of values in the slice."""
    first_codes, second_codes = pc.dictionary_encode(first), pc.dictionary_encode(second)
    first_values, second_values = first_codes.dictionary.to_pylist(), second_codes.dictionary.to_pylist()
    # Code -1 stands for a missing value; pairs are numbered so that np.unique finds the distinct ones.
    a = first_codes.indices.fill_null(-1).to_numpy().astype(np.int64) + 1
    b = second_codes.indices.fill_null(-1).to_numpy().astype(np.int64) + 1
    pairs, rows = np.unique(a * (len(second_values) + 1) + b, return_inverse=True)
    names = [
        label(first_values[i - 1] if i else None, second_values[j - 1] if j else None)
        for i, j in zip(*np.divmod(pairs, len(second_values) + 1), strict=True)
    ]
    return pa.array(names, type=pa.string()).take(pa.array(rows.reshape(-1)))


def _typed(column: pa.Array, kind: pa.DataType) -> pa.Array:
    """``column`` as is, or typed ``kind`` when it is a column of nulls standing in for one the measures lack."""
    return column.cast(kind) if pa.types.is_null(column.type) else column


def _month_of(key: int) -> tuple[int, int]:
    year, month = divmod(key - 1, 12)
    return year, month + 1


def _value_counts(values: pa.Array) -> dict[Any, int]:
    counts = pc.value_counts(values)
    return dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True))


class _Bins:
    """Running totals of a chart: all articles and failing articles per bar."""

    def __init__(self, size: int) -> None:
        self.totals = np.zeros(size, dtype=np.int64)
        self.bad = np.zeros(size, dtype=np.int64)

    def add(self, slots: npt.NDArray[np.int64], failing: npt.NDArray[np.bool_]) -> None:
        """Count articles in bars ``slots``, ``failing`` marking those that fail."""
        size = len(self.totals)
        self.totals += np.bincount(slots, minlength=size)
        self.bad += np.bincount(slots[failing], minlength=size)

    def add_shares(self, values: pa.Array, failing: npt.NDArray[np.bool_]) -> None:
        """Bin values in 0..1 into equal-width bars; missing and non-finite values are left out."""
        size = len(self.totals)
        shares = values.to_numpy(zero_copy_only=False).astype(np.float64)  # NaN where missing
        finite = np.isfinite(shares)
        with np.errstate(over="ignore"):
            slots = np.clip(np.trunc(shares[finite] * size), 0, size - 1).astype(np.int64)
        self.add(slots, failing[finite])

    def labelled(self, labels: Sequence[str]) -> list[Bin]:
        return [Bin(label, int(t), int(b)) for label, t, b in zip(labels, self.totals, self.bad, strict=True)]


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

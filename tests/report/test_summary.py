"""Aggregates over every article: breakdowns and chart bins."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from validators.measures import MEASURE_SCHEMA
from validators.report.summary import MAX_BREAKDOWN_ROWS, summarise


def _measures(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=MEASURE_SCHEMA)


def test_breakdowns_count_articles_and_failures_per_group() -> None:
    table = _measures(
        [
            {"article_id": "1", "source_name": "A", "language_declared": "en", "text_chars": 50},
            {"article_id": "2", "source_name": "A", "language_declared": None, "language_detected": "de"},
            {"article_id": "3", "source_host": "b.example", "language_declared": "en"},
        ]
    )
    results = {"checks": [{"id": "boilerplate", "failed_ids": ["1", "2"]}, {"id": "x", "failed_ids": ["2"]}]}
    summary = summarise(table, results)
    by_source = {g.label: (g.articles, g.failing, dict(g.by_check)) for g in summary.by_source}
    assert by_source == {"A": (2, 2, {"boilerplate": 2, "x": 1}), "b.example": (1, 0, {})}
    assert [(g.label, g.articles, g.failing) for g in summary.by_language] == [("en", 2, 1), ("de", 1, 1)]
    assert sum(b.total for b in summary.text_length) == 1  # lengths that are null are not binned


def test_many_sources_fold_into_one_other_row() -> None:
    rows = [{"article_id": str(i), "source_name": f"s{i}"} for i in range(MAX_BREAKDOWN_ROWS + 10)]
    summary = summarise(_measures(rows), {"checks": []})
    assert len(summary.by_source) == MAX_BREAKDOWN_ROWS
    assert summary.by_source[-1].label == "11 others"
    assert sum(g.articles for g in summary.by_source) == len(rows)


def test_share_bins_cover_zero_to_one_and_skip_missing_values() -> None:
    rows = [
        {"article_id": "a", "foreign_fraction": 0.0},
        {"article_id": "b", "foreign_fraction": 1.0},
        {"article_id": "c", "foreign_fraction": 0.07},
        {"article_id": "d", "foreign_fraction": float("nan")},
        {"article_id": "e"},
    ]
    bins = summarise(_measures(rows), {"checks": [{"id": "m", "failed_ids": ["b"]}]}).foreign_fraction
    assert [b.total for b in bins][:2] == [1, 1] and bins[-1].total == 1 and bins[-1].failing == 1
    assert sum(b.total for b in bins) == 3


def test_months_are_contiguous_and_fall_back_to_years_for_long_ranges() -> None:
    def at(year: int, month: int) -> datetime:
        return datetime(year, month, 15, tzinfo=UTC)

    near = _measures(
        [
            {"article_id": "a", "published_at": at(2024, 11)},
            {"article_id": "b", "published_at": at(2025, 2)},
            {"article_id": "c"},
        ]
    )
    summary = summarise(near, {"checks": []})
    assert [(b.label, b.total) for b in summary.months] == [
        ("2024-11", 1),
        ("2024-12", 0),
        ("2025-01", 0),
        ("2025-02", 1),
    ]
    assert summary.undated == 1
    far = _measures(
        [{"article_id": "a", "published_at": at(1999, 1)}, {"article_id": "b", "published_at": at(2024, 1)}]
    )
    labels = [b.label for b in summarise(far, {"checks": []}).months]
    assert labels[0] == "1999" and labels[-1] == "2024" and len(labels) == 26


def test_a_measures_file_read_in_slices_gives_the_same_summary_as_the_table(tmp_path) -> None:
    rows = [
        {
            "article_id": str(i),
            "source_name": f"site-{i % 30}",
            "language_detected": ["en", "de", "tr"][i % 3],
            "text_chars": 10 * i,
            "foreign_fraction": (i % 10) / 10,
            "boilerplate_share": (i % 7) / 7,
            "published_at": datetime(2020 + i % 3, 1 + i % 12, 1, tzinfo=UTC) if i % 5 else None,
            "spans": [{"detector": "boilerplate", "start": 0, "end": 1, "reason": "ui_token"}],
        }
        for i in range(250)
    ]
    table = _measures(rows)
    path = tmp_path / "measures.parquet"
    pq.write_table(table, path, row_group_size=40)
    results = {"checks": [{"id": "boilerplate", "failed_ids": [str(i) for i in range(0, 250, 4)]}]}
    whole = summarise(table, results)
    sliced = summarise(path, results, batch_rows=17)
    assert sliced == whole
    assert sum(g.failing for g in sliced.by_source) == 63
    assert sliced.by_source[-1].label == "6 others"  # 30 sources, over the breakdown's rows


def test_out_of_range_shares_land_in_the_end_bars_and_absent_columns_count_as_missing() -> None:
    shares = pa.table({"article_id": ["a", "b", "c"], "boilerplate_share": [1e308, -2.0, float("inf")]})
    summary = summarise(shares, {"checks": [{"id": "m", "failed_ids": ["a"]}]})
    totals = [b.total for b in summary.boilerplate_share]
    assert totals[0] == 1 and totals[-1] == 1 and sum(totals) == 2  # infinity is not a share
    assert summary.boilerplate_share[-1].failing == 1
    # The table has no source, language, length or date columns: every article is counted under "none".
    assert [(g.label, g.articles, g.failing) for g in summary.by_source] == [("(none)", 3, 1)]
    assert summary.undated == 3 and sum(b.total for b in summary.text_length) == 0

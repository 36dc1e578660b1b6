"""What the page embeds about failing articles: text segments, budgets, interning, metadata."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from validators.report import island_sizes, payload
from validators.report.payload import (
    ReportLimits,
    TextExcerpt,
    build_payload,
    excerpt_plan,
    language_label,
    load_articles,
    rows_by_id,
    source_label,
    text_segments,
)
from validators.report.render import island_bytes

SMALL = ReportLimits(text_chars=50, window_chars=5)


def _results(articles: list[dict[str, Any]]) -> dict[str, Any]:
    checks = ["boilerplate", "missing_date", "mixed_language"]
    return {
        "checks": [
            {"id": c, "failed_ids": [a["article_id"] for a in articles if c in a["failed_checks"]]} for c in checks
        ],
        "articles_failed": articles,
    }


def test_full_text_keeps_the_head_and_windows_spans_beyond_it() -> None:
    text = "a" * 100 + "BANNER" + "b" * 100
    segments = text_segments(text, [(10, 12), (100, 106)], True, SMALL)
    assert segments == [[0, text[:50]], [95, text[95:111]]]


def test_windows_merge_when_they_overlap_and_stay_inside_the_text() -> None:
    text = "x" * 30
    assert text_segments(text, [(2, 4), (8, 10), (28, 30)], False, SMALL) == [
        [0, text[0:15]],
        [23, text[23:30]],
    ]


def test_article_without_spans_gets_an_opening_excerpt() -> None:
    assert text_segments("y" * 40, [], False, SMALL) == [[0, "y" * 5]]
    assert text_segments("", [], True, SMALL) == []


def test_segments_count_code_points_not_utf16_units() -> None:
    text = "😀" * 10 + "SPAN" + "😀" * 10
    [[start, piece]] = text_segments(text, [(10, 14)], False, ReportLimits(window_chars=2))
    assert (start, piece) == (8, "😀😀SPAN😀😀")


def test_payload_interns_labels_and_maps_spans_to_check_positions() -> None:
    failed = [
        {
            "article_id": "a",
            "failed_checks": ["boilerplate"],
            "spans": [{"check": "boilerplate", "start": 5, "end": 9, "reason": "consent"}],
        },
        {
            "article_id": "b",
            "failed_checks": ["missing_date", "boilerplate"],
            "spans": [
                {"check": "boilerplate", "start": 0, "end": 3, "reason": "consent"},
                {"check": "unknown_check", "start": 0, "end": 3, "reason": "dropped"},
            ],
        },
    ]
    articles = {
        "a": {"article_id": "a", "title": "T", "text": "0123456789", "source_name": "S", "language": "en"},
        "b": {
            "article_id": "b",
            "title": None,
            "text": "abc",
            "source_name": None,
            "source_url": "https://h/x",
        },
    }
    measures = {
        "b": {
            "source_host": "h",
            "language_declared": None,
            "language_detected": "de",
            "published_at": datetime(2024, 5, 1, tzinfo=UTC),
            "foreign_fraction": float("nan"),
        }
    }
    payload = build_payload(_results(failed), articles, measures, ReportLimits())
    rows = payload.rows
    assert rows["checks"] == ["boilerplate", "missing_date", "mixed_language"]
    assert rows["sources"] == ["S", "h"] and rows["languages"] == ["en", "de"]
    assert rows["reasons"] == ["consent"]
    assert rows["rows"][1] == ["b", "", 1, 1, [1, 0], "2024-05-01T00:00:00+00:00", "https://h/x"]
    assert payload.texts[0]["p"] == [[0, 5, 9, 0]]
    assert payload.texts[1]["p"] == [[0, 0, 3, 0]]
    assert "foreign_fraction" not in payload.texts[1]["m"]  # NaN is left out, never emitted as JSON
    assert (payload.listed, payload.failing) == (2, 2)


def test_caps_limit_listed_articles_full_texts_and_the_text_budget() -> None:
    failed = [
        {"article_id": f"id{i}", "failed_checks": ["boilerplate" if i % 2 else "missing_date"], "spans": []}
        for i in range(10)
    ]
    articles = {f"id{i}": {"article_id": f"id{i}", "text": "z" * 100} for i in range(10)}
    limits = ReportLimits(max_articles=6, full_text_articles=2, text_chars=80, window_chars=10, text_budget=200)
    payload = build_payload(_results(failed), articles, {}, limits)
    assert (payload.listed, payload.failing) == (6, 10)
    lengths = [sum(len(s[1]) for s in t["x"]) for t in payload.texts]
    # One full text per failing check (round robin), excerpts for the rest, until the budget runs out.
    assert lengths == [80, 80, 10, 10, 10, 10]
    tight = build_payload(_results(failed), articles, {}, ReportLimits(text_chars=80, text_budget=100))
    assert sum(sum(len(s[1]) for s in t["x"]) for t in tight.texts) == 100


def test_labels_fall_back_in_order() -> None:
    assert source_label("  ", "host.example") == "host.example"
    assert source_label(None, None) == "(none)"
    assert language_label(None, "tr") == "tr"
    assert language_label("en", "tr") == "en"


def _id_table(ids: list[str]) -> pa.Table:
    return pa.table({"article_id": ids, "title": [f"title {i}" for i in range(len(ids))]})


def test_rows_by_id_finds_rows_in_every_slice_and_keeps_the_first_of_a_repeated_id(tmp_path: Path) -> None:
    path = tmp_path / "articles.parquet"
    pq.write_table(_id_table(["a", "b", "c", "b", "d", "e"]), path, row_group_size=2)
    found = rows_by_id(path, ["article_id", "title"], {"b", "e", "missing"}, batch_rows=2)
    assert found == {"b": {"article_id": "b", "title": "title 1"}, "e": {"article_id": "e", "title": "title 5"}}


def test_rows_by_id_stops_reading_once_every_wanted_row_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = []
    original = payload.measure_batches

    def counted(*args: Any, **kwargs: Any) -> Iterator[pa.Table]:
        for part in original(*args, **kwargs):
            read.append(part.num_rows)
            yield part

    monkeypatch.setattr(payload, "measure_batches", counted)
    table = _id_table([f"id{i}" for i in range(10)])
    assert set(rows_by_id(table, ["article_id"], {"id0", "id3"}, batch_rows=2)) == {"id0", "id3"}
    assert read == [2, 2]


def test_articles_are_read_as_the_excerpts_the_page_shows(tmp_path: Path) -> None:
    texts = {"a": "a" * 30 + "COOKIES" + "a" * 30, "b": "b" * 100, "c": "never listed"}
    path = tmp_path / "articles.parquet"
    pq.write_table(pa.table({"article_id": list(texts), "title": ["A", "B", "C"], "text": list(texts.values())}), path)
    failed: list[dict[str, Any]] = [
        {
            "article_id": "a",
            "failed_checks": ["boilerplate"],
            "spans": [{"check": "boilerplate", "start": 30, "end": 37}],
        },
        {"article_id": "b", "failed_checks": ["missing_date"], "spans": []},
    ]
    limits = ReportLimits(full_text_articles=1, window_chars=4)
    plan = excerpt_plan(_results(failed), limits)
    assert plan == {"a": ([(30, 37)], True), "b": ([], False)}
    articles = load_articles(path, plan, limits)
    assert set(articles) == {"a", "b"} and articles["b"]["title"] == "B"
    # Only the pieces the page shows are kept, never a full text beyond them.
    assert "text" not in articles["a"] and "text" not in articles["b"]
    assert articles["a"]["excerpt"] == TextExcerpt(67, text_segments(texts["a"], [(30, 37)], True, limits))
    assert articles["b"]["excerpt"] == TextExcerpt(100, [[0, "bbbb"]])
    # The page built from excerpts is the page built from the texts themselves.
    whole = {i: {"article_id": i, "title": t, "text": texts[i]} for i, t in (("a", "A"), ("b", "B"))}
    assert build_payload(_results(failed), articles, {}, limits) == build_payload(_results(failed), whole, {}, limits)


def _failing_with_spans(count: int, reason: str) -> list[dict[str, Any]]:
    """``count`` failing entries with one boilerplate span each, their reasons cycling over three values."""
    return [
        {
            "article_id": f"id{i}",
            "failed_checks": ["boilerplate"],
            "spans": [{"check": "boilerplate", "start": 0, "end": 3, "reason": f"{reason}{i % 3}"}],
        }
        for i in range(count)
    ]


def test_the_head_of_a_payload_is_the_payload_of_fewer_listed_articles() -> None:
    failed = _failing_with_spans(9, "reason")
    articles = {f"id{i}": {"article_id": f"id{i}", "text": "abcdef" * 5, "source_name": f"s{i % 4}"} for i in range(9)}
    measures = {f"id{i}": {"language_detected": ["en", "de", "tr"][i % 3]} for i in range(9)}
    limits = ReportLimits(full_text_articles=0)
    whole = build_payload(_results(failed), articles, measures, limits)
    for count in (0, 1, 2, 5, 9):
        shorter = build_payload(_results(failed), articles, measures, replace(limits, max_articles=count))
        assert whole.head(count) == shorter


def test_an_id_listed_twice_shows_each_entrys_spans(tmp_path: Path) -> None:
    text = "x" * 995 + "xxxxxSPANyyyyy" + "y" * 100
    path = tmp_path / "articles.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "text": [text]}), path)
    span = {"check": "boilerplate", "start": 1000, "end": 1004}
    failed: list[dict[str, Any]] = [
        {"article_id": "a", "failed_checks": ["missing_date"], "spans": []},
        {"article_id": "a", "failed_checks": ["boilerplate"], "spans": [span]},
    ]
    limits = ReportLimits(full_text_articles=0, window_chars=5)
    plan = excerpt_plan(_results(failed), limits)
    assert plan == {"a": None}
    articles = load_articles(path, plan, limits)
    assert articles["a"]["text"] == text  # cut per entry, not once for both
    texts = build_payload(_results(failed), articles, {}, limits).texts
    assert texts[0]["x"] == [[0, "xxxxx"]]
    assert texts[1]["x"] == [[995, "xxxxxSPANyyyyy"]]


def test_island_sizes_are_the_sizes_of_each_head() -> None:
    failed = _failing_with_spans(12, "\U0001f600")
    # Every article its own long source: the interned tables grow with the listing.
    articles = {
        f"id{i}": {"article_id": f"id{i}", "text": "日本" * 40, "source_name": f"源{i}" * 60} for i in range(12)
    }
    payload = build_payload(_results(failed), articles, {}, ReportLimits())
    sizes = island_sizes(payload)
    assert len(sizes) == 13
    for count, size in enumerate(sizes):
        head = payload.head(count)
        assert size == len(island_bytes(head.rows)) + len(island_bytes(head.texts))

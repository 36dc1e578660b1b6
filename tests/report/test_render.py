"""The page as text: self-contained, escaped, with a Content-Security-Policy that matches its code."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from validators.measures import MEASURE_SCHEMA
from validators.report import ReportLimits, embedded_data, report_bytes, write_report
from validators.report.render import island_bytes, json_island
from validators.schema import ARTICLE_SCHEMA

HOSTILE = "</script><script>alert(1)</script>\u2028\u2029<!--"


def _html(*args: Any, **kwargs: Any) -> str:
    return report_bytes(*args, **kwargs).decode("utf-8")


def _results() -> dict:
    return {
        "dataset": f"data {HOSTILE}",
        "suite": "news",
        "articles": 2,
        "success": False,
        "checks": [
            {
                "id": "mixed_language",
                "check": "mixed_language",
                "severity": "error",
                "success": False,
                "failed": 1,
                "failed_ids": ["a"],
                "mostly": 1.0,
                "params": {"max_foreign_fraction": 0.1, "max_foreign_run": 100},
                "description": HOSTILE,
            },
            {
                "id": "language_mismatch",
                "check": "language_mismatch",
                "severity": "warning",
                "success": False,
                "failed": 1,
                "failed_ids": ["a"],
                "mostly": 0.95,
                "params": {},
            },
        ],
        "articles_failed": [
            {
                "article_id": "a",
                "failed_checks": ["mixed_language", "language_mismatch"],
                "spans": [{"check": "mixed_language", "start": 0, "end": 4, "reason": HOSTILE}],
            }
        ],
        "run": {"finished_at": "2026-01-01T00:00:00+00:00", "versions": {"python": "3.11"}},
    }


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "articles.parquet"
    rows = [
        {"article_id": "a", "title": HOSTILE, "text": f"Text {HOSTILE}"},
        {"article_id": "b", "text": "ok"},
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA), path)
    return path


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_csp_allows_exactly_the_inline_style_and_script(tmp_path: Path) -> None:
    html = _html(_results(), _table(tmp_path))
    csp = re.search(r"Content-Security-Policy' content=\"([^\"]+)\"", html).group(1)  # type: ignore[union-attr]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)  # type: ignore[union-attr]
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    assert f"style-src '{_sha(style)}'" in csp and f"script-src '{_sha(scripts[0])}'" in csp


def test_page_references_nothing_outside_itself(tmp_path: Path) -> None:
    html = _html(_results(), _table(tmp_path), "gx/docs/index.html")
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", html)
    assert "@import" not in html and "url(" not in html
    assert "href='gx/docs/index.html'" in html


def test_hostile_values_stay_inside_their_json_and_text(tmp_path: Path) -> None:
    html = _html(_results(), _table(tmp_path))
    assert html.count("</script>") == 3  # the two JSON islands and the script, nothing a value closed
    islands = re.findall(r"<script type='application/json' id='[a-z-]+'>(.*?)</script>", html, re.S)
    assert len(islands) == 2
    assert not any(c in island for island in islands for c in "\u2028\u2029<>")
    assert "<script>alert(1)" not in html
    data = embedded_data(html)
    assert data["rows"]["rows"][0][1] == HOSTILE
    assert data["texts"][0]["x"] == [[0, f"Text {HOSTILE}"]]
    assert data["rows"]["reasons"] == [HOSTILE]


def test_json_island_round_trips_any_string() -> None:
    value = {"s": "<>&'\"\u2028\u2029\x00😀</script >", "n": [1, 2.5, None]}
    island = json_island(value)
    assert "<" not in island and ">" not in island and "&" not in island
    assert json.loads(island) == value


def test_cards_show_severity_rate_threshold_and_status(tmp_path: Path) -> None:
    html = _html(_results(), _table(tmp_path))
    assert "max_foreign_fraction = 0.1; max_foreign_run = 100; every article must pass" in html
    assert "at least 95.0% must pass" in html
    assert "✗ FAIL" in html and "! WARN" in html
    assert "50.0%" in html  # 1 of 2 articles
    assert "failures/mixed_language.csv" in html


def test_without_measures_the_page_says_so_and_with_them_draws_charts(tmp_path: Path) -> None:
    results = _results()
    plain = _html(results, None)
    assert "measures table is missing" in plain and "<svg" not in plain
    assert embedded_data(plain)["texts"][0]["x"] == []
    measures = pa.Table.from_pylist(
        [
            {
                "article_id": "a",
                "text_chars": 40,
                "foreign_fraction": 0.5,
                "boilerplate_share": 0.2,
                "published_at": datetime(2025, 3, 1, tzinfo=UTC),
            },
            {"article_id": "b", "text_chars": 2, "foreign_fraction": 0.0, "boilerplate_share": 0.0},
        ],
        schema=MEASURE_SCHEMA,
    )
    drawn = _html(results, None, measures=measures)
    assert drawn.count("<svg") == 4
    assert "limit 0.1" in drawn  # the mixed-language threshold drawn on its chart
    assert "1 without a date" in drawn


def test_trend_section_appears_only_with_a_baseline(tmp_path: Path) -> None:
    results = _results()
    assert "id='trend'" not in _html(results, None)
    baseline = {"dataset": "old", "articles": 2, "checks": [{"id": "mixed_language", "failed_ids": ["b"]}]}
    html = _html(results, None, baseline=baseline)
    trend = html[html.index("id='trend'") :]
    assert "<code>a</code>" in trend and "<code>b</code>" in trend
    assert "not in the baseline run" in trend


def _all_missing_dates(tmp_path: Path, rows: list[dict[str, Any]]) -> tuple[Path, dict[str, Any]]:
    """An article table of ``rows`` and results in which every article fails ``missing_date``."""
    path = tmp_path / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA), path)
    ids = [r["article_id"] for r in rows]
    results = {
        "articles": len(rows),
        "checks": [{"id": "missing_date", "failed": len(rows), "failed_ids": ids}],
        "articles_failed": [{"article_id": i, "failed_checks": ["missing_date"]} for i in ids],
    }
    return path, results


def test_embedded_data_stays_within_its_byte_budget_by_listing_fewer_articles(tmp_path: Path) -> None:
    rows = [{"article_id": f"id{i}", "title": "標題" * 200, "text": "本文" * 500} for i in range(40)]
    path, results = _all_missing_dates(tmp_path, rows)
    limits = ReportLimits(max_bytes=20_000)
    html = _html(results, path, limits=limits)
    data = embedded_data(html)
    size = len(json_island(data["rows"]).encode()) + len(json_island(data["texts"]).encode())
    assert size <= 20_000
    listed = len(data["rows"]["rows"])
    assert 0 < listed < 40
    assert f"lists {listed} of 40 failing articles" in html
    # The most that fit: one more article would not.
    whole = embedded_data(_html(results, path))
    more = len(json_island({**whole["rows"], "rows": whole["rows"]["rows"][: listed + 1]}).encode())
    more += len(json_island(whole["texts"][: listed + 1]).encode())
    assert more > 20_000


def test_a_listing_cut_to_fit_keeps_its_head_when_sources_are_long(tmp_path: Path) -> None:
    rows = [
        {"article_id": f"id{i}", "title": "t", "text": "x" * 50, "source_name": f"source {i} " + "ş" * 400}
        for i in range(200)
    ]
    path, results = _all_missing_dates(tmp_path, rows)
    data = embedded_data(_html(results, path, limits=ReportLimits(max_bytes=100_000)))
    listed = len(data["rows"]["rows"])
    # Each article brings its own 800-byte source name (in the table and in its metadata): about 60 fit, not
    # none, although the whole listing's table alone is over the budget.
    assert 50 <= listed < 200
    assert len(data["rows"]["sources"]) == listed


def test_lone_surrogates_in_hostile_results_do_not_break_the_report(tmp_path: Path) -> None:
    results = _results()
    results["dataset"] = "bad\ud800name"
    results["articles_failed"][0]["spans"] = [
        {"check": "mixed_language", "start": 0, "end": 3, "reason": "odd\udc80reason"}
    ]
    html = report_bytes(results, _table(tmp_path)).decode("utf-8")
    assert "bad?name" in html
    assert "odd\udc80reason" in embedded_data(html)["rows"]["reasons"]


def test_island_bytes_are_the_island_in_utf8() -> None:
    value = [{"x": "</script>\u2028 ünï 漢字"}, ["\U0001f600 emoji", "&<>"], 3, None]
    assert island_bytes(value) == json_island(value).encode()
    assert island_bytes({"a": ["\U0001f600"]}) == json_island({"a": ["\U0001f600"]}).encode()
    assert island_bytes([]) == b"[]"


def test_report_is_readable_by_everyone_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        report = write_report(tmp_path, _results(), _table(tmp_path))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(report.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

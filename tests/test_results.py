"""The results document: failing articles built on demand, and results.json written a slice at a time."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from validators.gx_run import CheckOutcome
from validators.measures import MEASURE_SCHEMA
from validators.results import FailedArticles, build_results, write_results
from validators.suite import Suite, load_suite

SUITE = Path(__file__).resolve().parents[1] / "suites" / "news.yml"


def _span(detector: str, start: int, end: int, reason: str) -> dict[str, Any]:
    return {"detector": detector, "start": start, "end": end, "reason": reason}


def _measures(count: int) -> pa.Table:
    rows = [
        {
            "article_id": f"a{i}",
            "spans": [_span("boilerplate", 50, 60, "cookie_notice"), _span("language", 5, 20, "foreign:tr")],
            "suggested_published_at": "2024-05-01T00:00:00+00:00" if i % 3 == 0 else None,
            "suggested_published_at_evidence": "url" if i % 3 == 0 else None,
        }
        for i in range(count)
    ]
    return pa.Table.from_pylist(rows, schema=MEASURE_SCHEMA)


def _results(count: int, failing: dict[str, list[str]]) -> tuple[Suite, dict[str, Any]]:
    suite = load_suite(SUITE)
    outcomes = [
        CheckOutcome(config.id, config.id not in failing, failing.get(config.id, []), count) for config in suite.checks
    ]
    return suite, build_results("t", suite, outcomes, _measures(count), {"note": 'line\n "articles_failed": []'})


def test_failing_articles_are_listed_in_table_order_with_the_spans_of_the_checks_they_failed() -> None:
    _, results = _results(6, {"mixed_language": ["a4", "a1"], "missing_date": ["a3", "a1"]})
    failed = results["articles_failed"]
    assert [a["article_id"] for a in failed] == ["a1", "a3", "a4"]
    first = failed[0]
    assert first["failed_checks"] == ["mixed_language", "missing_date"]
    assert first["spans"] == [{"check": "mixed_language", "start": 5, "end": 20, "reason": "foreign:tr"}]
    assert failed[1]["spans"] == [] and failed[1]["suggested_published_at"] == "2024-05-01T00:00:00+00:00"
    assert "suggested_published_at" not in failed[2]
    assert failed[-1] == failed[2] and failed[1:] == list(failed)[1:] and failed[::2] == [failed[0], failed[2]]
    with pytest.raises(IndexError):
        failed[3]


def test_entries_read_across_slices_equal_those_read_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FailedArticles, "BATCH_ROWS", 4)
    ids = [f"a{i}" for i in range(0, 23, 2)]
    _, results = _results(23, {"boilerplate": ids})
    failed = results["articles_failed"]
    assert len(failed) == 12
    assert [a["article_id"] for a in failed] == ids
    assert [failed[i] for i in range(12)] == list(failed) == failed[:]


def test_results_json_is_the_document_json_would_write_and_reads_back_the_same() -> None:
    _, results = _results(5, {"boilerplate": ["a0", "a2"], "missing_source": ["a2"]})
    written = io.StringIO()
    write_results(results, written)
    plain = {**results, "articles_failed": list(results["articles_failed"])}
    assert written.getvalue() == json.dumps(plain, indent=1, ensure_ascii=False) + "\n"
    assert json.loads(written.getvalue()) == plain


def test_results_json_without_failing_articles() -> None:
    _, results = _results(3, {})
    written = io.StringIO()
    write_results(results, written)
    assert json.loads(written.getvalue())["articles_failed"] == []


def test_no_failing_articles_need_no_spans_and_a_document_without_the_list_is_written_as_is() -> None:
    suite = load_suite(SUITE)
    outcomes = [CheckOutcome(config.id, True, [], 1) for config in suite.checks]
    results = build_results("t", suite, outcomes, pa.table({"article_id": ["a"]}), {})
    assert len(results["articles_failed"]) == 0 and results["articles_failed"] == []
    assert results["articles_failed"] != ()  # a sequence of entries equals lists of them, as a list would
    written = io.StringIO()
    write_results({"a": 1}, written)
    assert written.getvalue() == json.dumps({"a": 1}, indent=1) + "\n"

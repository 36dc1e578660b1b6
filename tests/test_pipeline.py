"""A validation run writes what CI reads, and refuses tables it cannot judge."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from validators.gate import GatePolicy
from validators.ingest.records import InputError
from validators.ingest.table import ingest
from validators.pipeline import check_table, validate
from validators.suite import Suite, load_suite

TEXT = (
    "The city library will stay open until nine in the evening from next month, the director "
    "announced on Monday. Students had asked for longer hours during the exam season, and a survey "
    "last autumn showed strong support among older readers as well. The extra staff costs will be "
    "covered by a regional grant."
)


def _suite(tmp_path: Path, checks: str) -> Suite:
    path = tmp_path / "suite.yml"
    path.write_text("name: crafted\nchecks:\n" + checks, "utf-8")
    return load_suite(path)


def _table(tmp_path: Path) -> Path:
    records = [
        {
            "article_id": "dated",
            "text": TEXT,
            "language": "en",
            "published_at": "2024-04-11T08:30:00Z",
            "source_name": "Town Post",
            "source_url": "https://townpost.example/a",
        },
        {
            "article_id": "undated",
            "text": TEXT,
            "language": "de",
            "source_name": "Town Post",
            "source_url": "https://townpost.example/b",
        },
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    ingest([source], tmp_path / "t.parquet")
    return tmp_path / "t.parquet"


def test_run_writes_junit_summary_and_failing_id_csvs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    step_summary = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    suite = _suite(tmp_path, "  - id: missing_date\n  - id: language_mismatch\n    severity: warning\n")
    output = validate(_table(tmp_path), suite, tmp_path / "run", workers=1, policy=GatePolicy())
    assert output.exit_code == 1
    assert [v.status for v in output.verdicts] == ["failed", "warned"]
    cases = ET.parse(tmp_path / "run" / "junit.xml").getroot().findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["missing_date", "language_mismatch"]
    summary = (tmp_path / "run" / "summary.md").read_text("utf-8")
    assert step_summary.read_text("utf-8") == summary
    assert (tmp_path / "run" / "failures" / "missing_date.csv").read_text("utf-8").split() == [
        "article_id",
        "undated",
    ]
    assert (tmp_path / "run" / "failures" / "language_mismatch.csv").read_text("utf-8").split() == [
        "article_id",
        "undated",
    ]


def test_table_without_a_column_a_check_reads_is_an_input_error(tmp_path: Path) -> None:
    table = tmp_path / "narrow.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "text": [TEXT], "language": ["en"]}), table)
    suite = _suite(tmp_path, "  - id: mixed_language\n  - id: missing_date\n  - id: missing_source\n")
    with pytest.raises(InputError) as error:
        check_table(table, suite)
    message = str(error.value)
    assert "published_at (needed by missing_date)" in message
    assert "source_name (needed by missing_source)" in message
    assert "mixed_language" not in message
    check_table(table, _suite(tmp_path, "  - id: mixed_language\n"))


def test_override_needs_language_and_source_columns(tmp_path: Path) -> None:
    table = tmp_path / "narrow.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "text": [TEXT]}), table)
    suite = _suite(tmp_path, "  - id: mixed_language\n    overrides:\n      - where: {language: tr}\n")
    with pytest.raises(InputError, match="language \\(needed by mixed_language\\)"):
        check_table(table, suite)


def test_empty_table_is_an_input_error(tmp_path: Path) -> None:
    table = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"article_id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), table)
    with pytest.raises(InputError, match="no articles"):
        check_table(table, _suite(tmp_path, "  - id: mixed_language\n"))

"""The gate's contract: verdicts per check and the exit code, on results documents and end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validators.cli import main
from validators.gate import (
    DATA_FAILED,
    FAILED,
    PASS,
    PASSED,
    WARNED,
    GatePolicy,
    display_id,
    exit_code,
    verdicts,
)

ENGLISH = (
    "The harbour council approved a new ferry timetable on Tuesday after months of debate among "
    "residents and operators. Under the plan, boats will leave every forty minutes during the morning"
    " rush and every hour in the evening. Local shop owners said the change would bring more visitors"
    " to the old market street. The council will review passenger numbers again next spring and "
    "publish the figures online."
)


def _check(
    check_id: str,
    severity: str = "error",
    failed_ids: tuple[str, ...] = (),
    mostly: float = 1.0,
    success: bool | None = None,
) -> dict[str, Any]:
    return {
        "id": check_id,
        "severity": severity,
        "failed_ids": list(failed_ids),
        "failed": len(failed_ids),
        "mostly": mostly,
        "success": not failed_ids if success is None else success,
    }


def _document(*checks: dict[str, Any], articles: int = 10) -> dict[str, Any]:
    return {"dataset": "d", "suite": "s", "articles": articles, "checks": list(checks)}


def article(article_id: str, **fields: Any) -> dict[str, Any]:
    """A clean English article record (every check passes) with ``fields`` changed."""
    record = {
        "article_id": article_id,
        "title": "Harbour council approves new ferry timetable",
        "text": ENGLISH,
        "language": "en",
        "published_at": "2024-03-05T10:00:00Z",
        "source_name": "Coastal Herald",
        "source_url": f"https://www.coastalherald.example/news/{article_id}",
    }
    record.update(fields)
    return {key: value for key, value in record.items() if value is not None}


def table(folder: Path, name: str, records: list[dict[str, Any]]) -> Path:
    """Ingest ``records`` into ``folder/name.parquet`` through the CLI."""
    source = folder / f"{name}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    out = folder / f"{name}.parquet"
    assert main(["ingest", str(source), "--out", str(out)]) == 0
    return out


def validate(table_path: Path, out: Path, *options: str) -> int:
    """Run ``article-validators validate`` with one worker; return the exit code."""
    return main(["validate", str(table_path), "--out", str(out), "--workers", "1", *options])


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs under test never write into a real CI job summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def test_error_failure_fails_and_warning_failure_warns() -> None:
    document = _document(_check("a"), _check("b", failed_ids=("x",)), _check("c", "warning", ("y",)))
    found = {v.check_id: v.status for v in verdicts(document)}
    assert found == {"a": PASSED, "b": FAILED, "c": WARNED}
    assert exit_code(document) == DATA_FAILED


def test_warning_only_failure_passes_unless_fail_on_warning() -> None:
    document = _document(_check("a"), _check("c", "warning", ("y",)))
    assert exit_code(document) == PASS
    assert exit_code(document, GatePolicy(fail_on="warning")) == DATA_FAILED
    assert exit_code(document, "warning") == DATA_FAILED


def test_check_within_mostly_passes_with_its_failures_counted() -> None:
    document = _document(_check("a", failed_ids=("x",), mostly=0.9, success=True))
    [verdict] = verdicts(document)
    assert verdict.status == PASSED
    assert verdict.failed == 1
    assert "allowed 10.0%" in verdict.message


def test_failure_message_names_count_and_first_ids_only() -> None:
    ids = tuple(f"id-{n}" for n in range(8))
    [verdict] = verdicts(_document(_check("a", failed_ids=ids), articles=16))
    assert verdict.message.startswith("8 of 16 articles failed (50.0%")
    assert "id-0, id-1, id-2, id-3, id-4, ..." in verdict.message
    assert "id-5" not in verdict.message
    assert verdict.first_failed_ids == ids[:5]


def test_baseline_turns_known_failures_into_warnings_and_new_ids_into_failures() -> None:
    baseline = _document(_check("a", failed_ids=("x",)), _check("b", failed_ids=("y",)))
    now = _document(_check("a", failed_ids=("x",)), _check("b", failed_ids=("y", "z")))
    found = {v.check_id: v for v in verdicts(now, GatePolicy(baseline=baseline))}
    assert found["a"].status == WARNED
    assert found["b"].status == FAILED
    assert "1 new failing id(s) (z)" in found["b"].message
    assert exit_code(now, GatePolicy(baseline=baseline)) == DATA_FAILED
    assert exit_code(baseline, GatePolicy(baseline=baseline)) == PASS


def test_baseline_does_not_gate_warnings_unless_fail_on_warning() -> None:
    baseline = _document(_check("w", "warning"))
    now = _document(_check("w", "warning", ("new",)))
    assert exit_code(now, GatePolicy(baseline=baseline)) == PASS
    assert exit_code(now, GatePolicy(fail_on="warning", baseline=baseline)) == DATA_FAILED


def test_override_groups_are_named_in_the_message() -> None:
    check = _check("a", failed_ids=("x",))
    check["overrides"] = [
        {"where": None, "severity": "error", "mostly": 1.0, "articles": 3, "failed": 0, "success": True},
        {
            "where": {"source": ["example.com"]},
            "severity": "error",
            "mostly": 1.0,
            "articles": 2,
            "failed": 1,
            "success": False,
        },
    ]
    [verdict] = verdicts(_document(check))
    assert "source example.com: 1 of 2 failed" in verdict.message
    assert "rows without an override" not in verdict.message


def test_policy_rejects_unknown_severity_and_bad_tolerance() -> None:
    with pytest.raises(ValueError, match="fail_on"):
        GatePolicy(fail_on="info")
    with pytest.raises(ValueError, match="tolerance"):
        GatePolicy(tolerance=1.5)


# End to end: crafted tables through the command line.


def test_all_clean_table_exits_0(tmp_path: Path) -> None:
    clean = table(tmp_path, "clean", [article("c1"), article("c2")])
    assert validate(clean, tmp_path / "run") == 0


@pytest.mark.corpora
def test_seed_article_exits_1(seed_article: Path, tmp_path: Path) -> None:
    source = tmp_path / "seed.parquet"
    assert main(["ingest", str(seed_article), "--out", str(source)]) == 0
    assert validate(source, tmp_path / "run") == 1


def test_broken_suite_exits_2_without_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = table(tmp_path, "clean", [article("c1")])
    suite = tmp_path / "broken.yml"
    suite.write_text("name: broken\nchecks:\n  - id: missing_date\n    severity: fatal\n", "utf-8")
    assert validate(clean, tmp_path / "run", "--suite", str(suite)) == 2
    assert f"{suite}:4" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_warning_only_failure_exits_0_and_1_with_fail_on_warning(tmp_path: Path) -> None:
    # Declared German, written in English: only the warning-severity language_mismatch check fails.
    mislabelled = table(tmp_path, "mislabelled", [article("c1"), article("m1", language="de")])
    assert validate(mislabelled, tmp_path / "run") == 0
    results = json.loads((tmp_path / "run" / "results.json").read_text("utf-8"))
    assert [c["id"] for c in results["checks"] if not c["success"]] == ["language_mismatch"]
    assert validate(mislabelled, tmp_path / "strict", "--fail-on", "warning") == 1


def test_baseline_own_results_exit_0_and_one_more_bad_article_exits_1(tmp_path: Path) -> None:
    records = [article("c1"), article("undated-1", published_at=None)]
    first = table(tmp_path, "first", records)
    assert validate(first, tmp_path / "first-run") == 1
    baseline = str(tmp_path / "first-run" / "results.json")
    assert validate(first, tmp_path / "again", "--baseline", baseline) == 0
    grown = table(tmp_path, "grown", [*records, article("undated-2", published_at=None)])
    assert validate(grown, tmp_path / "grown-run", "--baseline", baseline) == 1
    summary = (tmp_path / "grown-run" / "summary.md").read_text("utf-8")
    assert "undated-2" in summary and "regression against the baseline" in summary


def test_unreadable_baseline_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = table(tmp_path, "clean", [article("c1")])
    bad = tmp_path / "results.json"
    bad.write_text('{"checks": "no"}', "utf-8")
    assert validate(clean, tmp_path / "run", "--baseline", str(bad)) == 2
    assert "not a results.json document" in capsys.readouterr().err


def test_empty_table_and_table_missing_a_checked_column_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from validators.schema import ARTICLE_SCHEMA

    empty = tmp_path / "empty.parquet"
    pq.write_table(ARTICLE_SCHEMA.empty_table(), empty)
    assert validate(empty, tmp_path / "run") == 2
    assert "no articles" in capsys.readouterr().err
    narrow = tmp_path / "narrow.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "text": [ENGLISH]}), narrow)
    assert validate(narrow, tmp_path / "run") == 2
    needed = "published_at (needed by missing_date, unparseable_date, future_date, implausible_date)"
    assert needed in capsys.readouterr().err


def test_messages_show_hostile_ids_on_one_line_and_cut_long_ones() -> None:
    [verdict] = verdicts(_document(_check("a", failed_ids=("bad\nid\x1b[31m", "x" * 500))))
    assert "\n" not in verdict.message and "\x1b" not in verdict.message
    assert "bad\ufffdid\ufffd[31m" in verdict.message
    assert "x" * 79 + "…" in verdict.message and "x" * 80 not in verdict.message
    assert display_id("short") == "short"

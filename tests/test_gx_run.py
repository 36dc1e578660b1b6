"""GX runs: never a silent pass, and overrides that keep one result per check."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from validators.checks import CHECKS, Check
from validators.gx_run import GateError, missing_columns, run_suite
from validators.suite import Suite, load_suite


def _suite(tmp_path: Path, checks: str) -> Suite:
    path = tmp_path / "suite.yml"
    path.write_text("name: t\nchecks:\n" + checks, "utf-8")
    return load_suite(path)


def _measures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["new", "old-a", "old-b", "old-c"],
            "published_at": pd.to_datetime(["2024-01-01", "1985-01-01", "1985-01-01", "1970-01-01"], utc=True),
            "date_state": ["present"] * 4,
            "language_declared": ["en", "en", "tr", "en"],
            "language_detected": ["en", "en", "tr", "en"],
            "source_host": ["a.org", "archive.example.com", "b.org", "archive.example.com"],
            "source_name": ["A", "Archive", "B", "Archive"],
        }
    )


def test_overrides_keep_one_outcome_per_check(tmp_path: Path) -> None:
    suite = _suite(
        tmp_path,
        "  - id: implausible_date\n"
        "    overrides:\n"
        "      - where: {source: example.com}\n"
        "        params: {min_year: 1980}\n"
        "        severity: warning\n"
        "  - id: missing_date\n",
    )
    dates, present = run_suite(suite, _measures(), tmp_path / "gx", build_docs=False)
    # old-c (1970) fails the archive's own limit; old-b (1985) fails the default limit.
    assert sorted(dates.failed_ids) == ["old-b", "old-c"]
    assert not dates.success
    assert dates.severity == "error"  # the default group (error) failed as well as the archive group (warning)
    assert [(g["articles"], g["failed"], g["severity"], g["success"]) for g in dates.groups] == [
        (2, 1, "error", False),
        (2, 1, "warning", False),
    ]
    assert present.success and present.groups == [] and present.severity is None


def test_only_a_warning_group_failing_makes_the_check_a_warning(tmp_path: Path) -> None:
    suite = _suite(
        tmp_path,
        "  - id: implausible_date\n"
        "    params: {min_year: 1960}\n"
        "    overrides:\n"
        "      - where: {source: example.com}\n"
        "        params: {min_year: 1980}\n"
        "        severity: warning\n",
    )
    [dates] = run_suite(suite, _measures(), tmp_path / "gx", build_docs=False)
    assert dates.failed_ids == ["old-c"]
    assert (dates.success, dates.severity) == (False, "warning")


def test_group_mostly_is_applied_per_group(tmp_path: Path) -> None:
    suite = _suite(
        tmp_path,
        "  - id: implausible_date\n"
        "    overrides:\n"
        "      - where: {source: example.com}\n"
        "        mostly: 0.5\n"
        "      - where: {language: tr}\n"
        "        mostly: 0.0\n",
    )
    [dates] = run_suite(suite, _measures(), tmp_path / "gx", build_docs=False)
    assert sorted(dates.failed_ids) == ["old-a", "old-b", "old-c"]
    # archive: 2 of 2 failed > 50% allowed; tr: anything allowed; default: 0 of 1 failed.
    assert [g["success"] for g in dates.groups] == [True, False, True]
    assert not dates.success


def test_missing_column_is_a_gate_error_naming_check_and_column(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "  - id: missing_date\n  - id: implausible_date\n")
    frame = _measures().drop(columns=["published_at"])
    assert missing_columns(suite, list(frame.columns)) == {"implausible_date": ["published_at"]}
    with pytest.raises(GateError, match="implausible_date needs published_at"):
        run_suite(suite, frame, tmp_path / "gx", build_docs=False)


def test_empty_measures_is_a_gate_error(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "  - id: missing_date\n")
    with pytest.raises(GateError, match="no rows"):
        run_suite(suite, _measures().iloc[0:0], tmp_path / "gx", build_docs=False)


def test_check_that_raises_is_a_gate_error_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
        raise RuntimeError("detector exploded")

    broken = Check("implausible_date", "broken", ("published_at",), explode, {"min_year": 1990})
    monkeypatch.setitem(CHECKS, "implausible_date", broken)
    suite = _suite(tmp_path, "  - id: missing_date\n  - id: implausible_date\n")
    with pytest.raises(GateError, match=r"implausible_date.*raised.*detector exploded"):
        run_suite(suite, _measures(), tmp_path / "gx", build_docs=False)


def test_expectation_dropped_by_gx_is_a_gate_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import great_expectations as gx

    add = gx.ExpectationSuite.add_expectation

    def drop_one(self: Any, expectation: Any) -> Any:
        # What GX does with an expectation type it does not know: nothing, silently.
        if expectation.meta.get("check_id") == "implausible_date":
            return expectation
        return add(self, expectation)

    monkeypatch.setattr(gx.ExpectationSuite, "add_expectation", drop_one)
    suite = _suite(tmp_path, "  - id: missing_date\n  - id: implausible_date\n")
    with pytest.raises(GateError, match="GX holds 1 expectations, the suite declares 2"):
        run_suite(suite, _measures(), tmp_path / "gx", build_docs=False)

"""Regressions against a previous run's results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validators.baseline import find_regressions, load_baseline
from validators.ingest.records import InputError


def _doc(articles: int, **failing: list[str]) -> dict[str, Any]:
    checks = [{"id": name, "failed_ids": ids, "success": not ids} for name, ids in failing.items()]
    return {"articles": articles, "checks": checks}


def test_same_failures_are_no_regression() -> None:
    assert find_regressions(_doc(10, a=["x", "y"]), _doc(10, a=["y", "x"])) == {}


def test_new_failing_id_is_a_regression_even_at_a_lower_rate() -> None:
    found = find_regressions(_doc(20, a=["x", "z"]), _doc(10, a=["x", "y"]))
    assert found["a"].new_failed_ids == ("z",)
    assert found["a"].rate_now == pytest.approx(0.1)
    assert found["a"].rate_before == pytest.approx(0.2)


def test_rate_rise_beyond_tolerance_is_a_regression_without_new_ids() -> None:
    # The same failing article in a smaller table: the rate rose from 10% to 20%.
    assert "a" in find_regressions(_doc(5, a=["x"]), _doc(10, a=["x"]), tolerance=0.05)
    assert find_regressions(_doc(5, a=["x"]), _doc(10, a=["x"]), tolerance=0.15) == {}


def test_check_unknown_to_the_baseline_regresses_when_it_fails() -> None:
    found = find_regressions(_doc(10, a=[], b=["x"]), _doc(10, a=[]))
    assert list(found) == ["b"]
    assert found["b"].rate_before == 0.0


def test_passing_check_never_regresses() -> None:
    now = _doc(10, a=["x"])
    now["checks"][0]["success"] = True  # within its ``mostly``
    assert find_regressions(now, _doc(10, a=[])) == {}


def test_description_names_new_ids_and_rates() -> None:
    [regression] = find_regressions(_doc(10, a=["x", "n1", "n2"]), _doc(10, a=["x"])).values()
    text = regression.describe()
    assert "2 new failing id(s) (n1, n2)" in text
    assert "failure rate 30.0% (baseline 10.0%)" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read baseline"),
        ("[]", "no 'checks' list"),
        ('{"checks": []}', "no article count"),
        ('{"articles": 3, "checks": [{"failed_ids": []}]}', "has no 'id'"),
        ('{"articles": 3, "checks": [{"id": "a"}]}', "no 'failed_ids' list"),
    ],
)
def test_unusable_baseline_is_an_input_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "results.json"
    path.write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        load_baseline(path)


def test_missing_baseline_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read baseline"):
        load_baseline(tmp_path / "absent.json")


def test_valid_baseline_loads(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(_doc(3, a=["x"])), "utf-8")
    assert load_baseline(path)["checks"][0]["failed_ids"] == ["x"]

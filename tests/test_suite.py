"""Suite loading: a good suite loads, every mistake names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from validators.checks import CHECKS
from validators.suite import SuiteError, load_suite

REPO = Path(__file__).resolve().parents[1]


def test_default_suite_loads_with_every_required_check() -> None:
    suite = load_suite(REPO / "suites" / "news.yml")
    ids = [c.id for c in suite.checks]
    for required in ("mixed_language", "boilerplate", "missing_date", "missing_source"):
        assert required in ids
        assert suite.by_id(required).severity == "error"
    assert suite.by_id("mixed_language").params["max_foreign_fraction"] == pytest.approx(0.10)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "suite.yml"
    path.write_text(body, "utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("name: s\nchecks:\n  - id: boilerplate\n  - id: nope\n", 4, "unknown check 'nope'"),
        ("name: s\nchecks:\n  - id: x\n    check: nope\n", 4, "unknown check 'nope'"),
        (
            "name: s\nchecks:\n  - id: mixed_language\n    params:\n      max_foreign_run: lots\n",
            5,
            "'max_foreign_run' must be a int",
        ),
        (
            "name: s\nchecks:\n  - id: mixed_language\n    params:\n      colour: red\n",
            5,
            "no parameter 'colour'",
        ),
        ("name: s\nchecks:\n  - id: boilerplate\n    severity: fatal\n", 4, "severity must be one of"),
        ("name: s\nchecks:\n  - id: boilerplate\n    mostly: 2\n", 4, "mostly must be between 0 and 1"),
        ("name: s\nchecks:\n  - id: boilerplate\n  - id: boilerplate\n", 4, "used more than once"),
        ("name: s\nchecks: []\n", 2, "non-empty list"),
        ("name: s\nchecks:\n  - id: boilerplate\n    colour: red\n", 4, "unknown key 'colour'"),
    ],
)
def test_mistakes_name_file_and_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(SuiteError) as error:
        load_suite(path)
    assert str(error.value).startswith(f"{path}:{line}:")
    assert message in str(error.value)


def test_invalid_yaml_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="invalid YAML"):
        load_suite(_write(tmp_path, "checks: [\n"))
    with pytest.raises(SuiteError, match="cannot read suite"):
        load_suite(tmp_path / "absent.yml")


def test_check_id_can_differ_from_catalogue_name(tmp_path: Path) -> None:
    suite = load_suite(
        _write(
            tmp_path,
            "name: s\nchecks:\n  - id: strict_language\n    check: mixed_language\n"
            "    params: {max_foreign_fraction: 0}\n",
        )
    )
    [check] = suite.checks
    assert check.check is CHECKS["mixed_language"]
    assert check.params["max_foreign_fraction"] == 0.0

"""Suite YAML overrides: they load with inherited settings; mistakes name the file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from validators.suite import SuiteError, load_suite

REPO = Path(__file__).resolve().parents[1]


def _suite(tmp_path: Path, checks: str) -> Path:
    path = tmp_path / "suite.yml"
    path.write_text("name: t\nchecks:\n" + checks, "utf-8")
    return path


def test_overrides_inherit_the_checks_settings(tmp_path: Path) -> None:
    path = _suite(
        tmp_path,
        "  - id: dates\n"
        "    check: implausible_date\n"
        "    mostly: 0.9\n"
        "    params: {min_year: 1995}\n"
        "    overrides:\n"
        "      - where: {source: example.com}\n"
        "        severity: warning\n"
        "      - where: {language: [tr, az], source: [a.org]}\n"
        "        mostly: 0.5\n"
        "        params: {min_year: 1980}\n",
    )
    [config] = load_suite(path).checks
    first, second = config.overrides
    assert (first.where, first.severity, first.mostly, dict(first.params)) == (
        {"source": ("example.com",)},
        "warning",
        0.9,
        {"min_year": 1995},
    )
    assert (second.where, second.severity, second.mostly, dict(second.params)) == (
        {"language": ("tr", "az"), "source": ("a.org",)},
        "error",
        0.5,
        {"min_year": 1980},
    )
    assert second.as_dict()["where"] == {"language": ["tr", "az"], "source": ["a.org"]}


@pytest.mark.parametrize(
    ("overrides", "line", "message"),
    [
        ("    overrides: {}\n", 4, "non-empty list"),
        ("    overrides:\n      - severity: warning\n", 5, "needs 'where'"),
        ("    overrides:\n      - where: {country: fr}\n", 5, "'where' takes language and source"),
        ("    overrides:\n      - where: {source: []}\n", 5, "must be a string or a list"),
        ("    overrides:\n      - where: {source: a}\n        severity: fatal\n", 6, "severity must be"),
        ("    overrides:\n      - where: {source: a}\n        mostly: 2\n", 6, "between 0 and 1"),
        ("    overrides:\n      - where: {source: a}\n        params: {nope: 1}\n", 6, "no parameter 'nope'"),
        ("    overrides:\n      - where: {source: a}\n        when: x\n", 6, "unknown override key"),
    ],
)
def test_bad_override_names_file_and_line(tmp_path: Path, overrides: str, line: int, message: str) -> None:
    path = _suite(tmp_path, "  - id: implausible_date\n" + overrides)
    with pytest.raises(SuiteError, match=message) as error:
        load_suite(path)
    assert str(error.value).startswith(f"{path}:{line}:")


def test_bundled_suite_loads() -> None:
    suite = load_suite(REPO / "suites" / "news.yml")
    assert len(suite.checks) == len({c.id for c in suite.checks}) >= 10


def test_documented_override_examples_load(tmp_path: Path) -> None:
    import re

    import validators.suite

    docs = (REPO / "docs" / "gate.md").read_text("utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", docs, re.S) if "overrides:" in b]
    documented = tmp_path / "documented.yml"
    documented.write_text("name: documented\n" + block, "utf-8")
    assert len(load_suite(documented).checks[0].overrides) == 2
    docstring = validators.suite.__doc__ or ""
    example = docstring.split("A suite file looks like::\n\n", 1)[1].split("\n\n", 1)[0]
    module_example = tmp_path / "module.yml"
    module_example.write_text(textwrap.dedent(example), "utf-8")
    assert len(load_suite(module_example).checks[0].overrides) == 2

"""Property tests of the suite loader: any YAML gives a ``Suite`` or a ``SuiteError`` naming the file."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from validators.checks import CHECKS
from validators.suite import SEVERITIES, SuiteError, load_suite

VALID = (Path(__file__).resolve().parents[2] / "suites" / "news.yml").read_text("utf-8")
ODD_TOKENS = [
    "!!python/object:os.system",
    "!!binary",
    "!!float",
    "!!int",
    "!!timestamp",
    "!!set",
    "!!omap",
    "&a",
    "*a",
    "<<: *a",
    "? ",
    "[",
    "]",
    "{",
    "}",
    "- ",
    ": ",
    "\t",
    "\x00",
    "\ufeff",
    ".nan",
    ".inf",
    "-.inf",
    "~",
    "null",
    "yes",
    "0x",
    "0o9",
    "1e999",
    "'",
    '"',
    "|",
    ">",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
]
scalars: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=5,
)
param_names = sorted({name for check in CHECKS.values() for name in check.defaults} | {"nope"})


@st.composite
def check_entries(draw: st.DrawFn) -> Any:
    """A check entry: mostly well shaped, with values of any type where a number or name belongs."""
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    entry: dict[Any, Any] = {}
    if draw(st.integers(0, 9)) > 0:
        entry["id"] = draw(st.sampled_from(sorted(CHECKS)) | values)
    if draw(st.booleans()):
        entry["check"] = draw(st.sampled_from(sorted(CHECKS)) | values)
    if draw(st.booleans()):
        entry["severity"] = draw(st.sampled_from([*SEVERITIES, "fatal"]) | values)
    if draw(st.booleans()):
        entry["mostly"] = draw(st.floats(-1, 2) | values)
    if draw(st.booleans()):
        entry["params"] = draw(st.dictionaries(st.sampled_from(param_names), values, max_size=3) | values)
    if draw(st.integers(0, 9)) == 0:
        entry[draw(st.text(max_size=5))] = draw(values)
    return entry


@st.composite
def suite_texts(draw: st.DrawFn) -> str:
    """A suite file: generated structure dumped as YAML, or the default suite with random edits."""
    if draw(st.booleans()):
        document: dict[Any, Any] = {
            "name": draw(st.text(max_size=8) | values),
            "checks": draw(st.lists(check_entries(), max_size=4) | values),
        }
        if draw(st.booleans()):
            document.pop(draw(st.sampled_from(["name", "checks"])))
        return yaml.safe_dump(document, allow_unicode=draw(st.booleans()))
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 5))
        insert = draw(st.sampled_from(ODD_TOKENS) | st.text(max_size=4))
        text = text[:at] + insert + text[at + cut :]
    return text


@pytest.fixture(scope="module")
def suite_file() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-suite-") as name:
        yield Path(name) / "suite.yml"


@settings(max_examples=max(1, round(settings.default.max_examples * 1)))
@given(text=suite_texts() | st.binary(max_size=80).map(lambda b: b.decode("utf-8", "replace")))
def test_any_yaml_is_a_suite_or_an_error_naming_the_file(suite_file: Path, fuzz_cases: Counter[str], text: str) -> None:
    fuzz_cases["suite"] += 1
    suite_file.write_text(text, "utf-8", errors="surrogatepass")
    try:
        suite = load_suite(suite_file)
    except SuiteError as error:
        assert re.match(rf"{re.escape(str(suite_file))}(:\d+)?: \S", str(error)), str(error)
        return
    assert suite.checks
    assert len({c.id for c in suite.checks}) == len(suite.checks)
    for config in suite.checks:
        assert config.severity in SEVERITIES
        assert 0.0 <= config.mostly <= 1.0
        for name, value in config.params.items():
            assert type(value) is type(config.check.defaults[name]), (name, value)

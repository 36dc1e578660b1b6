"""The pytest plugin: one item per check, passing and failing exactly as the gate does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validators.cli import main

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "suites" / "news.yml"
TEXT = (
    "The harbour council approved a new ferry timetable on Tuesday after months of debate among "
    "residents and operators. Under the plan, boats will leave every forty minutes during the morning"
    " rush and every hour in the evening. Local shop owners said the change would bring more visitors"
    " to the old market street."
)


@pytest.fixture(scope="module")
def crafted_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles: clean, undated (an error check fails), declared German (a warning check fails)."""
    folder = tmp_path_factory.mktemp("plugin")
    base = {
        "text": TEXT,
        "language": "en",
        "published_at": "2024-03-05T10:00:00Z",
        "source_name": "Coastal Herald",
        "source_url": "https://coastalherald.example/news/1",
    }
    records = [
        {**base, "article_id": "clean"},
        {**{k: v for k, v in base.items() if k != "published_at"}, "article_id": "undated"},
        {**base, "article_id": "mislabelled", "language": "de"},
    ]
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    table = folder / "articles.parquet"
    assert main(["ingest", str(source), "--out", str(table)]) == 0
    return table


@pytest.fixture(scope="module")
def cli_run(crafted_table: Path) -> Path:
    """The CLI's run of the crafted table (its results.json), made before any in-process pytest run.

    Running it here, outside ``pytester``, also imports everything a validation needs once: ``pytester``
    unloads modules first imported inside a test, and some compiled modules cannot be loaded twice.
    """
    out = crafted_table.parent / "cli-run"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("GITHUB_STEP_SUMMARY", raising=False)
        assert main(["validate", str(crafted_table), "--out", str(out), "--workers", "1"]) == 1
    return out / "results.json"


@pytest.fixture(autouse=True)
def _no_step_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs under test never write into a real CI job summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _run(pytester: pytest.Pytester, table: Path, *options: str) -> pytest.RunResult:
    return pytester.runpytest(
        "--article-suite", str(SUITE), "--article-table", str(table), "--article-workers", "1", *options
    )


def test_items_pass_and_fail_as_the_cli_gate(pytester: pytest.Pytester, crafted_table: Path, cli_run: Path) -> None:
    results = json.loads(cli_run.read_text("utf-8"))
    failing = {c["id"] for c in results["checks"] if not c["success"] and c["severity"] == "error"}
    assert failing == {"missing_date"}
    result = _run(pytester, crafted_table, "-rA")
    result.assert_outcomes(passed=len(results["checks"]) - len(failing), failed=len(failing), warnings=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*missing_date (error): 1 of 3 articles failed (33.3%, allowed 0.0%); first failing ids: undated",
            "*ArticleCheckWarning: language_mismatch (warning): 1 of 3 articles failed*mislabelled*",
        ]
    )
    # A readable message, not a traceback into the plugin.
    assert "pytest_plugin.py" not in "\n".join(line for line in result.outlines if "Error" in line)


def test_fail_on_warning_fails_the_warning_item(pytester: pytest.Pytester, crafted_table: Path, cli_run: Path) -> None:
    result = _run(pytester, crafted_table, "-k", "language_mismatch", "--fail-on", "warning")
    result.assert_outcomes(failed=1, deselected=9)


def test_k_selects_and_junitxml_has_one_case_per_selected_check(
    pytester: pytest.Pytester, crafted_table: Path, cli_run: Path
) -> None:
    import xml.etree.ElementTree as ET

    result = _run(pytester, crafted_table, "-k", "date", "--junitxml", "out.xml")
    result.assert_outcomes(passed=3, failed=1, deselected=6)
    names = sorted(c.get("name") or "" for c in ET.parse(pytester.path / "out.xml").getroot().iter("testcase"))
    assert names == ["future_date", "implausible_date", "missing_date", "unparseable_date"]


def test_baseline_of_the_same_table_passes(pytester: pytest.Pytester, crafted_table: Path, cli_run: Path) -> None:
    result = _run(pytester, crafted_table, "--article-baseline", str(cli_run))
    # Known failures pass with a warning, like warning-severity ones.
    result.assert_outcomes(passed=10, warnings=2)


def test_no_test_files_are_collected_beside_the_checks(pytester: pytest.Pytester, crafted_table: Path) -> None:
    pytester.makepyfile(test_unrelated="def test_unrelated():\n    assert False\n")
    result = _run(pytester, crafted_table, "--collect-only", "-q")
    assert "test_unrelated" not in result.stdout.str()
    assert sum("news.yml::" in line for line in result.outlines) == 10


def test_broken_suite_is_a_collection_error(pytester: pytest.Pytester, crafted_table: Path) -> None:
    broken = pytester.makefile(".yml", broken="name: b\nchecks:\n  - id: no_such_check\n")
    result = pytester.runpytest("--article-suite", str(broken), "--article-table", str(crafted_table))
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"*{broken}:3: unknown check 'no_such_check'*"])


def test_run_error_fails_every_item_with_the_reason(pytester: pytest.Pytester, tmp_path: Path, cli_run: Path) -> None:
    missing = tmp_path / "absent.parquet"
    result = pytester.runpytest("--article-suite", str(SUITE), "--article-table", str(missing), "-k", "date")
    result.assert_outcomes(failed=4, deselected=6)
    result.stdout.fnmatch_lines(["*the validation run failed, so no check can pass: InputError*absent.parquet*"])


def test_suite_without_table_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--article-suite", str(SUITE))
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_plugin_is_inert_without_its_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="""
import sys

def test_nothing_heavy_was_imported():
    assert "great_expectations" not in sys.modules
    assert "validators.pipeline" not in sys.modules
    assert "pandas" not in sys.modules
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "article-validators: suite" not in result.stdout.str()

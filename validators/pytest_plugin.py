"""pytest plugin: the checks of a suite as pytest test items.

Installed with the package (entry point ``pytest11``), so from any folder::

    pytest --article-suite suites/news.yml --article-table articles.parquet [--fail-on warning] [-k date]

yields one item per check of the suite. The table is validated once per session, on the first item that runs;
each item then reports its check's verdict from ``validators.gate``, so items pass and fail exactly as the
``validate`` command's exit code does: an error-severity check that failed is a failing item naming the count
and the first failing ids; a warning-severity check that failed passes with an ``ArticleCheckWarning`` unless
``--fail-on warning`` is given. A suite that cannot be loaded is a collection error (pytest exits 2); a run
that cannot be trusted (a check raised, a missing column, an empty table) fails every item with the reason.

Without ``--article-suite`` the plugin does nothing: it only registers its options. With it and no test paths
on the command line, pytest collects no test files, only the checks.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

FAIL_ON_ALIAS = "--fail-on"


class ArticleCheckWarning(UserWarning):
    """A check failed with a severity that does not fail the run (reported, not fatal)."""


class CheckFailed(Exception):
    """A check failed the gate; the message says how."""


class RunFailed(Exception):
    """The validation run itself failed (tool, configuration or input error)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the plugin's options; nothing else happens unless ``--article-suite`` is given."""
    group = parser.getgroup("article-validators", "article-quality checks as test items")
    group.addoption("--article-suite", metavar="SUITE.yml", help="suite YAML whose checks become test items")
    group.addoption("--article-table", metavar="TABLE.parquet", help="the article table to validate")
    # ``--fail-on`` is offered as a short alias only when no other plugin has taken the name.
    names = ["--article-fail-on"] + ([] if _option_taken(parser, FAIL_ON_ALIAS) else [FAIL_ON_ALIAS])
    group.addoption(
        *names,
        dest="article_fail_on",
        choices=["error", "warning"],
        default="error",
        help="lowest check severity that fails an item (default: error)",
    )
    group.addoption(
        "--article-baseline",
        metavar="PREVIOUS/results.json",
        help="fail only on regressions against a previous run's results.json",
    )
    group.addoption(
        "--article-baseline-tolerance",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="with --article-baseline: how far a check's failure rate may rise (default 0)",
    )
    group.addoption(
        "--article-out",
        metavar="DIR",
        help="keep the run's outputs (results.json, report, junit.xml, ...) in DIR",
    )
    group.addoption(
        "--article-workers",
        type=int,
        default=None,
        metavar="N",
        help="processes for the measures (default: all cores)",
    )


def _option_taken(parser: pytest.Parser, name: str) -> bool:
    groups = [*getattr(parser, "_groups", []), getattr(parser, "_anonymous", None)]
    return any(name in option.names() for group in groups if group is not None for option in group.options)


def _active(config: pytest.Config) -> bool:
    return bool(config.getoption("article_suite", None))


def pytest_configure(config: pytest.Config) -> None:
    """Reject half-given options early, with a usage error; register the items' marker."""
    if _active(config) != bool(config.getoption("article_table", None)):
        raise pytest.UsageError("--article-suite and --article-table go together")
    if _active(config):
        config.addinivalue_line("markers", "article_check: a check of an article-validators suite")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With the checks requested and no test paths given, collect no test files from the current folder."""
    if _active(config) and config.args_source != pytest.Config.ArgsSource.ARGS:
        return True
    return None


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselection, so they apply to the check items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append one item per check of the requested suite."""
    if not _active(config):
        return
    suite_path = config.invocation_params.dir / str(config.getoption("article_suite"))
    items.extend(session.genitems(ArticleSuite.from_parent(session, path=suite_path)))


class ArticleSuite(pytest.File):
    """The suite file: collects one ``CheckItem`` per check and runs the validation once for all of them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._outcome: Any = None

    def collect(self) -> Iterable[CheckItem]:
        """One item per configured check, in suite order."""
        from validators.suite import SuiteError, load_suite

        try:
            suite = load_suite(self.path)
        except SuiteError as error:
            raise self.CollectError(str(error)) from error
        for config in suite.checks:
            yield CheckItem.from_parent(self, name=config.id, severity=config.severity)

    def verdicts(self) -> dict[str, Any]:
        """The gate's verdict of every check, computed on the first call of the session."""
        if self._outcome is None:
            try:
                self._outcome = self._run()
            except Exception as error:
                self._outcome = RunFailed(f"{type(error).__name__}: {error}")
        if isinstance(self._outcome, RunFailed):
            raise self._outcome
        return dict(self._outcome)

    def _run(self) -> dict[str, Any]:
        from validators.baseline import load_baseline
        from validators.gate import GatePolicy
        from validators.pipeline import validate
        from validators.suite import load_suite

        option = self.config.getoption
        here = self.config.invocation_params.dir
        baseline_path = option("article_baseline")
        policy = GatePolicy(
            fail_on=str(option("article_fail_on")),
            baseline=load_baseline(here / baseline_path) if baseline_path else None,
            tolerance=float(option("article_baseline_tolerance")),
        )
        out = option("article_out")
        if out:
            out_dir = here / out
        else:
            scratch = Path(tempfile.mkdtemp(prefix="article-validators-"))
            self.config.add_cleanup(lambda: shutil.rmtree(scratch, ignore_errors=True))
            out_dir = scratch / "run"
        table = here / str(option("article_table"))
        with warnings.catch_warnings():
            # GX's own import-time deprecation notices are not about the data; keep them out of item reports.
            warnings.simplefilter("ignore", DeprecationWarning)
            import great_expectations  # noqa: F401
        output = validate(table, load_suite(self.path), out_dir, workers=option("article_workers"), policy=policy)
        return {verdict.check_id: verdict for verdict in output.verdicts}


class CheckItem(pytest.Item):
    """One check of the suite as a test: passes, passes with a warning, or fails with the gate's reason."""

    def __init__(self, *, severity: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.severity = severity
        self.add_marker(pytest.mark.article_check)

    def runtest(self) -> None:
        """Look up this check's verdict (validating the table on the first item) and act on it."""
        from validators.gate import FAILED, WARNED

        assert isinstance(self.parent, ArticleSuite)
        verdict = self.parent.verdicts()[self.name]
        if verdict.status == FAILED:
            raise CheckFailed(f"{self.name} ({verdict.severity}): {verdict.message}")
        if verdict.status == WARNED:
            warnings.warn(ArticleCheckWarning(f"{self.name} ({verdict.severity}): {verdict.message}"), stacklevel=1)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The gate's message, not a traceback into the plugin."""
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        if isinstance(excinfo.value, RunFailed):
            return f"the validation run failed, so no check can pass: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the item comes from: the suite file and the check id."""
        return self.path, None, f"article check {self.name} ({self.severity})"


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which suite and table the check items come from."""
    if not _active(config):
        return []
    suite, table = config.getoption("article_suite"), config.getoption("article_table")
    return [f"article-validators: suite {suite}, table {table}"]

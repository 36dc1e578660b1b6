"""One validation run: article table -> measures -> GX -> results, report and Data Docs in one folder."""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

import validators
from validators.atomic import atomic_dir
from validators.checks import OVERRIDE_TABLE_COLUMNS, TABLE_COLUMNS
from validators.gate import GatePolicy, Verdict, exit_code, verdicts
from validators.ingest.records import InputError
from validators.junit import render_junit
from validators.report import write_report
from validators.results import build_results, write_results
from validators.schema import REQUIRED_COLUMNS
from validators.suite import Suite
from validators.summary import append_step_summary, render_summary

DATA_DOCS = "gx/uncommitted/data_docs/local_site/index.html"


@dataclass
class RunOutput:
    """Where a run wrote its outputs, and the results document (as :func:`validators.results.build_results`
    returns it: its ``articles_failed`` is a sequence built when read)."""

    out_dir: Path
    results: dict[str, Any]
    verdicts: list[Verdict] = field(default_factory=list)
    exit_code: int = 0

    @property
    def report(self) -> Path:
        """The reviewer's HTML report."""
        return self.out_dir / "report.html"


def check_table(table_path: Path, suite: Suite | None = None) -> None:
    """Fail early, with the missing column names, on a table that is not an article table (for ``suite``)."""
    from validators.measures import open_table

    try:
        dataset = open_table(table_path)
        names = dataset.schema.names
        rows = dataset.count_rows()
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{table_path}: not a readable Parquet table: {error}") from error
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise InputError(f"{table_path}: missing required column(s): {', '.join(missing)}")
    needs: dict[str, list[str]] = {}
    for config in suite.checks if suite else ():
        read = TABLE_COLUMNS.get(config.check.name, ()) + (OVERRIDE_TABLE_COLUMNS if config.overrides else ())
        for name in read:
            if name not in names:
                needs.setdefault(name, []).append(config.id)
    if needs:
        listed = "; ".join(f"{name} (needed by {', '.join(ids)})" for name, ids in needs.items())
        raise InputError(f"{table_path}: missing column(s) the suite's checks read: {listed}")
    if rows == 0:
        raise InputError(f"{table_path}: the table has no articles; nothing to validate")


def validate(
    table: Path | str,
    suite: Suite,
    out_dir: Path,
    workers: int | None = None,
    policy: GatePolicy | None = None,
    engine: str = "local",
) -> RunOutput:
    """Validate an article table with ``suite``; every output lands in ``out_dir`` at once, or not at all.

    ``table`` is a Parquet file or a folder of them; with ``engine="spark"`` it may also be a URI Spark reads
    (``s3a://``, ``hdfs://``). ``policy`` (fail-on severity, baseline) decides the verdicts written to
    ``junit.xml`` and ``summary.md``; the summary is also appended to ``$GITHUB_STEP_SUMMARY`` when set.
    """
    policy = policy or GatePolicy()
    started_at = datetime.now(UTC)
    if engine == "local":
        table_path = Path(table)
        check_table(table_path, suite)
    with atomic_dir(out_dir) as work:
        if engine == "spark":
            from validators.engines.spark import run_spark

            measured = run_spark(str(table), suite, work)
        else:
            from validators.engines.local import run_local

            measured = run_local(table_path, suite, work, workers)
        started = time.perf_counter()
        table_name = str(table).rstrip("/").rsplit("/", 1)[-1]
        run = {
            "started_at": started_at.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "durations_s": dict(measured.durations_s),
            "versions": {
                "article_validators": validators.__version__,
                "great_expectations": _version("great_expectations"),
                "python": platform.python_version(),
            },
            "paths": {"table": str(table), "suite": str(suite.path), "out": str(out_dir)},
        }
        results = build_results(Path(table_name).stem, suite, measured.outcomes, measured.failing, run)
        # ``failing`` holds only the failing rows; the article count comes from the engine.
        results["articles"] = measured.articles
        # The report reads failing articles' text from a local file; a folder or URI gets a report without.
        local_table = Path(table) if Path(table).is_file() else None
        write_report(work, results, local_table, DATA_DOCS, baseline=policy.baseline)
        results["run"]["durations_s"]["results_and_report"] = round(time.perf_counter() - started, 3)
        with (work / "results.json").open("w", encoding="utf-8") as out:
            # Streamed: a million-article run lists every failing article, too large to build as one string.
            write_results(results, out)
        judged = verdicts(results, policy)
        summary = render_summary(results, judged, policy)
        (work / "junit.xml").write_text(render_junit(results, judged), "utf-8")
        (work / "summary.md").write_text(summary, "utf-8")
    append_step_summary(summary)
    return RunOutput(out_dir, results, judged, exit_code(results, policy))


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module.replace("_", "-"))
    except Exception:
        return "unknown"

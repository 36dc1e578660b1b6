"""One validation run: article table -> measures -> GX -> results, report and Data Docs in one folder."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

import validators
from validators.atomic import atomic_dir
from validators.ingest.records import InputError
from validators.report import render_report
from validators.results import build_results
from validators.schema import REQUIRED_COLUMNS
from validators.suite import Suite

DATA_DOCS = "gx/uncommitted/data_docs/local_site/index.html"


@dataclass
class RunOutput:
    """Where a run wrote its outputs, and the results document."""

    out_dir: Path
    results: dict[str, Any]

    @property
    def report(self) -> Path:
        """The reviewer's HTML report."""
        return self.out_dir / "report.html"


def check_table(table_path: Path) -> None:
    """Fail early, with the missing column names, on a table that is not an article table."""
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
    if rows == 0:
        raise InputError(f"{table_path}: the table has no articles; nothing to validate")


def validate(
    table: Path | str, suite: Suite, out_dir: Path, workers: int | None = None, engine: str = "local"
) -> RunOutput:
    """Validate an article table with ``suite``; every output lands in ``out_dir`` at once, or not at all.

    ``table`` is a Parquet file or a folder of them; with ``engine="spark"`` it may also be a URI Spark reads
    (``s3a://``, ``hdfs://``).
    """
    started_at = datetime.now(UTC)
    if engine == "local":
        table_path = Path(table)
        check_table(table_path)
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
        report = render_report(results, local_table, DATA_DOCS)
        results["run"]["durations_s"]["results_and_report"] = round(time.perf_counter() - started, 3)
        with (work / "results.json").open("w", encoding="utf-8") as out:
            # Streamed: a million-article run lists every failing article, too large to build as one string.
            json.dump(results, out, indent=1, ensure_ascii=False)
            out.write("\n")
        (work / "report.html").write_text(report, "utf-8")
    return RunOutput(out_dir, results)


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module.replace("_", "-"))
    except Exception:
        return "unknown"

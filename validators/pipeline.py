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
import pyarrow.parquet as pq

import validators
from validators.atomic import atomic_dir
from validators.ingest.records import InputError
from validators.measures import GX_COLUMNS, compute_measures
from validators.report import write_report
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
    try:
        schema = pq.read_schema(table_path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{table_path}: not a readable Parquet table: {error}") from error
    missing = [name for name in REQUIRED_COLUMNS if name not in schema.names]
    if missing:
        raise InputError(f"{table_path}: missing required column(s): {', '.join(missing)}")
    if pq.ParquetFile(table_path).metadata.num_rows == 0:
        raise InputError(f"{table_path}: the table has no articles; nothing to validate")


def validate(
    table_path: Path,
    suite: Suite,
    out_dir: Path,
    workers: int | None = None,
    baseline: dict[str, Any] | None = None,
) -> RunOutput:
    """Validate an article table with ``suite``; every output lands in ``out_dir`` at once, or not at all.

    ``baseline`` (a previous run's results) adds a trend to the report.
    """
    from validators.gx_run import run_suite

    check_table(table_path)
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    measures = compute_measures(table_path, workers=workers)
    measured = time.perf_counter()
    with atomic_dir(out_dir) as work:
        frame = measures.select(list(GX_COLUMNS)).to_pandas()
        outcomes = run_suite(suite, frame, work)
        validated = time.perf_counter()
        run = {
            "started_at": started_at.isoformat(),
            "finished_at": datetime.now(UTC).isoformat(),
            "durations_s": {
                "measures": round(measured - started, 3),
                "great_expectations": round(validated - measured, 3),
            },
            "versions": {
                "article_validators": validators.__version__,
                "great_expectations": _version("great_expectations"),
                "python": platform.python_version(),
            },
            "paths": {"table": str(table_path), "suite": str(suite.path), "out": str(out_dir)},
        }
        results = build_results(table_path.stem, suite, outcomes, measures, run)
        pq.write_table(measures, work / "measures.parquet")
        (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        write_report(work, results, table_path, DATA_DOCS, baseline=baseline)
    return RunOutput(out_dir, results)


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module.replace("_", "-"))
    except Exception:
        return "unknown"

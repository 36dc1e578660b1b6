"""One validation run: article table -> measures -> GX -> results, report and Data Docs in one folder."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import validators
from validators.atomic import atomic_dir
from validators.checks import OVERRIDE_TABLE_COLUMNS, TABLE_COLUMNS
from validators.gate import GatePolicy, Verdict, exit_code, verdicts
from validators.ingest.records import InputError
from validators.junit import render_junit
from validators.measures import GX_COLUMNS, compute_measures
from validators.report import write_report
from validators.results import build_results
from validators.schema import REQUIRED_COLUMNS
from validators.suite import Suite
from validators.summary import append_step_summary, render_summary

DATA_DOCS = "gx/uncommitted/data_docs/local_site/index.html"


@dataclass
class RunOutput:
    """Where a run wrote its outputs, and the results document."""

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
    try:
        schema = pq.read_schema(table_path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{table_path}: not a readable Parquet table: {error}") from error
    missing = [name for name in REQUIRED_COLUMNS if name not in schema.names]
    if missing:
        raise InputError(f"{table_path}: missing required column(s): {', '.join(missing)}")
    needs: dict[str, list[str]] = {}
    for config in suite.checks if suite else ():
        read = TABLE_COLUMNS.get(config.check.name, ()) + (OVERRIDE_TABLE_COLUMNS if config.overrides else ())
        for name in read:
            if name not in schema.names:
                needs.setdefault(name, []).append(config.id)
    if needs:
        listed = "; ".join(f"{name} (needed by {', '.join(ids)})" for name, ids in needs.items())
        raise InputError(f"{table_path}: missing column(s) the suite's checks read: {listed}")
    if pq.ParquetFile(table_path).metadata.num_rows == 0:
        raise InputError(f"{table_path}: the table has no articles; nothing to validate")


def validate(
    table_path: Path,
    suite: Suite,
    out_dir: Path,
    workers: int | None = None,
    policy: GatePolicy | None = None,
) -> RunOutput:
    """Validate an article table with ``suite``; every output lands in ``out_dir`` at once, or not at all.

    ``policy`` (fail-on severity, baseline) decides the verdicts written to ``junit.xml`` and ``summary.md``;
    the summary is also appended to ``$GITHUB_STEP_SUMMARY`` when that is set.
    """
    from validators.gx_run import run_suite

    policy = policy or GatePolicy()
    check_table(table_path, suite)
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
        write_report(work, results, table_path, DATA_DOCS, baseline=policy.baseline if policy else None)
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

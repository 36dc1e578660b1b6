"""The local engine: measures streamed across this machine's cores into Parquet, then GX slice by slice.

Memory is bounded by the batch and slice sizes, not by the table: the measures go to ``measures.parquet``
batch by batch, GX validates them in slices of ``GX_SLICE_ROWS`` rows whose outcomes are merged, and only the
failing articles' measures are read back.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from validators.engines import EngineRun
from validators.gx_run import SEVERITY_RANK, CheckOutcome, import_gx, run_suite
from validators.measures import GX_COLUMNS, count_articles, write_measures
from validators.progress import ProgressBar
from validators.suite import Suite

# Rows per GX validation: GX's fixed cost per run stays small, and memory stays flat.
GX_SLICE_ROWS = 100_000
MEASURES_FILE = "measures.parquet"


def run_local(table_path: Path, suite: Suite, work: Path, workers: int | None = None) -> EngineRun:
    """Measure ``table_path`` on all cores into ``work/measures.parquet`` and validate it with ``suite``."""
    started = time.perf_counter()
    measures_path = work / MEASURES_FILE
    # GX's import overlaps the measures: this process mostly waits on the workers meanwhile.
    importing = threading.Thread(target=_import_gx_early, name="import-gx", daemon=True)
    importing.start()
    with ProgressBar(count_articles(table_path), "measures") as bar:
        articles = write_measures(table_path, measures_path, workers=workers, progress=bar)
    measured = time.perf_counter()
    importing.join()
    outcomes = validate_measures(suite, measures_path, work)
    validated = time.perf_counter()
    failing = failing_rows(measures_path, {i for o in outcomes for i in o.failed_ids})
    return EngineRun(
        articles,
        outcomes,
        failing,
        {"measures": round(measured - started, 3), "great_expectations": round(validated - measured, 3)},
    )


def _import_gx_early() -> None:
    # Best effort: should the early import fail, running the suite imports GX again and reports the error.
    with contextlib.suppress(Exception):
        import_gx()


def validate_measures(suite: Suite, measures_path: Path, context_dir: Path) -> list[CheckOutcome]:
    """Run ``suite`` over the measures file in slices; Data Docs are built once, after the last slice."""
    measures = pq.ParquetFile(measures_path)
    total = measures.metadata.num_rows
    parts: list[list[CheckOutcome]] = []
    seen = 0
    for batch in measures.iter_batches(batch_size=GX_SLICE_ROWS, columns=list(GX_COLUMNS)):
        seen += batch.num_rows
        frame = pa.Table.from_batches([batch]).to_pandas()
        parts.append(run_suite(suite, frame, context_dir, build_docs=seen >= total))
        del frame
    if not parts:  # an empty table still gets a (vacuous) validation
        frame = pa.Table.from_batches([], schema=measures.schema_arrow).select(list(GX_COLUMNS)).to_pandas()
        parts.append(run_suite(suite, frame, context_dir))
    return merge_outcomes(suite, parts)


def merge_outcomes(suite: Suite, parts: list[list[CheckOutcome]]) -> list[CheckOutcome]:
    """One outcome per check from the outcomes of consecutive slices, as if GX had seen the whole table.

    A single slice is GX's verdict as is; over several, success is recomputed from the summed counts with
    the check's ``mostly``, the rule GX applies to one frame.
    """
    if len(parts) == 1:
        return parts[0]
    merged = []
    for index, config in enumerate(suite.checks):
        slices = [part[index] for part in parts]
        failed = [i for outcome in slices for i in outcome.failed_ids]
        count = sum(outcome.element_count for outcome in slices)
        success = count == 0 or (count - len(failed)) / count >= config.mostly
        outcome = CheckOutcome(config.id, success, failed, count)
        if config.overrides:
            _merge_groups(outcome, slices)
        merged.append(outcome)
    return merged


def _merge_groups(outcome: CheckOutcome, slices: list[CheckOutcome]) -> None:
    """Sum each override group's counts over the slices and judge its ``mostly`` on the whole table."""
    groups: list[dict[str, Any]] = []
    for number, first in enumerate(slices[0].groups):
        articles = sum(s.groups[number]["articles"] for s in slices)
        failures = sum(s.groups[number]["failed"] for s in slices)
        success = articles == 0 or (articles - failures) / articles >= first["mostly"]
        groups.append({**first, "articles": articles, "failed": failures, "success": success})
    outcome.groups = groups
    outcome.success = all(g["success"] for g in groups)
    failing = [str(g["severity"]) for g in groups if not g["success"]]
    outcome.severity = max(failing, key=SEVERITY_RANK.__getitem__) if failing else slices[0].severity


def failing_rows(measures_path: Path, failed_ids: Iterable[str]) -> pa.Table:
    """The measures of the failing articles, in table order, read batch by batch."""
    wanted = pa.array(sorted(set(failed_ids)), type=pa.string())
    measures = pq.ParquetFile(measures_path)
    if not len(wanted):
        return measures.schema_arrow.empty_table()
    keep = [
        batch.filter(pc.is_in(batch.column("article_id"), value_set=wanted))
        for batch in measures.iter_batches(batch_size=50_000)
    ]
    return pa.Table.from_batches(keep, schema=measures.schema_arrow)

"""The Spark engine: measures computed inside Spark with the same detector code, the suite run by GX on Spark.

``measure_batch`` runs in ``mapInArrow`` on the executors (each Python worker loads its detector state once
and is reused), the measures are cached, and GX's Spark datasource validates them with the same check rules
(``validators.expectations`` runs them in a pandas_udf). The driver only collects the failing articles'
measures, so the table can be as large as the cluster allows.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from validators.detectors.template_lines import TemplateLines
from validators.engines import EngineRun
from validators.gx_run import CheckOutcome, run_suite
from validators.measures import (
    GX_COLUMNS,
    MEASURE_SCHEMA,
    READ_COLUMNS,
    measure_batch,
    mine_template_rows,
    use_templates,
)
from validators.suite import Suite

ROW = "_row"
# Master used when neither spark-submit nor the environment names one.
DEFAULT_MASTER = "local[*]"


def spark_session(master: str | None = None) -> Any:
    """The active Spark session, or a new one on ``master``, else ``$SPARK_MASTER``, else ``local[*]``.

    Under spark-submit the master and the configuration come from the submit command.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("article-validators")
    chosen = master or os.environ.get("SPARK_MASTER")
    if chosen:
        builder = builder.master(chosen)
    # spark-submit hands its gateway to the Python driver; without it pyspark starts a local JVM itself.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if not submitted and (chosen or DEFAULT_MASTER).startswith("local"):
        # Local Python workers run this interpreter, which has the detectors installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if not submitted and not chosen:
        builder = builder.master(DEFAULT_MASTER)
    return (
        builder.config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        # Spark's stage bar, like ours, only on a terminal.
        .config("spark.ui.showConsoleProgress", str(sys.stderr.isatty()).lower())
        .getOrCreate()
    )


def measure_partitions(
    batches: Iterator[pa.RecordBatch], templates: dict[str, TemplateLines] | None = None
) -> Iterator[pa.RecordBatch]:
    """``mapInArrow`` body: the measures of each incoming batch, with the row ordinal carried through."""
    use_templates(templates or {})
    for batch in batches:
        measured = measure_batch(batch.drop_columns([ROW]) if ROW in batch.schema.names else batch)
        yield measured.append_column(ROW, batch.column(ROW))


def measures_frame(spark: Any, table: str) -> Any:
    """The measures of the Parquet table at ``table`` (a path or URI) as a lazy Spark DataFrame."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    articles = spark.read.parquet(table)
    columns = [name for name in READ_COLUMNS if name in articles.columns]
    templates = _template_lines(articles)
    # The ordinal follows the read order, so failing articles are listed in table order.
    ordered = articles.select(*columns).withColumn(ROW, F.monotonically_increasing_id())
    schema = from_arrow_schema(MEASURE_SCHEMA.append(pa.field(ROW, pa.int64())))
    return ordered.mapInArrow(functools.partial(measure_partitions, templates=templates), schema)


def _template_lines(articles: Any) -> dict[str, TemplateLines]:
    """The same template-line mining as the local engine, streamed through the driver (hashed, bounded)."""
    if not {"source_name", "source_url"} <= set(articles.columns):
        return {}
    rows = articles.select("text", "source_name", "source_url").toLocalIterator()
    return mine_template_rows([((row["text"], row["source_name"], row["source_url"]) for row in rows)])


def run_spark(table: str, suite: Suite, work: Path, master: str | None = None) -> EngineRun:
    """Measure and validate ``table`` in Spark; GX's context, results and Data Docs go to ``work``."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    spark = spark_session(master)
    measures = measures_frame(spark, table).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        articles = measures.count()  # computes and caches the measures once; GX reads the cache
        measured = time.perf_counter()
        outcomes = run_suite(suite, measures.select(*GX_COLUMNS), work, spark=True)
        validated = time.perf_counter()
        failed = sorted({i for outcome in outcomes for i in outcome.failed_ids})
        failing = _failing_rows(spark, measures, failed)
    finally:
        measures.unpersist()
    order = {article_id: index for index, article_id in enumerate(failing.column("article_id").to_pylist())}
    in_order = [
        CheckOutcome(o.id, o.success, sorted(o.failed_ids, key=lambda i: order[i]), o.element_count) for o in outcomes
    ]
    return EngineRun(
        articles,
        in_order,
        failing,
        {"measures": round(measured - started, 3), "great_expectations": round(validated - measured, 3)},
    )


def _failing_rows(spark: Any, measures: Any, failed: list[str]) -> pa.Table:
    from pyspark.sql import functions as F

    if not failed:
        return MEASURE_SCHEMA.empty_table()
    ids = spark.createDataFrame([(i,) for i in failed], ["article_id"])
    rows = measures.join(F.broadcast(ids), "article_id").orderBy(ROW).toArrow()
    return rows.select(MEASURE_SCHEMA.names).cast(MEASURE_SCHEMA)

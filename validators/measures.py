"""Measures: every detector computed once per article into narrow columns that GX validates.

The article text never reaches GX: this module turns each batch of the article table into one small row per
article (scores, states, spans). The table (one Parquet file or a partitioned folder of them) is streamed in
record batches through a process pool: every worker loads its detector state once, a bounded number of batches
is in flight at any time, and the measures come back in table order, so memory does not grow with the number
of articles.
"""

from __future__ import annotations

import functools
import itertools
import json
import multiprocessing
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from validators.detectors import boilerplate, dates, language, sources
from validators.detectors.template_lines import HashedRows, TemplateLineMiner, TemplateLines, hash_rows

SPAN_TYPE = pa.struct(
    [
        pa.field("detector", pa.string()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("reason", pa.string()),
    ]
)

MEASURE_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("text_chars", pa.int64()),
        pa.field("language_declared", pa.string()),
        pa.field("language_detected", pa.string()),
        pa.field("language_confidence", pa.float64()),
        pa.field("foreign_fraction", pa.float64()),
        pa.field("longest_foreign_run", pa.int64()),
        pa.field("longest_confident_run", pa.int64()),
        pa.field("boilerplate_share", pa.float64()),
        pa.field("boilerplate_chars", pa.int64()),
        pa.field("boilerplate_kinds", pa.int64()),
        pa.field("date_state", pa.string()),
        pa.field("published_at", pa.timestamp("us", tz="UTC")),
        pa.field("suggested_published_at", pa.string()),
        pa.field("suggested_published_at_evidence", pa.string()),
        pa.field("source_name", pa.string()),
        pa.field("source_host", pa.string()),
        pa.field("source_problem", pa.string()),
        pa.field("source_domain_mismatch", pa.bool_()),
        pa.field("spans", pa.list_(SPAN_TYPE)),
    ]
)

# Columns GX sees: everything but the spans (which only the results and report read).
GX_COLUMNS: tuple[str, ...] = tuple(name for name in MEASURE_SCHEMA.names if name != "spans")
READ_COLUMNS = [
    "article_id",
    "text",
    "language",
    "published_at",
    "published_at_raw",
    "source_name",
    "source_url",
    "extra",
]

DEFAULT_BATCH_SIZE = 1_000
# Parquet reads go through a buffer of this size rather than whole column chunks.
READ_BUFFER_BYTES = 1 << 20
# Batches queued per worker: enough to keep every core busy, few enough to keep memory flat.
IN_FLIGHT_PER_WORKER = 2

# Template lines of each source in the table being validated, set once per worker process, and the file they
# were loaded from (a pool's workers start before the lines are mined, so they read them from a file).
_templates: dict[str, TemplateLines] = {}
_templates_file: str | None = None


def source_key(source_name: str | None, source_url: str | None) -> str | None:
    """Which site an article belongs to, for template-line mining: its source name, else its URL's host."""
    return source_name or sources.url_host(source_url)


TEMPLATE_COLUMNS = ("text", "source_name", "source_url")


def hash_template_batch(batch: pa.RecordBatch) -> HashedRows:
    """One batch's share of template-line mining (the costly, parallel part): its rows reduced to hashes."""
    texts, names, urls = (batch.column(c).to_pylist() for c in TEMPLATE_COLUMNS)
    return hash_rows((source_key(name, url), url, text) for text, name, url in zip(texts, names, urls, strict=True))


def mine_templates(
    table_path: Path,
    pool: ProcessPoolExecutor | None = None,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> dict[str, TemplateLines]:
    """First pass over the table: the lines each source repeats across its articles (bounded memory).

    With ``pool`` (of ``workers`` processes), the workers hash the batches and this process only merges their
    hashes, in table order.
    """
    dataset = open_table(table_path)
    if not set(TEMPLATE_COLUMNS) <= set(dataset.schema.names):
        return {}
    miner = TemplateLineMiner()
    batches = _read_batches(dataset, list(TEMPLATE_COLUMNS), batch_size)
    if pool is None:
        for batch in batches:
            miner.add_hashed(hash_template_batch(batch))
    else:
        for hashed in _in_order(pool, hash_template_batch, batches, workers):
            miner.add_hashed(hashed)
    return miner.result()


def mine_template_rows(chunks: Iterable[Iterable[tuple[Any, Any, Any]]]) -> dict[str, TemplateLines]:
    """Template lines per source from chunks of ``(text, source_name, source_url)`` rows."""
    miner = TemplateLineMiner()
    for rows in chunks:
        keyed = ((source_key(name, url), url, text) for text, name, url in rows)
        while chunk := list(itertools.islice(keyed, DEFAULT_BATCH_SIZE)):
            miner.add_hashed(hash_rows(chunk))
    return miner.result()


def use_templates(templates: dict[str, TemplateLines]) -> None:
    """Install the template lines this process's measures use (a process-pool initializer)."""
    global _templates
    _templates = templates


def measure_article(
    row: dict[str, Any],
    profile: language.LanguageProfile | None = None,
    found: boilerplate.BoilerplateResult | None = None,
) -> dict[str, Any]:
    """All measures of one article row (a dict with the article table's columns); ``profile`` and ``found``
    are its language profile and boilerplate when already known."""
    text = row.get("text") or ""
    if profile is None:
        profile = language.language_profile(text)
    detected = profile.dominant
    if found is None:
        found = boilerplate.boilerplate_spans(text, _boilerplate_language(profile), _source_templates(row))
    published_at: datetime | None = row.get("published_at")
    date_state = dates.date_state(published_at, row.get("published_at_raw"))
    suggestion = None
    if date_state != "present":
        suggestion = dates.suggest_published_at(row.get("source_url"), text, _html_meta(row.get("extra")))
    name, url = row.get("source_name"), row.get("source_url")
    spans = [{"detector": "language", "start": s.start, "end": s.end, "reason": s.reason} for s in profile.spans] + [
        {"detector": "boilerplate", "start": s.start, "end": s.end, "reason": s.reason} for s in found.spans
    ]
    return {
        "article_id": row["article_id"],
        "text_chars": len(text),
        "language_declared": row.get("language"),
        "language_detected": detected,
        "language_confidence": profile.confidence,
        "foreign_fraction": profile.foreign_fraction,
        "longest_foreign_run": profile.longest_foreign_run,
        "longest_confident_run": profile.longest_confident_run,
        "boilerplate_share": found.share,
        "boilerplate_chars": found.chars,
        "boilerplate_kinds": found.kinds,
        "date_state": date_state,
        "published_at": published_at,
        "suggested_published_at": suggestion.value.isoformat() if suggestion else None,
        "suggested_published_at_evidence": suggestion.evidence if suggestion else None,
        "source_name": name,
        "source_host": sources.url_host(url),
        "source_problem": sources.source_problem(name, url),
        "source_domain_mismatch": sources.source_domain_mismatch(name, url),
        "spans": spans,
    }


def _html_meta(extra: str | None) -> dict[str, str] | None:
    if not extra:
        return None
    try:
        meta = json.loads(extra).get("html_meta")
    except (ValueError, AttributeError):
        return None
    return meta if isinstance(meta, dict) else None


def _boilerplate_language(profile: language.LanguageProfile) -> str | None:
    return profile.dominant if profile.dominant != "unknown" else None


def _source_templates(row: dict[str, Any]) -> TemplateLines | None:
    return _templates.get(source_key(row.get("source_name"), row.get("source_url")) or "")


def measure_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Measures of one batch of the article table (the boilerplate of the whole batch in one call: faster)."""
    articles = batch.to_pylist()
    profiles = [language.language_profile(row.get("text") or "") for row in articles]
    found = boilerplate.boilerplate_batch(
        [row.get("text") or "" for row in articles],
        [_boilerplate_language(profile) for profile in profiles],
        [_source_templates(row) for row in articles],
    )
    rows = [measure_article(*measured) for measured in zip(articles, profiles, found, strict=True)]
    return pa.RecordBatch.from_pylist(rows, schema=MEASURE_SCHEMA)


Progress = Callable[[int], None]
_T = TypeVar("_T")


def open_table(table_path: Path) -> ds.Dataset:
    """The article table as a pyarrow dataset: a Parquet file or a folder of them (Hive partitions too)."""
    options = ds.ParquetFragmentScanOptions(pre_buffer=False, use_buffered_stream=True)
    parquet = ds.ParquetFileFormat(default_fragment_scan_options=options)
    if table_path.is_dir():
        return ds.dataset(table_path, format=parquet, partitioning="hive")
    return ds.dataset(table_path, format=parquet)


def count_articles(table_path: Path) -> int:
    """Number of articles in the table, from the Parquet footers (no data is read)."""
    return int(open_table(table_path).count_rows())


def iter_batches(table_path: Path, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[pa.RecordBatch]:
    """Stream the article table in record batches, in table order, reading only the detectors' columns.

    Optional columns the table lacks are left out (``measure_article`` treats them as missing values); Hive
    partition keys come back as columns.
    """
    dataset = open_table(table_path)
    return _read_batches(dataset, [name for name in READ_COLUMNS if name in dataset.schema.names], batch_size)


def _read_batches(dataset: ds.Dataset, columns: list[str], batch_size: int) -> Iterator[pa.RecordBatch]:
    """The non-empty batches of ``columns``, in table order, typed as in the dataset's schema.

    Each file is read batch by batch, single-threaded, and Arrow's memory is handed back after each file. The
    dataset scanner would decode a whole row group before cutting it into batches (a row group can hold a
    whole table), and a multi-threaded scan reads ahead by row groups; Parquet's own batch reader does neither.
    Columns a file lacks come back as nulls and Hive partition keys as constant columns.
    """
    pool = pa.default_memory_pool()
    target = pa.schema([dataset.schema.field(name) for name in columns])
    for fragment in dataset.get_fragments():
        keys = ds.get_partition_keys(fragment.partition_expression)
        with fragment.filesystem.open_input_file(fragment.path) as source:
            parquet = pq.ParquetFile(source, pre_buffer=False, buffer_size=READ_BUFFER_BYTES)
            stored = [name for name in columns if name in parquet.schema_arrow.names]
            for batch in parquet.iter_batches(batch_size=batch_size, columns=stored, use_threads=False):
                if batch.num_rows:
                    yield _conform(batch, target, keys)
        pool.release_unused()


def _conform(batch: pa.RecordBatch, target: pa.Schema, keys: dict[str, Any]) -> pa.RecordBatch:
    """``batch`` with ``target``'s columns and types: partition keys as constants, absent columns as nulls."""
    arrays = []
    for field_ in target:
        if field_.name in batch.schema.names:
            column = batch.column(field_.name)
            arrays.append(column if column.type == field_.type else column.cast(field_.type))
        elif field_.name in keys:
            arrays.append(pa.array([keys[field_.name]] * batch.num_rows, type=field_.type))
        else:
            arrays.append(pa.nulls(batch.num_rows, type=field_.type))
    return pa.RecordBatch.from_arrays(arrays, schema=target)


def _prepare_worker(templates: dict[str, TemplateLines] | None = None) -> None:
    """Load every detector's state (models, compiled patterns, the table's template lines) once per worker,
    before any data arrives."""
    use_templates(templates or {})
    measure_article({"article_id": "", "text": "Detector warm-up.\n\nA short paragraph of plain text."})


def measure_batch_with(batch: pa.RecordBatch, templates_file: str) -> pa.RecordBatch:
    """Measures of one batch, with the template lines pickled in ``templates_file`` (read once per process)."""
    global _templates_file
    if templates_file != _templates_file:
        with open(templates_file, "rb") as stream:
            use_templates(pickle.load(stream))
        _templates_file = templates_file
    return measure_batch(batch)


def iter_measures(
    table_path: Path,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> Iterator[pa.RecordBatch]:
    """Measures of the article table, batch by batch in table order, across ``workers`` processes.

    The same workers first mine the template lines, then measure. At most ``IN_FLIGHT_PER_WORKER`` batches
    per worker are read ahead, so memory is bounded by the batch size and the number of workers, not by the
    table. ``progress`` is called with the rows of each finished batch.
    """
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        _prepare_worker(mine_templates(table_path, batch_size=batch_size))
        for batch in iter_batches(table_path, batch_size):
            measured = measure_batch(batch)
            if progress:
                progress(measured.num_rows)
            yield measured
        return
    # forkserver: workers never inherit the reader's threads or buffers.
    context = multiprocessing.get_context("forkserver")
    # The pool is entered last so that it shuts down (its tasks done) before the templates file is removed.
    with (
        tempfile.TemporaryDirectory(prefix="av-templates-") as scratch,
        ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_prepare_worker) as pool,
    ):
        templates_file = os.path.join(scratch, "templates.pickle")
        with open(templates_file, "wb") as stream:
            pickle.dump(mine_templates(table_path, pool, workers, batch_size), stream, protocol=pickle.HIGHEST_PROTOCOL)
        measure = functools.partial(measure_batch_with, templates_file=templates_file)
        for measured in _in_order(pool, measure, iter_batches(table_path, batch_size), workers):
            if progress:
                progress(measured.num_rows)
            yield measured


def _in_order(
    pool: ProcessPoolExecutor, task: Callable[[pa.RecordBatch], _T], batches: Iterator[pa.RecordBatch], workers: int
) -> Iterator[_T]:
    """``task`` of each batch on the pool, in batch order, with at most ``IN_FLIGHT_PER_WORKER`` per worker queued."""
    pending: deque[Future[_T]] = deque()
    for batch in batches:
        pending.append(pool.submit(_on_ipc, task, ipc_bytes(batch)))
        del batch  # the task carries its own copy; drop ours so only in-flight batches hold text
        while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def ipc_bytes(batch: pa.RecordBatch) -> pa.Buffer:
    """``batch`` as an Arrow IPC stream, the form in which batches travel to the workers.

    A pickled batch would carry the whole buffers it is a slice of (a batch of a large row group carries the
    row group); the IPC writer copies only the batch's own rows.
    """
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue()


def _on_ipc(task: Callable[[pa.RecordBatch], _T], data: pa.Buffer) -> _T:
    return task(pa.ipc.open_stream(data).read_next_batch())


def write_measures(
    table_path: Path,
    out_path: Path,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Write the article table's measures to ``out_path`` (Parquet) batch by batch; returns the row count."""
    rows = 0
    with pq.ParquetWriter(out_path, MEASURE_SCHEMA) as writer:
        for measured in iter_measures(table_path, workers, batch_size, progress):
            writer.write_batch(measured, row_group_size=max(measured.num_rows, 1))
            rows += measured.num_rows
    return rows


def compute_measures(
    table_path: Path,
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> pa.Table:
    """The measures of an article table in memory, computed across ``workers`` processes (default: all cores).

    For tables too large to hold their measures in memory, use ``write_measures``.
    """
    parts = list(iter_measures(table_path, workers, batch_size, progress))
    return pa.Table.from_batches(parts, schema=MEASURE_SCHEMA)

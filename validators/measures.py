"""Measures: every detector computed once per article into narrow columns that GX validates.

The article text never reaches GX: this module turns each batch of the article table into one small row per
article (scores, states, spans). Batches are spread over a process pool so all cores work.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from validators.detectors import boilerplate, dates, language, sources
from validators.detectors.template_lines import TemplateLineMiner, TemplateLines

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


# Template lines of each source in the table being validated, set once per worker process.
_templates: dict[str, TemplateLines] = {}


def source_key(source_name: str | None, source_url: str | None) -> str | None:
    """Which site an article belongs to, for template-line mining: its source name, else its URL's host."""
    return source_name or sources.url_host(source_url)


def mine_templates(table_path: Path, batch_size: int = 5_000) -> dict[str, TemplateLines]:
    """First pass over the table: the lines each source repeats across its articles (bounded memory)."""
    miner = TemplateLineMiner()
    columns = ["text", "source_name", "source_url"]
    for batch in pq.ParquetFile(table_path).iter_batches(batch_size=batch_size, columns=columns):
        for text, name, url in zip(*(batch.column(c).to_pylist() for c in columns), strict=True):
            miner.add(source_key(name, url), url, text)
    return miner.result()


def use_templates(templates: dict[str, TemplateLines]) -> None:
    """Install the template lines this process's measures use (a process-pool initializer)."""
    global _templates
    _templates = templates


def measure_article(row: dict[str, Any]) -> dict[str, Any]:
    """All measures of one article row (a dict with the article table's columns)."""
    text = row.get("text") or ""
    profile = language.language_profile(text)
    detected = profile.dominant
    templates = _templates.get(source_key(row.get("source_name"), row.get("source_url")) or "")
    found = boilerplate.boilerplate_spans(text, detected if detected != "unknown" else None, templates)
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


def measure_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Measures of one batch of the article table."""
    rows = [measure_article(row) for row in batch.to_pylist()]
    return pa.RecordBatch.from_pylist(rows, schema=MEASURE_SCHEMA)


def iter_batches(table_path: Path, batch_size: int) -> Iterator[pa.RecordBatch]:
    """Stream the article table in record batches, reading only the columns the detectors need."""
    parquet = pq.ParquetFile(table_path)
    yield from parquet.iter_batches(batch_size=batch_size, columns=READ_COLUMNS)


def compute_measures(table_path: Path, workers: int | None = None, batch_size: int = 1_000) -> pa.Table:
    """The measures table of an article table, computed across ``workers`` processes (default: all cores)."""
    workers = workers or os.cpu_count() or 1
    templates = mine_templates(table_path)
    parts: list[pa.RecordBatch] = []
    if workers == 1:
        use_templates(templates)
        parts = [measure_batch(batch) for batch in iter_batches(table_path, batch_size)]
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=use_templates, initargs=(templates,)) as pool:
            # map keeps input order, so measures line up with the table.
            parts = list(pool.map(measure_batch, iter_batches(table_path, batch_size)))
    return pa.Table.from_batches(parts, schema=MEASURE_SCHEMA)

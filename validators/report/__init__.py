"""The reviewer's HTML report: one self-contained, offline ``report.html`` per run, plus CSV files beside it.

The report reads ``results.json``, the run's measures table and the article table; it never calls a
detector. Aggregates cover every article; the page embeds a bounded sample of failing articles (see
``ReportLimits``) and ``failures/<check>.csv`` lists every failing id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from validators.report.payload import (
    INTERNED,
    ROW_LANGUAGE,
    ROW_SOURCE,
    SPAN_REASON,
    Payload,
    ReportLimits,
    build_payload,
    excerpt_plan,
    load_articles,
    measures_by_id,
)
from validators.report.render import ROWS_ISLAND, TEXTS_ISLAND, island_bytes, page
from validators.report.sidecars import write_failure_lists, write_public
from validators.report.summary import summarise
from validators.report.trend import compare

__all__ = ["ReportLimits", "embedded_data", "report_bytes", "write_report"]

MEASURES_FILE = "measures.parquet"
REPORT_FILE = "report.html"


def report_bytes(
    results: Mapping[str, Any],
    table_path: Path | None,
    data_docs: str | None = None,
    *,
    measures: pa.Table | Path | None = None,
    baseline: Mapping[str, Any] | None = None,
    limits: ReportLimits | None = None,
) -> bytes:
    """The complete report HTML for one run, in UTF-8.

    ``table_path`` is the article table (titles and text of failing articles; ``None`` shows metadata
    only), ``measures`` the run's measures, a table or its Parquet file (breakdowns and charts), ``baseline``
    a previous run's results (trend), ``data_docs`` a link to the run's GX Data Docs relative to the report.
    """
    limits = limits or ReportLimits()
    plan = excerpt_plan(results, limits)
    articles = load_articles(table_path, plan, limits) if table_path is not None else {}
    payload, islands = _fitting_payload(results, articles, measures_by_id(measures, set(plan)), limits)
    summary = summarise(measures, results) if measures is not None else None
    trend = compare(results, baseline) if baseline is not None else None
    return page(results, payload, summary, trend, data_docs, islands=islands)


def _fitting_payload(
    results: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, Any]],
    measures: Mapping[str, Mapping[str, Any]],
    limits: ReportLimits,
) -> tuple[Payload, tuple[bytes, bytes]]:
    """The payload of the most listed articles whose two JSON islands fit ``limits.max_bytes`` together, and
    those islands: long hostile fields, or scripts that need several bytes a character, can otherwise outgrow
    the character budgets. A shorter listing is the head of the full one."""
    payload = build_payload(results, articles, measures, limits)
    texts = [island_bytes(text, depth=0) for text in payload.texts]  # one call an article
    sizes = island_sizes(payload, texts)
    fitting = max((count for count, size in enumerate(sizes) if size <= limits.max_bytes), default=0)
    head = payload.head(fitting)
    return head, (island_bytes(head.rows), b"".join((b"[", b",".join(texts[:fitting]), b"]")))


def island_sizes(payload: Payload, texts: list[bytes] | None = None) -> list[int]:
    """Bytes of the two islands of ``payload.head(count)``, for every count from 0 to ``payload.listed``
    (``texts``: each article's texts island item, when already encoded)."""
    texts = texts if texts is not None else [island_bytes(text, depth=0) for text in payload.texts]
    tables = {name: [len(island_bytes(value)) for value in payload.rows[name]] for name in INTERNED}
    used = dict.fromkeys(INTERNED, 0)
    size = len(island_bytes(payload.head(0).rows)) + len(b"[]")
    sizes = [size]
    for position, (row, text, encoded) in enumerate(zip(payload.rows["rows"], payload.texts, texts, strict=True)):
        comma = 1 if position else 0  # between items, in each of the two lists
        size += len(island_bytes(row, depth=0)) + len(encoded) + 2 * comma
        needed = {
            "sources": row[ROW_SOURCE] + 1,
            "languages": row[ROW_LANGUAGE] + 1,
            "reasons": max((span[SPAN_REASON] + 1 for span in text["p"]), default=0),
        }
        for name, count in needed.items():
            # Interned in order of first use: the head's table grows by the values this article uses first.
            while used[name] < count:
                size += tables[name][used[name]] + (1 if used[name] else 0)
                used[name] += 1
        sizes.append(size)
    return sizes


def write_report(
    run_dir: Path,
    results: Mapping[str, Any],
    table_path: Path | None,
    data_docs: str | None = None,
    *,
    baseline: Mapping[str, Any] | None = None,
    limits: ReportLimits | None = None,
) -> Path:
    """Write ``report.html`` and the ``failures/*.csv`` lists into ``run_dir``; returns the report's path.

    Reads the measures table from ``run_dir/measures.parquet`` when present. The Data Docs link is left out
    when ``run_dir`` holds no Data Docs site at ``data_docs``.
    """
    measures_path = run_dir / MEASURES_FILE
    # Passed as a file: the report reads it slice by slice, never the whole table at once.
    measures = measures_path if measures_path.exists() else None
    docs = data_docs if data_docs and (run_dir / data_docs).exists() else None
    html = report_bytes(results, table_path, docs, measures=measures, baseline=baseline, limits=limits)
    write_failure_lists(run_dir, results, compare(results, baseline) if baseline is not None else None)
    target = run_dir / REPORT_FILE
    write_public(target, html)
    return target


def embedded_data(html: str) -> dict[str, Any]:
    """The JSON documents a report embeds (``rows`` and ``texts``), parsed back: for tests and tools."""
    found: dict[str, Any] = {}
    for key, island in (("rows", ROWS_ISLAND), ("texts", TEXTS_ISLAND)):
        match = re.search(rf"<script type='application/json' id='{island}'>(.*?)</script>", html, re.S)
        if match is None:
            raise ValueError(f"no {island} data in the report")
        found[key] = json.loads(match.group(1))
    return found

"""The data a report embeds about failing articles: compact rows for the table, text and spans for the view.

Two JSON documents go into the page. ``rows`` (one short array per listed failing article) drives the table,
the filters and the export; ``texts`` (aligned with ``rows``) holds each article's embedded text segments,
spans and metadata and is parsed only when a reviewer opens an article or searches.

Offsets stay in code points, as in ``results.json``: the page converts them to UTF-16 where it slices text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ARTICLE_COLUMNS = ("article_id", "title", "text", "language", "published_at_raw", "source_name", "source_url")
NONE_LABEL = "(none)"
# Positions in a row of ``rows`` and in a span of ``texts`` that refer to an interned table.
ROW_SOURCE, ROW_LANGUAGE, SPAN_REASON = 2, 3, 3
INTERNED = ("sources", "languages", "reasons")


@dataclass(frozen=True)
class ReportLimits:
    """How much of a run the page embeds; the complete failing-id lists always go to the CSV files."""

    max_articles: int = 20_000  # failing articles listed in the page's table
    full_text_articles: int = 500  # listed articles that carry their full text (up to ``text_chars``)
    text_chars: int = 20_000  # code points of full text per article
    window_chars: int = 300  # context either side of a span outside the full text
    text_budget: int = 8_000_000  # code points of text in the whole page; beyond it, metadata only
    max_spans: int = 500  # spans kept per article
    max_field_chars: int = 500  # titles, URLs and source names are cut to this length
    max_bytes: int = 16_000_000  # embedded data in the page; fewer articles are listed to stay below it


@dataclass(frozen=True)
class Payload:
    """The two embedded documents and how many failing articles were left out of the page."""

    rows: dict[str, Any]
    texts: list[Any]
    listed: int
    failing: int

    def head(self, count: int) -> Payload:
        """The payload of the first ``count`` listed articles: what :func:`build_payload` lists for them. Its
        interned tables hold values in order of first use, so the head's tables are heads of these."""
        if count >= self.listed:
            return self
        rows = self.rows["rows"][:count]
        texts = self.texts[:count]
        sources = 1 + max((row[ROW_SOURCE] for row in rows), default=-1)
        languages = 1 + max((row[ROW_LANGUAGE] for row in rows), default=-1)
        reasons = 1 + max((span[SPAN_REASON] for text in texts for span in text["p"]), default=-1)
        return Payload(
            rows={
                **self.rows,
                "sources": self.rows["sources"][:sources],
                "languages": self.rows["languages"][:languages],
                "reasons": self.rows["reasons"][:reasons],
                "rows": rows,
            },
            texts=texts,
            listed=count,
            failing=self.failing,
        )


def source_label(name: str | None, host: str | None) -> str:
    """What the report calls an article's source: its name, else its URL's host."""
    return (name or "").strip() or (host or "").strip() or NONE_LABEL


def language_label(declared: str | None, detected: str | None) -> str:
    """What the report calls an article's language: the declared code, else the detected one."""
    return (declared or "").strip() or (detected or "").strip() or NONE_LABEL


@dataclass(frozen=True, slots=True)
class TextExcerpt:
    """What the page shows of one article's text: its length in code points and its ``[[start, piece], ...]``
    segments (see :func:`text_segments`)."""

    chars: int
    segments: list[list[Any]]


ExcerptPlan: TypeAlias = dict[str, tuple[list[tuple[int, int]], bool] | None]


def excerpt_plan(results: Mapping[str, Any], limits: ReportLimits) -> ExcerptPlan:
    """Per listed failing article id: the span ranges its excerpt shows, and whether it carries full text;
    ``None`` for an id listed more than once (its entries may show different spans)."""
    _, check_index, _, listed, full_text = _listing(results, limits)
    plan: ExcerptPlan = {}
    for position, entry in enumerate(listed):
        article_id = str(entry["article_id"])
        ranges = [(int(s["start"]), int(s["end"])) for s in _shown_spans(entry, check_index, limits)]
        plan[article_id] = None if article_id in plan else (ranges, position in full_text)
    return plan


def load_articles(table_path: Path, plan: ExcerptPlan, limits: ReportLimits) -> dict[str, dict[str, Any]]:
    """The article-table rows of the articles in ``plan`` (only the columns a report shows). Each text is cut
    to its :class:`TextExcerpt` (key ``excerpt``) as it is read, so full texts are held a few at a time; an id
    listed more than once keeps its ``text``, cut per entry by :func:`build_payload`."""

    def excerpt(row: dict[str, Any]) -> dict[str, Any]:
        text = row.get("text")
        planned = plan[str(row["article_id"])]
        if isinstance(text, str) and planned is not None:
            ranges, full = planned
            row["excerpt"] = TextExcerpt(len(text), text_segments(text, ranges, full, limits))
            del row["text"]
        return row

    return rows_by_id(table_path, ARTICLE_COLUMNS, set(plan), batch_rows=2_000, convert=excerpt)


# Rows read at a time: memory stays flat however many articles a run has.
MEASURE_BATCH_ROWS = 50_000

Measures: TypeAlias = "pa.Table | Path"


def measure_batches(
    measures: Measures, columns: Sequence[str], batch_rows: int = MEASURE_BATCH_ROWS
) -> Iterator[pa.Table]:
    """``columns`` of a table in memory or a Parquet file (the measures, the article table) in slices of
    ``batch_rows`` rows; a column it lacks comes back as nulls.

    A file is opened as an Arrow file and read through a small buffer on one thread, one slice at a time:
    opened by name, with whole column chunks read at once, memory grew with the table.
    """
    if isinstance(measures, pa.Table):
        yield from _with_columns(measures.to_batches(max_chunksize=batch_rows), measures.column_names, columns)
        return
    with pa.OSFile(str(measures)) as source:
        parquet = pq.ParquetFile(source, buffer_size=1 << 20, pre_buffer=False)
        names = parquet.schema_arrow.names
        present = [c for c in columns if c in names]
        parts = parquet.iter_batches(columns=present, batch_size=batch_rows, use_threads=False)
        yield from _with_columns(parts, names, columns)


def _with_columns(parts: Iterable[pa.RecordBatch], names: Sequence[str], columns: Sequence[str]) -> Iterator[pa.Table]:
    for part in parts:
        table = pa.Table.from_batches([part])
        for name in columns:
            if name not in names:
                table = table.append_column(name, pa.nulls(table.num_rows))
        yield table.select(list(columns))


def rows_by_id(
    source: Measures,
    columns: Sequence[str],
    wanted: set[str],
    batch_rows: int = MEASURE_BATCH_ROWS,
    convert: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The rows (``columns`` only) of a table or Parquet file whose ``article_id`` is in ``wanted``, each passed
    through ``convert`` when given; the first row of an id that occurs more than once.

    Reading stops once every wanted row is found: a report lists the first failing articles in table order,
    so on a large table only its head is read.
    """
    if not wanted:
        return {}
    value_set = pa.array(sorted(wanted), type=pa.string())
    found: dict[str, dict[str, Any]] = {}
    for part in measure_batches(source, columns, batch_rows):
        matches = part.filter(pc.is_in(part.column("article_id"), value_set=value_set))
        # A hundred rows at a time become Python objects: with ``convert``, only those are held whole.
        for chunk in matches.to_batches(max_chunksize=100):
            for row in chunk.to_pylist():
                if row["article_id"] not in found:
                    found[row["article_id"]] = convert(row) if convert else row
        if len(found) == len(wanted):
            break
    return found


def measures_by_id(measures: Measures | None, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """The measures rows (without spans) of the articles in ``wanted``, from a table or the run's Parquet file."""
    if measures is None:
        return {}
    names = measures.column_names if isinstance(measures, pa.Table) else pq.ParquetFile(measures).schema_arrow.names
    return rows_by_id(measures, [c for c in names if c != "spans"], wanted)


def build_payload(
    results: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, Any]],
    measures: Mapping[str, Mapping[str, Any]],
    limits: ReportLimits,
) -> Payload:
    """Rows and texts of the failing articles, within ``limits``."""
    check_ids, check_index, failing, listed, full_text = _listing(results, limits)
    sources = _Interner()
    languages = _Interner()
    reasons = _Interner()
    rows: list[list[Any]] = []
    texts: list[Any] = []
    budget = limits.text_budget
    for position, entry in enumerate(listed):
        article_id = str(entry["article_id"])
        article = articles.get(article_id, {})
        measure = measures.get(article_id, {})
        cut = limits.max_field_chars
        source = source_label(measure.get("source_name", article.get("source_name")), measure.get("source_host"))
        language = language_label(
            measure.get("language_declared", article.get("language")), measure.get("language_detected")
        )
        checks = [check_index[c] for c in entry.get("failed_checks", []) if c in check_index]
        rows.append(
            [
                article_id,
                _cut(article.get("title"), cut),
                sources.index(_cut(source, cut)),
                languages.index(_cut(language, cut)),
                checks,
                _iso(measure.get("published_at")),
                _cut(article.get("source_url"), limits.max_field_chars * 4),
            ]
        )
        spans = [
            [check_index[s["check"]], int(s["start"]), int(s["end"]), reasons.index(str(s.get("reason", "")))]
            for s in _shown_spans(entry, check_index, limits)
        ]
        excerpt = _excerpt(article, [(s[1], s[2]) for s in spans], position in full_text, limits)
        segments: list[list[Any]] = []
        if excerpt is not None and budget > 0:
            segments = _within_budget(excerpt.segments, budget)
            budget -= sum(len(s[1]) for s in segments)
        texts.append(
            {
                "n": excerpt.chars if excerpt is not None else measure.get("text_chars"),
                "x": segments,
                "p": spans,
                "m": _metadata(entry, article, measure, cut),
            }
        )
    return Payload(
        rows={
            "checks": check_ids,
            "sources": sources.values,
            "languages": languages.values,
            "reasons": reasons.values,
            "rows": rows,
        },
        texts=texts,
        listed=len(listed),
        failing=len(failing),
    )


class _Listing(NamedTuple):
    """The failing articles a page lists, and what every listed article is judged by."""

    check_ids: list[str]
    check_index: dict[str, int]  # a check's position in ``check_ids``
    failing: Sequence[Mapping[str, Any]]
    listed: Sequence[Mapping[str, Any]]  # the head of ``failing`` the page lists
    full_text: set[int]  # positions in ``listed`` that carry full text


def _listing(results: Mapping[str, Any], limits: ReportLimits) -> _Listing:
    check_ids = [str(c["id"]) for c in results.get("checks", [])]
    failing: Sequence[Mapping[str, Any]] = results.get("articles_failed", [])
    listed = failing[: max(limits.max_articles, 0)]
    return _Listing(
        check_ids,
        {check_id: i for i, check_id in enumerate(check_ids)},
        failing,
        listed,
        _full_text_choice(listed, check_ids, limits.full_text_articles),
    )


def _shown_spans(entry: Mapping[str, Any], check_index: Mapping[str, int], limits: ReportLimits) -> list[Any]:
    """The spans of a failing entry the page shows: of the suite's checks, not empty, at most ``max_spans``."""
    return [
        s
        for s in entry.get("spans", [])[: limits.max_spans]
        if s.get("check") in check_index and int(s["end"]) > int(s["start"])
    ]


def _excerpt(
    article: Mapping[str, Any], ranges: list[tuple[int, int]], full: bool, limits: ReportLimits
) -> TextExcerpt | None:
    """An article's excerpt: as read by :func:`load_articles` (which made the full-text choice for the whole
    listing), or cut from its text here."""
    excerpt = article.get("excerpt")
    if isinstance(excerpt, TextExcerpt):
        return excerpt
    text = article.get("text")
    if isinstance(text, str):
        return TextExcerpt(len(text), text_segments(text, ranges, full, limits))
    return None


def text_segments(text: str, spans: Iterable[tuple[int, int]], full: bool, limits: ReportLimits) -> list[list[Any]]:
    """``[[start, piece], ...]`` in code points: the head of the text when ``full``, plus a window around
    every span beyond it; an opening excerpt when there is nothing else to show."""
    head = min(len(text), limits.text_chars) if full else 0
    windows: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= head:
            continue
        low = max(head, start - limits.window_chars, 0)
        high = min(len(text), end + limits.window_chars)
        if low >= high:
            continue
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        else:
            windows.append([low, high])
    if head == 0 and not windows and text:
        head = min(len(text), limits.window_chars)
    segments: list[list[Any]] = [[0, text[:head]]] if head else []
    segments.extend([low, text[low:high]] for low, high in windows)
    return segments


def _full_text_choice(listed: Sequence[Mapping[str, Any]], check_ids: Sequence[str], quota: int) -> set[int]:
    """Positions of the articles that carry full text: taken in turn per check, so every failing check has
    examples to read, not just the most common one."""
    queues: dict[str, list[int]] = {check_id: [] for check_id in check_ids}
    for position, entry in enumerate(listed):
        for check_id in entry.get("failed_checks", []):
            if check_id in queues:
                queues[check_id].append(position)
    chosen: set[int] = set()
    cursors = dict.fromkeys(queues, 0)
    while len(chosen) < quota and any(cursors[c] < len(queues[c]) for c in queues):
        for check_id, queue in queues.items():
            while cursors[check_id] < len(queue) and queue[cursors[check_id]] in chosen:
                cursors[check_id] += 1
            if cursors[check_id] < len(queue) and len(chosen) < quota:
                chosen.add(queue[cursors[check_id]])
                cursors[check_id] += 1
    return chosen


def _within_budget(segments: list[list[Any]], budget: int) -> list[list[Any]]:
    kept: list[list[Any]] = []
    for start, piece in segments:
        if budget <= 0:
            break
        kept.append([start, piece[:budget]])
        budget -= len(piece)
    return kept


def _metadata(
    entry: Mapping[str, Any], article: Mapping[str, Any], measure: Mapping[str, Any], cut: int
) -> dict[str, Any]:
    suggested = entry.get("suggested_published_at") or measure.get("suggested_published_at")
    evidence = entry.get("suggested_published_at_evidence") or measure.get("suggested_published_at_evidence")
    found = {
        "declared": measure.get("language_declared", article.get("language")),
        "detected": measure.get("language_detected"),
        "confidence": _round(measure.get("language_confidence")),
        "foreign_fraction": _round(measure.get("foreign_fraction")),
        "boilerplate_share": _round(measure.get("boilerplate_share")),
        "date_state": measure.get("date_state"),
        "published_at": _iso(measure.get("published_at")),
        "published_at_raw": _cut(article.get("published_at_raw"), cut),
        "suggested_published_at": _cut(suggested, cut),
        "suggested_evidence": _cut(evidence, cut * 2),
        "source_name": _cut(measure.get("source_name", article.get("source_name")), cut),
        "source_host": _cut(measure.get("source_host"), cut),
        "source_problem": measure.get("source_problem"),
    }
    return {key: value for key, value in found.items() if value not in (None, "")}


class _Interner:
    """Stores each distinct string once; rows refer to it by position."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._positions: dict[str, int] = {}

    def index(self, value: str) -> int:
        position = self._positions.get(value)
        if position is None:
            position = self._positions[value] = len(self.values)
            self.values.append(value)
        return position


def _cut(value: Any, limit: int) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _iso(value: Any) -> str:
    if value is None:
        return ""
    iso = getattr(value, "isoformat", None)
    return str(iso()) if iso else str(value)


def _round(value: Any) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), 4)

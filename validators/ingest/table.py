"""Build the article table from input files: map fields, quarantine bad rows, write atomically."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from validators.atomic import atomic_path, write_text
from validators.ingest import readers
from validators.ingest.dates import format_raw, parse_published_at
from validators.ingest.records import InputError, RawRecord, Rejected
from validators.schema import ARTICLE_SCHEMA, MAPPED_FIELDS, QUARANTINE_SCHEMA, REQUIRED_COLUMNS

FORMATS = ("jsonl", "csv", "parquet", "txt", "html")
SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".html.gz": "html",
    ".htm.gz": "html",
}
STRING_FIELDS = ("article_id", "title", "text", "language", "source_name", "source_url")
BATCH_ROWS = 5_000


@dataclass
class IngestCounts:
    """What an ingest run read, wrote and quarantined; ``rows_read`` is always the sum of the other two."""

    rows_read: int = 0
    rows_written: int = 0
    rows_quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    inputs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``<stem>.ingest.json``."""
        return {
            "inputs": self.inputs,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_quarantined": self.rows_quarantined,
            "quarantine_reasons": dict(sorted(self.reasons.items())),
        }


def sidecar_paths(out: Path) -> tuple[Path, Path]:
    """The quarantine table and counts file that sit beside an output table."""
    stem = out.name[: -len(".parquet")] if out.name.endswith(".parquet") else out.name
    return out.with_name(f"{stem}.quarantine.parquet"), out.with_name(f"{stem}.ingest.json")


def discover(inputs: Iterable[Path], fmt: str | None = None) -> list[tuple[Path, str]]:
    """Expand files and folders into ``(file, format)`` pairs in a stable order."""
    found: list[tuple[Path, str]] = []
    for path in inputs:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                child_format = fmt or format_of(child)
                if child_format and (fmt is None or format_of(child) is not None or fmt == "html"):
                    found.append((child, child_format))
        elif path.exists():
            path_format = fmt or format_of(path)
            if path_format is None:
                raise InputError(f"{path}: unknown input format; use --format ({', '.join(FORMATS)})")
            found.append((path, path_format))
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def format_of(path: Path) -> str | None:
    """The input format a file name implies, or None."""
    name = path.name.lower()
    for suffix, fmt in SUFFIX_FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


def read_items(path: Path, fmt: str) -> Iterator[RawRecord | Rejected]:
    """Dispatch to the reader for ``fmt``."""
    if fmt == "jsonl":
        return readers.read_jsonl(path)
    if fmt == "csv":
        return readers.read_csv(path)
    if fmt == "parquet":
        return readers.read_parquet(path)
    if fmt == "txt":
        return readers.read_text_article(path)
    if fmt == "html":
        return _read_html(path)
    raise InputError(f"{path}: unknown format {fmt!r}")


def _read_html(path: Path) -> Iterator[RawRecord | Rejected]:
    # trafilatura is imported only when HTML is ingested.
    from validators.ingest.html import read_html_article

    try:
        fields = read_html_article(path)
    except ValueError as error:
        yield Rejected(f"unreadable HTML: {error}", path, 0, 1, None)
        return
    yield RawRecord(dict(fields), path, 0, 1, None)


def to_row(record: RawRecord, mapping: Mapping[str, str], seen: set[str]) -> dict[str, Any] | Rejected:
    """Map one raw record onto the schema, or say why it is quarantined."""
    fields = {mapping.get(name, name): value for name, value in record.fields.items()}
    row: dict[str, Any] = {}
    for name in STRING_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, float) and value != value):
            row[name] = None
        elif isinstance(value, str):
            row[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            row[name] = str(value)
        else:
            return _reject(record, f"field {name!r} is a {type(value).__name__}, not text")
    article_id = row["article_id"]
    if article_id is None or not article_id.strip():
        return _reject(record, "no article_id")
    if row["text"] is None or not row["text"].strip():
        return _reject(record, "no text (missing, empty or whitespace only)")
    if article_id in seen:
        return _reject(record, f"duplicate article_id {article_id!r}")
    # Inputs may carry the parsed value, the original string, or both (a table of ours read back).
    value = fields.get("published_at")
    raw = fields.get("published_at_raw")
    row["published_at"] = parse_published_at(value if value is not None else raw)
    row["published_at_raw"] = format_raw(raw if raw is not None else value)
    extra = {k: v for k, v in fields.items() if k not in MAPPED_FIELDS}
    try:
        row["extra"] = json.dumps(extra, ensure_ascii=False, default=readers.json_default) if extra else None
    except (ValueError, RecursionError) as error:
        return _reject(record, f"extra fields cannot be kept as JSON: {error}")
    for name, value in row.items():
        # A JSON escape such as "\ud800" decodes to a lone surrogate, which UTF-8 (and Parquet) cannot store.
        if isinstance(value, str) and not _is_encodable(value):
            return _reject(record, f"field {name!r} is not valid Unicode (lone surrogate)")
    seen.add(article_id)
    return row


def _is_encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_required_columns(files: Iterable[tuple[Path, str]], mapping: Mapping[str, str]) -> None:
    """Raise ``InputError`` naming the required columns a Parquet input lacks (after ``--map``)."""
    for path, path_format in files:
        if path_format != "parquet":
            continue
        present = {mapping.get(name, name) for name in readers.parquet_columns(path)}
        missing = [name for name in REQUIRED_COLUMNS if name not in present]
        if missing:
            raise InputError(f"{path}: missing required column(s): {', '.join(missing)}")


def _reject(record: RawRecord, reason: str) -> Rejected:
    raw = record.raw
    if raw is None:
        # Lone surrogates and deep nesting must not stop a row from reaching the quarantine.
        try:
            raw = json.dumps(record.fields, ensure_ascii=False, default=readers.json_default).encode(
                "utf-8", "surrogatepass"
            )
        except (ValueError, RecursionError):
            raw = repr(record.fields).encode("utf-8", "surrogatepass")
    return Rejected(reason, record.source_file, record.byte_offset, record.record_number, raw)


def ingest(
    inputs: Iterable[Path], out: Path, mapping: Mapping[str, str] | None = None, fmt: str | None = None
) -> IngestCounts:
    """Read every input into one article table at ``out`` plus its quarantine table and counts.

    Raises ``InputError`` when an input cannot be read at all; then nothing is written.
    """
    files = discover(inputs, fmt)
    check_required_columns(files, mapping or {})
    quarantine_path, counts_path = sidecar_paths(out)
    counts = IngestCounts(inputs=[str(path) for path, _ in files])
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    # Writers close before the temporary files are renamed into place (contexts exit in reverse order).
    with (
        atomic_path(out) as tmp_out,
        atomic_path(quarantine_path) as tmp_quarantine,
        pq.ParquetWriter(tmp_out, ARTICLE_SCHEMA) as writer,
        pq.ParquetWriter(tmp_quarantine, QUARANTINE_SCHEMA) as quarantine,
    ):
        for path, path_format in files:
            for item in read_items(path, path_format):
                counts.rows_read += 1
                result = to_row(item, mapping or {}, seen) if isinstance(item, RawRecord) else item
                if isinstance(result, Rejected):
                    counts.rows_quarantined += 1
                    counts.reasons[result.reason.split(":")[0].split(" at byte")[0]] += 1
                    rejected.append(_quarantine_row(result))
                else:
                    counts.rows_written += 1
                    rows.append(result)
                if len(rows) >= BATCH_ROWS:
                    writer.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
                    rows.clear()
                if len(rejected) >= BATCH_ROWS:
                    quarantine.write_table(pa.Table.from_pylist(rejected, schema=QUARANTINE_SCHEMA))
                    rejected.clear()
        writer.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
        quarantine.write_table(pa.Table.from_pylist(rejected, schema=QUARANTINE_SCHEMA))
    # Written last, once both tables are in place: its presence means the ingest finished.
    write_text(counts_path, json.dumps(counts.as_dict(), indent=2) + "\n")
    return counts


def _quarantine_row(item: Rejected) -> dict[str, Any]:
    return {
        "source_file": str(item.source_file),
        "byte_offset": item.byte_offset,
        "record_number": item.record_number,
        "reason": item.reason,
        "raw": item.raw,
    }

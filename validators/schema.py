"""The article table: one row per article, stored as Parquet.

| column             | type                  | notes                                                         |
|--------------------|-----------------------|---------------------------------------------------------------|
| article_id         | string, required      | unique; any characters (never used raw as a file name)        |
| title              | string                |                                                               |
| text               | string, required      | stored verbatim: span offsets point into it                   |
| language           | string                | declared language code, nullable                              |
| published_at       | timestamp[us, UTC]    | parsed publication time, nullable                             |
| published_at_raw   | string                | the original value, kept so an unparseable date is reported   |
| source_name        | string                |                                                               |
| source_url         | string                |                                                               |
| extra              | string (JSON object)  | every other input field, so nothing is dropped                |
"""

from __future__ import annotations

import pyarrow as pa

ARTICLE_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("language", pa.string()),
        # Microseconds: nanoseconds overflow outside 1677-2262.
        pa.field("published_at", pa.timestamp("us", tz="UTC")),
        pa.field("published_at_raw", pa.string()),
        pa.field("source_name", pa.string()),
        pa.field("source_url", pa.string()),
        pa.field("extra", pa.string()),
    ]
)

ARTICLE_COLUMNS: tuple[str, ...] = tuple(ARTICLE_SCHEMA.names)
REQUIRED_COLUMNS: tuple[str, ...] = ("article_id", "text")
# Input fields that map onto a schema column; everything else goes to ``extra``.
MAPPED_FIELDS: frozenset[str] = frozenset(ARTICLE_COLUMNS) - {"extra"}

QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("byte_offset", pa.int64()),
        pa.field("record_number", pa.int64()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("raw", pa.binary()),
    ]
)

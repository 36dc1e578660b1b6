"""Readers for each input format. Each yields ``RawRecord`` or ``Rejected`` in input order.

A reader never drops a record silently: anything that cannot be parsed is yielded as ``Rejected`` with its
byte offset, so that rows read = rows written + rows quarantined.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from validators.ingest.records import InputError, RawRecord, Rejected

BOM = b"\xef\xbb\xbf"
Item = RawRecord | Rejected


def read_jsonl(path: Path) -> Iterator[Item]:
    """JSON Lines, split on ``\\n`` bytes only (article text may hold U+2028)."""
    with _open_binary(path) as handle:
        offset = 0
        number = 0
        for line in handle:  # binary iteration splits on b"\n" only
            start = offset
            offset += len(line)
            if number == 0 and start == 0 and line.startswith(BOM):
                # The record starts after the BOM, so offsets stay true positions in the file.
                line = line[len(BOM) :]
                start = len(BOM)
            if not line.strip():
                continue
            number += 1
            try:
                decoded = line.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Rejected(f"invalid UTF-8 at byte {start + error.start}", path, start, number, line)
                continue
            try:
                value = json.loads(decoded)
            except ValueError as error:
                yield Rejected(f"invalid JSON: {error}", path, start, number, line)
                continue
            except RecursionError:
                yield Rejected("invalid JSON: nested too deeply", path, start, number, line)
                continue
            if not isinstance(value, dict):
                yield Rejected(f"not a JSON object ({type(value).__name__})", path, start, number, line)
                continue
            yield RawRecord(value, path, start, number, line)


class _LineFeed:
    """Feeds decoded lines to ``csv.reader`` while tracking the byte offset of the next line."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.next_offset = 0
        self.last_raw = b""

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = self.handle.readline()
        if not line:
            raise StopIteration
        if self.next_offset == 0 and line.startswith(BOM):
            line = line[len(BOM) :]
            self.next_offset = len(BOM)
        self.next_offset += len(line)
        self.last_raw += line
        # surrogateescape keeps undecodable bytes so the row, not the file, is quarantined.
        return line.decode("utf-8", "surrogateescape")


def read_csv(path: Path) -> Iterator[Item]:
    """CSV with a header row; a row with invalid UTF-8 or the wrong field count is quarantined."""
    csv.field_size_limit(sys.maxsize)
    with _open_binary(path) as handle:
        feed = _LineFeed(handle)
        reader = csv.reader(feed)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(f"{path}: unreadable CSV header: {error}") from error
        if any(_has_surrogates(name) for name in header):
            raise InputError(f"{path}: the CSV header is not valid UTF-8")
        number = 0
        while True:
            start = feed.next_offset
            feed.last_raw = b""
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                number += 1
                yield Rejected(f"malformed CSV row: {error}", path, start, number, feed.last_raw)
                continue
            if not row or all(not cell.strip() for cell in row):
                continue
            number += 1
            raw = feed.last_raw
            if any(_has_surrogates(cell) for cell in row):
                where = start + _first_bad_byte(raw)
                yield Rejected(f"invalid UTF-8 at byte {where}", path, start, number, raw)
                continue
            if len(row) != len(header):
                reason = f"CSV row has {len(row)} fields, header has {len(header)}"
                yield Rejected(reason, path, start, number, raw)
                continue
            yield RawRecord(dict(zip(header, row, strict=True)), path, start, number, raw)


def read_parquet(path: Path, batch_size: int = 10_000) -> Iterator[Item]:
    """A Parquet file, read in record batches; a row with a value Python cannot hold is quarantined."""
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: not a readable Parquet file: {error}") from error
    number = 0
    batches = parquet.iter_batches(batch_size=batch_size)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (OSError, pa.ArrowException) as error:
            raise InputError(f"{path}: not a readable Parquet file: {error}") from error
        for row in _batch_rows(batch):
            number += 1
            if isinstance(row, str):
                yield Rejected(row, path, None, number, None)
            else:
                yield RawRecord(row, path, None, number)


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file, or ``InputError`` when it cannot be read."""
    try:
        return list(pq.read_schema(path).names)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: not a readable Parquet file: {error}") from error


def _batch_rows(batch: pa.RecordBatch) -> Iterator[dict[str, Any] | str]:
    """The rows of a batch as dicts, or a reason string for a row Python cannot represent."""
    try:
        yield from batch.to_pylist()
        return
    except (OverflowError, ValueError, pa.ArrowException):
        pass  # e.g. a timestamp beyond year 9999: find the rows that hold one
    for index in range(batch.num_rows):
        try:
            yield batch.slice(index, 1).to_pylist()[0]
        except (OverflowError, ValueError, pa.ArrowException) as error:
            yield f"value out of range: {error}"


def read_text_article(path: Path) -> Iterator[Item]:
    """A ``.txt`` file is one article: first non-empty line is the title, the rest is the text."""
    data = _read_bytes(path)
    skipped = len(BOM) if data.startswith(BOM) else 0
    try:
        content = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not valid UTF-8 at byte {skipped + error.start} (is it latin-1 or another encoding?)"
        ) from error
    title, text = split_title(content)
    fields: dict[str, Any] = {"article_id": article_stem(path), "title": title, "text": text}
    yield RawRecord(fields, path, 0, 1, None)


def split_title(content: str) -> tuple[str | None, str]:
    """Split a plain-text article into its first non-empty line and the verbatim rest."""
    position = 0
    while position < len(content):
        end = content.find("\n", position)
        end = len(content) if end < 0 else end
        line = content[position:end]
        if line.strip():
            rest = content[end + 1 :] if end < len(content) else ""
            return line.strip(), rest
        position = end + 1
    return None, content


def article_stem(path: Path) -> str:
    """The article id of a one-article file: its name without ``.txt``, ``.html``, ``.htm`` or ``.gz``."""
    name = path.name
    for suffix in (".gz", ".html", ".htm", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _first_bad_byte(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def _open_binary(path: Path) -> IO[bytes]:
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror or error}") from error


def _read_bytes(path: Path) -> bytes:
    with _open_binary(path) as handle:
        return handle.read()


def json_default(value: object) -> Any:
    """Serialise what JSON cannot (bytes, timestamps) as text when keeping extra fields."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)

"""Property tests of every ingest format: hostile input never crashes ingest and never loses a row.

The invariant checked on every generated case: ``ingest`` either raises ``InputError`` (a whole input that
cannot be read) or writes tables whose row counts add up, ``rows_read = rows_written + rows_quarantined``, and
the written table holds unique, non-empty ids and non-empty text. Rows with invalid UTF-8 in JSONL and CSV are
quarantined one by one with their byte offset.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from validators.ingest.records import InputError
from validators.ingest.table import IngestCounts, ingest, sidecar_paths

BOM = b"\xef\xbb\xbf"
# Byte sequences that are never valid UTF-8: a stray continuation byte, a truncated sequence, an overlong
# NUL, an encoded surrogate, a byte beyond the Unicode range.
INVALID_UTF8 = [b"\xff", b"\x80", b"\xc3", b"\xe2\x82", b"\xc0\x80", b"\xed\xa0\x80", b"\xf5\x80\x80\x80"]
ABSURD_DATES: list[Any] = [
    "0000-01-01",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "99999-01-01",
    "-0001-01-01",
    "NaN",
    "1e300",
    "-1e300",
    "",
    "   ",
    "2024-02-30",
    "2024-13-01T25:61:61Z",
    0,
    -1,
    -62135596801,
    -(10**15),
    253402300800,
    10**20,
    10**400,
    1e300,
    -1e300,
    float("nan"),
    float("inf"),
    True,
    [2024, 1, 1],
    {"year": 2024},
]
FIELDS = ["article_id", "title", "text", "language", "published_at", "source_name", "source_url"]
MARKER = "\ue000"  # stands in for an invalid byte until the CSV is encoded; never generated otherwise


def budget(share: float) -> settings:
    """Settings running ``share`` times the profile's examples (see ``conftest.py``)."""
    return settings(max_examples=max(1, round(settings.default.max_examples * share)))


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """One scratch folder per module: function-scoped ``tmp_path`` does not mix with ``@given``."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as name:
        yield Path(name)


# ---------------------------------------------------------------------------------------------- strategies

hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters=MARKER),
    max_size=60,
) | st.sampled_from(["", " ", "\x00", "\r\n", "\u2028", "\ufeff", "X", "\t\x0b\x0c", "نص", "中文", "🙂" * 3])
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**300), max_value=10**300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | hostile_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=6,
)
ids = st.sampled_from(["a", "b", "c", "a ", " ", "", "ü", "id\x00", "1", "2"]) | json_values
dates = st.sampled_from(ABSURD_DATES) | json_values | st.datetimes().map(lambda d: d.isoformat())
huge_text = st.integers(min_value=70_000, max_value=250_000).map(lambda n: "long line " * (n // 10))


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object with any subset of the schema fields, hostile values and extra fields."""
    record: dict[str, Any] = {}
    if draw(st.booleans()) or draw(st.booleans()):
        record["article_id"] = draw(ids)
    if draw(st.integers(0, 9)) > 0:
        record["text"] = draw(st.integers(0, 60).flatmap(lambda n: huge_text if n == 0 else hostile_text))
    for name in ("title", "language", "source_name", "source_url"):
        if draw(st.booleans()):
            record[name] = draw(json_values)
    if draw(st.booleans()):
        record["published_at"] = draw(dates)
    record.update(draw(st.dictionaries(hostile_text, json_values, max_size=2)))
    return record


def _inject(draw: st.DrawFn, line: bytes) -> bytes:
    """Insert one invalid UTF-8 sequence somewhere in the line."""
    at = draw(st.integers(0, len(line)))
    return line[:at] + draw(st.sampled_from(INVALID_UTF8)) + line[at:]


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    """A JSON Lines file: records, some mangled (invalid UTF-8, NUL, cut short, not objects)."""
    lines: list[bytes] = []
    for record in draw(st.lists(records(), max_size=6)):
        line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
        mangle = draw(st.integers(0, 12))
        if mangle == 1:
            line = _inject(draw, line)
        elif mangle == 2:
            line = line[: draw(st.integers(0, len(line)))]
        elif mangle == 3:
            at = draw(st.integers(0, len(line)))
            line = line[:at] + b"\x00" + line[at:]
        elif mangle == 4:
            line = draw(st.binary(max_size=40))
        elif mangle == 5:
            line = json.dumps(draw(json_values)).encode()
        elif mangle == 6:
            line = line.replace(b'"text": "', b'"text": "\\ud800', 1)  # a lone surrogate escape
        elif mangle == 7:
            line = b"[" * 3000 + b"]" * 3000
        lines.append(line)
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from([b"", b"   ", b"\r", b"\t"])))
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = end.join(lines) + (end if draw(st.booleans()) else b"")
    return (BOM if draw(st.booleans()) else b"") + data


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, list[str]]]]:
    """A CSV file and, for each row written, its byte offset and cells (MARKER = an invalid byte)."""
    header = draw(st.lists(st.sampled_from([*FIELDS, "extra", "x"]), min_size=1, max_size=6))
    if draw(st.integers(0, 4)) == 0:
        header.append(draw(hostile_text.filter(lambda s: s.strip() != "")))
    cell = hostile_text | st.integers().map(str) | st.sampled_from(["a", "b", "a", "1e300", "NaN", "-1"])
    terminator = draw(st.sampled_from(["\r\n", "\n"]))
    # csv.writer quotes a field holding a line break only when the break is part of its terminator.
    quoting = csv.QUOTE_MINIMAL if terminator == "\r\n" else csv.QUOTE_ALL
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator, quoting=quoting)
    writer.writerow(header)
    prefix = BOM if draw(st.booleans()) else b""
    data = prefix + buffer.getvalue().encode("utf-8", "surrogatepass")
    rows: list[tuple[int, list[str]]] = []
    for _ in range(draw(st.integers(0, 8))):
        width = len(header) + draw(st.sampled_from([0, 0, 0, 0, -1, 1]))
        cells = [draw(cell) for _ in range(max(width, 0))]
        if cells and draw(st.integers(0, 4)) == 0:
            which = draw(st.integers(0, len(cells) - 1))
            at = draw(st.integers(0, len(cells[which])))
            cells[which] = cells[which][:at] + MARKER + cells[which][at:]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=terminator, quoting=quoting).writerow(cells)
        encoded = buffer.getvalue().encode("utf-8", "surrogatepass")
        rows.append((len(data), cells))
        data += encoded.replace(MARKER.encode(), draw(st.sampled_from(INVALID_UTF8)))
    return data, rows


# --------------------------------------------------------------------------------------------- invariants


def _ingest(workdir: Path, name: str, data: bytes) -> tuple[IngestCounts | InputError, Path]:
    source = workdir / name
    source.write_bytes(data)
    out = workdir / "out.parquet"
    try:
        return ingest([source], out), out
    except InputError as error:
        return error, out


def _check_outputs(counts: IngestCounts, out: Path) -> tuple[pa.Table, list[dict[str, Any]]]:
    """The invariant every ingest keeps, checked against the files actually written."""
    assert counts.rows_read == counts.rows_written + counts.rows_quarantined
    quarantine_path, counts_path = sidecar_paths(out)
    table = pq.read_table(out)
    quarantined = pq.read_table(quarantine_path).to_pylist()
    assert table.num_rows == counts.rows_written
    assert len(quarantined) == counts.rows_quarantined
    assert sum(counts.reasons.values()) == counts.rows_quarantined
    written = json.loads(counts_path.read_text("utf-8"))
    assert written["rows_read"] == written["rows_written"] + written["rows_quarantined"] == counts.rows_read
    article_ids = table.column("article_id").to_pylist()
    assert len(set(article_ids)) == len(article_ids)
    assert all(i is not None and i.strip() for i in article_ids)
    assert all(t is not None and t.strip() for t in table.column("text").to_pylist())
    assert all(row["reason"] for row in quarantined)
    return table, quarantined


def _first_invalid(raw: bytes) -> int | None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return None


# ------------------------------------------------------------------------------------------------- tests


@budget(0.5)
@given(data=jsonl_files())
def test_jsonl_never_crashes_and_never_loses_a_row(workdir: Path, fuzz_cases: Counter[str], data: bytes) -> None:
    fuzz_cases["jsonl"] += 1
    counts, out = _ingest(workdir, "in.jsonl", data)
    assert isinstance(counts, IngestCounts), counts
    _, quarantined = _check_outputs(counts, out)
    body = data[len(BOM) :] if data.startswith(BOM) else data
    lines = body.split(b"\n")
    assert counts.rows_read == sum(1 for line in lines if line.strip())
    # Every line that is not UTF-8 is quarantined on its own, at its offset, with the first bad byte.
    by_offset = {row["byte_offset"]: row for row in quarantined}
    offset = len(data) - len(body)
    for line in lines:
        bad = _first_invalid(line + b"\n")
        if line.strip() and bad is not None:
            row = by_offset[offset]
            assert row["reason"] == f"invalid UTF-8 at byte {offset + bad}"
            assert data[offset : offset + len(row["raw"])] == row["raw"]
        offset += len(line) + 1


@budget(2.5)
@given(data=st.binary(max_size=300))
def test_jsonl_of_arbitrary_bytes(workdir: Path, fuzz_cases: Counter[str], data: bytes) -> None:
    fuzz_cases["jsonl_bytes"] += 1
    counts, out = _ingest(workdir, "in.jsonl", data)
    assert isinstance(counts, IngestCounts), counts
    _check_outputs(counts, out)


@budget(1.5)
@given(generated=csv_files())
def test_csv_quarantines_rows_not_files(
    workdir: Path, fuzz_cases: Counter[str], generated: tuple[bytes, list[tuple[int, list[str]]]]
) -> None:
    fuzz_cases["csv"] += 1
    data, rows = generated
    counts, out = _ingest(workdir, "in.csv", data)
    assert isinstance(counts, IngestCounts), counts
    _, quarantined = _check_outputs(counts, out)
    counted = [(offset, cells) for offset, cells in rows if not all(not c.strip() for c in cells)]
    assert counts.rows_read == len(counted)
    by_offset = {row["byte_offset"]: row for row in quarantined}
    for offset, cells in counted:
        raw_end = next((o for o, _ in rows if o > offset), len(data))
        bad = _first_invalid(data[offset:raw_end])
        if bad is not None:
            assert by_offset[offset]["reason"] == f"invalid UTF-8 at byte {offset + bad}"
            assert by_offset[offset]["raw"] == data[offset:raw_end]
        elif any(MARKER in c for c in cells):
            raise AssertionError("marker not replaced")


@budget(2.5)
@given(data=st.binary(max_size=300) | st.binary(max_size=60).map(lambda b: b"article_id,text\r\n" + b))
def test_csv_of_arbitrary_bytes(workdir: Path, fuzz_cases: Counter[str], data: bytes) -> None:
    fuzz_cases["csv_bytes"] += 1
    counts, out = _ingest(workdir, "in.csv", data)
    if isinstance(counts, InputError):
        # Only a header that cannot be read makes the whole file unreadable.
        assert "CSV header" in str(counts)
        return
    _check_outputs(counts, out)


@st.composite
def parquet_tables(draw: st.DrawFn) -> pa.Table:
    """An Arrow table with schema columns of any type (or absent) and extra columns of odd types."""
    size = draw(st.integers(0, 6))
    int64 = st.integers(-(2**63), 2**63 - 1)
    texts = st.lists(st.none() | hostile_text | st.sampled_from(["a", "a", "b"]), min_size=size, max_size=size)
    columns: dict[str, pa.Array] = {}

    def text_column() -> pa.Array:
        kind = draw(st.integers(0, 5))
        if kind == 0:
            return pa.array(draw(st.lists(st.none() | int64, min_size=size, max_size=size)), pa.int64())
        if kind == 1:
            values = draw(st.lists(st.none() | st.lists(hostile_text, max_size=2), min_size=size, max_size=size))
            return pa.array(values, pa.list_(pa.string()))
        if kind == 2:
            return pa.array(draw(texts), pa.large_string()).dictionary_encode()
        if kind == 3:
            return pa.array(draw(st.lists(st.none() | st.binary(max_size=8), min_size=size, max_size=size)))
        return pa.array(draw(texts), pa.string())

    for name in ("article_id", "text", "title", "language", "source_name", "source_url"):
        if draw(st.integers(0, 6)) > 0:
            columns[name] = text_column()
    if draw(st.booleans()):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            unit = draw(st.sampled_from(["s", "ms", "us", "ns"]))
            tz = draw(st.sampled_from([None, "UTC", "+01:00", "-12:00", "Asia/Tokyo"]))
            values = draw(st.lists(st.none() | int64, min_size=size, max_size=size))
            columns["published_at"] = pa.array(values, pa.timestamp(unit, tz=tz))
        elif kind == 1:
            values = draw(st.lists(st.none() | st.integers(-(2**31), 2**31 - 1), min_size=size, max_size=size))
            columns["published_at"] = pa.array(values, pa.date32())
        elif kind == 2:
            floats = st.none() | st.floats(allow_nan=True, allow_infinity=True)
            columns["published_at"] = pa.array(draw(st.lists(floats, min_size=size, max_size=size)), pa.float64())
        elif kind == 3:
            dated = st.sampled_from([d for d in ABSURD_DATES if isinstance(d, str)]) | hostile_text
            columns["published_at"] = pa.array(draw(st.lists(dated, min_size=size, max_size=size)), pa.string())
        else:
            columns["published_at"] = pa.array(draw(st.lists(int64, min_size=size, max_size=size)), pa.int64())
    if draw(st.booleans()):
        values = draw(st.lists(int64, min_size=size, max_size=size))
        columns["duration"] = pa.array(values, pa.duration(draw(st.sampled_from(["s", "ns"]))))
    if draw(st.booleans()):
        values = draw(
            st.lists(st.dictionaries(hostile_text, st.none() | int64, max_size=2), min_size=size, max_size=size)
        )
        columns["mapping"] = pa.array([list(v.items()) for v in values], pa.map_(pa.string(), pa.int64()))
    if draw(st.booleans()):
        columns["nested"] = pa.array([{"a": draw(st.none() | int64), "b": [draw(hostile_text)]} for _ in range(size)])
    if draw(st.booleans()):
        values = draw(st.lists(st.none() | st.integers(-(10**9), 10**9), min_size=size, max_size=size))
        columns["amount"] = pa.array(values, pa.int64()).cast(pa.decimal128(21, 2))
    if not columns:
        columns["unrelated"] = pa.array([None] * size, pa.null())
    return pa.table(columns)


@budget(1)
@given(table=parquet_tables())
def test_parquet_of_any_types(workdir: Path, fuzz_cases: Counter[str], table: pa.Table) -> None:
    source = workdir / "in.parquet"
    try:
        pq.write_table(table, source)
    except pa.ArrowInvalid:
        reject()  # Parquet cannot store it (e.g. seconds beyond the millisecond range): not an input
    fuzz_cases["parquet"] += 1
    counts, out = _ingest(workdir, "in.parquet", source.read_bytes())
    missing = [name for name in ("article_id", "text") if name not in table.column_names]
    if missing:
        assert isinstance(counts, InputError)
        assert str(counts) == f"{source}: missing required column(s): {', '.join(missing)}"
        return
    assert isinstance(counts, IngestCounts), counts
    _check_outputs(counts, out)
    assert counts.rows_read == table.num_rows


@budget(1.5)
@given(
    content=st.binary(max_size=200)
    | st.tuples(hostile_text, st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])).map(
        lambda pair: pair[0].encode(pair[1], "replace")
    )
    | huge_text.map(str.encode),
    crlf=st.booleans(),
)
def test_txt_is_one_article_or_a_clear_error(
    workdir: Path, fuzz_cases: Counter[str], content: bytes, crlf: bool
) -> None:
    fuzz_cases["txt"] += 1
    data = content.replace(b"\n", b"\r\n") if crlf else content
    counts, out = _ingest(workdir, "story.txt", data)
    body_start = len(BOM) if data.startswith(BOM) else 0
    bad = _first_invalid(data[body_start:])
    if bad is not None:
        assert isinstance(counts, InputError)
        assert str(counts).startswith(f"{workdir / 'story.txt'}: not valid UTF-8 at byte {body_start + bad} ")
        return
    assert isinstance(counts, IngestCounts), counts
    _check_outputs(counts, out)
    assert counts.rows_read == 1


HTML_PIECES = [
    "<html>",
    "</html>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "<p>",
    "</p>",
    "<div class='cookie'>",
    "</div>",
    "<script>var x = '</p>';</script>",
    "<style>p{}</style>",
    "<!-- comment",
    "-->",
    "<br/>",
    "<meta charset='latin-1'>",
    "<meta charset='utf-8'>",
    "<meta property='article:published_time' content='",
    "'>",
    "<time datetime='99999-01-01'>",
    "</time>",
    "<title>",
    "</title>",
    "<h1>",
    "</h1>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "&nosuch;",
    "<a href='javascript:x'>",
    "</a>",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    "\x00",
    "\r\n",
]


@st.composite
def html_files(draw: st.DrawFn) -> bytes:
    """An HTML page from tag soup, text, absurd dates and invalid bytes."""
    parts: list[bytes] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        if kind < 5:
            parts.append(draw(st.sampled_from(HTML_PIECES)).encode())
        elif kind < 8:
            parts.append(draw(hostile_text).encode("utf-8", "surrogatepass"))
        elif kind == 8:
            parts.append(str(draw(st.sampled_from(ABSURD_DATES))).encode())
        else:
            parts.append(draw(st.sampled_from(INVALID_UTF8)))
    data = (BOM if draw(st.booleans()) else b"") + b"".join(parts)
    return data


@budget(0.5)
@given(data=html_files(), compressed=st.booleans())
def test_html_is_one_article_or_quarantined(
    workdir: Path, fuzz_cases: Counter[str], data: bytes, compressed: bool
) -> None:
    pytest.importorskip("validators.ingest.html", reason="the HTML reader is not in this tree yet")
    fuzz_cases["html"] += 1
    name, payload = ("page.html.gz", gzip.compress(data, mtime=0)) if compressed else ("page.html", data)
    counts, out = _ingest(workdir, name, payload)
    assert isinstance(counts, IngestCounts), counts
    _check_outputs(counts, out)
    assert counts.rows_read == 1

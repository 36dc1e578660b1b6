"""Named edge cases the fuzzers also reach: empty files, huge lines, NUL bytes, BOMs and CRLF."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from validators.ingest.table import IngestCounts, ingest, sidecar_paths
from validators.schema import ARTICLE_SCHEMA


def _counts(counts: IngestCounts) -> tuple[int, int, int]:
    return counts.rows_read, counts.rows_written, counts.rows_quarantined


@pytest.mark.parametrize(("name", "expected"), [("e.jsonl", (0, 0, 0)), ("e.csv", (0, 0, 0)), ("e.txt", (1, 0, 1))])
def test_empty_files_give_empty_tables(tmp_path: Path, name: str, expected: tuple[int, int, int]) -> None:
    source = tmp_path / name
    source.write_bytes(b"")
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == expected
    assert pq.read_table(out).num_rows == 0
    assert pq.read_table(out).schema.equals(ARTICLE_SCHEMA)


def test_empty_parquet_gives_an_empty_table(tmp_path: Path) -> None:
    source = tmp_path / "e.parquet"
    pq.write_table(ARTICLE_SCHEMA.empty_table(), source)
    assert _counts(ingest([source], tmp_path / "out.parquet")) == (0, 0, 0)


def test_huge_line_is_one_article_kept_whole(tmp_path: Path) -> None:
    text = "A very long paragraph without a line break. " * 400_000  # about 18 MB on one line
    source = tmp_path / "huge.jsonl"
    source.write_text(json.dumps({"article_id": "huge", "text": text}) + "\n", "utf-8")
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (1, 1, 0)
    assert pq.read_table(out).column("text")[0].as_py() == text


def test_nul_bytes_crlf_and_bom_in_jsonl(tmp_path: Path) -> None:
    records = [{"article_id": "a", "text": "before\x00after"}, {"article_id": "b", "text": "line\r\nbreak"}]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(json.dumps(r).encode() for r in records) + b"\r\n")
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (2, 2, 0)
    assert pq.read_table(out).column("text").to_pylist() == ["before\x00after", "line\r\nbreak"]


def test_raw_nul_byte_in_a_jsonl_line_quarantines_that_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    good = b'{"article_id": "a", "text": "fine"}\n'
    source.write_bytes(good + b'{"article_id": "b", "text": "x\x00y"}\n')
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (2, 1, 1)
    [row] = pq.read_table(sidecar_paths(out)[0]).to_pylist()
    assert row["byte_offset"] == len(good) and row["reason"].startswith("invalid JSON")


def test_bom_and_crlf_csv(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b'\xef\xbb\xbfarticle_id,text\r\na,"one\r\ntwo"\r\nb,three\r\n')
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (2, 2, 0)
    assert pq.read_table(out).column("text").to_pylist() == ["one\r\ntwo", "three"]


def test_wrong_types_in_every_field_are_quarantined_or_kept_as_text(tmp_path: Path) -> None:
    lines = [
        {"article_id": 7, "text": 3.5},  # numbers become their text
        {"article_id": ["x"], "text": "t"},  # a list id cannot be an id
        {"article_id": "y", "text": {"nested": True}},
        {"article_id": "z", "text": "t", "title": [1], "published_at": {"y": 1}},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (4, 1, 3)
    assert pq.read_table(out).to_pylist()[0]["article_id"] == "7"
    reasons = sorted(r["reason"] for r in pq.read_table(sidecar_paths(out)[0]).to_pylist())
    assert reasons == [
        "field 'article_id' is a list, not text",
        "field 'text' is a dict, not text",
        "field 'title' is a list, not text",
    ]


@pytest.mark.parametrize("value", [253402300800 * 10**6, -(2**63) + 1, 2**63 - 1])
def test_parquet_timestamps_beyond_year_9999_quarantine_only_their_row(tmp_path: Path, value: int) -> None:
    source = tmp_path / "in.parquet"
    stamps = pa.array([0, value], pa.timestamp("us"))
    pq.write_table(pa.table({"article_id": ["ok", "far"], "text": ["t", "t"], "published_at": stamps}), source)
    out = tmp_path / "out.parquet"
    assert _counts(ingest([source], out)) == (2, 1, 1)
    [row] = pq.read_table(sidecar_paths(out)[0]).to_pylist()
    assert row["record_number"] == 2 and row["reason"].startswith("value out of range")

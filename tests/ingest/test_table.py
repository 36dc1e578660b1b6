"""Ingest: every input format, quarantine with reasons, counts that add up."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from validators.ingest.records import InputError
from validators.ingest.table import ingest, sidecar_paths


def _jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _record(article_id: str, text: str = "Some article text.", **fields: object) -> bytes:
    return json.dumps({"article_id": article_id, "text": text, **fields}, ensure_ascii=False).encode()


def test_jsonl_malformed_line_is_quarantined_and_counts_add_up(tmp_path: Path) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [
            _record("a"),
            b'{"article_id": "b", "text": "broken',
            _record("c", published_at="2024-05-01T10:00:00Z"),
        ],
    )
    counts = ingest([source], tmp_path / "out.parquet")
    assert (counts.rows_read, counts.rows_written, counts.rows_quarantined) == (3, 2, 1)
    quarantine_path, counts_path = sidecar_paths(tmp_path / "out.parquet")
    quarantined = pq.read_table(quarantine_path).to_pylist()
    assert len(quarantined) == 1
    assert quarantined[0]["reason"].startswith("invalid JSON")
    assert quarantined[0]["raw"] == b'{"article_id": "b", "text": "broken\n'
    assert quarantined[0]["byte_offset"] == len(_record("a")) + 1
    written = json.loads(counts_path.read_text())
    assert written["rows_read"] == written["rows_written"] + written["rows_quarantined"] == 3
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column("article_id").to_pylist() == ["a", "c"]
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"article_id": "x", "text": "   \\n "}', "no text"),
        (b'{"text": "no id here"}', "no article_id"),
        (b'["not", "an", "object"]', "not a JSON object"),
        (b'{"article_id": "x", "text": "caf\xe9"}', "invalid UTF-8"),
        (b'{"article_id": "x", "text": {"nested": 1}}', "field 'text' is a dict"),
    ],
)
def test_bad_rows_are_quarantined_with_a_reason(tmp_path: Path, line: bytes, reason: str) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [_record("good"), line])
    counts = ingest([source], tmp_path / "out.parquet")
    assert counts.rows_written == 1 and counts.rows_quarantined == 1
    rejected = pq.read_table(sidecar_paths(tmp_path / "out.parquet")[0]).to_pylist()
    assert rejected[0]["reason"].startswith(reason)


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [_record("a", "first"), _record("a", "second")])
    counts = ingest([source], tmp_path / "out.parquet")
    assert counts.rows_quarantined == 1
    assert pq.read_table(tmp_path / "out.parquet").column("text").to_pylist() == ["first"]


def test_text_is_stored_verbatim_and_jsonl_splits_on_newline_bytes_only(tmp_path: Path) -> None:
    text = "  Line one\u2028still line one\r\n\nÜberschrift\t \n"
    source = _jsonl(tmp_path / "in.jsonl", [_record("a", text, extra_field=[1, 2])])
    ingest([source], tmp_path / "out.parquet")
    row = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    assert row["text"] == text
    assert json.loads(row["extra"]) == {"extra_field": [1, 2]}


def test_map_renames_fields(tmp_path: Path) -> None:
    line = json.dumps({"id": "n1", "body": "Text of the article.", "url": "https://example.org/a"}).encode()
    source = _jsonl(tmp_path / "in.jsonl", [line])
    ingest([source], tmp_path / "out.parquet", {"id": "article_id", "body": "text", "url": "source_url"})
    row = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    assert (row["article_id"], row["text"], row["source_url"]) == (
        "n1",
        "Text of the article.",
        "https://example.org/a",
    )


def test_csv_quarantines_the_row_with_invalid_utf8_not_the_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"article_id,text,published_at\r\n"
        b'a,"Multi\nline text",2024-01-02\r\n'
        b"b,bad \xff byte,2024-01-03\r\n"
        b"c,fine,1700000000\r\n"
    )
    counts = ingest([source], tmp_path / "out.parquet")
    assert (counts.rows_read, counts.rows_written, counts.rows_quarantined) == (3, 2, 1)
    rejected = pq.read_table(sidecar_paths(tmp_path / "out.parquet")[0]).to_pylist()[0]
    assert rejected["reason"].startswith("invalid UTF-8")
    assert rejected["byte_offset"] == source.read_bytes().index(b"b,bad")
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert rows[0]["text"] == "Multi\nline text"
    assert rows[1]["published_at"].year == 2023


def test_txt_file_is_one_article(tmp_path: Path) -> None:
    source = tmp_path / "story #1.txt"
    source.write_text("\n\n  The Title  \nBody line one.\n\nBody line two.\n", encoding="utf-8")
    ingest([source], tmp_path / "out.parquet")
    row = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    assert row["article_id"] == "story #1"
    assert row["title"] == "The Title"
    assert row["text"] == "Body line one.\n\nBody line two.\n"


def test_latin1_text_file_is_an_input_error_naming_file_and_offset(tmp_path: Path) -> None:
    source = tmp_path / "old.txt"
    source.write_bytes("Title\nCafé crème".encode("latin-1"))
    with pytest.raises(InputError, match=r"old\.txt: not valid UTF-8 at byte 9"):
        ingest([source], tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


def test_parquet_input_round_trips(tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "in.jsonl", [_record("a"), _record("b")])
    ingest([first], tmp_path / "one.parquet")
    counts = ingest([tmp_path / "one.parquet"], tmp_path / "two.parquet")
    assert counts.rows_written == 2
    assert pq.read_table(tmp_path / "two.parquet").column("article_id").to_pylist() == ["a", "b"]


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        ingest([tmp_path / "absent.jsonl"], tmp_path / "out.parquet")


def test_original_date_string_is_kept_and_parsed(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [_record("a", published_at_raw="28.11.2024")])
    ingest([source], tmp_path / "one.parquet")
    row = pq.read_table(tmp_path / "one.parquet").to_pylist()[0]
    assert row["published_at_raw"] == "28.11.2024"
    assert (row["published_at"].year, row["published_at"].month, row["published_at"].day) == (2024, 11, 28)
    assert row["extra"] is None
    ingest([tmp_path / "one.parquet"], tmp_path / "two.parquet")
    again = pq.read_table(tmp_path / "two.parquet").to_pylist()[0]
    assert again["published_at_raw"] == "28.11.2024" and again["published_at"] == row["published_at"]


def test_html_pages_become_articles_with_their_date(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    counts = ingest([fixtures / "meta-dated.html"], tmp_path / "out.parquet", fmt="html")
    assert counts.rows_written == 1
    row = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    assert row["article_id"] == "meta-dated"
    assert row["text"].strip() and row["published_at_raw"]
    assert row["published_at"] is not None

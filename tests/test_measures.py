"""Streaming the article table: files and partitioned folders, table order, bounded memory, Parquet output."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from validators import measures
from validators.measures import (
    MEASURE_SCHEMA,
    compute_measures,
    count_articles,
    iter_batches,
    iter_measures,
    write_measures,
)
from validators.schema import ARTICLE_SCHEMA


def _articles(count: int) -> pa.Table:
    rows = [
        {
            "article_id": f"a{i:05d}",
            "text": f"Paragraph number {i} of a short made-up article about the weather.\n\nX"
            if i % 3 == 0
            else f"Article {i} talks about a local football match that ended in a draw.",
            "language": "de" if i % 2 else "en",
            "published_at_raw": None,
            "source_url": f"https://example.org/{i}",
        }
        for i in range(count)
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


@pytest.fixture
def table_file(tmp_path: Path) -> Path:
    path = tmp_path / "articles.parquet"
    pq.write_table(_articles(250), path, row_group_size=40)
    return path


def test_batches_stream_the_file_in_table_order(table_file: Path) -> None:
    batches = list(iter_batches(table_file, batch_size=32))
    assert all(batch.num_rows <= 32 for batch in batches)
    ids = [i for batch in batches for i in batch.column("article_id").to_pylist()]
    assert ids == pq.read_table(table_file).column("article_id").to_pylist()
    assert "title" not in batches[0].schema.names, "only the detectors' columns are read"


def test_partitioned_folder_reads_every_article(tmp_path: Path) -> None:
    folder = tmp_path / "partitioned"
    ds.write_dataset(_articles(120), folder, format="parquet", partitioning=["language"], partitioning_flavor="hive")
    assert count_articles(folder) == 120
    rows = [row for batch in iter_batches(folder, 50) for row in batch.to_pylist()]
    assert sorted(row["article_id"] for row in rows) == [f"a{i:05d}" for i in range(120)]
    assert {row["language"] for row in rows} == {"de", "en"}, "the partition key comes back as a column"


def test_missing_optional_columns_are_treated_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "narrow.parquet"
    pq.write_table(pa.table({"article_id": ["only"], "text": ["Some text of an article."]}), path)
    table = compute_measures(path, workers=1)
    assert table.column("article_id").to_pylist() == ["only"]
    assert table.column("date_state").to_pylist() == ["missing"]


def test_pool_and_single_process_give_the_same_measures(table_file: Path) -> None:
    single = compute_measures(table_file, workers=1, batch_size=32)
    pooled = compute_measures(table_file, workers=2, batch_size=32)
    assert pooled.schema == MEASURE_SCHEMA
    assert pooled.equals(single)


def test_in_flight_batches_are_bounded(table_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = 0
    original = measures.iter_batches

    def counting(path: Path, batch_size: int) -> object:
        nonlocal read
        for batch in original(path, batch_size):
            read += 1
            yield batch

    monkeypatch.setattr(measures, "iter_batches", counting)
    stream = iter_measures(table_file, workers=2, batch_size=10)
    next(stream)
    # The first result comes back once the queue is full: never more than workers x IN_FLIGHT_PER_WORKER.
    assert read <= 2 * measures.IN_FLIGHT_PER_WORKER
    finished = 1 + sum(1 for _ in stream)
    assert finished == read == 25


def test_write_measures_streams_to_parquet_and_reports_progress(table_file: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    out = tmp_path / "measures.parquet"
    rows = write_measures(table_file, out, workers=1, batch_size=64, progress=seen.append)
    assert rows == sum(seen) == 250
    written = pq.read_table(out)
    assert written.schema == MEASURE_SCHEMA
    assert written.equals(compute_measures(table_file, workers=1))
    assert pq.ParquetFile(out).metadata.num_row_groups == len(seen), "one row group per batch"


def _templated(count: int) -> pa.Table:
    rows = [
        {
            "article_id": f"t{i:04d}",
            "text": f"Report {i}: the council met on day {i} and agreed on {i % 7} new benches for the park.\n"
            "Harbour Gazette newsroom, Quay Street twelve, Port Ellen",
            "language": "en",
            "source_name": "Harbour Gazette",
            "source_url": f"https://gazette.example/{i}",
        }
        for i in range(count)
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


def test_template_lines_mined_by_the_pool_reach_its_measures(tmp_path: Path) -> None:
    path = tmp_path / "templated.parquet"
    pq.write_table(_templated(60), path, row_group_size=25)
    assert measures.mine_templates(path, batch_size=8) == measures.mine_templates(path)
    assert len(measures.mine_templates(path)["Harbour Gazette"]) == 1
    single = compute_measures(path, workers=1, batch_size=8)
    pooled = compute_measures(path, workers=2, batch_size=8)
    assert pooled.equals(single)
    reasons = {span["reason"] for spans in pooled.column("spans").to_pylist() for span in spans}
    assert "template" in reasons


def test_batches_travel_without_the_row_group_they_are_cut_from(table_file: Path) -> None:
    batch = next(iter_batches(table_file, batch_size=5))
    shipped = measures.ipc_bytes(batch)
    assert pa.ipc.open_stream(shipped).read_next_batch().equals(batch)
    whole_group = next(iter_batches(table_file, batch_size=40))
    assert shipped.size < measures.ipc_bytes(whole_group).size / 3


def test_batches_of_one_large_row_group_hold_only_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "one-group.parquet"
    pq.write_table(_articles(400), path, row_group_size=400)
    first = next(iter_batches(path, batch_size=20))
    whole = pq.read_table(path, columns=first.schema.names)
    assert first.get_total_buffer_size() < whole.get_total_buffer_size() / 5


def test_files_of_a_folder_may_lack_optional_columns(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    pq.write_table(_articles(6), folder / "a.parquet")
    pq.write_table(pa.table({"article_id": ["b1"], "text": ["A narrow file."]}), folder / "b.parquet")
    rows = [row for batch in iter_batches(folder) for row in batch.to_pylist()]
    assert len(rows) == 7
    narrow = next(row for row in rows if row["article_id"] == "b1")
    assert narrow["source_url"] is None and narrow["text"] == "A narrow file."

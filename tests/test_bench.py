"""The benchmark's article mix and its memory probe."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq

from validators.bench import BenchResult, build_table, format_bench, load_pools, tree_cpu, tree_rss
from validators.schema import ARTICLE_SCHEMA


def test_built_articles_are_distinct_sized_and_mostly_clean(tmp_path: Path) -> None:
    table_path = tmp_path / "bench.parquet"
    mean = build_table(2_000, table_path, load_pools(None), seed=1)
    table = pq.read_table(table_path)
    assert table.schema == ARTICLE_SCHEMA
    texts = table.column("text").to_pylist()
    assert len(set(texts)) == len(texts) == 2_000
    assert 3_000 <= mean <= 6_000
    assert min(len(t) for t in texts) >= 3_000
    missing_dates = table.column("published_at").null_count
    assert 0 < missing_dates < 2_000 * 0.1, "about a quarter of the ~10% defective articles lack a date"


def test_same_seed_builds_the_same_table(tmp_path: Path) -> None:
    pools = load_pools(None)
    build_table(300, tmp_path / "a.parquet", pools, seed=3)
    build_table(300, tmp_path / "b.parquet", pools, seed=3)
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))


def test_tree_rss_counts_this_process() -> None:
    assert tree_rss(os.getpid()) > 10 * 2**20


def test_tree_cpu_counts_this_process() -> None:
    # Busy until the kernel's tick-counted CPU time of this process has moved past what it was.
    before = tree_cpu(os.getpid())[os.getpid()]
    while tree_cpu(os.getpid())[os.getpid()] <= before:
        sum(range(10_000))
    assert tree_cpu(os.getpid())[os.getpid()] > before


def test_format_shows_cpu_time() -> None:
    result = BenchResult(1_000, 2, "sample", 10**6, 4_000.0, 4.0, {"measures": 2.0}, cpu_s=5.0, main_cpu_s=1.5)
    text = format_bench(result)
    assert "5.0 s = 200 articles per CPU second (main process 1.5 s)" in text


def test_format_shows_end_to_end_rate_and_stage_shares() -> None:
    result = BenchResult(1_000, 2, "sample", 10**6, 4_000.0, 4.0, {"measures": 2.0, "great_expectations": 1.0})
    text = format_bench(result)
    assert "250 articles/s" in text
    assert "50%" in text and "25%" in text, "shares are of the end-to-end time"
    assert "start-up and other" in text

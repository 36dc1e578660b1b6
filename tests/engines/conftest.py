"""One Spark session (``local[2]``) per test session, and the article tables the engines compare on."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from validators.bench import build_table, load_pools
from validators.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A ``local[2]`` Spark session; skips without pyspark, except under CI=true where it must exist."""
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pyspark is not installed; CI runs `make setup-spark`", pytrace=False)
        pytest.skip("pyspark is not installed (make setup-spark)")
    from validators.engines.spark import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def sample_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample as an article table."""
    table = tmp_path_factory.mktemp("sample") / "sample.parquet"
    assert main(["ingest", str(REPO / "datasets" / "sample"), "--out", str(table)]) == 0
    return table


@pytest.fixture(scope="session")
def table_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 distinct articles built from the sample's paragraphs, about 10% with planted defects."""
    table = tmp_path_factory.mktemp("ten_thousand") / "articles.parquet"
    build_table(10_000, table, load_pools(None), seed=7)
    return table

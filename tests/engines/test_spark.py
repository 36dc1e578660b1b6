"""The Spark engine gives the same results.json as the local engine (everything but ``run``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validators.cli import DEFAULT_SUITE
from validators.pipeline import validate
from validators.suite import load_suite

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _without_run(out: Path) -> dict[str, Any]:
    results = json.loads((out / "results.json").read_text("utf-8"))
    results.pop("run")
    return results


def _both_engines(table: Path, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    suite = load_suite(DEFAULT_SUITE)
    validate(table, suite, tmp_path / "local", workers=2, engine="local")
    output = validate(table, suite, tmp_path / "spark", engine="spark")
    assert output.results["run"]["engine"] == "spark"
    assert (tmp_path / "spark" / "report.html").exists()
    return _without_run(tmp_path / "local"), _without_run(tmp_path / "spark")


def test_sample_results_are_identical(spark: Any, sample_table: Path, tmp_path: Path) -> None:
    local, on_spark = _both_engines(sample_table, tmp_path)
    assert local["articles_failed"], "the sample has planted defects"
    assert on_spark == local


def test_10k_table_results_are_identical(spark: Any, table_10k: Path, tmp_path: Path) -> None:
    local, on_spark = _both_engines(table_10k, tmp_path)
    assert local["articles"] == on_spark["articles"] == 10_000
    assert 0 < len(local["articles_failed"]) < 10_000
    assert on_spark == local

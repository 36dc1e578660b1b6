"""Determinism: the same input gives the same tables, measures and results, apart from ``run``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from validators.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "datasets" / "sample"


def _results_without_run(run: Path) -> dict[str, Any]:
    results = json.loads((run / "results.json").read_text("utf-8"))
    assert set(results["run"]) >= {"started_at", "finished_at", "durations_s", "versions", "paths"}
    results.pop("run")
    return dict(results)


def test_two_ingests_write_identical_tables(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert main(["ingest", str(SAMPLE), "--out", str(tmp_path / name / "t.parquet")]) == 0
    for table in ("t.parquet", "t.quarantine.parquet"):
        assert pq.read_table(tmp_path / "one" / table).equals(pq.read_table(tmp_path / "two" / table))
    counts = [json.loads((tmp_path / name / "t.ingest.json").read_text("utf-8")) for name in ("one", "two")]
    assert counts[0] == counts[1]


def test_two_validations_give_identical_results_and_measures(tmp_path: Path) -> None:
    table = tmp_path / "sample.parquet"
    assert main(["ingest", str(SAMPLE), "--out", str(table)]) == 0
    # One run in this process, one over the process pool: where a batch is measured changes nothing.
    assert main(["validate", str(table), "--out", str(tmp_path / "one"), "--workers", "1"]) == 1
    assert main(["validate", str(table), "--out", str(tmp_path / "two"), "--workers", "2"]) == 1
    first, second = _results_without_run(tmp_path / "one"), _results_without_run(tmp_path / "two")
    assert first["articles_failed"], "the sample has planted defects"
    assert first == second
    measures = [pq.read_table(tmp_path / name / "measures.parquet") for name in ("one", "two")]
    assert measures[0].equals(measures[1])
    assert measures[0].num_rows == first["articles"]

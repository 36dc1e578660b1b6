"""The local engine: GX over slices of the measures agrees with GX over the whole table."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from validators.cli import DEFAULT_SUITE
from validators.engines import local
from validators.engines.local import failing_rows, merge_outcomes, validate_measures
from validators.gx_run import CheckOutcome
from validators.measures import MEASURE_SCHEMA, write_measures
from validators.suite import load_suite


@pytest.fixture(scope="module")
def sample_measures(sample_table: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("measures") / "measures.parquet"
    write_measures(sample_table, out, workers=1)
    return out


def test_slices_give_the_outcomes_of_one_frame(
    sample_measures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite = load_suite(DEFAULT_SUITE)
    whole = validate_measures(suite, sample_measures, tmp_path / "whole")
    monkeypatch.setattr(local, "GX_SLICE_ROWS", 10)
    sliced = validate_measures(suite, sample_measures, tmp_path / "sliced")
    assert any(o.failed_ids for o in whole)
    assert sliced == whole
    assert (tmp_path / "sliced" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_merge_applies_mostly_to_the_summed_counts() -> None:
    suite = load_suite(DEFAULT_SUITE)
    first = [CheckOutcome(c.id, True, [], 10) for c in suite.checks]
    second = [CheckOutcome(c.id, True, [], 10) for c in suite.checks]
    second[0] = CheckOutcome(suite.checks[0].id, False, ["late"], 10)
    merged = merge_outcomes(suite, [first, second])
    assert merged[0] == CheckOutcome(suite.checks[0].id, suite.checks[0].mostly <= 19 / 20, ["late"], 20)
    assert all(o.success and o.element_count == 20 for o in merged[1:])


def test_failing_rows_come_back_in_table_order(sample_measures: Path) -> None:
    ids = pq.read_table(sample_measures, columns=["article_id"]).column("article_id").to_pylist()
    wanted = {ids[-1], ids[0], ids[5]}
    rows = failing_rows(sample_measures, wanted)
    assert rows.column("article_id").to_pylist() == [ids[0], ids[5], ids[-1]]
    assert rows.schema == MEASURE_SCHEMA
    assert failing_rows(sample_measures, []).num_rows == 0

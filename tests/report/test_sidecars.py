"""The CSV files beside the report."""

from __future__ import annotations

import csv
from pathlib import Path

from validators.report.sidecars import failures_file, write_failure_lists
from validators.report.trend import compare


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_every_check_gets_its_complete_list_and_hostile_ids_round_trip(tmp_path: Path) -> None:
    hostile = 'a,"b"\n=cmd|x'
    results = {
        "checks": [
            {"id": "boilerplate", "failed_ids": ["1", hostile]},
            {"id": "missing_date", "failed_ids": []},
        ],
        "articles_failed": [
            {"article_id": "1", "failed_checks": ["boilerplate"]},
            {"article_id": hostile, "failed_checks": ["boilerplate"]},
        ],
    }
    baseline = {"articles": 2, "checks": [{"id": "boilerplate", "failed_ids": ["1", "gone"]}]}
    written = write_failure_lists(tmp_path, results, compare(results, baseline))
    assert {p.name for p in written} == {"boilerplate.csv", "missing_date.csv", "all.csv", "trend.csv"}
    assert _read(tmp_path / "failures" / "boilerplate.csv") == [["article_id"], ["1"], [hostile]]
    assert _read(tmp_path / "failures" / "missing_date.csv") == [["article_id"]]
    assert _read(tmp_path / "failures" / "all.csv")[2] == [hostile, "boilerplate"]
    assert _read(tmp_path / "failures" / "trend.csv")[1:] == [
        ["boilerplate", "new", hostile],
        ["boilerplate", "fixed", "gone"],
    ]


def test_check_ids_never_escape_the_failures_folder() -> None:
    for hostile in ("../../etc/passwd", "..", "/abs", "a\\b", ".hidden", "x\x00y", "名前"):
        folder, name = failures_file(hostile).split("/", 1)
        assert folder == "failures" and "/" not in name and "\\" not in name and not name.startswith(".")
    assert failures_file("..") == "failures/check.csv"
    assert failures_file("ok_id-1.2") == "failures/ok_id-1.2.csv"

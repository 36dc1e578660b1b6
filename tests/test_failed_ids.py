"""failed_ids/<check>.csv: every failing id, one file per check, safe file names."""

from __future__ import annotations

import csv
from pathlib import Path

from validators.failed_ids import csv_name, write_failed_ids


def test_every_check_gets_a_file_with_all_its_failing_ids(tmp_path: Path) -> None:
    results = {
        "checks": [{"id": "missing_date", "failed_ids": ["a", 'b,"c"\nd']}, {"id": "ok", "failed_ids": []}]
    }
    written = write_failed_ids(results, tmp_path)
    with written["missing_date"].open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["article_id"], ["a"], ['b,"c"\nd']]
    assert written["ok"].read_text("utf-8").splitlines() == ["article_id"]
    assert written["ok"].parent == tmp_path / "failed_ids"


def test_file_names_are_safe_and_unique() -> None:
    taken: set[str] = set()
    assert csv_name("../etc/passwd", taken) == "_etc_passwd.csv"
    assert csv_name("../etc/passwd", taken) == "_etc_passwd-2.csv"
    assert csv_name("...", taken) == "check.csv"

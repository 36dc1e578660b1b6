"""``failed_ids/<check>.csv``: every failing article id of each check, one file per check.

A file is written for every check (a header only when nothing failed), so a CI step can rely on it existing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FOLDER = "failed_ids"
HEADER = ("article_id",)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def csv_name(check_id: str, taken: set[str]) -> str:
    """A safe, unique file name for a check id (ids are user text; never used raw as a path)."""
    stem = _UNSAFE.sub("_", check_id).lstrip(".") or "check"
    name, number = f"{stem}.csv", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.csv"
    taken.add(name)
    return name


def write_failed_ids(results: Mapping[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write one CSV per check into ``out_dir/failed_ids``; return the file of each check id."""
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written: dict[str, Path] = {}
    for check in results["checks"]:
        path = folder / csv_name(check["id"], taken)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows([str(article_id)] for article_id in check["failed_ids"])
        written[check["id"]] = path
    return written

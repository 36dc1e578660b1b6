"""CSV files beside the report with the complete failing-id lists (the page embeds only a bounded sample)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from validators.atomic import write_bytes
from validators.report.trend import Trend

FAILURES_DIR = "failures"
ALL_FAILURES = "all.csv"
TREND_FILE = "trend.csv"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def failures_file(check_id: str) -> str:
    """The CSV file name, relative to the report, that lists every article failing ``check_id``."""
    name = _UNSAFE_NAME.sub("_", check_id).strip(".") or "check"
    return f"{FAILURES_DIR}/{name}.csv"


def write_failure_lists(out_dir: Path, results: Mapping[str, Any], trend: Trend | None = None) -> list[Path]:
    """Write ``failures/<check>.csv`` for every check, ``failures/all.csv`` and, with a baseline,
    ``failures/trend.csv``; returns the files written."""
    written = []
    for check in results.get("checks", []):
        target = out_dir / failures_file(str(check["id"]))
        write_public(target, _csv(["article_id"], ([i] for i in check.get("failed_ids", []))))
        written.append(target)
    everything = out_dir / FAILURES_DIR / ALL_FAILURES
    rows = ([a["article_id"], " ".join(a.get("failed_checks", []))] for a in results.get("articles_failed", []))
    write_public(everything, _csv(["article_id", "failed_checks"], rows))
    written.append(everything)
    if trend is not None:
        target = out_dir / FAILURES_DIR / TREND_FILE
        changes = (
            [c.check_id, change, article_id]
            for c in trend.checks
            for change, ids in (("new", c.new), ("fixed", c.fixed))
            for article_id in ids
        )
        write_public(target, _csv(["check", "change", "article_id"], changes))
        written.append(target)
    return written


def write_public(target: Path, content: str | bytes) -> None:
    """Atomically write ``content`` (UTF-8 when a string) to ``target``, readable by everyone like any other
    report file, whatever the umask."""
    write_bytes(target, content.encode("utf-8") if isinstance(content, str) else content, mode=0o644)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()

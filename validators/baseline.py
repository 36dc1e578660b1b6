"""The regression gate: compare a run's results with a previous run's ``results.json``.

A team can adopt the gate on an imperfect corpus by passing the last accepted run as a baseline: a check
that fails now regresses only when it fails articles the baseline did not (new failing ids), or when its
failure rate (failed articles / articles) rose by more than a tolerance. A check the baseline does not know
counts as failing nothing before. A check that passes now never regresses, so a baseline never makes the gate
stricter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validators.ingest.records import InputError


@dataclass(frozen=True)
class Regression:
    """How one check got worse than in the baseline."""

    check_id: str
    new_failed_ids: tuple[str, ...]
    rate_before: float
    rate_now: float

    def describe(self, shown: int = 5) -> str:
        """One readable sentence: the new failing ids (first ``shown``) and the failure rates."""
        from validators.gate import display_id  # gate builds on this module

        parts = []
        if self.new_failed_ids:
            first = ", ".join(display_id(i) for i in self.new_failed_ids[:shown])
            more = "" if len(self.new_failed_ids) <= shown else ", ..."
            parts.append(f"{len(self.new_failed_ids)} new failing id(s) ({first}{more})")
        parts.append(f"failure rate {self.rate_now:.1%} (baseline {self.rate_before:.1%})")
        return "regression against the baseline: " + "; ".join(parts)


def load_baseline(path: Path) -> dict[str, Any]:
    """Read and check a previous run's ``results.json``; raise ``InputError`` (exit 2) when it is unusable."""
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(f"{path}: cannot read baseline results: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("checks"), list):
        raise InputError(f"{path}: not a results.json document (no 'checks' list)")
    articles = document.get("articles")
    if not isinstance(articles, int) or isinstance(articles, bool) or articles < 0:
        raise InputError(f"{path}: not a results.json document (no article count)")
    for number, check in enumerate(document["checks"]):
        if not isinstance(check, dict) or not isinstance(check.get("id"), str):
            raise InputError(f"{path}: check {number} has no 'id'")
        if not isinstance(check.get("failed_ids"), list):
            raise InputError(f"{path}: check {check['id']!r} has no 'failed_ids' list")
    return document


def failure_rate(failed: int, articles: int) -> float:
    """Failed articles over articles (0 for an empty run)."""
    return failed / articles if articles else 0.0


def find_regressions(
    results: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float = 0.0
) -> dict[str, Regression]:
    """The checks of ``results`` that fail now and regressed against ``baseline``, keyed by check id."""
    before = {check["id"]: check for check in baseline["checks"]}
    found: dict[str, Regression] = {}
    for check in results["checks"]:
        if check["success"]:
            continue
        previous = before.get(check["id"])
        known = {str(i) for i in previous["failed_ids"]} if previous else set()
        rate_before = failure_rate(len(known), int(baseline["articles"])) if previous else 0.0
        rate_now = failure_rate(len(check["failed_ids"]), int(results["articles"]))
        new_ids = tuple(str(i) for i in check["failed_ids"] if str(i) not in known)
        if new_ids or rate_now - rate_before > tolerance:
            found[check["id"]] = Regression(check["id"], new_ids, rate_before, rate_now)
    return found

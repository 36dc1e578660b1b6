"""The trend against a previous run: per-check change in failures, and which articles are new or fixed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CheckTrend:
    """One check compared with the baseline run (``None`` where the baseline did not run the check)."""

    check_id: str
    failed: int
    rate: float
    baseline_failed: int | None
    baseline_rate: float | None
    new: list[str]
    fixed: list[str]

    @property
    def delta(self) -> int | None:
        """Change in the number of failing articles."""
        return None if self.baseline_failed is None else self.failed - self.baseline_failed

    @property
    def rate_delta(self) -> float | None:
        """Change in the failure rate."""
        return None if self.baseline_rate is None else self.rate - self.baseline_rate


@dataclass(frozen=True)
class Trend:
    """The whole comparison; ``baseline`` names the previous run."""

    baseline: str
    baseline_articles: int
    checks: list[CheckTrend]


def compare(results: Mapping[str, Any], baseline: Mapping[str, Any]) -> Trend:
    """Compare a run's results with a previous run's ``results.json``."""
    total = max(int(results.get("articles", 0)), 1)
    base_total = max(int(baseline.get("articles", 0)), 1)
    before = {str(c["id"]): c for c in baseline.get("checks", [])}
    checks = []
    for check in results.get("checks", []):
        check_id = str(check["id"])
        now_ids = [str(i) for i in check.get("failed_ids", [])]
        old = before.get(check_id)
        if old is None:
            checks.append(CheckTrend(check_id, len(now_ids), len(now_ids) / total, None, None, [], []))
            continue
        old_ids = [str(i) for i in old.get("failed_ids", [])]
        old_set, now_set = set(old_ids), set(now_ids)
        checks.append(
            CheckTrend(
                check_id,
                len(now_ids),
                len(now_ids) / total,
                len(old_ids),
                len(old_ids) / base_total,
                [i for i in now_ids if i not in old_set],
                [i for i in old_ids if i not in now_set],
            )
        )
    run = baseline.get("run", {})
    name = str(baseline.get("dataset", "")) + (f" ({run['finished_at']})" if run.get("finished_at") else "")
    return Trend(name, int(baseline.get("articles", 0)), checks)

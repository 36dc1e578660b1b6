"""Comparison with a previous run."""

from __future__ import annotations

from validators.report.trend import compare


def test_new_and_fixed_failures_and_deltas_per_check() -> None:
    now = {
        "articles": 10,
        "checks": [{"id": "a", "failed_ids": ["1", "2", "3"]}, {"id": "b", "failed_ids": []}],
    }
    before = {
        "articles": 20,
        "dataset": "d",
        "checks": [{"id": "a", "failed_ids": ["2", "9"]}],
        "run": {"finished_at": "yesterday"},
    }
    trend = compare(now, before)
    a, b = trend.checks
    assert (a.failed, a.baseline_failed, a.delta) == (3, 2, 1)
    assert abs((a.rate_delta or 0) - (0.3 - 0.1)) < 1e-9
    assert (a.new, a.fixed) == (["1", "3"], ["9"])
    assert (b.baseline_failed, b.delta, b.rate_delta) == (None, None, None)
    assert trend.baseline == "d (yesterday)" and trend.baseline_articles == 20

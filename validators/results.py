"""The ``results.json`` contract, built from GX outcomes and the measures table.

Keys other tools read (keep them stable)::

    {"dataset", "suite", "articles", "success",
     "checks": [{"id", "severity", "success", "failed", "failed_ids", "overrides" (only with overrides)}],
     "articles_failed": [{"article_id", "failed_checks", "spans": [{"check", "start", "end", "reason"}]}],
     "run": {...}}

Everything that differs between two runs on the same input (times, versions, durations, paths) sits under
``run``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from validators.gx_run import CheckOutcome
from validators.suite import Suite


def build_results(
    dataset: str, suite: Suite, outcomes: list[CheckOutcome], measures: pa.Table, run: Mapping[str, Any]
) -> dict[str, Any]:
    """Assemble the results document; ``success`` is true when every error-severity check passed."""
    checks = []
    failed_by_article: dict[str, list[str]] = {}
    for config, outcome in zip(suite.checks, outcomes, strict=True):
        checks.append(
            {
                "id": config.id,
                "check": config.check.name,
                "severity": outcome.severity or config.severity,
                "success": outcome.success,
                "failed": len(outcome.failed_ids),
                "failed_ids": outcome.failed_ids,
                "mostly": config.mostly,
                "params": dict(config.params),
                "description": config.description,
            }
        )
        if outcome.groups:
            checks[-1]["overrides"] = outcome.groups
        for article_id in outcome.failed_ids:
            failed_by_article.setdefault(article_id, []).append(config.id)
    articles_failed = _articles_failed(suite, failed_by_article, measures)
    success = all(c["success"] for c in checks if c["severity"] == "error")
    return {
        "dataset": dataset,
        "suite": suite.name,
        "articles": measures.num_rows,
        "success": success,
        "checks": checks,
        "articles_failed": articles_failed,
        "run": dict(run),
    }


def _articles_failed(suite: Suite, failed_by_article: dict[str, list[str]], measures: pa.Table) -> list[dict[str, Any]]:
    """Every article that violates any check, in table order, with the spans of the checks it failed."""
    if not failed_by_article:
        return []
    spans_of_detector = {c.id: c.check.spans_from for c in suite.checks}
    ids = measures.column("article_id").to_pylist()
    span_lists = measures.column("spans").to_pylist()
    suggested = measures.column("suggested_published_at").to_pylist()
    evidence = measures.column("suggested_published_at_evidence").to_pylist()
    result = []
    for article_id, spans, date, why in zip(ids, span_lists, suggested, evidence, strict=True):
        failed_checks = failed_by_article.get(article_id)
        if not failed_checks:
            continue
        shown: list[dict[str, Any]] = []
        for check_id in failed_checks:
            detector = spans_of_detector[check_id]
            if detector is None:
                continue
            shown.extend(
                {"check": check_id, "start": s["start"], "end": s["end"], "reason": s["reason"]}
                for s in spans or []
                if s["detector"] == detector
            )
        shown.sort(key=lambda s: (s["start"], s["end"], s["check"]))
        entry: dict[str, Any] = {"article_id": article_id, "failed_checks": failed_checks, "spans": shown}
        if date is not None:
            # A recovery hint only: the table's own published_at is never overwritten.
            entry["suggested_published_at"] = date
            entry["suggested_published_at_evidence"] = why
        result.append(entry)
    return result

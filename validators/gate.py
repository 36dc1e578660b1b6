"""The gate's decision: a verdict per check and the process exit code of a validation run.

- 0: the gate passed (warnings allowed, unless ``fail_on="warning"``);
- 1: the data failed the gate: a check of a failing severity failed (with a baseline: regressed);
- 2: tool, configuration or input error (raised before a decision is made).

``docs/gate.md`` documents the contract for CI users. The JUnit file, the job summary and the pytest plugin
all read the same verdicts, so they always agree with the exit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from validators.baseline import failure_rate, find_regressions

PASS, DATA_FAILED, TOOL_ERROR = 0, 1, 2
FAIL_ON = ("error", "warning")
PASSED, WARNED, FAILED = "passed", "warned", "failed"
# How many failing ids a message names, and how much of each; the CSV of failing ids has them all, whole.
SHOWN_IDS = 5
SHOWN_ID_CHARS = 80


@dataclass(frozen=True)
class GatePolicy:
    """What fails the gate: the lowest failing severity, and an optional baseline to gate regressions only."""

    fail_on: str = "error"
    baseline: Mapping[str, Any] | None = None
    tolerance: float = 0.0

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {FAIL_ON}, got {self.fail_on!r}")
        if not 0.0 <= self.tolerance <= 1.0:
            raise ValueError(f"tolerance must be a fraction between 0 and 1, got {self.tolerance!r}")

    def gates(self, severity: str) -> bool:
        """Whether a failure of this severity can fail the gate."""
        return severity == "error" or self.fail_on == "warning"


@dataclass(frozen=True)
class Verdict:
    """The gate's view of one check: passed, warned (reported, does not fail the gate) or failed."""

    check_id: str
    severity: str
    status: str
    message: str
    failed: int
    articles: int
    first_failed_ids: tuple[str, ...]


def verdicts(results: Mapping[str, Any], policy: GatePolicy | None = None) -> list[Verdict]:
    """One verdict per check of ``results``, in suite order."""
    policy = policy or GatePolicy()
    regressions = find_regressions(results, policy.baseline, policy.tolerance) if policy.baseline else {}
    articles = int(results["articles"])
    found = []
    for check in results["checks"]:
        failed_ids = tuple(str(i) for i in check["failed_ids"])
        counted = _counted(check, articles)
        if check["success"]:
            status, message = PASSED, counted
        elif not policy.gates(check["severity"]):
            status, message = (
                WARNED,
                f"{counted} (severity {check['severity']}: reported, does not fail the gate)",
            )
        elif policy.baseline is not None and check["id"] not in regressions:
            status, message = WARNED, f"{counted} (no regression against the baseline)"
        elif check["id"] in regressions:
            status, message = FAILED, f"{counted}; {regressions[check['id']].describe(SHOWN_IDS)}"
        else:
            status, message = FAILED, counted
        found.append(
            Verdict(
                check["id"],
                check["severity"],
                status,
                message,
                len(failed_ids),
                articles,
                failed_ids[:SHOWN_IDS],
            )
        )
    return found


def exit_code(results: Mapping[str, Any], policy: GatePolicy | str | None = None) -> int:
    """0 when the gate passes, 1 when any check's verdict is a failure.

    ``policy`` is a ``GatePolicy``, or just the lowest failing severity (``"error"`` or ``"warning"``).
    """
    if isinstance(policy, str):
        policy = GatePolicy(fail_on=policy)
    return DATA_FAILED if any(v.status == FAILED for v in verdicts(results, policy)) else PASS


def _counted(check: Mapping[str, Any], articles: int) -> str:
    """'3 of 28 articles failed (10.7%, allowed 0.0%); first failing ids: a, b, c' and any override groups."""
    failed_ids = [str(i) for i in check["failed_ids"]]
    allowed = 1.0 - float(check.get("mostly", 1.0))
    text = (
        f"{len(failed_ids)} of {articles} articles failed ({failure_rate(len(failed_ids), articles):.1%}, "
        f"allowed {allowed:.1%})"
    )
    if failed_ids:
        more = ", ..." if len(failed_ids) > SHOWN_IDS else ""
        text += f"; first failing ids: {', '.join(display_id(i) for i in failed_ids[:SHOWN_IDS])}{more}"
    failing_groups = [g for g in check.get("overrides", []) if not g["success"]]
    for group in failing_groups:
        where = "rows without an override" if group["where"] is None else _where_text(group["where"])
        text += (
            f"; {where}: {group['failed']} of {group['articles']} failed "
            f"(allowed {1.0 - float(group['mostly']):.1%}, severity {group['severity']})"
        )
    return text


def display_id(article_id: object) -> str:
    """An article id as messages show it: unprintable characters replaced, long ids cut with an ellipsis."""
    text = "".join(c if c.isprintable() else "\ufffd" for c in str(article_id)[: SHOWN_ID_CHARS + 1])
    return text if len(text) <= SHOWN_ID_CHARS else text[: SHOWN_ID_CHARS - 1] + "…"


def _where_text(where: Mapping[str, list[str]]) -> str:
    return " and ".join(f"{key} {'/'.join(values)}" for key, values in where.items())

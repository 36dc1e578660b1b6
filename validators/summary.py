"""``summary.md``: the run as a short Markdown table, also appended to GitHub's job summary when it is set."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from validators.gate import FAILED, PASSED, WARNED, GatePolicy, Verdict, display_id

STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
_MARKS = {PASSED: "✅ pass", WARNED: "⚠️ warn", FAILED: "❌ fail"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def markdown_text(value: object) -> str:
    """``value`` safe inside a Markdown table cell: no line breaks or control characters, specials escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", str(value)))


def render_summary(results: Mapping[str, Any], verdicts: Sequence[Verdict], policy: GatePolicy) -> str:
    """The Markdown summary of a run: the gate's decision, then one table row per check."""
    failed = [v for v in verdicts if v.status == FAILED]
    warned = [v for v in verdicts if v.status == WARNED]
    headline = "❌ Article validation failed" if failed else "✅ Article validation passed"
    lines = [
        f"## {headline}",
        "",
        f"Dataset **{markdown_text(results['dataset'])}**, suite **{markdown_text(results['suite'])}**: "
        f"{results['articles']} articles, {len(verdicts)} checks: "
        f"{len(failed)} failed, {len(warned)} warned. "
        f"Exit code {1 if failed else 0}; failing severity: {policy.fail_on}"
        + ("; gated on regressions against a baseline." if policy.baseline is not None else "."),
        "",
        "| Check | Severity | Result | Failed | First failing ids |",
        "|---|---|---|---:|---|",
    ]
    for verdict in verdicts:
        ids = ", ".join(markdown_text(display_id(i)) for i in verdict.first_failed_ids)
        if verdict.failed > len(verdict.first_failed_ids):
            ids += ", …"
        lines.append(
            f"| {markdown_text(verdict.check_id)} | {verdict.severity} | {_MARKS[verdict.status]} | "
            f"{verdict.failed} of {verdict.articles} | {ids} |"
        )
    details = [v for v in verdicts if v.status != PASSED]
    if details:
        lines += ["", "### Details", ""]
        lines += [f"- **{markdown_text(v.check_id)}** ({v.status}): {markdown_text(v.message)}" for v in details]
    return "\n".join(lines) + "\n"


def append_step_summary(text: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append ``text`` to the file ``$GITHUB_STEP_SUMMARY`` names, when set; return that path."""
    target = (os.environ if environ is None else environ).get(STEP_SUMMARY_VARIABLE)
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
    return path

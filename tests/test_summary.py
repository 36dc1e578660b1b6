"""summary.md and the GitHub job summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validators.gate import GatePolicy, verdicts
from validators.summary import append_step_summary, markdown_text, render_summary


def _results(failed: list[str], severity: str = "error") -> dict[str, Any]:
    check = {
        "id": "missing_date",
        "severity": severity,
        "failed_ids": failed,
        "success": not failed,
        "mostly": 1.0,
    }
    return {"dataset": "crafted", "suite": "news", "articles": 3, "checks": [check]}


def test_failed_run_has_headline_row_and_details() -> None:
    results = _results(["a|1", "b\nc"])
    text = render_summary(results, verdicts(results), GatePolicy())
    assert text.startswith("## ❌ Article validation failed")
    row = next(line for line in text.splitlines() if line.startswith("| missing"))
    # Untrusted ids neither split the table row nor break the line.
    assert row.count(" | ") == 4
    assert "a\\|1, b\ufffdc" in row
    assert "Exit code 1" in text


def test_passing_run_with_a_warning() -> None:
    results = _results(["w1"], severity="warning")
    text = render_summary(results, verdicts(results), GatePolicy())
    assert text.startswith("## ✅ Article validation passed")
    assert "⚠️ warn" in text and "does not fail the gate" in text


def test_markdown_text_escapes_table_and_emphasis_characters() -> None:
    assert markdown_text("*x*_|`\r\n") == "\\*x\\*\\_\\|\\`  "


def test_step_summary_is_appended_only_when_set(tmp_path: Path) -> None:
    target = tmp_path / "step-summary.md"
    target.write_text("earlier step\n", "utf-8")
    assert append_step_summary("## run\n", {"GITHUB_STEP_SUMMARY": str(target)}) == target
    assert target.read_text("utf-8") == "earlier step\n## run\n"
    assert append_step_summary("## run\n", {}) is None

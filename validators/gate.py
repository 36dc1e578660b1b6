"""The gate's decision: the process exit code of a validation run.

- 0: every error-severity check passed (warnings allowed, unless ``fail_on="warning"``);
- 1: the data failed the gate;
- 2: tool, configuration or input error (raised before a decision is made).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PASS, DATA_FAILED, TOOL_ERROR = 0, 1, 2


def exit_code(results: Mapping[str, Any], fail_on: str = "error") -> int:
    """0 when the gate passes, 1 when a check of a failing severity failed."""
    failing = {"error"} if fail_on == "error" else {"error", "warning"}
    failed = [c for c in results["checks"] if c["severity"] in failing and not c["success"]]
    return DATA_FAILED if failed else PASS

"""Hypothesis budgets for the reliability tests, and a count of the generated cases.

``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``) runs the long budget, at least 100,000 cases in all; the default
``ci`` profile keeps ``make test`` quick. The session ends with the number of cases each fuzz test ran.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Examples per unit of budget; each fuzz test takes a share (``budget``) sized to how slow its cases are.
# The shares add up to 10.5 units without the HTML reader: 105,000 cases under ``fuzz``.
PROFILE_EXAMPLES = {"ci": 100, "dev": 1_000, "fuzz": 10_000}
SLOW_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

for _name, _examples in PROFILE_EXAMPLES.items():
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=SLOW_CHECKS,
        # The long run explores fresh cases instead of replaying a stored database.
        database=None if _name == "fuzz" else settings.default.database,
        print_blob=True,
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_CASES: Counter[str] = Counter()
_KILL_TRIALS: list[dict[str, Any]] = []


@pytest.fixture(scope="session")
def fuzz_cases() -> Counter[str]:
    """Counts generated cases per fuzz test; the total is printed at the end of the session."""
    return _CASES


@pytest.fixture(scope="session")
def kill_trials() -> list[dict[str, Any]]:
    """One entry per SIGKILL trial (command, delay, whether it was still running, what was left)."""
    return _KILL_TRIALS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many generated cases each fuzz test ran, and what each kill trial left behind."""
    if _KILL_TRIALS:
        terminalreporter.section("kill trials")
        for trial in _KILL_TRIALS:
            terminalreporter.write_line(json.dumps(trial))
        killed = sum(1 for trial in _KILL_TRIALS if trial["killed"])
        terminalreporter.write_line(f"trials: {len(_KILL_TRIALS)}, killed while running: {killed}")
    if not _CASES:
        return
    terminalreporter.section("fuzz cases")
    for name, count in sorted(_CASES.items()):
        terminalreporter.write_line(f"{name}: {count}")
    terminalreporter.write_line(f"total generated cases: {sum(_CASES.values())}")

"""Engines: where the measures are computed and the suite is run (this machine's cores, or a Spark cluster).

Every engine returns the same ``EngineRun``, from which the pipeline writes identical results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from validators.gx_run import CheckOutcome

ENGINES: tuple[str, ...] = ("local", "spark")


@dataclass
class EngineRun:
    """What one engine produced: the article count, GX's outcomes in suite order, and the failing rows.

    ``failing`` holds the measures (``MEASURE_SCHEMA``) of every article that failed a check, in table order.
    """

    articles: int
    outcomes: list[CheckOutcome]
    failing: pa.Table
    durations_s: dict[str, float] = field(default_factory=dict)

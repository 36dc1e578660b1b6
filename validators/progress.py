"""A one-line progress display (count, rate, ETA) for long runs; silent when the stream is not a terminal."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class ProgressBar:
    """Counts finished items and redraws one status line at most every ``interval`` seconds.

    It draws only when ``stream`` is a terminal, so logs and CI output stay clean.
    """

    def __init__(self, total: int, label: str, stream: TextIO | None = None, interval: float = 0.5) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.done = 0
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._started = time.perf_counter()
        self._drawn = 0.0

    def __call__(self, items: int) -> None:
        """Record ``items`` more finished items."""
        self.done += items
        if self.enabled and time.perf_counter() - self._drawn >= self.interval:
            self._draw()

    def line(self) -> str:
        """The status line: done/total, percentage, rate and estimated time left."""
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        rate = self.done / elapsed
        share = self.done / self.total if self.total else 1.0
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta = _clock(left) if left != float("inf") else "--:--"
        return f"{self.label} {self.done:,}/{self.total:,} {share:4.0%} · {rate:,.0f} articles/s · ETA {eta}"

    def _draw(self) -> None:
        self._drawn = time.perf_counter()
        self.stream.write("\r" + self.line() + "\033[K")
        self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"

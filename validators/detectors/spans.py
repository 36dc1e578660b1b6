"""The span type every detector returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code-point offsets into an article's stored text.

    ``reason`` is a short machine-readable code such as ``consent`` or ``foreign:tr``.
    """

    start: int
    end: int
    reason: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        """Number of code points covered."""
        return self.end - self.start


def merge_spans(spans: list[Span], gap: int = 0) -> list[Span]:
    """Merge overlapping spans (or spans at most ``gap`` apart); the first reason of a run is kept."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end + gap:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = Span(last.start, span.end, last.reason)
        else:
            merged.append(span)
    return merged


def covered_chars(spans: list[Span]) -> int:
    """Number of code points covered by the union of ``spans``."""
    return sum(s.length for s in merge_spans(spans))

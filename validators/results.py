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

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO, overload

import pyarrow as pa
import pyarrow.compute as pc

from validators.gx_run import CheckOutcome
from validators.suite import Suite


def build_results(
    dataset: str, suite: Suite, outcomes: list[CheckOutcome], measures: pa.Table, run: Mapping[str, Any]
) -> dict[str, Any]:
    """Assemble the results document; ``success`` is true when every error-severity check passed.

    ``articles_failed`` is a :class:`FailedArticles` (a read-only sequence of dicts, built when read): write the
    document with :func:`write_results`, or take ``list(results["articles_failed"])`` for a plain list.
    """
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
    articles_failed = FailedArticles(suite, failed_by_article, measures)
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


class FailedArticles(Sequence[dict[str, Any]]):
    """The ``articles_failed`` entries, in table order, built when read from the failing articles' measures.

    A large run fails many articles: as Python dicts their entries take about 2 KB each, as Arrow columns a
    tenth of that. Reading an entry, a slice or the whole sequence builds just those entries, and
    :func:`write_results` writes them to ``results.json`` a slice at a time, so memory does not grow with
    the failures' spans.
    """

    BATCH_ROWS = 10_000

    def __init__(self, suite: Suite, failed_by_article: dict[str, list[str]], measures: pa.Table) -> None:
        wanted = pa.array(list(failed_by_article), type=pa.string())
        # Only the columns entries show are copied; with no failing article there is nothing to read (nor need
        # the measures carry spans).
        self._rows = (
            measures.select(_ENTRY_COLUMNS).filter(pc.is_in(measures.column("article_id"), value_set=wanted))
            if failed_by_article
            else _EMPTY_ENTRIES
        )
        self._failed_by_article = failed_by_article
        self._spans_of_check = {c.id: c.check.spans_from for c in suite.checks}

    def __len__(self) -> int:
        return self._rows.num_rows

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return list(self._entries(start, max(start, stop)))
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError("FailedArticles index out of range")
        return next(self._entries(position, position + 1))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._entries(0, len(self))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, list | FailedArticles):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FailedArticles({len(self)} articles)"

    def _entries(self, start: int, stop: int) -> Iterator[dict[str, Any]]:
        for first in range(start, stop, self.BATCH_ROWS):
            part = self._rows.slice(first, min(self.BATCH_ROWS, stop - first))
            columns = (part.column(name).to_pylist() for name in _ENTRY_COLUMNS)
            for article_id, spans, date, why in zip(*columns, strict=True):
                yield self._entry(article_id, spans, date, why)

    def _entry(
        self, article_id: str, spans: list[dict[str, Any]] | None, date: str | None, why: str | None
    ) -> dict[str, Any]:
        failed_checks = self._failed_by_article[article_id]
        shown: list[dict[str, Any]] = []
        for check_id in failed_checks:
            detector = self._spans_of_check[check_id]
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
        return entry


_ENTRY_COLUMNS = ["article_id", "spans", "suggested_published_at", "suggested_published_at_evidence"]
_EMPTY_ENTRIES = pa.table({name: pa.array([], type=pa.null()) for name in _ENTRY_COLUMNS})


def write_results(results: Mapping[str, Any], out: TextIO) -> None:
    """Write ``results`` as ``results.json``, its failing articles a slice at a time (never as one string):
    the text ``json.dump(results, out, indent=1, ensure_ascii=False)`` writes for a plain document."""
    if "articles_failed" not in results:
        json.dump(results, out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    failed = results["articles_failed"]
    # Everything else is small: it is encoded in one go, with a marker where the failing articles go. A
    # top-level key at the start of a line cannot occur inside a JSON string (newlines are escaped there).
    marker = "\x00articles_failed\x00"
    head, tail = json.dumps({**results, "articles_failed": marker}, indent=1, ensure_ascii=False).split(
        '\n "articles_failed": ' + json.dumps(marker), 1
    )
    out.write(head + '\n "articles_failed": [')
    for number, entry in enumerate(failed):
        encoded = json.dumps(entry, indent=1, ensure_ascii=False).replace("\n", "\n  ")
        out.write(("," if number else "") + "\n  " + encoded)
    out.write(("\n ]" if len(failed) else "]") + tail + "\n")

"""Export a copy of the article table with boilerplate spans cut out of the text.

The original table is left untouched beside the clean copy, so nothing is lost. Spans come from a validation
run's measures when one is given (exactly what the report showed), otherwise from the measures computed here.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from validators.atomic import atomic_path
from validators.detectors.boilerplate import TENTATIVE_REASONS
from validators.detectors.spans import Span, merge_spans
from validators.measures import compute_measures
from validators.schema import ARTICLE_SCHEMA


def clean_path(table_path: Path) -> Path:
    """Default output: ``<stem>.clean.parquet`` beside the table."""
    return table_path.with_name(f"{table_path.stem}.clean.parquet")


def remove_spans(text: str, spans: list[Span]) -> str:
    """``text`` without the characters under ``spans``; blank lines left behind are collapsed to one."""
    kept: list[str] = []
    position = 0
    for span in merge_spans(spans):
        kept.append(text[position : span.start])
        position = max(position, span.end)
    kept.append(text[position:])
    joined = "".join(kept)
    while "\n\n\n" in joined:
        joined = joined.replace("\n\n\n", "\n\n")
    return joined.rstrip("\n") + ("\n" if text.endswith("\n") else "")


def boilerplate_by_article(measures: pa.Table) -> dict[str, list[Span]]:
    """The boilerplate spans of each article in a measures table."""
    found: dict[str, list[Span]] = {}
    for article_id, spans in zip(
        measures.column("article_id").to_pylist(), measures.column("spans").to_pylist(), strict=True
    ):
        found[article_id] = [
            Span(s["start"], s["end"], s["reason"])
            for s in spans or []
            # Tentative layout lines and repeated lines are shown to reviewers but are not sure enough to cut.
            if s["detector"] == "boilerplate" and s["reason"] not in TENTATIVE_REASONS
        ]
    return found


def export_clean(table_path: Path, out: Path | None = None, run_dir: Path | None = None) -> tuple[Path, int]:
    """Write the clean copy; return its path and the number of articles whose text changed."""
    measures = pq.read_table(run_dir / "measures.parquet") if run_dir else compute_measures(table_path)
    spans = boilerplate_by_article(measures)
    target = out or clean_path(table_path)
    changed = 0
    with atomic_path(target) as tmp, pq.ParquetWriter(tmp, ARTICLE_SCHEMA) as writer:
        for batch in pq.ParquetFile(table_path).iter_batches(batch_size=5_000):
            rows = batch.to_pylist()
            for row in rows:
                found = spans.get(row["article_id"])
                if found:
                    row["text"] = remove_spans(row["text"], found)
                    changed += 1
            writer.write_table(pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA))
    return target, changed

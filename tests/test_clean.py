"""export-clean: boilerplate spans cut out, original table untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from validators.clean import boilerplate_by_article, remove_spans
from validators.cli import main
from validators.detectors.spans import Span


def test_remove_spans_cuts_and_collapses_blank_lines() -> None:
    text = "Body one.\n\nShare this\n\nBody two.\n"
    start = text.index("Share")
    assert remove_spans(text, [Span(start, start + len("Share this"), "share")]) == "Body one.\n\nBody two.\n"
    assert remove_spans(text, []) == text


def test_only_counted_boilerplate_spans_are_cut() -> None:
    def span(detector: str, start: int, reason: str) -> dict[str, object]:
        return {"detector": detector, "start": start, "end": start + 5, "reason": reason}

    spans = [
        span("boilerplate", 0, "navigation"),
        span("boilerplate", 10, "repeated"),  # either copy may be the content: the reviewer decides
        span("boilerplate", 20, "possible_layout"),
        span("language", 30, "foreign:tr"),
    ]
    measures = pa.table({"article_id": ["a", "b"], "spans": [spans, None]})
    assert boilerplate_by_article(measures) == {"a": [Span(0, 5, "navigation")], "b": []}


def test_export_clean_uses_the_runs_spans(tmp_path: Path, seed_article: Path) -> None:
    table = tmp_path / "seed.parquet"
    main(["ingest", str(seed_article), "--out", str(table)])
    main(["validate", str(table), "--out", str(tmp_path / "run")])
    before = table.read_bytes()
    assert main(["export-clean", str(table), "--run", str(tmp_path / "run")]) == 0
    assert table.read_bytes() == before
    original = pq.read_table(table).column("text")[0].as_py()
    clean = pq.read_table(tmp_path / "seed.clean.parquet").column("text")[0].as_py()
    results = json.loads((tmp_path / "run" / "results.json").read_text())
    spans = [s for s in results["articles_failed"][0]["spans"] if s["check"] == "boilerplate"]
    assert spans and len(clean) < len(original)
    for span in spans:
        removed = original[span["start"] : span["end"]].strip()
        if len(removed) > 20:
            assert removed not in clean
    assert original[:200] in clean

"""Evaluate date recovery against the labelled dates corpus (``dates.jsonl.gz`` and its ``html/`` pages).

Two settings are scored against each record's ``true_date`` (records without one are left out):
- URL + text: ``suggest_published_at`` on the record's URL and extracted text; coverage is the share of
  records with a suggestion, precision the share of suggestions on the true day.
- HTML: ``read_html_article`` on the original page; its date (the extractor's, or the date shown next to
  the headline when the page never shows the extractor's; when there is none, the suggestion from the
  page's own URL, text and metadata) is compared with the true day.

Dates are compared as calendar days as written on the page (``parse_local_date``), since the labels are
local days. The HTML extractor (trafilatura, with htmldate inside) was tuned on many of these pages, so
the HTML figure is optimistic.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from validators.detectors.dates import suggest_published_at
from validators.ingest.dates import parse_local_date
from validators.ingest.html import read_html_article

DATES_FILE = "dates.jsonl.gz"


def load_date_records(corpora_dir: Path) -> list[dict[str, Any]]:
    """Records of the dates corpus with a usable ``true_date`` (NaN and malformed labels left out)."""
    records = []
    with gzip.open(corpora_dir / DATES_FILE) as handle:
        # Split on newline bytes only: some texts hold U+2028, which str.splitlines would also split on.
        for line in handle.read().split(b"\n"):
            if not line.strip():
                continue
            record = json.loads(line)  # Python's json reads the bare NaN tokens of missing labels
            true_date = record.get("true_date")
            if isinstance(true_date, float) and math.isnan(true_date):
                continue
            if _label(record) is not None:
                records.append(record)
    return records


def _label(record: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(record.get("true_date")))
    except ValueError:
        return None


def evaluate_dates(corpora_dir: Path, *, include_html: bool = True) -> dict[str, Any]:
    """Coverage and precision of recovered dates, from URL + text and from the original HTML."""
    records = load_date_records(corpora_dir)
    text_hits: Counter[str] = Counter()
    html_hits: Counter[str] = Counter()
    for record in records:
        truth = _label(record)
        suggestion = suggest_published_at(record.get("url"), record.get("text"))
        if suggestion is not None:
            kind = suggestion.evidence.split(":")[0].split(" ")[0]
            correct = suggestion.value.date() == truth
            text_hits["suggested"] += 1
            text_hits["correct"] += correct
            text_hits[f"{kind}:{'correct' if correct else 'wrong'}"] += 1
        if include_html and record.get("html_path"):
            found = _html_date(corpora_dir / str(record["html_path"]))
            html_hits["pages"] += 1
            html_hits["dated"] += found is not None
            html_hits["correct"] += found == truth
            html_hits["unreadable"] += found is None and not (corpora_dir / str(record["html_path"])).exists()
    total = len(records)
    result: dict[str, Any] = {
        "records": total,
        "text": {
            "suggested": text_hits["suggested"],
            "coverage": _share(text_hits["suggested"], total),
            "precision": _share(text_hits["correct"], text_hits["suggested"]),
            "by_evidence": {k: v for k, v in sorted(text_hits.items()) if ":" in k},
        },
    }
    if include_html:
        result["html"] = {
            "pages": html_hits["pages"],
            "dated": html_hits["dated"],
            "accuracy": _share(html_hits["correct"], html_hits["pages"]),
        }
    return result


def _html_date(path: Path) -> date | None:
    try:
        article = read_html_article(path)
    except (ValueError, OSError):
        return None
    extracted = parse_local_date(article["published_at_raw"])
    if extracted is not None:
        return extracted
    suggestion = suggest_published_at(article["source_url"], article["text"], article["html_meta"])
    return suggestion.value.date() if suggestion is not None else None


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def format_dates(result: dict[str, Any]) -> str:
    """A short plain-text report of ``evaluate_dates``."""
    text = result["text"]
    lines = [
        f"dates corpus: {result['records']} records with a true date",
        f"URL + text: suggested {text['suggested']} "
        f"(coverage {text['coverage']:.3f}), precision {text['precision']:.3f}",
    ]
    lines += [f"  {kind}: {count}" for kind, count in text["by_evidence"].items()]
    if "html" in result:
        html = result["html"]
        lines.append(
            f"HTML: {html['pages']} pages, dated {html['dated']}, "
            f"extracted or suggested date == true date: {html['accuracy']:.3f}"
        )
    return "\n".join(lines)

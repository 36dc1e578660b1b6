"""Benchmark (not a test): report size and time-to-interactive in Chromium for a large synthetic run.

    .venv/bin/python tests/report/bench_report.py [ARTICLES]

Builds an article table, a measures table and a results document for ARTICLES articles (default 100,000;
a quarter of them failing, half of those with text spans), renders the report with the default limits, and
opens it in the system Chromium. Prints render time, report size and the time from navigation start until
the page's script has rendered the table (the ``report-ready`` performance mark).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from playwright.sync_api import sync_playwright

from tests.report.report_browser import launch
from validators.measures import MEASURE_SCHEMA
from validators.report import write_report
from validators.schema import ARTICLE_SCHEMA

WORDS = [
    "council",
    "harbour",
    "lanes",
    "trial",
    "vote",
    "budget",
    "school",
    "river",
    "bridge",
    "market",
    "weather",
    "season",
    "station",
    "workers",
    "union",
    "ministry",
    "report",
    "village",
    "festival",
    "museum",
    "railway",
    "clinic",
    "garden",
    "library",
    "council",
    "evening",
    "morning",
]
BANNER = "We use cookies to improve your experience. Accept all | Manage preferences"
CHECKS = [
    ("mixed_language", "error", "language"),
    ("boilerplate", "error", "boilerplate"),
    ("missing_date", "error", None),
    ("missing_source", "error", None),
    ("language_mismatch", "warning", None),
]
LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "tr", "ru", "ja", "ar"]


def build_run(folder: Path, articles: int, seed: int = 0) -> tuple[dict[str, Any], Path]:
    """Write a synthetic article table and measures table into ``folder``; return results and table path."""
    rng = random.Random(seed)
    table_rows, measure_rows = [], []
    failed_ids: dict[str, list[str]] = {c[0]: [] for c in CHECKS}
    articles_failed = []
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for n in range(articles):
        article_id = f"art-{n:07d}"
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 260)))
        fails = rng.random() < 0.25
        with_spans = fails and rng.random() < 0.5
        text = f"{body}\n{BANNER}\nX" if with_spans else body
        source = f"Source {rng.randint(1, 300)}"
        language = rng.choice(LANGUAGES)
        published = start + timedelta(hours=rng.randint(0, 24 * 900))
        table_rows.append(
            {
                "article_id": article_id,
                "title": f"Title {n} " + " ".join(rng.sample(WORDS, 6)),
                "text": text,
                "language": language,
                "published_at": published,
                "source_name": source,
                "source_url": f"https://news{n % 300}.example/{n}",
            }
        )
        measure_rows.append(
            {
                "article_id": article_id,
                "text_chars": len(text),
                "language_declared": language,
                "language_detected": language,
                "foreign_fraction": 0.3 if with_spans else 0.0,
                "boilerplate_share": 0.2 if with_spans else 0.0,
                "date_state": "present",
                "published_at": published,
                "source_name": source,
            }
        )
        if not fails:
            continue
        checks = rng.sample([c[0] for c in CHECKS[2:]], 1)
        spans = []
        if with_spans:
            checks = ["mixed_language", "boilerplate", *checks]
            offset = len(body) + 1
            spans = [
                {"check": "mixed_language", "start": offset, "end": len(text), "reason": "foreign run"},
                {"check": "boilerplate", "start": offset, "end": offset + len(BANNER), "reason": "consent"},
                {"check": "boilerplate", "start": len(text) - 1, "end": len(text), "reason": "ui token"},
            ]
        for check in checks:
            failed_ids[check].append(article_id)
        articles_failed.append({"article_id": article_id, "failed_checks": checks, "spans": spans})
    table_path = folder / "articles.parquet"
    pq.write_table(pa.Table.from_pylist(table_rows, schema=ARTICLE_SCHEMA), table_path)
    pq.write_table(pa.Table.from_pylist(measure_rows, schema=MEASURE_SCHEMA), folder / "measures.parquet")
    results = {
        "dataset": "synthetic",
        "suite": "news",
        "articles": articles,
        "success": False,
        "checks": [
            {
                "id": c,
                "check": c,
                "severity": severity,
                "success": not failed_ids[c],
                "failed": len(failed_ids[c]),
                "failed_ids": failed_ids[c],
                "mostly": 1.0,
                "params": {},
            }
            for c, severity, _ in CHECKS
        ],
        "articles_failed": articles_failed,
        "run": {"finished_at": datetime.now(UTC).isoformat()},
    }
    return results, table_path


def benchmark(articles: int = 100_000) -> dict[str, float]:
    """Render a report for ``articles`` synthetic articles and time it in Chromium."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results, table = build_run(folder, articles)
        began = time.perf_counter()
        report = write_report(folder, results, table)
        rendered = time.perf_counter() - began
        figures = {
            "articles": articles,
            "failing": len(results["articles_failed"]),
            "render_s": round(rendered, 2),
            "report_mb": round(report.stat().st_size / 1e6, 2),
        }
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(report.as_uri())
            page.wait_for_selector("body[data-ready='true']", timeout=60_000)
            ready = page.evaluate("performance.getEntriesByName('report-ready')[0].startTime")
            figures["interactive_ms"] = round(ready)
            clicked = time.perf_counter()
            page.locator("#articles button.open").first.click()
            page.wait_for_selector("#view:not([hidden])")
            figures["first_article_open_ms"] = round((time.perf_counter() - clicked) * 1000)
            searched = time.perf_counter()
            page.fill("#f-search", "harbour cookies")
            page.locator("#count", has_text="No matching").wait_for()
            figures["first_search_ms"] = round((time.perf_counter() - searched) * 1000)
            browser.close()
    return figures


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    for key, value in benchmark(count).items():
        print(f"{key:>22}: {value}")

"""The report in a real browser (system Chromium via Playwright): filters, search, drill-down to the
highlighted span, CSV export, hostile input and network isolation."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.report.conftest import ARTIFACTS, SAMPLE, OpenedReport, Run, validated_run
from validators.report import report_bytes
from validators.schema import ARTICLE_SCHEMA

Opener = Callable[[Path], OpenedReport]


def _row_ids(page: Any) -> list[str]:
    return page.locator("#articles tbody button.open").all_inner_texts()


def _settle(page: Any) -> None:
    # The search box waits for a pause in typing before it filters.
    page.wait_for_timeout(300)


def _articles(run: Run) -> dict[str, dict[str, Any]]:
    return {row["article_id"]: row for row in pq.read_table(run.table).to_pylist()}


def _covered_text(text: str, spans: list[dict[str, Any]], check: str) -> str:
    covered = sorted({i for s in spans if s["check"] == check for i in range(s["start"], s["end"])})
    return "".join(text[i] for i in covered)


def test_filters_and_search_narrow_the_table(sample_run: Run, open_report: Opener) -> None:
    results = sample_run.results
    opened = open_report(sample_run.report)
    page = opened.page
    everything = [a["article_id"] for a in results["articles_failed"]]
    assert _row_ids(page) == everything

    check = next(c for c in results["checks"] if 0 < c["failed"] < len(everything))
    page.select_option("#f-check", label=f"{check['id']} ({check['failed']})")
    assert _row_ids(page) == check["failed_ids"]

    articles = _articles(sample_run)
    page.select_option("#f-check", value="")
    language = articles[everything[0]]["language"]
    page.locator("#f-language").select_option(
        label=next(o for o in page.locator("#f-language option").all_inner_texts() if o.startswith(f"{language} ("))
    )
    by_language = _row_ids(page)
    assert by_language == [i for i in everything if articles[i]["language"] == language]
    assert 0 < len(by_language) < len(everything)

    page.select_option("#f-language", value="")
    source = next(articles[i]["source_name"] for i in everything if articles[i]["source_name"])
    option = next(o for o in page.locator("#f-source option").all_inner_texts() if o.startswith(f"{source} ("))
    page.select_option("#f-source", label=option)
    assert _row_ids(page) == [i for i in everything if articles[i]["source_name"] == source]

    page.select_option("#f-source", value="")
    target = articles[everything[-1]]
    word = max(target["title"].split(), key=len)
    page.fill("#f-search", word.upper())
    _settle(page)
    found = _row_ids(page)
    assert everything[-1] in found
    assert len(found) < len(everything)
    page.fill("#f-search", "no article contains this phrase 7f3a")
    _settle(page)
    assert _row_ids(page) == []
    assert opened.errors == []


@pytest.mark.parametrize("planted", ["boilerplate", "mixed_language"])
def test_planted_defect_shows_highlighted_span_of_its_check(sample_run: Run, open_report: Opener, planted: str) -> None:
    expected = json.loads((SAMPLE / "expected.json").read_text("utf-8"))
    results = sample_run.results
    failed = {a["article_id"]: a for a in results["articles_failed"]}
    article_id = next(i for i, checks in expected.items() if planted in checks and i in failed)
    entry = failed[article_id]
    assert any(s["check"] == planted for s in entry["spans"]), "no span for the planted defect in results"

    opened = open_report(sample_run.report)
    page = opened.page
    page.locator("#articles button.open", has_text=article_id).first.click()
    marks = page.locator(f"#view mark[data-check='{planted}']")
    assert marks.count() > 0
    text = _articles(sample_run)[article_id]["text"]
    assert "".join(marks.all_text_contents()) == _covered_text(text, entry["spans"], planted)
    assert planted in (marks.first.get_attribute("title") or "")
    assert page.locator("#view .legend").inner_text().count(planted) == 1
    assert opened.errors == []


def test_offsets_in_code_points_land_on_the_right_characters_after_astral_text(
    tmp_path: Path, open_report: Opener
) -> None:
    prefix = "Intro 😀🇹🇷 𝔘𝔫𝔦 e\u0301 \u0000 tab\t.\n"
    flagged = "Çerezleri kabul et 🍪"
    text = prefix + flagged + "\nTail with more 😀 text."
    start = len(prefix)
    end = start + len(flagged)
    table = tmp_path / "astral.parquet"
    pq.write_table(pa.Table.from_pylist([{"article_id": "astral", "text": text}], schema=ARTICLE_SCHEMA), table)
    span = {"check": "boilerplate", "start": start, "end": end, "reason": "consent"}
    second = {"check": "boilerplate", "start": end + 16, "end": end + 17, "reason": "emoji"}
    results = {
        "dataset": "astral",
        "suite": "news",
        "articles": 1,
        "success": False,
        "checks": [
            {
                "id": "boilerplate",
                "severity": "error",
                "success": False,
                "failed": 1,
                "failed_ids": ["astral"],
                "params": {},
            }
        ],
        "articles_failed": [
            {
                "article_id": "astral",
                "failed_checks": ["boilerplate"],
                "spans": [span, second],
                "suggested_published_at": "2024-03-01T00:00:00+00:00",
                "suggested_published_at_evidence": "date in the URL path",
            }
        ],
        "run": {},
    }
    report = tmp_path / "report.html"
    report.write_bytes(report_bytes(results, table))
    page = open_report(report).page
    page.locator("#articles button.open").first.click()
    marks = page.locator("#view mark[data-check='boilerplate']").all_text_contents()
    assert marks == [flagged, "😀"]
    assert page.locator("#view .article-text").text_content() == text
    suggested = page.locator("#view .suggested").inner_text()
    assert "2024-03-01T00:00:00+00:00" in suggested and "date in the URL path" in suggested


def test_export_downloads_the_failing_ids(sample_run: Run, open_report: Opener, tmp_path: Path) -> None:
    results = sample_run.results
    page = open_report(sample_run.report).page

    def exported() -> list[list[str]]:
        with page.expect_download() as download:
            page.click("#export")
        target = tmp_path / "export.csv"
        download.value.save_as(target)
        return list(csv.reader(io.StringIO(target.read_text("utf-8"))))

    rows = exported()
    assert rows[0] == ["article_id", "failed_checks"]
    assert [(r[0], r[1].split()) for r in rows[1:]] == [
        (a["article_id"], a["failed_checks"]) for a in results["articles_failed"]
    ]
    check = next(c for c in results["checks"] if c["failed"])
    page.select_option("#f-check", label=f"{check['id']} ({check['failed']})")
    assert [r[0] for r in exported()[1:]] == check["failed_ids"]


PAYLOADS = [
    "<script>window.__xss=1;alert('script')</script>",
    "<img src=x id=xss-img onerror=\"window.__xss=1;alert('img')\">",
    "</script><script>window.__xss=1;alert('close')</script>",
    "</script ><img id=xss-close src=x onerror=\"window.__xss=1;alert('close2')\"></SCRIPT/>",
    '"><svg id=xss-svg onload="window.__xss=1;alert(\'svg\')">',
    "' onmouseover='window.__xss=1' x='",
    '<iframe id=xss-frame srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "<!-- \u2028 \u2029 ]]> <\\/script> {{constructor.constructor('alert(1)')()}}",
]


def _hostile_articles() -> list[dict[str, Any]]:
    records = []
    for n, payload in enumerate(PAYLOADS):
        records.append(
            {
                "article_id": f"xss-{n}-{payload}",
                "title": f"Title {payload}",
                "text": f"Body of the article {n}.\n{payload}\nAccept all cookies {payload}\nX\n",
                "language": payload if n % 2 else "en",
                "published_at": payload,
                "source_name": f"Source {payload}",
                "source_url": "javascript:window.__xss=1;alert('url')" if n % 2 else f"https://e.example/{payload}",
                "section": payload,
            }
        )
    return records


def test_hostile_fields_never_run(tmp_path: Path, open_report: Opener) -> None:
    source = tmp_path / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in _hostile_articles()), "utf-8")
    run = validated_run(source, tmp_path)
    assert len(run.results["articles_failed"]) == len(PAYLOADS)
    opened = open_report(run.report)
    page = opened.page
    for n in range(len(PAYLOADS)):
        page.locator("#articles button.open").nth(n).click()
        if page.locator("#view mark").count():
            page.locator("#view mark").first.hover()
        view = page.locator("#view").inner_text()
        assert f"Title {PAYLOADS[n]}".split("\n")[0][:30] in view
    page.fill("#f-search", "<script>")
    _settle(page)
    page.select_option("#f-source", index=1)
    assert opened.dialogs == []
    assert page.evaluate("window.__xss") is None
    injected = page.locator(
        "#xss-img, #xss-svg, #xss-frame, #xss-close, script:not([type='application/json']) ~ script"
    )
    assert injected.count() == 0
    assert page.locator("script").count() == 3  # the two data islands and the report's own script
    assert page.locator("a[href^='javascript']").count() == 0
    assert opened.requests.outside() == []
    assert opened.errors == []


def test_no_request_leaves_the_page(sample_run: Run, open_report: Opener) -> None:
    opened = open_report(sample_run.report)
    page = opened.page
    page.locator("#articles button.open").first.click()
    page.click("#theme")
    page.locator(".show-check").first.click()
    with page.expect_download():
        page.click("#export")
    assert opened.requests.urls[0] == sample_run.report.resolve().as_uri()
    assert opened.requests.outside() == []


def test_screenshot_of_a_drilled_down_report(sample_run: Run, open_report: Opener) -> None:
    expected = json.loads((SAMPLE / "expected.json").read_text("utf-8"))
    article_id = next(i for i, checks in expected.items() if {"boilerplate", "mixed_language"} <= set(checks))
    page = open_report(sample_run.report).page
    page.locator("#articles button.open", has_text=article_id).first.click()
    assert page.locator("#view mark").count() > 0
    page.click("#next-mark")
    assert page.locator("#view mark.focus").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000

"""Fixtures for the report tests: a validated run of the bundled sample and a system-Chromium browser."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.report.report_browser import CHROMIUM, RequestLog, launch
from validators.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "datasets" / "sample"
ARTIFACTS = REPO / "test-artifacts"


@dataclass
class Run:
    """A finished validation run: its folder, results, and the article table it read."""

    out_dir: Path
    table: Path

    @property
    def report(self) -> Path:
        return self.out_dir / "report.html"

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.out_dir / "results.json").read_text("utf-8"))


def validated_run(inputs: Path, folder: Path, *extra: str) -> Run:
    """Ingest ``inputs`` and validate them with the default suite through the command line."""
    table = folder / f"{inputs.stem}.parquet"
    assert main(["ingest", str(inputs), "--out", str(table)]) == 0
    code = main(["validate", str(table), "--out", str(folder / "run"), "--workers", "1", *extra])
    assert code in (0, 1), "validation crashed"
    return Run(folder / "run", table)


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The bundled sample, ingested and validated once per session."""
    return validated_run(SAMPLE, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless system Chromium; skipped where it is not installed, except under CI where that fails."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@dataclass
class OpenedReport:
    """A report loaded in a fresh browser page, with its request log and any dialogs it raised."""

    page: Any
    requests: RequestLog
    dialogs: list[str]
    errors: list[str]


@pytest.fixture
def open_report(browser: Any) -> Iterator[Callable[[Path], OpenedReport]]:
    """Open a report file in a fresh context that records requests, dialogs and script errors."""
    contexts: list[Any] = []

    def opener(report: Path) -> OpenedReport:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        url = report.resolve().as_uri()
        opened = OpenedReport(page, RequestLog(url), [], [])
        opened.requests.attach(context, page)

        def on_dialog(dialog: Any) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", timeout=10_000)
        return opened

    yield opener
    for context in contexts:
        context.close()

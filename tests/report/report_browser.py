"""Driving the system Chromium (Debian's ``chromium`` package) with Playwright, fully offline.

Playwright's own browser download is never used: the executable is the distribution's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("ARTICLE_VALIDATORS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from the system package."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class RequestLog:
    """Every request a page makes; anything but the report file itself is aborted, so nothing leaves."""

    def __init__(self, allowed: str) -> None:
        self.allowed = allowed
        self.urls: list[str] = []

    def attach(self, context: Any, page: Any) -> None:
        """Route every request of ``context`` through the log and record the page's own request events."""
        context.route("**/*", self._route)
        page.on("request", lambda request: self.urls.append(request.url))

    def _route(self, route: Any) -> None:
        if route.request.url == self.allowed:
            route.continue_()
        else:
            self.urls.append(route.request.url)
            route.abort()

    def outside(self) -> list[str]:
        """Requests to anything but the report file (blob: downloads the page makes itself excepted)."""
        return [u for u in self.urls if u != self.allowed and not u.startswith("blob:")]

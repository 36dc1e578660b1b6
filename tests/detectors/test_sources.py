"""Tests for validators.detectors.sources."""

from __future__ import annotations

import pytest

from validators.detectors.sources import (
    SOURCE_MALFORMED_URL,
    SOURCE_MISSING,
    source_domain_mismatch,
    source_problem,
    url_host,
)


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        (None, None, SOURCE_MISSING),
        ("", "", SOURCE_MISSING),
        ("  ", "  ", SOURCE_MISSING),
        ("Reuters", None, None),
        (None, "https://www.reuters.com/world/x", None),
        ("Example", "https://münchen.example/x", None),
        ("Example", "http://localhost/x", None),
        ("Example", "ftp://example.com/x", SOURCE_MALFORMED_URL),
        ("Example", "javascript:alert(1)", SOURCE_MALFORMED_URL),
        ("Example", "https://", SOURCE_MALFORMED_URL),
        ("Example", "example.com/x", SOURCE_MALFORMED_URL),
        ("Example", "https://exa mple.com/x", SOURCE_MALFORMED_URL),
        ("Example", "https://example.com/a b", SOURCE_MALFORMED_URL),
        ("Example", "https://example.com/\x00", SOURCE_MALFORMED_URL),
        ("Example", "https://exa_mple.com/", SOURCE_MALFORMED_URL),
        ("Example", "https://-example.com/", SOURCE_MALFORMED_URL),
        ("Example", "https://xn--a.com/", SOURCE_MALFORMED_URL),
        ("Example", "https://example.com:99999/", SOURCE_MALFORMED_URL),
        ("Example", "https://intranet/", SOURCE_MALFORMED_URL),
    ],
)
def test_source_problem_covers_every_case(name: str | None, url: str | None, expected: str | None) -> None:
    assert source_problem(name, url) == expected


def test_url_host() -> None:
    assert url_host("https://www.Example.com:8080/a") == "example.com"
    assert url_host("https://news.example.co.uk/") == "news.example.co.uk"
    assert url_host("not a url") is None
    assert url_host(None) is None
    assert url_host("http://[::1") is None


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("BBC News", "https://www.bbc.co.uk/news/x"),
        ("The New York Times", "https://www.nytimes.com/x"),
        ("Frankfurter Allgemeine Zeitung", "https://www.faz.net/x"),
        ("Hürriyet", "https://www.hurriyet.com.tr/x"),
        ("spiegel.de", "https://www.spiegel.de/a"),
        ("The Guardian", "https://amp.theguardian.com/x"),
        ("Le Monde", "https://www.lemonde.fr/x"),
        ("News", "https://anything.example/x"),  # nothing distinctive to compare
        (None, "https://anything.example/x"),
        ("Reuters", None),
    ],
)
def test_matching_sources_are_not_flagged(name: str | None, url: str | None) -> None:
    assert not source_domain_mismatch(name, url)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Reuters", "https://www.bbc.co.uk/news/x"),
        ("spiegel.de", "https://www.zeit.de/a"),
        ("Le Monde", "https://www.nytimes.com/x"),
    ],
)
def test_clearly_unrelated_sources_are_flagged(name: str, url: str) -> None:
    assert source_domain_mismatch(name, url)


def test_name_spelled_as_a_host_label_matches() -> None:
    assert not source_domain_mismatch("News 5", "https://news5.example.org/en/1")
    assert not source_domain_mismatch("Daily Mail", "https://www.daily-mail.example.com/a")
    assert source_domain_mismatch("Kansai Shimpo", "https://www.unrelated-site.com/x")

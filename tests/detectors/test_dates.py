"""Tests for validators.detectors.dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from validators.detectors.dates import (
    DATE_MISSING,
    DATE_PRESENT,
    DATE_UNPARSEABLE,
    HEADLINE_DATE_WINDOW,
    date_state,
    future_mask,
    headline_date,
    implausible_mask,
    is_future,
    is_implausible,
    shown_dates,
    suggest_published_at,
)

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("published_at", "raw", "expected"),
    [
        (datetime(2026, 1, 1, tzinfo=UTC), "2026-01-01", DATE_PRESENT),
        (datetime(2026, 1, 1, tzinfo=UTC), None, DATE_PRESENT),
        (None, None, DATE_MISSING),
        (None, "", DATE_MISSING),
        (None, "   ", DATE_MISSING),
        (None, "31 February 2026", DATE_UNPARSEABLE),
        (None, "soon", DATE_UNPARSEABLE),
        (pd.NaT, None, DATE_MISSING),
    ],
)
def test_date_state_covers_every_case(published_at: datetime | None, raw: str | None, expected: str) -> None:
    assert date_state(published_at, raw) == expected


def test_future_and_implausible_dates() -> None:
    assert is_future(NOW + 2 * DAY, NOW, DAY)
    assert not is_future(NOW + DAY / 2, NOW, DAY)
    assert not is_future(None, NOW, DAY)
    assert is_future(datetime(2030, 1, 1), NOW, DAY)  # naive counts as UTC
    assert is_implausible(datetime(1899, 12, 31, tzinfo=UTC), 1900)
    assert not is_implausible(datetime(1900, 1, 1, tzinfo=UTC), 1900)
    assert not is_implausible(None, 1900)


def test_vectorised_masks_match_the_scalar_checks() -> None:
    values = pd.Series(
        [NOW + 2 * DAY, NOW, None, datetime(1850, 6, 1, tzinfo=UTC), NOW + DAY / 2],
        dtype="datetime64[ns, UTC]",
    )
    assert future_mask(values, NOW, DAY).tolist() == [True, False, False, False, False]
    assert implausible_mask(values, 1900).tolist() == [False, False, False, True, False]


@pytest.mark.parametrize(
    ("url", "text", "expected", "evidence_start"),
    [
        ("https://news.example.org/2024/06/12/some-story/", None, datetime(2024, 6, 12), "url path"),
        ("https://example.com/world/20240612-some-story", None, datetime(2024, 6, 12), "url path"),
        (
            "https://example.com/a",
            "Headline here\nVeröffentlicht am 16.08.2019\nBody.",
            datetime(2019, 8, 16),
            "published",
        ),
        (
            "https://example.com/a",
            "Headline\nPublished on March 2, 2022\nBody.",
            datetime(2022, 3, 2),
            "published",
        ),
        (
            "https://example.com/a",
            "Headline\n12. Januar 2022\nThe body starts here.",
            datetime(2022, 1, 12),
            "dateline",
        ),
        (
            "https://example.com/a",
            "Headline\nBy Jane Roe, August 14, 2020 2:30 pm\nBody.",
            datetime(2020, 8, 14),
            "dateline",
        ),
        (
            "https://example.com/a",
            "Hamburg, 2. November 2021 - Die Stadt hat heute viel vor.",
            datetime(2021, 11, 2),
            "dateline",
        ),
        ("https://example.com/a", "Title\n28 Kasım 2025\nMetin.", datetime(2025, 11, 28), "dateline"),
        ("https://example.com/a", "Title\n2025年11月28日\nText", datetime(2025, 11, 28), "dateline"),
    ],
)
def test_suggests_dates_with_evidence(url: str, text: str | None, expected: datetime, evidence_start: str) -> None:
    suggestion = suggest_published_at(url, text, now=NOW)
    assert suggestion is not None
    assert suggestion.value == expected.replace(tzinfo=UTC)
    assert suggestion.evidence.startswith(evidence_start)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        (None, None),
        ("https://example.com/2023/10/3-questions-for-the-team/", None),  # a slug, not a day
        ("https://example.com/a/19663621/shoes/", None),  # an id, not a date
        ("https://example.com/2024/06/", None),  # no day
        ("https://example.com/a", "Title\nUpdated June 13, 2019\nBody"),
        ("https://example.com/a", "Title\n— Some Person (@someone) June 1, 2017\nBody"),
        (
            "https://example.com/a",
            "Title\nDer nächste Termin findet am Mi. 5. Februar 2020 ab 19 Uhr im Cafe statt.",
        ),
        ("https://example.com/a", "Title\nProtokoll der Sitzung vom 5.8.2019"),
        ("https://example.com/a", "Title\n03/04/2020\nBody"),  # ambiguous day and month
        ("https://example.com/a", "Title\n" + "\n".join(["line"] * 10) + "\n12. Januar 2022"),  # too far down
        ("https://example.com/a", "Title\n" + "x" * 100_000),
    ],
)
def test_no_suggestion_without_clear_evidence(url: str | None, text: str | None) -> None:
    assert suggest_published_at(url, text, now=NOW) is None


def test_future_suggestions_are_dropped() -> None:
    assert suggest_published_at("https://example.com/2031/01/02/story", None, now=NOW) is None


def test_metadata_comes_first_and_names_its_field() -> None:
    meta = {"article:published_time": "2024-06-12T10:00:00+02:00", "date": "2020-01-01"}
    suggestion = suggest_published_at("https://example.com/2023/01/01/x", None, meta, now=NOW)
    assert suggestion is not None
    assert suggestion.value == datetime(2024, 6, 12, 8, tzinfo=UTC)
    assert suggestion.evidence == "html meta article:published_time"


def test_unparseable_metadata_falls_through_to_the_url() -> None:
    suggestion = suggest_published_at("https://example.com/2023/01/05/x", None, {"date": "n/a"}, now=NOW)
    assert suggestion is not None
    assert suggestion.evidence.startswith("url path")


def test_shown_dates_are_found_in_reading_order_with_offsets() -> None:
    text = "Weather desk. Posted March 3, 2024 by Ana. Earlier: 12.01.2023. Ambiguous 03/04/2024."
    found = shown_dates(text)
    assert [item.day for item in found] == [date(2024, 3, 3), date(2023, 1, 12)]
    assert text[found[0].offset :].startswith("March 3, 2024")
    assert found[1].raw == "12.01.2023"


@pytest.mark.parametrize("text", [None, "", "\x00\x1f" * 50, "年月日" * 100, "31 February 2024"])
def test_shown_dates_of_odd_text_is_empty(text: str | None) -> None:
    assert shown_dates(text) == []


HEADLINE = "Menu Home | Harbour cranes return to service "


def _page(after_headline: str) -> tuple[str, int]:
    return HEADLINE + after_headline, HEADLINE.index("Harbour")


def test_metadata_date_shown_on_the_page_stands() -> None:
    text, at = _page("Updated June 20, 2024. First published June 12, 2024.")
    assert headline_date({"datePublished": "2024-06-12"}, text, at, now=NOW) is None


def test_date_next_to_the_headline_overrules_an_unshown_metadata_date() -> None:
    text, at = _page("Updated June 20, 2024. The cranes were switched back on.")
    assert headline_date({"datePublished": "2019-06-12"}, text, at, now=NOW) == "June 20, 2024"
    assert headline_date({}, text, at, now=NOW) == "June 20, 2024"


def test_nearest_date_to_the_headline_wins() -> None:
    text, at = _page("By Ana, 20 June 2024. Related: 1 May 2024.")
    assert headline_date({"extracted": "2010-01-01"}, text, at, now=NOW) == "20 June 2024"


def test_explicit_publication_field_is_only_shifted_by_a_time_zone() -> None:
    text, at = _page("June 11, 2024 | Harbour news")
    close = {"article:published_time": "2024-06-12T01:00:00+02:00"}
    far = {"article:published_time": "2024-05-02T10:00:00+02:00"}
    assert headline_date(close, text, at, now=NOW) == "June 11, 2024"
    assert headline_date(far, text, at, now=NOW) is None


def test_dates_far_from_the_headline_future_or_ancient_are_ignored() -> None:
    far_text, at = _page("x " * HEADLINE_DATE_WINDOW + "June 20, 2024")
    assert headline_date({}, far_text, at, now=NOW) is None
    future_text, at = _page("Posted June 20, 2031.")
    assert headline_date({}, future_text, at, now=NOW) is None
    ancient_text, at = _page("Posted June 20, 1901.")
    assert headline_date({}, ancient_text, at, now=NOW) is None


def test_no_headline_or_no_text_gives_no_override() -> None:
    text, _ = _page("Posted June 20, 2024.")
    assert headline_date({}, text, None, now=NOW) is None
    assert headline_date({}, "", 0, now=NOW) is None
    assert headline_date(None, None, 0, now=NOW) is None

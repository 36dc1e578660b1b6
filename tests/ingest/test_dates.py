"""Tests for validators.ingest.dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validators.ingest.dates import format_raw, parse_local_date, parse_published_at


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-28", utc(2026, 11, 28)),
        ("2026-11-28T10:00:00Z", utc(2026, 11, 28, 10)),
        ("2026-11-28T10:00:00+02:00", utc(2026, 11, 28, 8)),
        ("2026-11-28 10:00:00 +0530", utc(2026, 11, 28, 4, 30)),
        ("2026-11-28T10:00:00.123456789Z", utc(2026, 11, 28, 10, 0, 0, 123456)),
        ("20261128T100000Z", utc(2026, 11, 28, 10)),
        ("2022-1-6T14:32:06+02:00", utc(2022, 1, 6, 12, 32, 6)),
        ("20261128", utc(2026, 11, 28)),
        ("Sat, 28 Nov 2026 10:00:00 GMT", utc(2026, 11, 28, 10)),
        ("Sat, 28 Nov 2026 10:00:00 -0500", utc(2026, 11, 28, 15)),
        ("28 November 2026", utc(2026, 11, 28)),
        ("Thursday, 28 November 2026", utc(2026, 11, 28)),
        ("28.11.2026", utc(2026, 11, 28)),
        ("November 28, 2026 10:00 EST", utc(2026, 11, 28, 15)),
        ("November 28th, 2026, 3:45 p.m. PST", utc(2026, 11, 28, 23, 45)),
        ("28 Kasım 2026", utc(2026, 11, 28)),
        ("28. März 2026 um 10:30 Uhr", utc(2026, 3, 28, 10, 30)),
        ("1er janvier 2026", utc(2026, 1, 1)),
        ("28 de noviembre de 2026", utc(2026, 11, 28)),
        ("28 de novembro de 2026", utc(2026, 11, 28)),
        ("28 novembre 2026", utc(2026, 11, 28)),
        ("28 november 2026", utc(2026, 11, 28)),
        ("28 ноября 2026 г.", utc(2026, 11, 28)),
        ("2026年11月28日", utc(2026, 11, 28)),
        ("13/04/2026", utc(2026, 4, 13)),
        ("04/13/2026", utc(2026, 4, 13)),
        ("05/05/2026", utc(2026, 5, 5)),
    ],
)
def test_parses_real_world_forms(raw: str, expected: datetime) -> None:
    assert parse_published_at(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1795852800, utc(2026, 11, 28, 8)),
        (1795852800000, utc(2026, 11, 28, 8)),
        (1795852800.5, utc(2026, 11, 28, 8, 0, 0, 500000)),
        ("1795852800", utc(2026, 11, 28, 8)),
        ("1795852800123", utc(2026, 11, 28, 8, 0, 0, 123000)),
        (datetime(2026, 11, 28, 10), utc(2026, 11, 28, 10)),
        (datetime(2026, 11, 28, 10, tzinfo=timezone(timedelta(hours=1))), utc(2026, 11, 28, 9)),
        (date(2026, 11, 28), utc(2026, 11, 28)),
    ],
)
def test_parses_epochs_and_datetime_objects(raw: object, expected: datetime) -> None:
    assert parse_published_at(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "garbage",
        "0000-01-01",
        "99999-01-01",
        "2026-02-31",
        "31 February 2026",
        "31.02.2026",
        -5,
        "-1",
        float("nan"),
        float("inf"),
        True,
        "03/04/2026",  # day and month both fit: ambiguous without a convention
        "28 Flurb 2026",
        "2026-11-28T25:00:00Z",
        "2026-11-28T10:00:00+99:00",
        "10:00 XYZ November 28, 2026",
        "1" * 500,
        "\x00\x01\x02",
        object(),
    ],
)
def test_unparseable_values_give_none(raw: object) -> None:
    assert parse_published_at(raw) is None


def test_ambiguous_numeric_date_follows_the_given_convention() -> None:
    assert parse_published_at("03/04/2026", day_first=True) == utc(2026, 4, 3)
    assert parse_published_at("03/04/2026", day_first=False) == utc(2026, 3, 4)


def test_daylight_saving_gap_resolves_with_the_offset_before_the_gap() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29; the CET offset (+01:00) applies.
    assert parse_published_at("2026-03-29 02:30 Europe/Berlin") == utc(2026, 3, 29, 1, 30)
    assert parse_published_at("2026-07-01 12:00 Europe/Berlin") == utc(2026, 7, 1, 10)


def test_local_date_keeps_the_day_as_written() -> None:
    raw = "2026-11-28T01:30:00+02:00"
    assert parse_published_at(raw) == utc(2026, 11, 27, 23, 30)
    assert parse_local_date(raw) == date(2026, 11, 28)
    assert parse_local_date("garbage") is None


def test_format_raw_keeps_the_original_text() -> None:
    assert format_raw("  28 Kasım 2026 ") == "28 Kasım 2026"
    assert format_raw(1795852800) == "1795852800"
    assert format_raw(None) is None
    assert format_raw(float("nan")) is None
    assert format_raw("   ") is None
    assert format_raw(date(2026, 11, 28)) == "2026-11-28"


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.binary(max_size=40)))
def test_never_raises_and_returns_aware_utc(raw: object) -> None:
    value = parse_published_at(raw)
    assert value is None or value.utcoffset() == timedelta(0)

"""Tests for validators.ingest.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from validators.detectors.dates import SHOWN_DATE_KEY
from validators.ingest.dates import parse_local_date
from validators.ingest.html import article_id_for, read_html_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


def test_reads_title_text_date_site_and_canonical_url() -> None:
    article = read_html_article(FIXTURES / "meta-dated.html")
    assert article["article_id"] == "meta-dated"
    assert article["title"].startswith("Harbour cranes return to service")
    assert "container cranes at the eastern quay" in article["text"]
    assert "Contact us" not in article["text"]
    assert parse_local_date(article["published_at_raw"]).isoformat() == "2024-06-12"
    assert article["source_name"] == "Example Gazette"
    assert article["source_url"] == "https://gazette.example.org/2024/06/12/harbour-cranes/"
    assert article["html_meta"]["article:published_time"] == "2024-06-12T09:30:00+02:00"
    assert article["html_meta"]["datePublished"] == "2024-06-12T09:30:00+02:00"


def test_gzipped_page_reads_like_the_plain_one() -> None:
    plain = read_html_article(FIXTURES / "meta-dated.html")
    zipped = read_html_article(FIXTURES / "zipped-page.html.gz")
    assert zipped["article_id"] == "zipped-page"
    assert zipped["text"] == plain["text"]
    assert zipped["html_meta"] == plain["html_meta"]


def test_truncated_archive_keeps_what_decompresses() -> None:
    article = read_html_article(FIXTURES / "cut-archive.html.gz")
    assert article["article_id"] == "cut-archive"
    assert article["html_meta"]["article:published_time"] == "2024-06-12T09:30:00+02:00"


def test_truncated_markup_still_gives_text_and_date() -> None:
    article = read_html_article(FIXTURES / "truncated.htm")
    assert article["article_id"] == "truncated"
    assert "storm warning for the northern coast" in article["text"]
    assert article["html_meta"]["date"] == "2025-01-15"
    assert article["source_url"] is None


def test_non_utf8_page_is_decoded() -> None:
    article = read_html_article(FIXTURES / "latin-page.html")
    assert "Le café de la place a rouvert" in article["text"]
    assert "\ufffd" not in article["text"]


@pytest.mark.parametrize("content", [b"", b"   \n", b"<html><head></head><body></body></html>"])
def test_empty_pages_raise_a_clear_error(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(content)
    with pytest.raises(ValueError, match=r"empty\.html"):
        read_html_article(page)


def test_binary_junk_with_gzip_magic_raises_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "junk.html.gz"
    page.write_bytes(b"\x1f\x8b" + bytes(range(256)))
    with pytest.raises(ValueError, match=r"junk\.html\.gz"):
        read_html_article(page)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.html", "a"),
        ("a.htm", "a"),
        ("a.html.gz", "a"),
        ("A.HTML", "A"),
        ("x.y.html", "x.y"),
        ("b.gz", "b"),
    ],
)
def test_article_id_drops_page_suffixes(name: str, expected: str) -> None:
    assert article_id_for(Path(name)) == expected


def test_date_shown_by_the_headline_overrules_an_unshown_metadata_date() -> None:
    article = read_html_article(FIXTURES / "shown-date.html")
    assert article["html_meta"]["datePublished"] == "2019-03-01T08:00:00Z"
    assert article["html_meta"][SHOWN_DATE_KEY] == "March 3, 2024"
    assert parse_local_date(article["published_at_raw"]).isoformat() == "2024-03-03"


def test_page_showing_no_date_keeps_its_metadata_date() -> None:
    article = read_html_article(FIXTURES / "meta-dated.html")
    assert SHOWN_DATE_KEY not in article["html_meta"]


def test_page_declaring_its_encoding_keeps_its_metadata() -> None:
    article = read_html_article(FIXTURES / "xml-declared.html")
    assert article["html_meta"]["article:published_time"] == "2024-06-12T09:30:00+02:00"
    assert article["title"].startswith("Ferry timetable changes")

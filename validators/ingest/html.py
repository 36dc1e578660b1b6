"""Read one HTML article page (``.html``, ``.htm``, ``.html.gz``) into an article record with trafilatura.

Besides the main text, the record keeps the page's publication-date candidates from its metadata
(``html_meta``) so that date checks can show where a date came from. A date shown next to the headline
overrules a metadata date that the page never shows (``validators.detectors.dates.headline_date``).
Broken, truncated or non-UTF-8 pages give what can be read; only a page with no text, title or date at
all raises ``ValueError``.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from pathlib import Path
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import decode_file

from validators.detectors.dates import HTML_META_DATE_KEYS, SHOWN_DATE_KEY, headline_date

HTML_SUFFIXES: tuple[str, ...] = (".html.gz", ".htm.gz", ".html", ".htm", ".gz")
MAX_PAGE_BYTES = 20_000_000  # larger pages are cut: no article needs more, and parsing cost grows with size
MAX_VISIBLE_CHARS = 300_000  # visible text searched for shown dates; longer pages are cut, the byline is near the top
HEADLINE_PROBE_CHARS = 40  # leading characters of the headline looked up in the visible text
INVISIBLE_TAGS: tuple[str, ...] = ("script", "style", "noscript", "template")
_VISIBLE_TEXT_NODES = ".//text()[not({})]".format(" or ".join(f"ancestor::{tag}" for tag in INVISIBLE_TAGS))

# <meta> attributes whose value names a publication-date field, mapped to the key kept in ``html_meta``.
META_DATE_NAMES: dict[str, str] = {
    "article:published_time": "article:published_time",
    "og:article:published_time": "og:article:published_time",
    "og:published_time": "og:published_time",
    "datepublished": "datePublished",
    "article.published": "article.published",
    "parsely-pub-date": "parsely-pub-date",
    "sailthru.date": "sailthru.date",
    "publish-date": "publish-date",
    "publish_date": "publish_date",
    "pubdate": "pubdate",
    "dc.date.issued": "DC.date.issued",
    "dcterms.date": "dcterms.date",
    "dcterms.created": "dcterms.created",
    "date": "date",
    "dc.date": "DC.date",
}

_LOGGER = logging.getLogger(__name__)


def article_id_for(path: Path) -> str:
    """The article id of a page: its file name without ``.html``/``.htm``/``.gz`` suffixes."""
    name = path.name
    for suffix in HTML_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name or path.name


def read_html_article(path: Path) -> dict[str, Any]:
    """Extract one article from an HTML page.

    Returns ``article_id``, ``title``, ``text``, ``published_at_raw`` (the page's publication date as
    found, unparsed), ``source_name``, ``source_url`` (the canonical URL) and ``html_meta`` (metadata date
    candidates by field name). Raises ``ValueError`` when the file holds nothing to extract.
    """
    raw = _read_bytes(path)
    html = decode_file(raw) if raw else ""
    if not html.strip():
        raise ValueError(f"{path}: empty page, nothing to extract")
    document = _extract(html)
    tree = _parse_tree(html)
    html_meta = _meta_dates(tree) if tree is not None else {}
    title = _clean(getattr(document, "title", None)) or _tree_title(tree)
    text = _clean(getattr(document, "text", None)) or ""
    extracted_date = _clean(getattr(document, "date", None))
    if extracted_date:
        html_meta.setdefault("extracted", extracted_date)
    if tree is not None:
        page_text, headline_at = _visible_text(tree)
        shown = headline_date(html_meta, page_text, headline_at)
        if shown:
            html_meta[SHOWN_DATE_KEY] = shown
    published_raw = _first_meta_date(html_meta)
    if not (text or title or published_raw):
        raise ValueError(f"{path}: no text, title or date could be extracted")
    return {
        "article_id": article_id_for(path),
        "title": title,
        "text": text,
        "published_at_raw": published_raw,
        "source_name": _clean(getattr(document, "sitename", None)),
        "source_url": _clean(getattr(document, "url", None)) or _canonical_url(tree),
        "html_meta": html_meta,
    }


def _read_bytes(path: Path) -> bytes:
    data = path.read_bytes()[: MAX_PAGE_BYTES * 2]
    if data[:2] != b"\x1f\x8b":
        return data[:MAX_PAGE_BYTES]
    try:
        return gzip.decompress(data)[:MAX_PAGE_BYTES]
    except (OSError, EOFError, zlib.error):
        # A truncated archive still holds its first part: keep what decompresses.
        decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            return decompressor.decompress(data, MAX_PAGE_BYTES)
        except zlib.error as error:
            raise ValueError(f"{path}: not a readable gzip file ({error})") from error


def _extract(html: str) -> Any:
    try:
        return trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True, favor_precision=False
        )
    except Exception as error:  # trafilatura may fail in many ways on hostile markup
        _LOGGER.warning("trafilatura failed: %s", error)
        return None


def _parse_tree(html: str) -> Any:
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        # lxml refuses text that still declares an encoding: hand it the UTF-8 bytes instead.
        try:
            parser = lxml.html.HTMLParser(encoding="utf-8")
            return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


def _visible_text(tree: Any) -> tuple[str, int | None]:
    """The page's visible text (whitespace collapsed) and where its first headline starts in it."""
    body = tree.find("body")
    root = body if body is not None else tree
    text = _text_of(root)[:MAX_VISIBLE_CHARS]
    for heading in root.iter("h1"):
        probe = _text_of(heading)[:HEADLINE_PROBE_CHARS]
        if probe:
            at = text.find(probe)
            return text, (at if at >= 0 else None)
    return text, None


def _text_of(element: Any) -> str:
    # Text nodes joined with spaces, so that "<span>May 5, 2025</span><span>10:00</span>" stays two tokens.
    nodes = element.xpath(_VISIBLE_TEXT_NODES)
    return " ".join(" ".join(str(node) for node in nodes).split())


def _meta_dates(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if key in META_DATE_NAMES and value:
            found.setdefault(META_DATE_NAMES[key], value)
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            published = _json_ld_date(script.text)
            if published:
                found.setdefault("datePublished", published)
    for time in tree.iter("time"):
        if time.get("pubdate") is not None and time.get("datetime"):
            found.setdefault("time[pubdate]", time.get("datetime").strip())
    return found


def _json_ld_date(payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    stack: list[Any] = [data]
    seen = 0
    while stack and seen < 1000:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value.strip()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _first_meta_date(html_meta: dict[str, str]) -> str | None:
    return next((html_meta[key] for key in HTML_META_DATE_KEYS if html_meta.get(key)), None)


def _tree_title(tree: Any) -> str | None:
    if tree is None:
        return None
    node = tree.find(".//title")
    return _clean(node.text_content()) if node is not None else None


def _canonical_url(tree: Any) -> str | None:
    if tree is None:
        return None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None

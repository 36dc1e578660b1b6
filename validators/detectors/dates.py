"""Date checks and date recovery: pure functions over parsed dates, URLs, text and HTML metadata.

The checks classify a row's date (present, missing, unparseable) and flag dates in the future or before a
plausible year. ``suggest_published_at`` proposes a date from evidence the row carries itself (a date in the
URL path, a dateline or "published" line in the text, the page's metadata), always with that evidence, so a
suggestion is never silent. It prefers saying nothing to guessing: precision first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from validators.ingest.dates import MONTH_NAMES, parse_local_date, parse_published_at

DATE_PRESENT = "present"
SHOWN_DATE_KEY = "shown near headline"
DATE_MISSING = "missing"
DATE_UNPARSEABLE = "unparseable"

# Metadata keys in order of trust: a date shown next to the headline that overrules the metadata (set only
# when ``headline_date`` says so), the extractor's own choice among all the page's dates ("extracted"),
# then explicit publication fields, generic "date" fields last.
HTML_META_DATE_KEYS: tuple[str, ...] = (
    SHOWN_DATE_KEY,
    "extracted",
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "og:published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "pubdate",
    "DC.date.issued",
    "dcterms.date",
    "dcterms.created",
    "date",
    "DC.date",
    "time[pubdate]",
)

# Words that introduce the publication date on a line, per language (lower-case, matched as prefixes).
PUBLISHED_CUES: tuple[str, ...] = (
    "published",
    "posted",
    "first published",
    "veröffentlicht",
    "publiziert",
    "erschienen",
    "erstellt",
    "publié",
    "publie",
    "mis en ligne",
    "publicado",
    "publicada",
    "publicación",
    "pubblicato",
    "pubblicata",
    "gepubliceerd",
    "geplaatst",
    "yayınlanma",
    "yayınlandı",
    "yayın tarihi",
    "опубликовано",
    "опубликован",
    "дата публикации",
    "opublikowano",
    "publicerad",
    "udgivet",
    "publisert",
    "julkaistu",
)

# Cues that a nearby date is not the publication date.
NON_PUBLICATION_CUES: tuple[str, ...] = (
    "updated",
    "update",
    "modified",
    "aktualisiert",
    "geändert",
    "mis à jour",
    "actualizado",
    "atualizado",
    "aggiornato",
    "bijgewerkt",
    "güncelleme",
    "güncellendi",
    "обновлено",
    "©",
    "copyright",
    "born",
    "geboren",
    "deadline",
    "until",
    "bis zum",
    "event",
    "termin",
    "quelle:",
    "source:",
    "fuente:",
    "fonte:",
)

# Words right before a date that make it an event or a range, not a dateline ("vom 5.8.2019", "from ...").
EVENT_PREPOSITIONS: frozenset[str] = frozenset(
    {"am", "vom", "ab", "bis", "seit", "from", "until", "since", "till", "du", "au", "jusqu", "desde", "hasta"}
)

DATELINE_MAX_WORDS = 6  # words besides the date itself; more means a sentence that mentions a date
DATELINE_MAX_LINES = 6  # a dateline sits within the first lines of the text
DATELINE_MAX_CHARS = 90  # and is a short line, not a sentence that mentions a date
URL_MIN_YEAR = 1990
SUGGEST_MAX_FUTURE = timedelta(days=2)

# Fields that state the publication time outright; when one is there, a date shown on the page only
# overrules the metadata date within a time-zone shift of it.
EXPLICIT_PUBLISHED_KEYS: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "parsely-pub-date",
    "sailthru.date",
    "DC.date.issued",
    "time[pubdate]",
)
HEADLINE_DATE_WINDOW = 600  # characters either side of the headline where a byline date sits
TIMEZONE_SLACK = timedelta(days=1)  # the same instant can fall on neighbouring calendar days


@dataclass(frozen=True, slots=True)
class DateSuggestion:
    """A recovered publication date and the evidence it was read from."""

    value: datetime
    evidence: str


def date_state(published_at: datetime | None, raw: str | None) -> str:
    """``present`` when a date parsed, ``unparseable`` for a raw value that did not, else ``missing``."""
    if published_at is not None and not _is_nat(published_at):
        return DATE_PRESENT
    if raw is not None and str(raw).strip():
        return DATE_UNPARSEABLE
    return DATE_MISSING


def is_future(published_at: datetime | None, now: datetime, tolerance: timedelta) -> bool:
    """Whether ``published_at`` lies beyond ``now`` plus ``tolerance`` (naive datetimes count as UTC)."""
    if published_at is None or _is_nat(published_at):
        return False
    return _as_utc(published_at) > _as_utc(now) + tolerance


def is_implausible(published_at: datetime | None, min_year: int) -> bool:
    """Whether ``published_at`` falls before January 1 of ``min_year``."""
    if published_at is None or _is_nat(published_at):
        return False
    return _as_utc(published_at).year < min_year


def future_mask(published_at: pd.Series, now: datetime, tolerance: timedelta) -> pd.Series:
    """Vectorised ``is_future``: True where the date is beyond ``now + tolerance``; NaT gives False."""
    values = pd.to_datetime(published_at, utc=True, errors="coerce")
    limit = pd.Timestamp(_as_utc(now) + tolerance)
    return (values > limit).fillna(False).astype(bool)


def implausible_mask(published_at: pd.Series, min_year: int) -> pd.Series:
    """Vectorised ``is_implausible``: True where the date falls before ``min_year``; NaT gives False."""
    values = pd.to_datetime(published_at, utc=True, errors="coerce")
    return (values.dt.year < min_year).fillna(False).astype(bool)


def suggest_published_at(
    url: str | None,
    text: str | None,
    html_meta: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> DateSuggestion | None:
    """Propose a publication date from the page's metadata, its URL path or its text, with evidence.

    Sources are tried from most to least reliable: metadata, a full date in the URL path, a "published"
    line, then a dateline near the top of the text. Dates after ``now`` (default: the current time) plus
    two days are ignored. Returns ``None`` when no source gives a confident date.
    """
    latest = _as_utc(now or datetime.now(UTC)) + SUGGEST_MAX_FUTURE
    for suggestion in (
        _from_meta(html_meta),
        _from_url(url),
        *_from_text(text),
    ):
        if suggestion is not None and suggestion.value <= latest:
            return suggestion
    return None


def _from_meta(html_meta: Mapping[str, str] | None) -> DateSuggestion | None:
    if not html_meta:
        return None
    for key in HTML_META_DATE_KEYS:
        raw = html_meta.get(key)
        if raw:
            value = parse_published_at(raw)
            if value is not None and value.year >= URL_MIN_YEAR:
                return DateSuggestion(value, f"html meta {key}")
    return None


@dataclass(frozen=True, slots=True)
class ShownDate:
    """A date written out in a page's visible text: its offset there, the words as written, its day."""

    offset: int
    raw: str
    day: date


def shown_dates(page_text: str | None) -> list[ShownDate]:
    """The dates written out in a page's visible text, in reading order (ambiguous forms left out)."""
    if not page_text:
        return []
    found = []
    for match in _TEXT_DATE.finditer(page_text):
        day = parse_local_date(match.group(0))
        if day is not None:
            found.append(ShownDate(match.start(), match.group(0), day))
    return found


def headline_date(
    html_meta: Mapping[str, str] | None,
    page_text: str | None,
    headline_at: int | None,
    *,
    now: datetime | None = None,
) -> str | None:
    """The date shown next to the headline, as written, when it should overrule the metadata date.

    Readers (and the people who label publication dates) go by the date the page shows. When the date
    picked from the metadata appears nowhere in the page's visible text ``page_text``, the written date
    nearest the headline (which starts at offset ``headline_at``) within ``HEADLINE_DATE_WINDOW``
    characters is taken instead. A page that states its publication time in an explicit field keeps that
    time unless the shown date lies within ``TIMEZONE_SLACK`` of it (the same instant in the reader's
    time zone). Returns ``None`` when the metadata date stands.
    """
    if headline_at is None or not page_text:
        return None
    meta = html_meta or {}
    picked_raw = next((meta[key] for key in HTML_META_DATE_KEYS if key != SHOWN_DATE_KEY and meta.get(key)), None)
    picked = parse_local_date(picked_raw) if picked_raw else None
    shown = shown_dates(page_text)
    if picked is not None and any(item.day == picked for item in shown):
        return None
    latest = (_as_utc(now or datetime.now(UTC)) + SUGGEST_MAX_FUTURE).date()
    near = [
        item
        for item in shown
        if abs(item.offset - headline_at) <= HEADLINE_DATE_WINDOW
        and item.day.year >= URL_MIN_YEAR
        and item.day <= latest
    ]
    if not near:
        return None
    nearest = min(near, key=lambda item: abs(item.offset - headline_at))
    if any(meta.get(key) for key in EXPLICIT_PUBLISHED_KEYS) and (
        picked is None or abs(nearest.day - picked) > TIMEZONE_SLACK
    ):
        return None
    return nearest.raw


# A one-digit day must end the path segment: "/2023/10/3-questions" is a slug, not October 3.
_URL_YMD = re.compile(r"/((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{2}(?=[/_.-]|$)|\d(?=/|$))")
_URL_COMPACT = re.compile(r"(?<![\dA-Za-z])((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?!\d)")


def _from_url(url: str | None) -> DateSuggestion | None:
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.IGNORECASE)
    path = path.split("#", 1)[0]
    for pattern in (_URL_YMD, _URL_COMPACT):
        for match in pattern.finditer(path):
            groups = [g for g in match.groups() if g not in {"/", "-"}]
            year, month, day = (int(g) for g in groups)
            value = _valid_date(year, month, day)
            if value is not None:
                return DateSuggestion(value, f"url path {match.group(0).strip('/-_.')}")
    return None


def _valid_date(year: int, month: int, day: int) -> datetime | None:
    if year < URL_MIN_YEAR:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _month_alternation(months: Mapping[str, Sequence[tuple[str, ...]]]) -> str:
    names = {name for per_language in months.values() for names in per_language for name in names}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_MONTH = _month_alternation(MONTH_NAMES)
_DAY = r"(?:[0-2]?\d|3[01])"
_YEAR = r"(?:19|20)\d{2}"
# Date expressions inside running text; each match is handed to the ingest parser.
_TEXT_DATE = re.compile(
    rf"""
    (?<![\w.])(?:
        {_YEAR}-[01]\d-[0-3]\d
      | {_DAY}\.\s?[01]?\d\.\s?{_YEAR}
      | {_DAY}/[01]?\d/{_YEAR}
      | {_DAY}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{_MONTH})\.?,?\s+(?:de\s+)?{_YEAR}
      | (?:{_MONTH})\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}
      | {_YEAR}\s*年\s*[01]?\d\s*月\s*[0-3]?\d\s*日
      | {_YEAR}년\s*[01]?\d월\s*[0-3]?\d일
    )(?![\w])
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _from_text(text: str | None) -> list[DateSuggestion | None]:
    if not text:
        return []
    head = text[:20_000]
    return [_published_line(head), _dateline(head)]


def _dates_in(line: str) -> list[tuple[re.Match[str], datetime]]:
    found = []
    for match in _TEXT_DATE.finditer(line):
        value = parse_published_at(match.group(0))
        if value is not None:
            found.append((match, value))
    return found


def _published_line(text: str) -> DateSuggestion | None:
    for line in text.split("\n"):
        lowered = line.lower()
        cue = next((c for c in PUBLISHED_CUES if c in lowered), None)
        if cue is None or _has_cue(lowered, NON_PUBLICATION_CUES):
            continue
        after_cue = lowered.index(cue)
        dates = [(m, v) for m, v in _dates_in(line) if m.start() >= after_cue]
        if dates and len(line) <= 200:
            return DateSuggestion(dates[0][1], f"published line: {_excerpt(line)}")
    return None


def _dateline(text: str) -> DateSuggestion | None:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:DATELINE_MAX_LINES]:
        # Embedded posts ("— Name (@handle) June 1, 2017") and table rows carry other dates.
        if "@" in line or line.startswith(("—", "–")) or line.count("|") >= 3:
            continue
        dates = _dates_in(line[:400])
        if not dates:
            continue
        match, value = dates[0]
        lead = _LEAD_DATELINE.match(line[: match.end() + 4])
        if lead and not _has_cue(line[: match.end()].lower(), NON_PUBLICATION_CUES):
            return DateSuggestion(value, f"dateline: {_excerpt(line)}")
        if len(line) > DATELINE_MAX_CHARS or len({v.date() for _, v in dates}) != 1:
            continue
        lowered = line.lower()
        if _has_cue(lowered, NON_PUBLICATION_CUES):
            continue
        before = _WORDS.findall(lowered[: match.start()])
        if before and before[-1] in EVENT_PREPOSITIONS:
            continue
        residual = _TIME_OF_DAY.sub(" ", lowered[: match.start()] + " " + lowered[match.end() :])
        if len([w for w in _WORDS.findall(residual) if len(w) > 1]) <= DATELINE_MAX_WORDS:
            return DateSuggestion(value, f"dateline: {_excerpt(line)}")
    return None


def _has_cue(lowered: str, cues: Sequence[str]) -> bool:
    return any(cue in lowered for cue in cues)


# A lead that opens with its date: "Düsseldorf, 22. November 2022 - ...", "(18.01.2018) ...".
_LEAD_DATELINE = re.compile(
    rf"^(?:\(|(?:[A-ZÄÖÜÉ][\w.'-]*(?:\s[A-ZÄÖÜÉ][\w.'-]*){{0,2}},\s*))?(?:{_TEXT_DATE.pattern})\)?\s*(?:[-–—]\s|\)\s)",
    re.VERBOSE | re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]+")
_TIME_OF_DAY = re.compile(r"\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h)?", re.IGNORECASE)


def _excerpt(line: str, limit: int = 80) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _as_utc(value: datetime) -> datetime:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _is_nat(value: object) -> bool:
    return value is pd.NaT

"""Parse real-world publication-date values into aware UTC datetimes.

Accepted forms: ISO 8601 variants, RFC 2822, epoch seconds and milliseconds (numbers or numeric strings),
datetime objects, and written dates in several languages ("28 November 2026", "28.11.2026",
"November 28, 2026 10:00 EST", "28 Kasım 2026", "2026年11月28日"). Anything else gives ``None``; nothing
here raises on bad input.

Policies for ambiguous input:
- ``03/04/2026`` with both parts <= 12 and different is ambiguous and gives ``None``, unless the caller
  passes ``day_first``. Dotted dates (``28.11.2026``) are day-first, the convention wherever they are used.
- A wall-clock time without a zone is taken as UTC. A local time that falls in a daylight-saving gap of a
  named zone resolves with the offset in force before the gap (``zoneinfo`` ``fold=0``).
- Negative epochs are sentinels (``-1``), not publication times, and give ``None``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Month names per language: full forms and the usual abbreviations (genitive/inflected forms too).
# Index i holds the names of month i + 1.
MONTH_NAMES: dict[str, list[tuple[str, ...]]] = {
    "en": [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    "de": [
        ("januar", "jänner", "jän", "jaenner"),
        ("februar", "feber"),
        ("märz", "maerz", "mär", "mrz"),
        ("april",),
        ("mai",),
        ("juni",),
        ("juli",),
        ("august",),
        ("september",),
        ("oktober", "okt"),
        ("november",),
        ("dezember", "dez"),
    ],
    "fr": [
        ("janvier", "janv"),
        ("février", "fevrier", "févr", "fevr", "fév", "fev"),
        ("mars",),
        ("avril", "avr"),
        ("mai",),
        ("juin",),
        ("juillet", "juil"),
        ("août", "aout"),
        ("septembre",),
        ("octobre",),
        ("novembre",),
        ("décembre", "decembre", "déc"),
    ],
    "es": [
        ("enero", "ene"),
        ("febrero",),
        ("marzo",),
        ("abril", "abr"),
        ("mayo",),
        ("junio",),
        ("julio",),
        ("agosto", "ago"),
        ("septiembre", "setiembre", "set"),
        ("octubre",),
        ("noviembre",),
        ("diciembre", "dic"),
    ],
    "pt": [
        ("janeiro",),
        ("fevereiro",),
        ("março", "marco"),
        ("abril",),
        ("maio",),
        ("junho",),
        ("julho",),
        ("agosto",),
        ("setembro",),
        ("outubro", "out"),
        ("novembro",),
        ("dezembro",),
    ],
    "it": [
        ("gennaio", "gen"),
        ("febbraio",),
        ("marzo",),
        ("aprile",),
        ("maggio", "mag"),
        ("giugno", "giu"),
        ("luglio", "lug"),
        ("agosto",),
        ("settembre",),
        ("ottobre", "ott"),
        ("novembre",),
        ("dicembre",),
    ],
    "nl": [
        ("januari",),
        ("februari",),
        ("maart", "mrt"),
        ("april",),
        ("mei",),
        ("juni",),
        ("juli",),
        ("augustus",),
        ("september",),
        ("oktober",),
        ("november",),
        ("december",),
    ],
    "tr": [
        ("ocak",),
        ("şubat", "subat"),
        ("mart",),
        ("nisan",),
        ("mayıs", "mayis"),
        ("haziran",),
        ("temmuz",),
        ("ağustos", "agustos"),
        ("eylül", "eylul"),
        ("ekim",),
        ("kasım", "kasim"),
        ("aralık", "aralik"),
    ],
    "ru": [
        ("январь", "января", "янв"),
        ("февраль", "февраля", "фев"),
        ("март", "марта", "мар"),
        ("апрель", "апреля", "апр"),
        ("май", "мая"),
        ("июнь", "июня", "июн"),
        ("июль", "июля", "июл"),
        ("август", "августа", "авг"),
        ("сентябрь", "сентября", "сен", "сент"),
        ("октябрь", "октября", "окт"),
        ("ноябрь", "ноября", "ноя"),
        ("декабрь", "декабря", "дек"),
    ],
    "uk": [
        ("січень", "січня"),
        ("лютий", "лютого"),
        ("березень", "березня"),
        ("квітень", "квітня"),
        ("травень", "травня"),
        ("червень", "червня"),
        ("липень", "липня"),
        ("серпень", "серпня"),
        ("вересень", "вересня"),
        ("жовтень", "жовтня"),
        ("листопад", "листопада"),
        ("грудень", "грудня"),
    ],
    "pl": [
        ("styczeń", "stycznia", "sty"),
        ("luty", "lutego", "lut"),
        ("marzec", "marca"),
        ("kwiecień", "kwietnia", "kwi"),
        ("maj", "maja"),
        ("czerwiec", "czerwca", "cze"),
        ("lipiec", "lipca", "lip"),
        ("sierpień", "sierpnia", "sie"),
        ("wrzesień", "września", "wrz"),
        ("październik", "października", "paź"),
        ("listopad", "listopada", "lis"),
        ("grudzień", "grudnia", "gru"),
    ],
    "sv_da_no": [
        ("januari", "janvier"),
        ("februari", "februar"),
        ("mars", "marts"),
        ("april",),
        ("maj", "mai"),
        ("juni",),
        ("juli",),
        ("augusti", "august"),
        ("september",),
        ("oktober",),
        ("november",),
        ("december", "desember"),
    ],
    "id": [
        ("januari",),
        ("februari", "pebruari"),
        ("maret",),
        ("april",),
        ("mei",),
        ("juni",),
        ("juli",),
        ("agustus",),
        ("september",),
        ("oktober",),
        ("november", "nopember"),
        ("desember",),
    ],
}

# Zone abbreviations that are unambiguous enough for news datelines, as UTC offsets in hours.
ZONE_OFFSETS_HOURS: dict[str, float] = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "ut": 0,
    "wet": 0,
    "west": 1,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "mez": 1,
    "mesz": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "trt": 3,
    "ist": 5.5,
    "jst": 9,
    "kst": 9,
    "hkt": 8,
    "sgt": 8,
    "aest": 10,
    "aedt": 11,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "akst": -9,
    "akdt": -8,
    "hst": -10,
}


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Weekday names and filler words dropped before matching ("Tuesday, 28 de noviembre de 2026 at 10:00").
FILLER_WORDS: frozenset[str] = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so
    lundi mardi mercredi jeudi vendredi samedi dimanche lun mer jeu ven sam dim
    lunes martes miércoles miercoles jueves viernes sábado sabado domingo
    segunda terça terca quarta quinta sexta feira
    lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi domenica
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    pazartesi salı sali çarşamba carsamba perşembe persembe cuma cumartesi pazar
    понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
    de del do da of the at um à a le el il om op on den der am г года год
    uhr h hrs heure heures horas ore saat
    """
)

ORDINAL_SUFFIXES: frozenset[str] = frozenset({"st", "nd", "rd", "th", "er", "eme", "º", "ª", "e"})

EPOCH_MILLIS_THRESHOLD = 100_000_000_000  # seconds beyond this would be past year 5138: read as ms
MIN_YEAR = 1
MAX_YEAR = 9999

_month_lookup: dict[str, int] | None = None


def _month_table() -> dict[str, int]:
    """Name -> month number; a name that means different months in different languages is dropped."""
    global _month_lookup
    if _month_lookup is None:
        table: dict[str, int] = {}
        conflicts: set[str] = set()
        for months in MONTH_NAMES.values():
            for index, names in enumerate(months, start=1):
                for name in names:
                    if table.get(name, index) != index:
                        conflicts.add(name)
                    table[name] = index
        _month_lookup = {k: v for k, v in table.items() if k not in conflicts}
    return _month_lookup


def format_raw(raw: object) -> str | None:
    """The original value as kept beside the parsed date: ``None`` and NaN stay ``None``; text is stripped."""
    if raw is None:
        return None
    if isinstance(raw, float) and math.isnan(raw):
        return None
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = str(raw).strip()
    return text or None


def parse_published_at(raw: object, *, day_first: bool | None = None) -> datetime | None:
    """Parse a raw publication date into an aware UTC datetime, or ``None`` when it cannot be read.

    ``day_first`` settles numeric dates such as ``03/04/2026``; left ``None``, such dates are ambiguous
    and give ``None``. Never raises.
    """
    try:
        value = _parse(raw, day_first)
        return value.astimezone(UTC) if value is not None else None
    except (ValueError, OverflowError, OSError, TypeError, ArithmeticError):
        return None


def parse_local_date(raw: object, *, day_first: bool | None = None) -> date | None:
    """The calendar date of a raw publication date as written, in its own time zone (UTC for epochs).

    ``2020-12-25T01:59:50+02:00`` gives December 25 here, while its UTC instant falls on December 24.
    """
    try:
        value = _parse(raw, day_first)
        return value.date() if value is not None else None
    except (ValueError, OverflowError, OSError, TypeError, ArithmeticError):
        return None


def _parse(raw: object, day_first: bool | None) -> datetime | None:
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, datetime):
        return _aware(raw)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    if isinstance(raw, int | float):
        return _from_epoch(float(raw)) if not isinstance(raw, int) else _from_epoch_int(raw)
    if hasattr(raw, "to_pydatetime"):  # pandas Timestamp
        value = raw.to_pydatetime()
        return _aware(value) if isinstance(value, datetime) else None
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text or len(text) > 200:
        return None
    return (
        _parse_numeric(text)
        or _parse_iso(text)
        or _parse_rfc2822(text)
        or _parse_cjk(text)
        or _parse_written(text, day_first)
    )


def _aware(value: datetime) -> datetime | None:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value


def _from_epoch_int(value: int) -> datetime | None:
    if value < 0:
        return None
    if value >= EPOCH_MILLIS_THRESHOLD:
        seconds, millis = divmod(value, 1000)
        return datetime.fromtimestamp(seconds, UTC) + timedelta(milliseconds=millis)
    return datetime.fromtimestamp(value, UTC)


def _from_epoch(value: float) -> datetime | None:
    if not math.isfinite(value) or value < 0:
        return None
    if value >= EPOCH_MILLIS_THRESHOLD:
        value /= 1000.0
    return datetime.fromtimestamp(round(value, 6), UTC)


_NUMERIC = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _parse_numeric(text: str) -> datetime | None:
    if not _NUMERIC.fullmatch(text):
        return None
    compact = _COMPACT_DATE.fullmatch(text)
    if compact:  # YYYYMMDD reads as a calendar date, never as an epoch in 1970
        year, month, day = (int(g) for g in compact.groups())
        return _make(year, month, day)
    if re.fullmatch(r"[+-]?\d+", text):
        return _from_epoch_int(int(text)) if len(text.lstrip("+-")) >= 9 else None
    number = float(text)
    return _from_epoch(number) if number >= 1e8 else None


_ISO = re.compile(
    r"""
    (?P<year>\d{4})(?:-(?P<month>\d{1,2})-(?P<day>\d{1,2})|(?P<cmonth>\d{2})(?P<cday>\d{2}))
    (?:[T\s]+(?P<hour>\d{2}):?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?
    \s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _parse_iso(text: str) -> datetime | None:
    match = _ISO.fullmatch(text)
    if not match:
        return None
    if "-" not in text[:8] and not re.match(r"\d{8}T", text):
        return None  # bare digits are handled as compact dates or epochs
    g = match.groupdict()
    fraction = (g["fraction"] or "0")[:6].ljust(6, "0")
    tz = _offset(g["zone"]) if g["zone"] else UTC
    if tz is None:
        return None
    return _make(
        int(g["year"]),
        int(g["month"] or g["cmonth"]),
        int(g["day"] or g["cday"]),
        int(g["hour"] or 0),
        int(g["minute"] or 0),
        int(g["second"] or 0),
        int(fraction),
        tz,
    )


def _offset(zone: str) -> tzinfo | None:
    zone = zone.strip()
    named = ZONE_OFFSETS_HOURS.get(zone.lower())
    if named is not None:
        return timezone(timedelta(hours=named))
    match = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", zone, re.IGNORECASE)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_rfc2822(text: str) -> datetime | None:
    if not re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(value)


_CJK = re.compile(
    r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?"
    r"(?:\D{0,6}?(\d{1,2})\s*[:時시]\s*(\d{2}))?"
)


def _parse_cjk(text: str) -> datetime | None:
    match = _CJK.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups()[:3])
    hour, minute = (int(match.group(4)), int(match.group(5))) if match.group(4) else (0, 0)
    return _make(year, month, day, hour, minute)


_TIME = re.compile(
    r"(?<![\d.])(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?",
    re.IGNORECASE,
)
_ZONE_AFTER_TIME = re.compile(
    r"\s*\(?(?P<zone>(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?|[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|[A-Za-z]{1,5})"
    r"(?![\w/])\)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+\.?|\d+", re.UNICODE)


def _parse_written(text: str, day_first: bool | None) -> datetime | None:
    hour = minute = second = micro = 0
    tz: tzinfo = UTC
    zone_name: str | None = None
    rest = text
    time_match = _TIME.search(text)
    if time_match:
        g = time_match.groupdict()
        hour, minute = int(g["hour"]), int(g["minute"])
        second = int(g["second"] or 0)
        micro = int((g["fraction"] or "0")[:6].ljust(6, "0"))
        if g["ampm"]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
        end = time_match.end()
        zone_match = _ZONE_AFTER_TIME.match(text, end)
        if zone_match:
            zone = zone_match.group("zone").replace(" ", "")
            if "/" in zone:
                zone_name = zone if _known_zone(zone) else None
                if zone_name is None:
                    return None
                end = zone_match.end()
            else:
                offset = _offset(zone)
                if offset is not None:
                    tz = offset
                    end = zone_match.end()
        rest = text[: time_match.start()] + " " + text[end:]
    date_part = _read_date(rest.lower(), day_first)
    if date_part is None:
        return None
    year, month, day = date_part
    if zone_name is not None:
        return _make(year, month, day, hour, minute, second, micro, ZoneInfo(zone_name))
    return _make(year, month, day, hour, minute, second, micro, tz)


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})(?!\d)")


def _read_date(text: str, day_first: bool | None) -> tuple[int, int, int] | None:
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        rest = text[: numeric.start()] + " " + text[numeric.end() :]
        if any(_skippable(w) is False for w in _WORD.findall(rest)) or re.search(r"[+-]\d", rest):
            return None  # leftovers such as an unknown zone: refuse rather than guess
        return _numeric_date(numeric, day_first)
    months = _month_table()
    tokens: list[str | int] = []
    for word in _WORD.findall(text):
        word = word.rstrip(".")
        if word.isdigit():
            tokens.append(int(word) if len(word) <= 4 else -1)
        elif word in months:
            tokens.append(word)
        elif _skippable(word):
            continue
        else:
            return None  # an unknown word: refuse rather than guess
    numbers = [t for t in tokens if isinstance(t, int)]
    names = [t for t in tokens if isinstance(t, str)]
    if len(names) != 1 or len(numbers) != 2:
        return None
    month = months[names[0]]
    first, second = numbers
    if first >= 1000 and second <= 31:
        year, day = first, second
    elif second >= 1000 and first <= 31:
        day, year = first, second
    else:
        return None
    return year, month, day


def _skippable(word: str) -> bool:
    word = word.rstrip(".")
    return word in FILLER_WORDS or word in ORDINAL_SUFFIXES


def _numeric_date(match: re.Match[str], day_first: bool | None) -> tuple[int, int, int] | None:
    a, sep, b, c = match.group(1), match.group(2), match.group(3), match.group(4)
    if len(a) == 4:
        return int(a), int(b), int(c)
    if len(c) == 2:
        return None  # two-digit years are too ambiguous to store
    first, second, year = int(a), int(b), int(c)
    if sep == ".":
        return year, second, first
    if first > 12 >= second:
        return year, second, first
    if second > 12 >= first:
        return year, first, second
    if first == second:
        return year, first, first
    if day_first is None:
        return None
    return (year, second, first) if day_first else (year, first, second)


def _make(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    micro: int = 0,
    tz: tzinfo = UTC,
) -> datetime | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        value = datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
        value.astimezone(UTC)  # fails near datetime's limits
    except (ValueError, OverflowError):
        return None
    return value

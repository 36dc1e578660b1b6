"""Parse real-world publication date values into aware UTC datetimes."""

from __future__ import annotations

import math
from datetime import UTC, datetime

MIN_EPOCH = -62135596800  # 0001-01-01
MAX_EPOCH = 253402300799  # 9999-12-31


def format_raw(raw: object) -> str | None:
    """How a raw date value is kept: as the original string (numbers as their text)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, datetime):
        return raw.isoformat()
    text = str(raw)
    return text if text.strip() else None


def parse_published_at(raw: object) -> datetime | None:
    """Parse a date value into an aware UTC datetime, or None when it is not a date. Never raises."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, datetime):
        return raw.astimezone(UTC) if raw.tzinfo else raw.replace(tzinfo=UTC)
    if isinstance(raw, int | float):
        return _from_epoch(float(raw))
    text = str(raw).strip()
    if not text:
        return None
    try:
        return _from_epoch(float(text)) if text.lstrip("-").replace(".", "", 1).isdigit() else _iso(text)
    except (ValueError, OverflowError):
        return None


def _from_epoch(value: float) -> datetime | None:
    if math.isnan(value) or math.isinf(value):
        return None
    if abs(value) > 1e11:  # milliseconds
        value /= 1000.0
    if not MIN_EPOCH <= value <= MAX_EPOCH:
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _iso(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)

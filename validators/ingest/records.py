"""What a reader yields: a raw record to map onto the schema, or a row to quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class RawRecord:
    """One input record as read: field names as the input spells them."""

    fields: dict[str, Any]
    source_file: Path
    byte_offset: int | None
    record_number: int
    raw: bytes | None = None


@dataclass(slots=True)
class Rejected:
    """A record that cannot become an article row, with the reason."""

    reason: str
    source_file: Path
    byte_offset: int | None
    record_number: int
    raw: bytes | None


class InputError(Exception):
    """An input that cannot be read at all (exit code 2)."""

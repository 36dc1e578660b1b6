"""Template lines: lines a site repeats across many of its articles (footers, bylines, promos).

A line is a template line of a source when it appears in at least ``min_articles`` articles of that source
that have distinct URLs and distinct texts. Mining streams over a table once and keeps bounded memory:
lines are counted by a 64-bit hash, the counter table is pruned of rare entries when it is full, and
the "already seen" URLs and texts live in a fixed-size bit filter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# Lines shorter than this (non-space characters) are left to the UI-token and phrase rules: counting
# every "Share" or "X" line would fill the table with tokens that are flagged anyway.
MIN_LINE_CHARS = 4
# Very long lines are article prose even when syndicated; they are not counted.
MAX_LINE_CHARS = 400


def normalise_line(line: str) -> str:
    """The form under which a line is counted: case-folded, whitespace collapsed."""
    return " ".join(line.split()).casefold()


def _hash64(*parts: str) -> int:
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def line_hash(line: str) -> int:
    """The 64-bit hash of a line's normalised form, as stored in :class:`TemplateLines`."""
    return _hash64(normalise_line(line))


def _countable_lines(text: str) -> Iterator[str]:
    seen: set[str] = set()
    for raw in text.split("\n"):
        key = normalise_line(raw)
        chars = len(key.replace(" ", ""))
        if MIN_LINE_CHARS <= chars <= MAX_LINE_CHARS and key not in seen:
            seen.add(key)
            yield key


@dataclass(frozen=True, slots=True)
class TemplateLines:
    """The template lines of one source, held as hashes of their normalised form."""

    hashes: frozenset[int] = frozenset()

    def __contains__(self, line: object) -> bool:
        return isinstance(line, str) and line_hash(line) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


class _BitFilter:
    """A fixed-size Bloom filter: answers "seen before?" with rare false positives, never negatives."""

    def __init__(self, bits: int, probes: int = 3) -> None:
        self._bits = bits
        self._probes = probes
        self._array = bytearray((bits + 7) // 8)

    def add(self, value: int) -> bool:
        """Insert ``value``; return whether it was (probably) present already."""
        present = True
        for i in range(self._probes):
            bit = ((value >> (i * 21)) ^ (value * (i + 1))) % self._bits
            byte, mask = bit >> 3, 1 << (bit & 7)
            if not self._array[byte] & mask:
                present = False
                self._array[byte] |= mask
        return present


@dataclass
class TemplateLineMiner:
    """One streaming pass over ``(source, url, text)`` rows that finds each source's template lines.

    ``max_entries`` bounds the counter table; when it is full, entries seen in fewer than
    ``min_articles - 1`` articles are dropped (lossy counting), so lines that are genuinely frequent
    within a source survive. ``filter_bits`` sizes the seen-URL and seen-text filters.
    """

    min_articles: int = 3
    max_entries: int = 2_000_000
    filter_bits: int = 1 << 24
    _counts: dict[int, int] = field(default_factory=dict, init=False, repr=False)
    _sources: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    _line_of: dict[int, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)
    _urls: _BitFilter = field(init=False, repr=False)
    _texts: _BitFilter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._urls = _BitFilter(self.filter_bits)
        self._texts = _BitFilter(self.filter_bits)

    def add(self, source: str | None, url: str | None, text: str | None) -> bool:
        """Count one article's lines; False when skipped (no source, URL or text, or a repeat)."""
        if not source or not url or not text:
            return False
        source_key = _hash64("source", source)
        url_seen = self._urls.add(_hash64("url", source, url))
        text_seen = self._texts.add(_hash64("text", source, text))
        if url_seen or text_seen:
            return False
        self._sources.setdefault(source_key, source)
        for key in _countable_lines(text):
            lh = _hash64(key)
            entry = _hash64(str(source_key), str(lh))
            self._counts[entry] = self._counts.get(entry, 0) + 1
            self._line_of.setdefault(entry, (source_key, lh))
        if len(self._counts) > self.max_entries:
            self._prune()
        return True

    def _prune(self) -> None:
        floor = max(1, self.min_articles - 2)
        keep = {k: v for k, v in self._counts.items() if v > floor}
        if len(keep) > self.max_entries // 2:
            keep = dict(sorted(keep.items(), key=lambda kv: -kv[1])[: self.max_entries // 2])
        self._counts = keep
        self._line_of = {k: self._line_of[k] for k in keep}

    def result(self) -> dict[str, TemplateLines]:
        """The template lines found so far, per source name (sources without any are left out)."""
        per_source: dict[int, set[int]] = {}
        for entry, count in self._counts.items():
            if count >= self.min_articles:
                source_key, lh = self._line_of[entry]
                per_source.setdefault(source_key, set()).add(lh)
        return {self._sources[s]: TemplateLines(frozenset(h)) for s, h in per_source.items()}


def mine_template_lines(
    rows: Iterable[tuple[str | None, str | None, str | None]], min_articles: int = 3
) -> dict[str, TemplateLines]:
    """Template lines per source from ``(source, url, text)`` rows, in one bounded-memory pass."""
    miner = TemplateLineMiner(min_articles=min_articles)
    for source, url, text in rows:
        miner.add(source, url, text)
    return miner.result()

"""Template lines: lines a site repeats across many of its articles (footers, bylines, promos).

A line is a template line of a source when it appears in at least ``min_articles`` articles of that source
that have distinct URLs and distinct texts. Mining is split in two so that the costly part runs in parallel:

- :func:`hash_rows` reduces rows of ``(source, url, text)`` to 64-bit hashes (of each row's URL and text, and
  of each distinct countable line); it needs no state, so any process can run it on any chunk of the table;
- :class:`TemplateLineMiner` takes the hashed chunks in table order, skips repeated URLs and texts (a
  fixed-size bit filter) and counts each line once per article in a compact table (NumPy arrays, 16 bytes an
  entry) that is pruned of rare entries when full, so memory is bounded whatever the table's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

# Lines shorter than this (non-space characters) are left to the UI-token and phrase rules: counting
# every "Share" or "X" line would fill the table with tokens that are flagged anyway.
MIN_LINE_CHARS = 4
# Very long lines are article prose even when syndicated; they are not counted.
MAX_LINE_CHARS = 400

Hashes = npt.NDArray[np.uint64]


def normalise_line(line: str) -> str:
    """The form under which a line is counted: case-folded, whitespace collapsed."""
    # A printable line has no whitespace but the ASCII space; without doubled or outer spaces it is already
    # collapsed, and most lines are: splitting them into words would be the costliest step.
    if line.isprintable() and "  " not in line and not line.startswith(" ") and not line.endswith(" "):
        return line.casefold()
    return " ".join(line.split()).casefold()


def _hash64(*parts: str) -> int:
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def line_hash(line: str) -> int:
    """The 64-bit hash of a line's normalised form, as stored in :class:`TemplateLines`."""
    return _hash64(normalise_line(line))


def _surely_too_long(line: str) -> bool:
    """Whether ``line`` is too long to count whatever its normal form, told without normalising it.

    Case folding never shortens a character, so a printable line (only ASCII spaces as whitespace) with too
    many other characters is too long.
    """
    return line.isprintable() and len(line) - line.count(" ") > MAX_LINE_CHARS


def _countable_lines(text: str) -> Iterator[str]:
    seen: set[str] = set()
    for raw in text.split("\n"):
        if not raw or _surely_too_long(raw):
            continue
        key = normalise_line(raw)
        chars = len(key) - key.count(" ")
        if MIN_LINE_CHARS <= chars <= MAX_LINE_CHARS and key not in seen:
            seen.add(key)
            yield key


def countable_line_hashes(text: str) -> list[int]:
    """The hashes of the distinct lines of ``text`` that count towards template lines."""
    return [_hash64(key) for key in _countable_lines(text)]


@dataclass(frozen=True, slots=True)
class TemplateLines:
    """The template lines of one source, held as hashes of their normalised form."""

    hashes: frozenset[int] = frozenset()

    def __contains__(self, line: object) -> bool:
        # A line too long to be counted is in no source's template lines: it is not hashed.
        return isinstance(line, str) and not _surely_too_long(line) and line_hash(line) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


@dataclass(frozen=True)
class HashedRows:
    """Rows of ``(source, url, text)`` reduced to what mining needs, in row order.

    Rows lacking a source, URL or text have ``None`` as source and no lines. ``line_counts[i]`` lines of
    ``lines`` belong to row ``i``.
    """

    sources: list[str | None]
    url_keys: Hashes
    text_keys: Hashes
    line_counts: npt.NDArray[np.int64]
    lines: Hashes


def hash_rows(rows: Iterable[tuple[str | None, str | None, str | None]]) -> HashedRows:
    """The hashes :meth:`TemplateLineMiner.add_hashed` counts, for ``(source, url, text)`` rows."""
    sources: list[str | None] = []
    url_keys: list[int] = []
    text_keys: list[int] = []
    counts: list[int] = []
    lines: list[int] = []
    for source, url, text in rows:
        if not source or not url or not text:
            sources.append(None)
            url_keys.append(0)
            text_keys.append(0)
            counts.append(0)
            continue
        hashes = countable_line_hashes(text)
        sources.append(source)
        url_keys.append(_hash64("url", source, url))
        text_keys.append(_hash64("text", source, text))
        counts.append(len(hashes))
        lines.extend(hashes)
    return HashedRows(
        sources,
        np.array(url_keys, dtype=np.uint64),
        np.array(text_keys, dtype=np.uint64),
        np.array(counts, dtype=np.int64),
        np.array(lines, dtype=np.uint64),
    )


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


def _empty_hashes() -> Hashes:
    return np.zeros(0, dtype=np.uint64)


def _empty_ids() -> npt.NDArray[np.uint32]:
    return np.zeros(0, dtype=np.uint32)


@dataclass
class TemplateLineMiner:
    """Takes hashed rows in table order and finds each source's template lines.

    Each counted (source, line) pair is one entry: its key (the line hash mixed with the source's salt, so
    the line hash is recovered from the key and the source), the source's number and a count. Counted lines
    wait in a buffer that is folded into the sorted table once it holds ``max_entries // 2`` lines; when the
    table then exceeds ``max_entries``, entries seen in fewer than ``min_articles - 1`` articles are dropped
    (lossy counting), so lines that are genuinely frequent within a source survive. ``filter_bits`` sizes
    the seen-URL and seen-text filters (each wrongly reports "seen" for under 0.1% of rows up to a million).
    """

    min_articles: int = 3
    max_entries: int = 1_000_000
    filter_bits: int = 1 << 25
    _keys: Hashes = field(default_factory=_empty_hashes, init=False, repr=False)
    _source_ids: npt.NDArray[np.uint32] = field(default_factory=_empty_ids, init=False, repr=False)
    _counts: npt.NDArray[np.uint32] = field(default_factory=_empty_ids, init=False, repr=False)
    _pending: list[tuple[Hashes, npt.NDArray[np.uint32]]] = field(default_factory=list, init=False, repr=False)
    _pending_size: int = field(default=0, init=False, repr=False)
    _names: list[str] = field(default_factory=list, init=False, repr=False)
    _salts: list[int] = field(default_factory=list, init=False, repr=False)
    _ids: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _urls: _BitFilter = field(init=False, repr=False)
    _texts: _BitFilter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._urls = _BitFilter(self.filter_bits)
        self._texts = _BitFilter(self.filter_bits)

    @property
    def entries(self) -> int:
        """Entries in the counter table and its buffer (at most ``1.5 * max_entries``)."""
        return len(self._keys) + self._pending_size

    @property
    def sources_held(self) -> int:
        """Sources whose names the miner holds (those of pruned entries are dropped with them)."""
        return len(self._names)

    def add(self, source: str | None, url: str | None, text: str | None) -> bool:
        """Count one article's lines; False when skipped (no source, URL or text, or a repeat)."""
        return self.add_hashed(hash_rows([(source, url, text)])) == 1

    def add_hashed(self, rows: HashedRows) -> int:
        """Count the lines of hashed rows (the next rows of the table); returns how many rows counted."""
        kept = [False] * len(rows.sources)
        ids = [0] * len(rows.sources)
        salts = [0] * len(rows.sources)
        url_keys, text_keys = rows.url_keys.tolist(), rows.text_keys.tolist()
        for row, source in enumerate(rows.sources):
            if source is None:
                continue
            # Both filters learn the row, as a row repeating either its URL or its text is a repeat.
            url_seen = self._urls.add(url_keys[row])
            text_seen = self._texts.add(text_keys[row])
            if not (url_seen or text_seen):
                kept[row] = True
                ids[row] = number = self._source_id(source)
                salts[row] = self._salts[number]
        counted = sum(kept)
        if counted:
            per_line = np.repeat(np.array(kept, dtype=bool), rows.line_counts)
            line_ids = np.repeat(np.array(ids, dtype=np.uint32), rows.line_counts)[per_line]
            line_salts = np.repeat(np.array(salts, dtype=np.uint64), rows.line_counts)[per_line]
            if len(line_ids):
                self._pending.append((rows.lines[per_line] ^ line_salts, line_ids))
                self._pending_size += len(line_ids)
            if self._pending_size >= max(self.max_entries // 2, 1):
                self._fold()
        return counted

    def _source_id(self, source: str) -> int:
        number = self._ids.get(source)
        if number is None:
            number = self._ids[source] = len(self._names)
            self._names.append(source)
            self._salts.append(_hash64("source", source))
        return number

    def _fold(self) -> None:
        """Fold the buffered lines into the sorted table, then prune the table when it is full."""
        if not self._pending:
            return
        keys = np.concatenate([self._keys, *(k for k, _ in self._pending)])
        ids = np.concatenate([self._source_ids, *(i for _, i in self._pending)])
        counts = np.concatenate([self._counts, np.ones(self._pending_size, dtype=np.uint32)])
        self._pending, self._pending_size = [], 0
        order = np.argsort(keys, kind="stable")
        keys, ids, counts = keys[order], ids[order], counts[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        self._keys, self._source_ids = keys[starts], ids[starts]
        self._counts = np.add.reduceat(counts, starts).astype(np.uint32)
        if len(self._keys) > self.max_entries:
            self._prune()

    def _prune(self) -> None:
        floor = max(1, self.min_articles - 2)
        keep = self._counts > floor
        if int(keep.sum()) > self.max_entries // 2:
            # The most frequent entries, in key order (a stable sort keeps ties in key order too).
            top = np.sort(np.argsort(-self._counts.astype(np.int64), kind="stable")[: self.max_entries // 2])
            keep = np.zeros(len(self._keys), dtype=bool)
            keep[top] = True
        self._keys, self._source_ids, self._counts = self._keys[keep], self._source_ids[keep], self._counts[keep]
        self._forget_sources()

    def _forget_sources(self) -> None:
        """Drop the names of sources the pruned table no longer holds, so they do not grow with the table."""
        live = np.unique(self._source_ids)
        if len(self._names) <= 2 * len(live) + 1_000:
            return
        self._names = [self._names[i] for i in live.tolist()]
        self._salts = [self._salts[i] for i in live.tolist()]
        self._ids = {name: number for number, name in enumerate(self._names)}
        self._source_ids = np.searchsorted(live, self._source_ids).astype(np.uint32)

    def result(self) -> dict[str, TemplateLines]:
        """The template lines found so far, per source name (sources without any are left out)."""
        self._fold()
        frequent = self._counts >= self.min_articles
        ids = self._source_ids[frequent]
        hashes = self._keys[frequent] ^ np.array(self._salts, dtype=np.uint64)[ids]
        per_source: dict[int, set[int]] = {}
        for number, line in zip(ids.tolist(), hashes.tolist(), strict=True):
            per_source.setdefault(number, set()).add(line)
        return {self._names[s]: TemplateLines(frozenset(h)) for s, h in per_source.items()}


def mine_template_lines(
    rows: Iterable[tuple[str | None, str | None, str | None]], min_articles: int = 3
) -> dict[str, TemplateLines]:
    """Template lines per source from ``(source, url, text)`` rows, in one bounded-memory pass."""
    miner = TemplateLineMiner(min_articles=min_articles)
    for source, url, text in rows:
        miner.add(source, url, text)
    return miner.result()

"""Leftover-boilerplate detection: which lines of an article are page furniture rather than content.

Evidence, per line:
- phrases of every language at once (one Aho-Corasick pass over the text), from the data files in
  ``validators/phrases``: strong phrases mark a line, weak ones only a short line or one beside other
  boilerplate, whole-line entries (``Close``, ``Menu``, ``X``) mark a line that consists of nothing else;
  a kind of furniture that the body's own prose names from its first half on is the article's topic, and
  its weaker hits are ignored (an article about newsletters);
- markup and entity remnants;
- template lines of the article's source (see :mod:`validators.detectors.template_lines`);
- a learned line model (:mod:`validators.detectors.line_model`) over language-independent shape and
  context features (:mod:`validators.detectors.line_features`): length, punctuation, capitals, the
  text's main run of prose and each line's distance from it, neighbouring lines, position, phrase hits.
  It judges pages of at least ``MODEL_MIN_LINES`` lines, each line and the page's tail as a block;
  shorter texts fall back to runs of short, unpunctuated lines at the head or tail (menus, button rows);
- lines without any function word of the article's own language next to flagged lines (a banner in
  another language);
- long lines that occur more than once in the text (a paragraph an extractor kept twice), reported as
  ``repeated`` but not counted: the reviewer decides which copy, if any, is the leftover.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs
import numpy as np
import numpy.typing as npt
import pandas as pd

from validators.detectors.line_features import LineTable, is_latin_code, line_table, line_tables, neighbour_mean
from validators.detectors.line_model import LineModel, line_model, tail_block
from validators.detectors.spans import Span, covered_chars, merge_spans
from validators.detectors.template_lines import TemplateLines

PHRASE_PACKAGE = "validators.phrases"

# Line-shape constants (code points / whitespace words).
SHORT_LINE_WORDS = 6  # at most this many words and no terminal punctuation: a menu item or button
WEAK_PHRASE_MAX_WORDS = 12  # a weak phrase marks a line only up to this length
LONG_LINE_WORDS = 60  # longer lines need two strong phrases (real prose quoting one phrase stays clean)
WHOLE_LINE_MAX_CHARS = 60
PROSE_MIN_WORDS = 12  # a line this long ending in terminal punctuation is body prose
FOREIGN_MIN_WORDS = 5  # a line needs this many words before its stop-word density says anything
MIN_RUN = 3  # short lines in a row at the head or tail that form a menu
MIN_BODY_RUN = 10  # inside the body a menu or sidebar needs a longer run
EDGE_FOREIGN_LINES = 3  # prose lines at either end checked for another language
MODEL_MIN_LINES = 8  # the line model judges a line against its page: a snippet or a note has none
MODEL_SURE = 0.95  # a line this probable is boilerplate on any page
PAGE_SURE_LINES = 3  # a page with this many sure lines carries page furniture
FURNITURE_PAGE_THRESHOLD = 0.3  # on such a page, lines this probable are boilerplate too
TENTATIVE_REASON = "possible_layout"  # reported as a span, not counted in share and chars
REPEATED_REASON = "repeated"  # a long line found twice: reported, not counted either
TENTATIVE_REASONS = frozenset({TENTATIVE_REASON, REPEATED_REASON})
REPEATED_MIN_WORDS = 10  # shorter lines (headings, labels, list items) repeat in ordinary content
TOPIC_LINES = 2  # long lines naming one kind of furniture that make it the article's topic
BATCH_TEXTS = 256  # texts whose line evidence is held at once by boilerplate_batch

TERMINAL = frozenset(".!?。！？…\"'”’»:;)")
BULLETS = "-–—*•·▪►>|#"
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")
_WORD = re.compile(r"\w+")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Scripts written without spaces: phrases there match without word-boundary checks.
_NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI")


@dataclass(frozen=True, slots=True)
class BoilerplateResult:
    """Boilerplate found in one text.

    ``share`` is the non-space characters inside counted boilerplate spans over the non-space characters
    of the text (0..1); ``spans`` are line spans with a reason code (``consent``, ``newsletter``,
    ``share``, ``login``, ``navigation``, ``related``, ``legal``, ``ads``, ``byline``, ``ui_token``,
    ``comments``, ``javascript``, ``lorem_ipsum``, ``markup``, ``template``, ``layout`` for lines the line model
    judges page furniture). ``possible_layout`` spans are lines the model finds likely boilerplate on a
    page without confident evidence of furniture, and ``repeated`` spans are long lines that occur more than
    once in the text: both are reported but not counted in ``share`` and ``chars``, so they never flag an
    article on their own.
    """

    share: float
    spans: tuple[Span, ...]

    @property
    def counted_spans(self) -> tuple[Span, ...]:
        """The spans that count: all but ``possible_layout`` and ``repeated`` ones."""
        return tuple(s for s in self.spans if s.reason not in TENTATIVE_REASONS)

    @property
    def chars(self) -> int:
        """Code points covered by the spans that count (see :attr:`counted_spans`)."""
        return covered_chars(list(self.counted_spans))

    @property
    def kinds(self) -> int:
        """How many distinct kinds of furniture named by phrase evidence the text carries (share buttons,
        related links, a newsletter prompt ...): shape-only reasons do not count."""
        return len({s.reason for s in self.spans} - SHAPE_REASONS)


EMPTY_RESULT = BoilerplateResult(0.0, ())
# Reasons found from a line's shape, position or repetition rather than from what it says.
SHAPE_REASONS = frozenset({"navigation", "layout", "markup", "template", *TENTATIVE_REASONS})


@dataclass(frozen=True, slots=True)
class BoilerplateLimits:
    """When an article counts as carrying boilerplate.

    An article is flagged when its boilerplate share reaches ``max_share``, when its boilerplate spans
    cover at least ``max_chars`` code points (one cookie banner or a subscribe block is a defect even in a
    long article), or when it carries ``max_kinds`` distinct kinds of furniture named by phrase evidence
    (share buttons and a "read also" list are a leftover page tail, however short).
    """

    max_share: float = 0.10
    max_chars: int = 600
    max_kinds: int = 2


def has_boilerplate(share: float, boilerplate_chars: int, limits: BoilerplateLimits, kinds: int = 0) -> bool:
    """Whether one article breaks ``limits``."""
    return share >= limits.max_share or boilerplate_chars >= limits.max_chars or kinds >= limits.max_kinds


def boilerplate_mask(
    share: pd.Series, boilerplate_chars: pd.Series, limits: BoilerplateLimits, kinds: pd.Series | None = None
) -> pd.Series:
    """:func:`has_boilerplate` over columns; missing values count as clean."""
    shares = pd.to_numeric(share, errors="coerce").fillna(0.0)
    chars = pd.to_numeric(boilerplate_chars, errors="coerce").fillna(0)
    flagged = (shares >= limits.max_share) | (chars >= limits.max_chars)
    if kinds is not None:
        flagged |= pd.to_numeric(kinds, errors="coerce").fillna(0) >= limits.max_kinds
    return flagged


# --------------------------------------------------------------------------------------------------
# Phrase data


@dataclass(frozen=True, slots=True)
class _Phrase:
    reason: str
    weak: bool
    bounded: bool  # the phrase must start on a word boundary


@dataclass(frozen=True, slots=True)
class PhraseMatcher:
    """An automaton over the UTF-8 form of some phrases, and what each pattern index stands for.

    The search runs on bytes: only the offsets of the few matches are turned into code points, not every
    offset of the text.
    """

    automaton: ahocorasick_rs.BytesAhoCorasick
    phrases: tuple[tuple[int, _Phrase], ...]  # per pattern: its length in code points, its meaning

    @classmethod
    def build(cls, phrases: dict[str, _Phrase]) -> PhraseMatcher:
        """Compile ``phrases`` (phrase -> meaning) into one automaton."""
        keys = [phrase for phrase in phrases if phrase and not _SURROGATE.search(phrase)]
        automaton = ahocorasick_rs.BytesAhoCorasick(
            [key.encode("utf-8") for key in keys], implementation=ahocorasick_rs.Implementation.DFA
        )
        return cls(automaton, tuple((len(key), phrases[key]) for key in keys))

    def hits(self, lowered: str) -> list[tuple[int, int, _Phrase]]:
        """Every occurrence of every phrase in ``lowered``, overlaps included, as ``(first, last, meaning)``
        code-point offsets, ordered by their last character and the longest first."""
        try:
            data = lowered.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates have no UTF-8 form; a stand-in of the same length keeps the offsets.
            data = _SURROGATE.sub("\ufffd", lowered).encode("utf-8")
        found = self.automaton.find_matches_as_indexes(data, overlapping=True)
        if not found:
            return []
        # A match starts on a character boundary (UTF-8 patterns start with a lead byte).
        firsts = _code_point_offsets(data, [first for _, first, _ in found]) if len(data) != len(lowered) else None
        hits = []
        for at, (index, first, _) in enumerate(found):
            length, phrase = self.phrases[index]
            if firsts is not None:
                first = firsts[at]
            hits.append((first, first + length - 1, phrase))
        hits.sort(key=lambda hit: (hit[1], hit[0]))
        return hits


def _code_point_offsets(data: bytes, byte_offsets: list[int]) -> list[int]:
    """The code-point offsets into ``data`` (UTF-8) of ``byte_offsets``, each on a character boundary."""
    chars: dict[int, int] = {}
    at = count = 0
    for offset in sorted(set(byte_offsets)):
        count += len(data[at:offset].decode("utf-8"))
        chars[offset] = count
        at = offset
    return [chars[offset] for offset in byte_offsets]


@dataclass(frozen=True, slots=True)
class PhraseTables:
    """All phrase data of all languages, compiled for one-pass matching."""

    matcher: PhraseMatcher
    latin_matcher: PhraseMatcher  # the phrases that can occur in a Latin-script text
    whole_lines: dict[str, str]
    stopwords: dict[str, frozenset[str]]
    languages: tuple[str, ...]


def _needs_boundary(phrase: str) -> bool:
    first = phrase[0]
    if not first.isalnum():
        return False
    name = unicodedata.name(first, "")
    return not any(script in name for script in _NO_SPACE_SCRIPTS)


def parse_phrase_file(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Parse one phrase file into ``(reason, kind, phrase)`` entries and stop words.

    ``kind`` is ``strong``, ``weak`` (``~phrase``) or ``line`` (``=phrase``). Malformed lines are skipped.
    """
    entries: list[tuple[str, str, str]] = []
    stopwords: list[str] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#") or "\t" not in raw:
            continue
        reason, _, phrase = raw.partition("\t")
        reason, phrase = reason.strip(), phrase.strip().lower()
        if not reason or not phrase:
            continue
        if reason == "stopwords":
            stopwords.extend(phrase.split())
        elif phrase.startswith("=") and len(phrase) > 1:
            entries.append((reason, "line", phrase[1:].strip()))
        elif phrase.startswith("~") and len(phrase) > 1:
            entries.append((reason, "weak", phrase[1:].strip()))
        else:
            entries.append((reason, "strong", phrase))
    return entries, stopwords


@lru_cache(maxsize=1)
def phrase_tables() -> PhraseTables:
    """Load and compile every ``validators/phrases/*.txt`` file (cached)."""
    whole_lines: dict[str, str] = {}
    stopwords: dict[str, frozenset[str]] = {}
    found: dict[str, list[_Phrase]] = {}
    languages: list[str] = []
    for entry in sorted(resources.files(PHRASE_PACKAGE).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        lang = entry.name[: -len(".txt")]
        entries, words = parse_phrase_file(entry.read_text(encoding="utf-8"))
        if words:
            stopwords[lang] = frozenset(words)
        languages.append(lang)
        for reason, kind, phrase in entries:
            if kind == "line":
                whole_lines.setdefault(_line_key(phrase) or phrase, reason)
            else:
                found.setdefault(phrase, []).append(_Phrase(reason, kind == "weak", _needs_boundary(phrase)))
    # A phrase listed as strong anywhere is strong everywhere.
    meaning = {phrase: ([m for m in meanings if not m.weak] or meanings)[0] for phrase, meanings in found.items()}
    latin = {phrase: m for phrase, m in meaning.items() if all(is_latin_code(ord(c)) for c in phrase)}
    return PhraseTables(
        PhraseMatcher.build(meaning), PhraseMatcher.build(latin), whole_lines, stopwords, tuple(languages)
    )


# --------------------------------------------------------------------------------------------------
# Line analysis


def _line_key(line: str) -> str:
    """A line as looked up among whole-line entries: lower-cased, bullets and closing marks trimmed."""
    key = line.strip().lower()
    stripped = key.lstrip(BULLETS + " \t").rstrip(" \t:.!›»>|").strip()
    return stripped or key


def _lowered(text: str) -> str:
    """``text`` lower-cased character by character, offsets kept: a character whose lower case is longer
    (e.g. "İ") stays as it is."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    growing = "".join(c for c in set(text) if len(c.lower()) != 1)
    # Capital sigma is the one character whose lower case depends on its neighbours: take its plain form.
    parts = re.split(f"([{re.escape(growing)}])", text.replace("\u03a3", "\u03c3"))
    return "".join(part if i % 2 else part.lower() for i, part in enumerate(parts))


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    words: int
    chars: int
    terminal: bool
    bullet: bool
    reason: str | None = None
    strong_hits: int = 0
    weak_reason: str | None = None
    whole_reason: str | None = None

    @property
    def short(self) -> bool:
        return 0 < self.words <= SHORT_LINE_WORDS and not self.terminal

    @property
    def menu_like(self) -> bool:
        """Short, unpunctuated and not a list item: list items of the body start with a bullet."""
        return self.short and not self.bullet

    @property
    def prose(self) -> bool:
        return self.words >= PROSE_MIN_WORDS and self.terminal


def _lines_of(table: LineTable) -> list[_Line]:
    return list(
        map(
            _Line,
            table.starts.tolist(),
            table.ends.tolist(),
            table.words.tolist(),
            table.chars.tolist(),
            table.terminal.tolist(),
            table.bullet.tolist(),
        )
    )


def _is_no_space_script(text: str) -> bool:
    sample = [c for c in text[:200] if c.isalpha()]
    if not sample:
        return False
    wide = sum(1 for c in sample if any(s in unicodedata.name(c, "") for s in _NO_SPACE_SCRIPTS))
    return wide * 2 > len(sample)


def guess_language(text: str, tables: PhraseTables) -> str | None:
    """The language whose stop words are most frequent in ``text`` (a cheap fallback), or None."""
    tokens = _WORD.findall(text[:5000].lower())
    if len(tokens) < 20:
        return None
    best, best_hits = None, 0
    for lang, words in tables.stopwords.items():
        hits = sum(1 for t in tokens if t in words)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best if best_hits * 10 >= len(tokens) else None


def _foreign(body: str, words: int, stopwords: frozenset[str] | None) -> bool:
    """A line of several words without one function word of the article's language."""
    if stopwords is None or words < FOREIGN_MIN_WORDS:
        return False
    return not any(t in stopwords for t in _WORD.findall(body.lower()))


_PhraseHits = tuple[str, list[tuple[int, int, _Phrase]]]  # the lowered text and the phrases found in it


def _phrase_hits(text: str, tables: PhraseTables, latin: bool) -> _PhraseHits:
    """Every phrase in ``text``; ``latin`` (the text is in Latin script) allows the smaller automaton."""
    lowered = _lowered(text)
    matcher = tables.latin_matcher if latin else tables.matcher
    return lowered, matcher.hits(lowered)


def _mark_phrases(lines: list[_Line], found: _PhraseHits) -> None:
    """Count phrase hits per line."""
    lowered, hits = found
    starts = [line.start for line in lines]
    seen: set[tuple[int, str]] = set()
    for begin, end_index, phrase in hits:
        if phrase.bounded and begin > 0 and lowered[begin - 1].isalnum():
            continue
        i = bisect_right(starts, begin) - 1
        if i < 0 or end_index >= lines[i].end:
            continue
        line = lines[i]
        if phrase.weak:
            line.weak_reason = line.weak_reason or phrase.reason
        elif (i, phrase.reason + str(begin)) not in seen:
            seen.add((i, phrase.reason + str(begin)))
            line.strong_hits += 1
            if line.reason is None:
                line.reason = phrase.reason


# Reasons whose phrases are specific enough to mark a line of prose on their own.
_PROSE_REASONS = frozenset({"consent", "javascript", "lorem_ipsum"})


def _ignore_topic_phrases(evidence: LineEvidence) -> None:
    """Forget the weak and single strong phrase hits of a kind of furniture that the article is about.

    When at least ``TOPIC_LINES`` prose lines of the body name newsletters (or sharing, logins, ads ...), the
    first of them in the article's first half, the kind is the article's topic: its short lines ("New
    subscribers: 0% engaged") are content, not a prompt.
    Consent, JavaScript and lorem-ipsum phrases are specific enough to keep.
    """
    if len(evidence.lines) < TOPIC_LINES:
        return
    width = evidence.table.features.shape[1]  # the phrase columns follow the shape columns
    named_rows = evidence.features[:, width : width + 2].any(axis=1)
    if int(named_rows.sum()) < TOPIC_LINES:
        return  # most texts: too few phrase hits to name anything, whatever the lines are
    # Only the article's own prose names its topic: long lines of a sign-up block in the tail do not.
    named_rows &= evidence.table.body_prose
    if int(named_rows.sum()) < TOPIC_LINES:
        return
    lines = evidence.lines
    named: dict[str, list[int]] = {}
    for i in np.flatnonzero(named_rows).tolist():
        for reason in {lines[i].reason, lines[i].weak_reason}:
            if reason is not None:
                named.setdefault(reason, []).append(i)
    # An article names its topic early; a sign-up block names its kind only at the end.
    topics = {
        reason for reason, rows in named.items() if len(rows) >= TOPIC_LINES and 2 * rows[0] < len(lines)
    } - _PROSE_REASONS
    if not topics:
        return
    for line in lines:
        if line.weak_reason in topics:
            line.weak_reason = None
        if line.reason in topics and line.strong_hits <= 1:
            line.reason = None
            line.strong_hits = 0


# Reasons that never spread to neighbouring lines.
_NO_GROWTH = frozenset({"markup", "template"})
_NO_GROWTH_OR_NONE = frozenset({None, *_NO_GROWTH})


def _decide_lines(
    text: str,
    lines: list[_Line],
    tables: PhraseTables,
    language: str | None,
    template_lines: TemplateLines | None,
    menu_runs: bool = True,
) -> list[Span]:
    """Give each boilerplate line its reason; return the entity-level markup spans inside other lines.

    ``menu_runs`` marks runs of short lines as navigation by shape alone; where the line model judges
    the page, it decides about those lines instead.
    """
    entity_spans: list[Span] = []
    templates = template_lines if template_lines else None  # an empty set of template lines holds no line
    # Without templates, a line without phrase evidence and without an ampersand gets no reason here.
    with_ampersand = _lines_containing(text, "&", lines) if templates is None else set()
    for i, line in enumerate(lines):
        if (
            templates is None
            and line.reason is None
            and line.whole_reason is None
            and line.weak_reason is None
            and i not in with_ampersand
        ):
            continue
        body = text[line.start : line.end]
        if line.reason is not None:
            needed = 2 if line.prose and line.reason not in _PROSE_REASONS else 1
            if line.words > LONG_LINE_WORDS:
                needed = 2 if line.reason in _PROSE_REASONS else line.strong_hits + 1
            if line.strong_hits < needed or (line.reason == "markup" and line.words > SHORT_LINE_WORDS):
                line.reason = None
        if line.reason is None and line.whole_reason is not None:
            line.reason = line.whole_reason
        if line.reason is None and line.weak_reason and line.words <= WEAK_PHRASE_MAX_WORDS and not line.terminal:
            line.reason = line.weak_reason
        if line.reason is None and templates is not None and body in templates:
            line.reason = "template"
        if line.reason is None and "&" in body:
            # Entities inside real prose: only the remnant itself is boilerplate.
            entity_spans.extend(
                Span(line.start + m.start(), line.start + m.end(), "markup") for m in _ENTITY.finditer(body)
            )

    if not menu_runs and all(line.reason in _NO_GROWTH_OR_NONE for line in lines):
        return entity_spans  # nothing to grow from, and no runs to mark
    head_end, tail_start = _body_bounds(text, lines, tables, language)
    if menu_runs:
        _mark_edge_runs(lines, head_end, tail_start)
    _grow_clusters(text, lines, tables, language, head_end, tail_start)
    return entity_spans


def _lines_containing(text: str, needle: str, lines: list[_Line]) -> set[int]:
    """Indices of the lines whose text contains ``needle`` (one character)."""
    found: set[int] = set()
    starts: list[int] | None = None
    at = text.find(needle)
    while at != -1:
        starts = starts or [line.start for line in lines]
        i = bisect_right(starts, at) - 1
        if i >= 0 and at < lines[i].end:
            found.add(i)
        at = text.find(needle, at + 1)
    return found


def _body_bounds(text: str, lines: list[_Line], tables: PhraseTables, language: str | None) -> tuple[int, int]:
    """Index of the first prose line and one past the last: outside lies the head and tail.

    Prose lines already marked as boilerplate (a consent paragraph) do not count, nor do the outermost
    prose lines without a function word of the article's language: a banner appended after the
    article is tail, not body.
    """
    prose = [i for i, line in enumerate(lines) if line.prose and line.reason is None]
    if not prose:
        return 0, len(lines)
    first, last = 0, len(prose) - 1
    flagged = any(line.reason is not None for line in lines)
    if flagged and (lines[prose[0]].start > 0 or lines[prose[-1]].end < len(text)):
        stopwords = _article_stopwords(text, tables, language)

        def foreign(i: int) -> bool:
            line = lines[prose[i]]
            return _foreign(text[line.start : line.end], line.words, stopwords)

        while last > first and last >= len(prose) - EDGE_FOREIGN_LINES and foreign(last):
            last -= 1
        while first < last and first < EDGE_FOREIGN_LINES and foreign(first):
            first += 1
    return prose[first], prose[last] + 1


def _mark_edge_runs(lines: list[_Line], head_end: int, tail_start: int) -> None:
    """Runs of short unpunctuated non-list lines are menus: 3 in the head or tail, 10 inside the body."""
    zones = ((0, head_end, MIN_RUN), (head_end, tail_start, MIN_BODY_RUN), (tail_start, len(lines), MIN_RUN))
    for lo, hi, min_run in zones:
        run: list[int] = []
        for i in range(lo, hi + 1):
            if i < hi and (lines[i].menu_like or lines[i].reason is not None):
                run.append(i)
                continue
            if sum(1 for j in run if lines[j].menu_like) >= min_run:
                for j in run:
                    if lines[j].reason is None:
                        lines[j].reason = "navigation"
            run = []


def _grow_clusters(
    text: str,
    lines: list[_Line],
    tables: PhraseTables,
    language: str | None,
    head_end: int,
    tail_start: int,
) -> None:
    """Extend flagged lines over neighbours that look like their continuation, until nothing changes.

    In the head and tail, short lines, weak-phrase lines and lines in another language join a flagged
    neighbour; inside the body only button-like lines (a word or two) do, so lists stay content.
    """
    resolved: list[frozenset[str] | None] = []  # the article's stop words, looked up on first need

    def candidate(i: int) -> bool:
        line = lines[i]
        if i >= head_end and i < tail_start:
            return 0 < line.words <= 2 and not line.terminal
        if line.short or (line.weak_reason is not None and line.words <= 2 * WEAK_PHRASE_MAX_WORDS):
            return True
        if line.words < FOREIGN_MIN_WORDS:
            return False
        if not resolved:
            resolved.append(_article_stopwords(text, tables, language))
        return _foreign(text[line.start : line.end], line.words, resolved[0])

    # Breadth-first from every growable flagged line: each unflagged neighbour is tested once.
    pending = [i for i, line in enumerate(lines) if line.reason not in (None, *_NO_GROWTH)]
    tested: set[int] = set()
    while pending:
        i = pending.pop()
        reason = lines[i].reason
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and lines[j].reason is None and j not in tested:
                tested.add(j)
                if candidate(j):
                    lines[j].reason = reason
                    pending.append(j)


def _article_stopwords(text: str, tables: PhraseTables, language: str | None) -> frozenset[str] | None:
    if language:
        words = tables.stopwords.get(language.lower().split("-")[0].split("_")[0])
        if words is not None:
            return words
    if _is_no_space_script(text):
        return None
    guessed = guess_language(text, tables)
    return tables.stopwords.get(guessed) if guessed else None


def _non_space(text: str) -> int:
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r")


PHRASE_FEATURES = (
    "phrase_strong",
    "phrase_weak",
    "phrase_whole_line",
    "phrase_near_1",
    "phrase_near_3",
)


@dataclass(frozen=True, slots=True)
class LineEvidence:
    """The lines of one text with their phrase hits and the model's feature rows."""

    lines: list[_Line]
    table: LineTable
    features: npt.NDArray[np.float64]


def line_evidence(text: str) -> LineEvidence:
    """Split ``text`` into lines, match every phrase once and build the feature row of each line."""
    return _evidence(text, line_table(text))


def line_evidence_batch(texts: Sequence[str]) -> list[LineEvidence]:
    """:func:`line_evidence` of each of ``texts``, the line tables computed for all of them together."""
    line_table_list = line_tables(texts)
    phrases = phrase_tables()
    found: list[_PhraseHits] = [("", [])] * len(texts)
    # All phrase searches in a row, the texts that share an automaton one after another: it stays in the cache.
    for i in sorted(range(len(texts)), key=lambda i: line_table_list[i].latin):
        found[i] = _phrase_hits(texts[i], phrases, line_table_list[i].latin)
    return [_evidence(*args) for args in zip(texts, line_table_list, found, strict=True)]


def _evidence(text: str, table: LineTable, found: _PhraseHits | None = None) -> LineEvidence:
    tables = phrase_tables()
    lines = _lines_of(table)
    _mark_phrases(lines, found or _phrase_hits(text, tables, table.latin))
    for line in lines:
        if line.end - line.start <= WHOLE_LINE_MAX_CHARS:
            line.whole_reason = tables.whole_lines.get(_line_key(text[line.start : line.end]))
    return LineEvidence(lines, table, _with_phrase_features(table.features, lines))


def _with_phrase_features(shape: npt.NDArray[np.float64], lines: list[_Line]) -> npt.NDArray[np.float64]:
    """The shape features followed by the PHRASE_FEATURES columns (all zero on a text without a hit)."""
    n, width = shape.shape
    features = np.concatenate((shape, np.zeros((n, len(PHRASE_FEATURES)))), axis=1)
    if all(line.strong_hits == 0 and line.weak_reason is None and line.whole_reason is None for line in lines):
        return features
    hits = [(line.strong_hits > 0, line.weak_reason is not None, line.whole_reason is not None) for line in lines]
    any_hit = [any(line_hits) for line_hits in hits]
    if any(any_hit):
        features[:, width : width + 3] = hits
        near = np.array(any_hit, dtype=np.float64)[:, None]
        features[:, width + 3 : width + 4] = neighbour_mean(near, 1)
        features[:, width + 4 : width + 5] = neighbour_mean(near, 3)
    return features


def _model_lines(
    probabilities: npt.NDArray[np.float64],
    body_prose: npt.NDArray[np.bool_],
    threshold: float,
    tail_threshold: float | None = None,
) -> tuple[npt.NDArray[np.bool_], bool]:
    """Which lines of one page the model's probabilities mark, and whether the page carries furniture.

    A page on which the model recognises several lines of navigation or footer with confidence carries
    page furniture: its likely lines (at a threshold tuned for such pages) are marked, except prose inside
    the main run (``body_prose``) unless the model is sure. On a page without such evidence the lines at
    ``threshold`` are marked, and the tail of the page when it is likely as a whole (:func:`tail_block` at
    ``tail_threshold``).
    """
    sure = probabilities >= MODEL_SURE
    if int(sure.sum()) >= PAGE_SURE_LINES:
        return (probabilities >= FURNITURE_PAGE_THRESHOLD) & (sure | ~body_prose), True
    marked = probabilities >= threshold
    if tail_threshold is not None:
        body = np.flatnonzero(body_prose)
        # The block starts after the article's first paragraph, so a likely menu above it cannot join the tail.
        marked |= tail_block(probabilities, tail_threshold, earliest=int(body[0]) + 1 if len(body) else 0)
    return marked, False


def _mark_model_lines(evidence: LineEvidence, model: LineModel | None) -> None:
    """Mark the lines the model finds likely boilerplate (see :func:`_model_lines`).

    On a furniture page, and wherever the model is sure, they are ``layout`` (or ``navigation``) and count;
    elsewhere they are ``possible_layout``: reported but not counted in the article's share.
    """
    if model is None or len(evidence.lines) < MODEL_MIN_LINES:
        return
    probabilities = model.probabilities(evidence.features)
    top = float(probabilities.max())
    tail = model.tail_threshold
    if top < MODEL_SURE and top < model.threshold and (tail is None or top < tail):
        return  # no sure line, so no furniture page, and no line reaches either threshold of the model
    marked, page_has_furniture = _model_lines(probabilities, evidence.table.body_prose, model.threshold, tail)
    for i in np.flatnonzero(marked).tolist():
        line = evidence.lines[i]
        if line.reason is None:
            if not (page_has_furniture or probabilities[i] >= MODEL_SURE):
                line.reason = TENTATIVE_REASON
            else:
                line.reason = "navigation" if line.menu_like else "layout"


def _mark_repeated_lines(text: str, evidence: LineEvidence) -> None:
    """Mark the long lines whose exact text occurs more than once, unless they already carry a counted reason."""
    if len(evidence.lines) < 2:
        return
    long_lines = np.flatnonzero(evidence.table.words >= REPEATED_MIN_WORDS).tolist()
    if len(long_lines) < 2:
        return
    lines = evidence.lines
    seen: dict[str, int] = {}
    repeated: set[int] = set()
    for i in long_lines:
        key = text[lines[i].start : lines[i].end]
        first = seen.setdefault(key, i)
        if first != i:
            repeated.update((first, i))
    for i in repeated:
        if lines[i].reason in (None, TENTATIVE_REASON):
            lines[i].reason = REPEATED_REASON


def boilerplate_spans(
    text: str | None,
    language: str | None = None,
    template_lines: TemplateLines | None = None,
    *,
    model: LineModel | None = None,
) -> BoilerplateResult:
    """Find the boilerplate lines of one article.

    ``language`` is the article's dominant language (ISO 639-1) if known: lines with none of its function
    words next to flagged lines are taken into a banner. ``template_lines`` are the mined template
    lines of the article's source. ``model`` replaces the packaged line model (for evaluation of a
    model trained on part of a corpus). Never raises on odd input; ``None`` or blank text gives share 0.
    """
    if not text or text.isspace():
        return EMPTY_RESULT
    return _judge(text, line_evidence(text), language, template_lines, model)


def boilerplate_batch(
    texts: Iterable[str | None],
    languages: Iterable[str | None] | None = None,
    template_lines: TemplateLines | Sequence[TemplateLines | None] | None = None,
    *,
    model: LineModel | None = None,
) -> list[BoilerplateResult]:
    """:func:`boilerplate_spans` over many texts, with the same results; faster than one call per text.

    ``template_lines`` is either one :class:`TemplateLines` for every text or one entry per text.
    """
    text_list = list(texts)
    lang_list = list(languages) if languages is not None else [None] * len(text_list)
    if template_lines is None or isinstance(template_lines, TemplateLines):
        templates: Sequence[TemplateLines | None] = [template_lines] * len(text_list)
    else:
        templates = template_lines
    if len(lang_list) != len(text_list) or len(templates) != len(text_list):
        raise ValueError(
            f"boilerplate_batch: {len(text_list)} texts, {len(lang_list)} languages, {len(templates)} template lines"
        )
    results = [EMPTY_RESULT] * len(text_list)
    todo = [i for i, text in enumerate(text_list) if text and not text.isspace()]
    for start in range(0, len(todo), BATCH_TEXTS):
        chunk = todo[start : start + BATCH_TEXTS]
        evidence = line_evidence_batch([text_list[i] or "" for i in chunk])
        for i, found in zip(chunk, evidence, strict=True):
            results[i] = _judge(text_list[i] or "", found, lang_list[i], templates[i], model)
    return results


def _judge(
    text: str,
    evidence: LineEvidence,
    language: str | None,
    template_lines: TemplateLines | None,
    model: LineModel | None,
) -> BoilerplateResult:
    """The boilerplate of one non-blank text from its line evidence."""
    lines = evidence.lines
    if not lines:
        return EMPTY_RESULT
    model = model or line_model()
    judged = model is not None and len(lines) >= MODEL_MIN_LINES
    _ignore_topic_phrases(evidence)
    entity_spans = _decide_lines(text, lines, phrase_tables(), language, template_lines, menu_runs=not judged)
    _mark_model_lines(evidence, model)
    _mark_repeated_lines(text, evidence)
    line_spans = [Span(line.start, line.end, line.reason) for line in lines if line.reason]
    counted = merge_spans([span for span in line_spans if span.reason not in TENTATIVE_REASONS] + entity_spans)
    tentative = [span for span in line_spans if span.reason in TENTATIVE_REASONS]
    if not counted and not tentative:
        return EMPTY_RESULT
    # A tentative line never swallows a counted remnant inside it, nor is swallowed by one: it keeps the rest.
    spans = sorted(counted + _outside(tentative, counted), key=lambda span: span.start)
    flagged = sum(_non_space(text[span.start : span.end]) for span in counted)
    total = _non_space(text)
    return BoilerplateResult(min(1.0, flagged / total) if total else 0.0, tuple(spans))


def _outside(spans: list[Span], cover: list[Span]) -> list[Span]:
    """The parts of ``spans`` (sorted, disjoint) outside ``cover`` (sorted, disjoint), each keeping its reason."""
    if not cover:
        return spans
    ends = [c.end for c in cover]
    parts: list[Span] = []
    for span in spans:
        start = span.start
        for hole in cover[bisect_right(ends, span.start) :]:
            if hole.start >= span.end:
                break
            if hole.start > start:
                parts.append(Span(start, hole.start, span.reason))
            start = max(start, hole.end)
        if start < span.end:
            parts.append(Span(start, span.end, span.reason))
    return parts

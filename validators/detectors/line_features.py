"""Shape and context features of the lines of one text, computed in a few vectorised passes.

Each non-blank line gets a row of numbers that say what it looks like (length, words, terminal
punctuation, capitalised words, digits, separators) and where it sits: inside or outside the text's
*main run* (the contiguous stretch of lines that carries most of the prose, as in jusText's
context-sensitive classification), how far from it, and what its neighbours look like. The features are
language-independent: scripts written without spaces count one word per two characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise
from operator import sub
from typing import Any

import numpy as np
import numpy.typing as npt

# A prose line: at least this many words and terminal punctuation.
PROSE_MIN_WORDS = 8
# A short line: at most this many words and no terminal punctuation (menus, buttons, labels).
SHORT_MAX_WORDS = 6
# Main-run scoring: prose lines add their characters, other lines subtract this share of theirs plus a
# fixed cost, so a run survives a heading or a caption but not a sidebar of many lines.
NON_PROSE_WEIGHT = 0.5
NON_PROSE_LINE_COST = 20.0

TERMINAL_CHARS = ".!?。！？…\"'”’»:;)"
BULLET_CHARS = "-–—*•·▪►>|#"
SEPARATOR_CHARS = "|/»›·•>"

# Character classes of the per-character lookup table (bits 0-2); bit 3 marks a character that is not white
# space in the table and, once the line table has compared each character with the one before, a change
# between white space and non-space (on a non-space character: the start of a word); bit 4 marks a
# character outside Latin script, punctuation and symbols (see is_latin_code).
_SPACE, _OTHER, _UPPER, _DIGIT, _SEPARATOR, _WIDE, _LOWER = range(7)
_CLASSES = 8
_CLASS_MASK = 7
_WORD_START = 8
_NON_LATIN = 16
_KEYS = 32  # distinct values of class, word-start and non-Latin bits together
_CODE_POINTS = 0x110000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _class_table() -> npt.NDArray[np.uint8]:
    table = np.full(_CODE_POINTS, _OTHER, dtype=np.uint8)
    for code in range(0x10000):
        char = chr(code)
        if char.isspace():
            table[code] = _SPACE
        elif char.isupper():
            table[code] = _UPPER
        elif char.islower():
            table[code] = _LOWER
        elif char.isdigit():
            table[code] = _DIGIT
    for char in SEPARATOR_CHARS:
        table[ord(char)] = _SEPARATOR
    # Scripts without spaces between words: Hiragana, Katakana, CJK ideographs, Hangul syllables.
    for lo, hi in (
        (0x3040, 0x30FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xD7AF),
        (0xF900, 0xFAFF),
        (0x20000, 0x2FFFF),
    ):
        table[lo : hi + 1] = _WIDE
    return table


FEATURE_NAMES = (
    "bias",
    "log_chars",
    "log_words",
    "terminal",
    "bullet",
    "ends_colon",
    "upper_word_share",
    "digit_share",
    "separator_share",
    "lower_share",
    "prose",
    "short",
    "in_main_run",
    "log_lines_from_run",
    "before_run",
    "after_run",
    "log_chars_from_run",
    "prose_near_1",
    "prose_near_3",
    "short_near_1",
    "short_near_3",
    "log_chars_near_1",
    "relative_position",
    "first_or_last",
    "log_lines_from_start",
    "log_lines_to_end",
    "log_chars_to_end",
    "doc_log_lines",
    "doc_prose_share",
    "doc_run_share",
    "doc_short_share",
    "log_chars_over_median",
)


@dataclass(frozen=True, slots=True)
class LineTable:
    """The non-blank lines of a text: trimmed offsets and one feature row per line."""

    starts: IntArray
    ends: IntArray
    features: FloatArray
    words: IntArray
    chars: IntArray
    terminal: npt.NDArray[np.bool_]
    bullet: npt.NDArray[np.bool_]
    run: tuple[int, int]  # main run as a half-open range of line indices
    latin: bool = False  # every character is Latin script, punctuation or a symbol (see is_latin_code)

    @property
    def body_prose(self) -> npt.NDArray[np.bool_]:
        """Prose lines inside the main run."""
        columns = self.features[:, [FEATURE_NAMES.index("prose"), FEATURE_NAMES.index("in_main_run")]]
        return np.asarray(columns.min(axis=1) > 0.5, dtype=np.bool_)

    def __len__(self) -> int:
        return len(self.starts)


# Latin script with its extensions, and the general punctuation, currency, arrow and symbol blocks.
LATIN_END = 0x0370
SYMBOLS_START, SYMBOLS_END = 0x2000, 0x2C00


def is_latin_code(code: int) -> bool:
    """Whether a code point is Latin script, general punctuation or a symbol."""
    return code < LATIN_END or SYMBOLS_START <= code < SYMBOLS_END


def _codes(text: str) -> npt.NDArray[np.unsignedinteger[Any]]:
    """The code points of ``text``: one byte each for ASCII text, four otherwise."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def main_run(prose_chars: FloatArray, other_chars: FloatArray) -> tuple[int, int]:
    """The half-open range of lines with the highest prose score (a maximum-sum segment)."""
    weights = prose_chars - NON_PROSE_WEIGHT * other_chars - np.where(prose_chars > 0, 0.0, NON_PROSE_LINE_COST)
    if not len(weights):
        return 0, 0
    prefix = np.concatenate(([0.0], np.cumsum(weights)))
    lowest = np.minimum.accumulate(prefix[:-1])
    gains = prefix[1:] - lowest
    end = int(np.argmax(gains))
    if gains[end] <= 0:
        return 0, 0
    start = int(np.argmin(prefix[: end + 1]))
    return start, end + 1


def _main_run_of_lists(prose_chars: list[float], other_chars: list[float]) -> tuple[int, int]:
    """:func:`main_run` on plain lists, the same sums in the same order: faster for a few lines."""
    weights = [
        prose - NON_PROSE_WEIGHT * other - (0.0 if prose > 0 else NON_PROSE_LINE_COST)
        for prose, other in zip(prose_chars, other_chars, strict=True)
    ]
    if not weights:
        return 0, 0
    prefix = [0.0, *accumulate(weights)]
    gains = list(map(sub, prefix[1:], accumulate(prefix[:-1], min)))
    best = max(gains)
    if best <= 0:
        return 0, 0
    end = gains.index(best)
    return prefix.index(min(prefix[: end + 1])), end + 1


def neighbour_mean(values: FloatArray, radius: int) -> FloatArray:
    """Mean of each column of ``values`` over the ``radius`` lines on each side, the line left out."""
    n = len(values)
    low, high, count = _neighbour_window(n, radius)
    prefix = np.zeros((n + 1, values.shape[1]))
    np.cumsum(values, axis=0, out=prefix[1:])
    # The sum over the window, the line itself taken out again.
    return (prefix[high] - prefix[low] - values) / count


def _neighbour_window(n: int, radius: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Per line: the first line of its window, one past the last, and how many other lines it holds."""
    positions = np.arange(n)
    low = np.maximum(positions - radius, 0)
    high = np.minimum(positions + radius, n - 1) + 1
    return low, high, np.maximum(high - 1 - low, 1).astype(np.float64)[:, None]


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    """Trimmed start and end offsets of the non-blank lines of ``text`` (lines end at a line feed)."""
    starts: list[int] = []
    ends: list[int] = []
    for found in _TRIMMED_LINE.finditer(text):
        starts.append(found.start())
        ends.append(found.end())
    return starts, ends


# A line's text from its first to its last non-space character (``\s`` is what ``str.strip`` removes).
_TRIMMED_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def _code_table() -> npt.NDArray[np.uint8]:
    """Per code point: its class, the non-space bit, and the non-Latin bit outside Latin script, punctuation and
    symbols."""
    table = _class_table()
    table[table != _SPACE] |= _WORD_START
    table[LATIN_END:SYMBOLS_START] |= _NON_LATIN
    table[SYMBOLS_END:] |= _NON_LATIN
    return table


_CODE_TABLE = _code_table()


# Rows of the feature matrix as it is filled: groups that one array operation fills are adjacent (the
# line flags and logarithms feed the neighbour means as one block). ``line_table`` hands the rows out in
# the order of FEATURE_NAMES.
_FILL_ORDER = (
    "terminal",
    "bullet",
    "ends_colon",
    "prose",
    "short",
    "log_chars",
    "log_words",
    "log_chars_from_run",
    "log_chars_to_end",
    "log_lines_from_run",
    "upper_word_share",
    "digit_share",
    "separator_share",
    "lower_share",
    "prose_near_1",
    "short_near_1",
    "log_chars_near_1",
    "prose_near_3",
    "short_near_3",
    "in_main_run",
    "before_run",
    "after_run",
    "doc_prose_share",
    "doc_run_share",
    "doc_short_share",
    "log_chars_over_median",
    "bias",
    "relative_position",
    "first_or_last",
    "log_lines_from_start",
    "log_lines_to_end",
    "doc_log_lines",
)
_ROW = {name: i for i, name in enumerate(_FILL_ORDER)}
_TO_FEATURE_ORDER = np.array([_ROW[name] for name in FEATURE_NAMES])
# Up to this many lines the main run is found on plain lists (fewer calls), beyond it on arrays.
_LIST_RUN_LINES = 32
# Rows that depend on the number of lines only, made once per line count up to this many lines.
_CACHED_LINES = 128
# Characters of the texts whose line tables are computed together, at most (bounds the per-character
# arrays); a longer text is computed alone.
BATCH_MAX_CHARS = 1 << 17

# Per-line statistics, each a sum of per-line key counts. The first four are divided by the next four
# for the share features; "chars" is needed twice for that.
_STAT_ROWS = (
    "upper_starts",
    "digits",
    "separators",
    "lower",
    "words_spaced",
    "chars",
    "chars_too",
    "letters",
    "wide",
    "non_latin",
)


def _stat_matrix() -> FloatArray:
    """Which keys (class and bits) each per-line statistic adds up."""
    matrix = np.zeros((len(_STAT_ROWS), _KEYS))
    for key in range(_KEYS):
        code_class, starts_word = key & _CLASS_MASK, bool(key & _WORD_START)
        counted = {
            "upper_starts": starts_word and code_class == _UPPER,
            "digits": code_class == _DIGIT,
            "separators": code_class == _SEPARATOR,
            "lower": code_class == _LOWER,
            "words_spaced": starts_word and code_class != _SPACE,
            "chars": code_class != _SPACE,
            "chars_too": code_class != _SPACE,
            "letters": code_class in (_UPPER, _LOWER, _WIDE),
            "wide": code_class == _WIDE,
            "non_latin": bool(key & _NON_LATIN),
        }
        for i, name in enumerate(_STAT_ROWS):
            matrix[i, key] = float(counted[name])
    return matrix


_STAT = {name: i for i, name in enumerate(_STAT_ROWS)}
_STATS = _stat_matrix()
_TERMINAL_SET = frozenset(TERMINAL_CHARS)
_BULLET_SET = frozenset(BULLET_CHARS)


def _position_rows(n: int) -> FloatArray:
    """The feature matrix (fill order) of ``n`` lines with only the rows that depend on ``n`` alone set."""
    rows = np.zeros((len(_FILL_ORDER), n))
    positions = np.arange(n)
    rows[_ROW["bias"]] = 1.0
    rows[_ROW["relative_position"]] = positions / max(n - 1, 1)
    rows[_ROW["first_or_last"]] = (positions == 0) | (positions == n - 1)
    rows[_ROW["log_lines_from_start"]] = np.log1p(positions)
    rows[_ROW["log_lines_to_end"]] = np.log1p(n - 1 - positions)
    rows[_ROW["doc_log_lines"]] = np.log1p(n)
    return rows


@lru_cache(maxsize=_CACHED_LINES)
def _cached_position_rows(n: int) -> FloatArray:
    rows = _position_rows(n)
    rows.flags.writeable = False
    return rows


def _near_windows(n: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Windows of radius 1 then radius 3 for every line, side by side (see :func:`_neighbour_window`)."""
    low_1, high_1, count_1 = _neighbour_window(n, 1)
    low_3, high_3, count_3 = _neighbour_window(n, 3)
    return np.concatenate((low_1, low_3)), np.concatenate((high_1, high_3)), np.concatenate((count_1, count_3))[:, 0]


@lru_cache(maxsize=_CACHED_LINES)
def _cached_near_windows(n: int) -> tuple[IntArray, IntArray, FloatArray]:
    windows = _near_windows(n)
    for shared in windows:
        shared.flags.writeable = False
    return windows


def line_table(text: str) -> LineTable:
    """Offsets and features of the non-blank lines of ``text`` (for many texts, :func:`line_tables` is faster)."""
    start_list, end_list = _line_bounds(text)
    n = len(start_list)
    if n == 0:
        return _empty_table()
    codes = _codes(text)
    coded = np.take(_CODE_TABLE, codes)
    starts = np.array(start_list, dtype=np.int64)
    ends = np.array(end_list, dtype=np.int64)

    # Per-line counts of every key (class, word start, non-Latin) in one bincount: a line runs to the next
    # line's first character, and whatever lies between is white space. The non-space bit becomes the
    # word-start bit where the character before is white space (the first character has none before it).
    coded[1:] ^= coded[:-1] & _WORD_START
    segments = [*start_list[1:], len(coded)]
    keyed = np.repeat(_line_keys(n), list(map(sub, segments, [0, *start_list[1:]])))
    keyed += coded
    counts = np.bincount(keyed, minlength=n * _KEYS).reshape(n, _KEYS)
    stats = _STATS @ counts.T
    chars, words_spaced, wide = stats[_STAT["chars"]], stats[_STAT["words_spaced"]], stats[_STAT["wide"]]
    words = words_spaced + np.floor_divide(wide, 2.0)
    last_chars = [text[end - 1] for end in end_list]
    terminal = np.array([char in _TERMINAL_SET for char in last_chars])

    rows = _cached_position_rows(n).copy() if n <= _CACHED_LINES else _position_rows(n)
    flags = rows[_ROW["terminal"] : _ROW["short"] + 1]
    flags[0] = terminal
    flags[1] = [text[start] in _BULLET_SET for start in start_list]
    flags[2] = [char == ":" for char in last_chars]
    prose = (words >= PROSE_MIN_WORDS) & terminal
    flags[3] = prose
    flags[4] = (words <= SHORT_MAX_WORDS) & ~terminal

    char_list = chars.tolist()
    if n <= _LIST_RUN_LINES:
        prose_list = prose.tolist()
        prose_chars = [c if p else 0.0 for c, p in zip(char_list, prose_list, strict=True)]
        other_chars = [0.0 if p else c for c, p in zip(char_list, prose_list, strict=True)]
        run_start, run_end = _main_run_of_lists(prose_chars, other_chars)
        prose_total = sum(prose_chars)
    else:
        prose_array = np.where(prose, chars, 0.0)
        run_start, run_end = main_run(prose_array, np.where(prose, 0.0, chars))
        prose_total = float(prose_array.sum())
    # Character counts are whole numbers: these sums are exact in any order.
    prefix_list = [0.0, *accumulate(char_list)]
    char_prefix = np.array(prefix_list)
    run_first = prefix_list[run_start]
    run_last = prefix_list[run_end]
    total_chars = max(prefix_list[-1], 1.0)

    # Every logarithm in one call; lines and characters before the main run count back from its start,
    # those after it forward from its end.
    logs = rows[_ROW["log_chars"] : _ROW["log_lines_from_run"] + 1]
    logs[0] = chars
    logs[1] = words
    logs[2, :run_start] = run_first - char_prefix[1 : run_start + 1]
    logs[2, run_end:] = char_prefix[run_end:n] - run_last
    np.subtract(total_chars, char_prefix[1:], out=logs[3])
    counting = _count_up(n)
    logs[4, :run_start] = counting[run_start - 1 :: -1] if run_start else 0.0
    logs[4, run_end:] = counting[: n - run_end]
    np.log1p(logs, out=logs)
    log_chars = logs[0]

    shares = rows[_ROW["upper_word_share"] : _ROW["lower_share"] + 1]
    # Upper-case word starts per word, digits and separators per character, lower case per letter.
    np.divide(stats[:4], np.maximum(stats[4:8], 1.0), out=shares)

    # Neighbour means over the prose, short and log_chars rows (adjacent), radius 1 and 3 side by side.
    shape = rows[_ROW["prose"] : _ROW["log_chars"] + 1]
    low, high, count = _cached_near_windows(n) if n <= _CACHED_LINES else _near_windows(n)
    prefix = np.zeros((3, n + 1))
    np.cumsum(shape, axis=1, out=prefix[:, 1:])
    near = prefix[:, high] - prefix[:, low]
    near.reshape(3, 2, n)[...] -= shape[:, None, :]
    near /= count
    rows[_ROW["prose_near_1"] : _ROW["log_chars_near_1"] + 1] = near[:, :n]
    rows[_ROW["prose_near_3"] : _ROW["short_near_3"] + 1] = near[:2, n:]

    rows[_ROW["in_main_run"], run_start:run_end] = 1.0
    rows[_ROW["before_run"], :run_start] = 1.0
    rows[_ROW["after_run"], run_end:] = 1.0
    rows[_ROW["doc_prose_share"]] = prose_total / total_chars
    rows[_ROW["doc_run_share"]] = (run_last - run_first) / total_chars
    rows[_ROW["doc_short_share"]] = int(np.count_nonzero(flags[4])) / n
    np.subtract(log_chars, _median(log_chars.tolist()), out=rows[_ROW["log_chars_over_median"]])
    return LineTable(
        starts,
        ends,
        rows[_TO_FEATURE_ORDER].T,
        words.astype(np.int64),
        chars.astype(np.int64),
        terminal,
        flags[1] > 0,
        (run_start, run_end),
        not stats[_STAT["non_latin"]].any(),
    )


def _line_keys(n: int) -> IntArray:
    """0, _KEYS, 2 * _KEYS, ...: the first bincount key of each of ``n`` lines."""
    return _LINE_KEYS[:n] if n <= len(_LINE_KEYS) else np.arange(0, n * _KEYS, _KEYS, dtype=np.intp)


_LINE_KEYS = np.arange(0, _CACHED_LINES * _KEYS, _KEYS, dtype=np.intp)
_LINE_KEYS.flags.writeable = False


def _count_up(n: int) -> FloatArray:
    """1.0, 2.0, ... n."""
    return _COUNT_UP[:n] if n <= len(_COUNT_UP) else np.arange(1.0, n + 1.0)


_COUNT_UP = np.arange(1.0, _CACHED_LINES + 1.0)
_COUNT_UP.flags.writeable = False


def line_tables(texts: Sequence[str]) -> list[LineTable]:
    """:func:`line_table` of each of ``texts``: the same tables, computed for many texts with few array calls.

    The array operations run over the characters and lines of many texts at once. What belongs to each text
    (its main run, sums, median) is taken so that it is the very value :func:`line_table` finds: sums of whole
    numbers and halves are exact in any order, and the one sum of fractions is made text by text.
    """
    tables: list[LineTable] = []
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > BATCH_MAX_CHARS:
            tables.extend(_line_tables(group))
            group, size = [], 0
        group.append(text)
        size += len(text) + 1
    if group:
        tables.extend(_line_tables(group))
    return tables


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the lines of a group of texts lie once the texts are joined, each followed by a line feed."""

    starts: list[int]  # per line: trimmed start, in the joined text
    ends: list[int]
    offsets: list[int]  # per text: its first character in the joined text
    first_line: list[int]  # per text: its first line; one more entry, the number of lines
    segments: list[int]  # per line, or per text without lines, in text order: the characters counted with it
    keys: list[int]  # the first bincount key of each segment (texts without lines share one, after the last line)


def _layout(texts: Sequence[str]) -> _Layout:
    starts: list[int] = []
    ends: list[int] = []
    offsets: list[int] = []
    first_line: list[int] = []
    segments: list[int] = []  # in the order of the joined text
    owners: list[int] = []  # per segment: its line, or -1 for a text without lines
    at = 0
    for text in texts:
        local_starts, local_ends = _line_bounds(text)
        offsets.append(at)
        first_line.append(len(starts))
        if local_starts:
            # A line's segment runs to the next line's start; the first from the text's start, the last to
            # the end of the text and its line feed.
            segments.extend(map(sub, [*local_starts[1:], len(text) + 1], [0, *local_starts[1:]]))
            owners.extend(range(len(starts), len(starts) + len(local_starts)))
            starts.extend(at + start for start in local_starts)
            ends.extend(at + end for end in local_ends)
        else:
            segments.append(len(text) + 1)
            owners.append(-1)
        at += len(text) + 1
    first_line.append(len(starts))
    unused = len(starts) * _KEYS  # the keys after the last line's: counted, then dropped
    keys = [owner * _KEYS if owner >= 0 else unused for owner in owners]
    return _Layout(starts, ends, offsets, first_line, segments, keys)


def _line_tables(texts: Sequence[str]) -> list[LineTable]:
    layout = _layout(texts)
    n = len(layout.starts)
    if n == 0:
        return [_empty_table() for _ in texts]
    joined = "\n".join(texts) + "\n"
    codes = _codes(joined)
    coded = np.take(_CODE_TABLE, codes)

    # Per-line counts of every key (class, word start, non-Latin) in one bincount. The non-space bit becomes
    # the word-start bit where the character before is white space (the first character has none before it;
    # a text's first character follows the line feed after the text before it).
    coded[1:] ^= coded[:-1] & _WORD_START
    keyed = np.repeat(np.array(layout.keys, dtype=np.intp), layout.segments)
    keyed += coded
    counts = np.bincount(keyed, minlength=(n + 1) * _KEYS)[: n * _KEYS].reshape(n, _KEYS)
    stats = _STATS @ counts.T
    chars, words_spaced, wide = stats[_STAT["chars"]], stats[_STAT["words_spaced"]], stats[_STAT["wide"]]
    words = words_spaced + np.floor_divide(wide, 2.0)
    last_chars = [joined[end - 1] for end in layout.ends]
    terminal = np.array([char in _TERMINAL_SET for char in last_chars])

    # Per line: its text, its position in the text and the text's number of lines.
    first_line = layout.first_line
    sizes = [hi - lo for lo, hi in pairwise(first_line)]
    text_of = np.repeat(np.arange(len(texts)), sizes)
    positions = np.arange(n) - np.array(first_line[:-1])[text_of]
    lines_of = np.array(sizes)[text_of]

    rows = np.empty((len(_FILL_ORDER), n))
    flags = rows[_ROW["terminal"] : _ROW["short"] + 1]
    flags[0] = terminal
    flags[1] = [joined[start] in _BULLET_SET for start in layout.starts]
    flags[2] = [char == ":" for char in last_chars]
    prose = (words >= PROSE_MIN_WORDS) & terminal
    flags[3] = prose
    short = (words <= SHORT_MAX_WORDS) & ~terminal
    flags[4] = short

    # Per text (with lines): its first line, main run and character sums. Character counts are whole numbers
    # and run weights multiples of 1/2: sums over all lines give each text's own sums exactly.
    lined = [size for size in sizes if size]
    rank_of = np.repeat(np.arange(len(lined)), lined)
    text_heads = np.array([lo for lo, hi in pairwise(first_line) if hi > lo])
    size_array = np.array(lined, dtype=np.float64)
    prose_chars = np.where(prose, chars, 0.0)
    run_starts, run_ends = _main_runs(prose_chars, np.where(prose, 0.0, chars), text_heads, rank_of)
    char_prefix = np.concatenate(([0.0], np.cumsum(chars)))  # characters before each line, and in all
    base = char_prefix[text_heads]
    run_first = char_prefix[text_heads + run_starts] - base
    run_last = char_prefix[text_heads + run_ends] - base
    total = np.maximum(char_prefix[text_heads + lined] - base, 1.0)
    doc_rows = np.array(
        [
            np.add.reduceat(prose_chars, text_heads) / total,
            (run_last - run_first) / total,
            np.add.reduceat(short.astype(np.float64), text_heads) / size_array,
        ]
    )
    run_start_of, run_end_of, run_first_of, run_last_of, total_of = np.array(
        [run_starts, run_ends, run_first, run_last, total], dtype=np.float64
    )[:, rank_of]
    runs_of_lined = iter(zip(run_starts.tolist(), run_ends.tolist(), strict=True))
    runs = [next(runs_of_lined) if size else (0, 0) for size in sizes]
    before = positions < run_start_of
    after = positions >= run_end_of

    # Every logarithm in one call; lines and characters before the main run count back from its start,
    # those after it forward from its end.
    running = np.cumsum(chars)
    through = running - (running - chars)[np.arange(n) - positions]  # the text's characters so far
    logs = rows[_ROW["log_chars"] : _ROW["log_lines_from_run"] + 1]
    logs[0] = chars
    logs[1] = words
    logs[2] = np.where(before, run_first_of - through, np.where(after, through - chars - run_last_of, 0.0))
    np.subtract(total_of, through, out=logs[3])
    logs[4] = np.where(before, run_start_of - positions, np.where(after, positions - run_end_of + 1.0, 0.0))
    np.log1p(logs, out=logs)
    log_chars = logs[0]

    shares = rows[_ROW["upper_word_share"] : _ROW["lower_share"] + 1]
    # Upper-case word starts per word, digits and separators per character, lower case per letter.
    np.divide(stats[:4], np.maximum(stats[4:8], 1.0), out=shares)

    _near_rows(rows, positions, lines_of, rank_of)

    rows[_ROW["in_main_run"]] = ~(before | after)
    rows[_ROW["before_run"]] = before
    rows[_ROW["after_run"]] = after
    rows[_ROW["doc_prose_share"] : _ROW["doc_short_share"] + 1] = doc_rows[:, rank_of]
    # Each text's median line length, as numpy.median takes it: the middle of its sorted lengths.
    ordered = log_chars[np.lexsort((log_chars, rank_of))]
    middle = text_heads + np.array(lined) // 2
    medians = np.where(size_array % 2 == 1, ordered[middle], (ordered[middle - 1] + ordered[middle]) / 2.0)
    np.subtract(log_chars, medians[rank_of], out=rows[_ROW["log_chars_over_median"]])
    rows[_ROW["bias"]] = 1.0
    rows[_ROW["relative_position"]] = positions / np.maximum(lines_of - 1, 1)
    rows[_ROW["first_or_last"]] = (positions == 0) | (positions == lines_of - 1)
    rows[_ROW["log_lines_from_start"]] = np.log1p(positions)
    rows[_ROW["log_lines_to_end"]] = np.log1p(lines_of - 1 - positions)
    rows[_ROW["doc_log_lines"]] = np.log1p(lines_of)

    features = np.ascontiguousarray(rows[_TO_FEATURE_ORDER].T)  # each text's rows then lie together
    starts = np.array(layout.starts, dtype=np.int64) - np.array(layout.offsets, dtype=np.int64)[text_of]
    ends = np.array(layout.ends, dtype=np.int64) - np.array(layout.offsets, dtype=np.int64)[text_of]
    word_counts = words.astype(np.int64)
    char_counts = chars.astype(np.int64)
    bullet = flags[1] > 0
    non_latin = stats[_STAT["non_latin"]] > 0
    tables = []
    for (lo, hi), run in zip(pairwise(first_line), runs, strict=True):
        if lo == hi:
            tables.append(_empty_table())
            continue
        tables.append(
            LineTable(
                starts[lo:hi],
                ends[lo:hi],
                features[lo:hi],
                word_counts[lo:hi],
                char_counts[lo:hi],
                terminal[lo:hi],
                bullet[lo:hi],
                run,
                not non_latin[lo:hi].any(),
            )
        )
    return tables


def _main_runs(
    prose_chars: FloatArray, other_chars: FloatArray, text_heads: IntArray, rank_of: IntArray
) -> tuple[IntArray, IntArray]:
    """:func:`main_run` of each text's lines (``text_heads``: each text's first line; ``rank_of``: each line's text).

    Every weight is a multiple of 1/2, so every sum here is exact and the running sums over all lines give
    each text's own; its running minimum is kept to the text by shifting each text below all earlier ones.
    The first maximum gain and the first minimum running sum are taken, as :func:`main_run` takes them.
    """
    weights = prose_chars - NON_PROSE_WEIGHT * other_chars - np.where(prose_chars > 0, 0.0, NON_PROSE_LINE_COST)
    n = len(weights)
    running = np.concatenate(([0.0], np.cumsum(weights)))
    text_base = running[text_heads][rank_of]
    before = running[:-1] - text_base  # per line j of a text: its prefix sum at j
    after = running[1:] - text_base  # and at j + 1
    # A power of two above any prefix sum's span: the shifted sums stay exact below 2**52.
    span = 2.0 ** np.ceil(np.log2(2.0 * float(np.abs(weights).sum()) + 2.0))
    if span * len(text_heads) >= 2.0**50:
        runs = [main_run(prose_chars[lo:hi], other_chars[lo:hi]) for lo, hi in pairwise([*text_heads.tolist(), n])]
        return np.array([run[0] for run in runs]), np.array([run[1] for run in runs])
    shift = rank_of * span
    lowest = np.minimum.accumulate(before - shift) + shift
    gains = after - lowest
    best = np.maximum.reduceat(gains, text_heads)
    lines = np.arange(n)
    end_line = np.minimum.reduceat(np.where(gains == best[rank_of], lines, n), text_heads)
    start_line = np.minimum.reduceat(np.where(before == lowest[end_line][rank_of], lines, n), text_heads)
    found = best > 0
    return np.where(found, start_line - text_heads, 0), np.where(found, end_line - text_heads + 1, 0)


def _near_rows(rows: FloatArray, positions: IntArray, lines_of: IntArray, rank_of: IntArray) -> None:
    """Neighbour means (radius 1 and 3) of the prose, short and log_chars rows, each text on its own.

    ``rank_of`` numbers each line's text among the texts with lines. The prose and short flags are whole
    numbers, so their window sums are exact from running sums over all lines; log_chars is summed text by text
    from zero, the additions :func:`neighbour_mean` makes, so its sums are the same values too.
    """
    shape = rows[_ROW["prose"] : _ROW["log_chars"] + 1]
    n = shape.shape[1]
    flag_sums = np.zeros((2, n + 1))
    np.cumsum(shape[:2], axis=1, out=flag_sums[:, 1:])
    text_ends = np.flatnonzero(np.diff(rank_of)) + 1
    log_chars = shape[2].tolist()
    log_sums: list[float] = []
    for lo, hi in pairwise([0, *text_ends.tolist(), n]):
        log_sums.append(0.0)
        log_sums.extend(accumulate(log_chars[lo:hi]))
    log_sum_array = np.array(log_sums)
    first_of = np.arange(n) - positions  # each line's text's first line
    last = lines_of - 1
    for radius, first, stop in (
        (1, _ROW["prose_near_1"], _ROW["log_chars_near_1"] + 1),
        (3, _ROW["prose_near_3"], _ROW["short_near_3"] + 1),
    ):
        low = first_of + np.maximum(positions - radius, 0)
        high = first_of + np.minimum(positions + radius, last) + 1
        count = np.maximum(high - 1 - low, 1).astype(np.float64)
        near = rows[first:stop]
        near[:2] = flag_sums[:, high] - flag_sums[:, low]
        if stop - first == 3:
            # Each text's running sums start with a zero of their own: one more entry per text before.
            near[2] = log_sum_array[high + rank_of] - log_sum_array[low + rank_of]
        near -= shape[: stop - first]
        near /= count


def _empty_table() -> LineTable:
    empty = np.zeros(0, dtype=np.int64)
    none = np.zeros(0, dtype=bool)
    return LineTable(empty, empty, np.zeros((0, len(FEATURE_NAMES))), empty, empty, none, none, (0, 0))


def _median(values: list[float]) -> float:
    """The median of a non-empty list, as ``numpy.median`` computes it."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0

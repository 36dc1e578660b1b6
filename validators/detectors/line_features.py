"""Shape and context features of the lines of one text, computed in a few vectorised passes.

Each non-blank line gets a row of numbers that say what it looks like (length, words, terminal
punctuation, capitalised words, digits, separators) and where it sits: inside or outside the text's
*main run* (the contiguous stretch of lines that carries most of the prose, as in jusText's
context-sensitive classification), how far from it, and what its neighbours look like. The features are
language-independent: scripts written without spaces count one word per two characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import sub

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

# Character classes of the per-character lookup table (bit 3 marks a character that starts a word).
_SPACE, _OTHER, _UPPER, _DIGIT, _SEPARATOR, _WIDE, _LOWER = range(7)
_CLASSES = 8
_WORD_START = 8
_CODE_POINTS = 0x110000
# Flags of the per-character flag table.
_TERMINAL_FLAG, _BULLET_FLAG = 1, 2

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


def _flag_table() -> npt.NDArray[np.uint8]:
    table = np.zeros(_CODE_POINTS, dtype=np.uint8)
    for char in TERMINAL_CHARS:
        table[ord(char)] |= _TERMINAL_FLAG
    for char in BULLET_CHARS:
        table[ord(char)] |= _BULLET_FLAG
    return table


_TABLE = _class_table()
_FLAGS = _flag_table()

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


def _codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def main_run(prose_chars: Sequence[float], other_chars: Sequence[float]) -> tuple[int, int]:
    """The half-open range of lines with the highest prose score (a maximum-sum segment)."""
    weights = [
        prose - NON_PROSE_WEIGHT * other - (0.0 if prose > 0 else NON_PROSE_LINE_COST)
        for prose, other in zip(prose_chars, other_chars, strict=True)
    ]
    if not weights:
        return 0, 0
    prefix = [0.0, *accumulate(weights)]
    lowest = accumulate(prefix[:-1], min)
    gains = list(map(sub, prefix[1:], lowest))
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


@lru_cache(maxsize=512)
def _neighbour_window(n: int, radius: int) -> tuple[IntArray, IntArray, FloatArray]:
    """Per line: the first line of its window, one past the last, and how many other lines it holds."""
    positions = np.arange(n)
    low = np.maximum(positions - radius, 0)
    high = np.minimum(positions + radius, n - 1) + 1
    count = np.maximum(high - 1 - low, 1).astype(np.float64)[:, None]
    for shared in (low, high, count):
        shared.flags.writeable = False
    return low, high, count


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    """Trimmed start and end offsets of the non-blank lines of ``text`` (lines end at a line feed)."""
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for raw in text.split("\n"):
        size = len(raw)
        left = raw.lstrip()
        if left:
            lead = size - len(left)
            starts.append(pos + lead)
            ends.append(pos + lead + len(left.rstrip()))
        pos += size + 1
    return starts, ends


def _is_latin(text: str, codes: npt.NDArray[np.uint32]) -> bool:
    if text.isascii():
        return True
    beyond = codes[codes >= LATIN_END]
    return not len(beyond) or bool(np.all((beyond >= SYMBOLS_START) & (beyond < SYMBOLS_END)))


def line_table(text: str) -> LineTable:
    """Offsets and features of the non-blank lines of ``text``."""
    start_list, end_list = _line_bounds(text)
    n = len(start_list)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(0, dtype=bool)
        return LineTable(empty, empty, np.zeros((0, len(FEATURE_NAMES))), empty, empty, none, none, (0, 0))
    codes = _codes(text)
    classes = _TABLE[codes]
    starts = np.array(start_list, dtype=np.int64)
    ends = np.array(end_list, dtype=np.int64)

    # Per-line counts of every class, with and without the word-start bit, in one bincount: a line runs
    # to the next line's first character, and whatever lies between is white space.
    solid = classes != _SPACE
    word_start = solid.copy()
    word_start[1:] &= ~solid[:-1]
    marker = np.zeros(len(codes), dtype=np.intp)
    marker[starts[1:]] = 2 * _CLASSES
    keyed = np.cumsum(marker) + classes + (word_start.view(np.uint8) << 3)
    both = np.bincount(keyed, minlength=n * 2 * _CLASSES).reshape(n, 2 * _CLASSES)
    counts = both[:, :_CLASSES] + both[:, _CLASSES:]
    words_spaced = both[:, _CLASSES:].sum(axis=1)
    chars = (counts.sum(axis=1) - counts[:, _SPACE]).astype(np.float64)
    wide = counts[:, _WIDE]
    words = words_spaced + wide // 2
    last = codes[ends - 1]
    terminal = (_FLAGS[last] & _TERMINAL_FLAG) > 0
    bullet = (_FLAGS[codes[starts]] & _BULLET_FLAG) > 0

    prose = (words >= PROSE_MIN_WORDS) & terminal
    short = (words <= SHORT_MAX_WORDS) & ~terminal
    prose_f = prose.astype(np.float64)
    char_list = chars.tolist()
    prose_list = prose.tolist()
    run_start, run_end = main_run(
        [c if p else 0.0 for c, p in zip(char_list, prose_list, strict=True)],
        [0.0 if p else c for c, p in zip(char_list, prose_list, strict=True)],
    )
    positions = np.arange(n)
    char_prefix = np.zeros(n + 1)
    np.cumsum(chars, out=char_prefix[1:])
    run_first = float(char_prefix[run_start])
    run_last = float(char_prefix[run_end])
    total_chars = max(float(char_prefix[-1]), 1.0)
    before_count = run_start
    after_from = run_end
    lines_from_run = np.zeros(n)
    lines_from_run[:before_count] = run_start - positions[:before_count]
    lines_from_run[after_from:] = positions[after_from:] - run_end + 1
    chars_from_run = np.zeros(n)
    chars_from_run[:before_count] = run_first - char_prefix[1 : before_count + 1]
    chars_from_run[after_from:] = char_prefix[after_from:-1] - run_last

    # Every logarithm in one call; rows: chars, words, lines from run, chars from run, lines from start,
    # lines to end, chars to end.
    logs = np.empty((7, n))
    logs[0] = chars
    logs[1] = words
    logs[2] = lines_from_run
    np.maximum(chars_from_run, 0.0, out=logs[3])
    logs[4] = positions
    logs[5] = n - 1 - positions
    np.subtract(total_chars, char_prefix[1:], out=logs[6])
    np.log1p(logs, out=logs)
    log_chars = logs[0]

    shape = np.empty((n, 3))
    shape[:, 0] = prose_f
    shape[:, 1] = short
    shape[:, 2] = log_chars
    near_1 = neighbour_mean(shape, 1)
    near_3 = neighbour_mean(shape[:, :2], 3)

    # Filled row by row of the transposed matrix (contiguous writes), handed out as its transpose.
    features = np.empty((len(FEATURE_NAMES), n))
    features[0] = 1.0
    features[1] = log_chars
    features[2] = logs[1]
    features[3] = terminal
    features[4] = bullet
    features[5] = last == 58  # ":"
    features[6] = both[:, _CLASSES + _UPPER] / np.maximum(words_spaced, 1)
    features[7:9] = counts[:, [_DIGIT, _SEPARATOR]].T / np.maximum(chars, 1.0)
    features[9] = counts[:, _LOWER] / np.maximum(counts[:, _UPPER] + counts[:, _LOWER] + wide, 1)
    features[10] = prose_f
    features[11] = short
    features[12] = 0.0
    features[12, run_start:run_end] = 1.0
    features[13] = logs[2]
    features[14] = 0.0
    features[14, :before_count] = 1.0
    features[15] = 0.0
    features[15, after_from:] = 1.0
    features[16] = logs[3]
    features[17] = near_1[:, 0]
    features[18] = near_3[:, 0]
    features[19] = near_1[:, 1]
    features[20] = near_3[:, 1]
    features[21] = near_1[:, 2]
    features[22] = positions / max(n - 1, 1)
    features[23] = 0.0
    features[23, [0, -1]] = 1.0
    features[24:27] = logs[4:7]
    features[27] = np.log1p(n)
    features[28] = float(np.dot(prose_f, chars)) / total_chars
    features[29] = (run_last - run_first) / total_chars
    features[30] = int(np.count_nonzero(short)) / n
    features[31] = log_chars - _median(log_chars.tolist())
    return LineTable(
        starts,
        ends,
        features.T,
        words.astype(np.int64),
        chars.astype(np.int64),
        terminal,
        bullet,
        (run_start, run_end),
        _is_latin(text, codes),
    )


def _median(values: list[float]) -> float:
    """The median of a non-empty list, as ``numpy.median`` computes it."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0

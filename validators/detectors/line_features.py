"""Shape and context features of the lines of one text, computed in a few vectorised passes.

Each non-blank line gets a row of numbers that say what it looks like (length, words, terminal
punctuation, capitalised words, digits, separators) and where it sits: inside or outside the text's
*main run* (the contiguous stretch of lines that carries most of the prose, as in jusText's
context-sensitive classification), how far from it, and what its neighbours look like. The features are
language-independent: scripts written without spaces count one word per two characters.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def neighbour_mean(values: FloatArray, radius: int) -> FloatArray:
    """Mean of each column of ``values`` over the ``radius`` lines on each side, the line left out."""
    n = len(values)
    padded = np.concatenate((np.zeros((radius, values.shape[1])), values, np.zeros((radius, values.shape[1]))))
    prefix = np.concatenate((np.zeros((1, values.shape[1])), np.cumsum(padded, axis=0)))
    window = prefix[2 * radius + 1 :] - prefix[:n]
    positions = np.arange(n)
    count = np.minimum(positions + radius, n - 1) - np.maximum(positions - radius, 0)
    return (window[:n] - values) / np.maximum(count, 1)[:, None]


def line_table(text: str) -> LineTable:
    """Offsets and features of the non-blank lines of ``text``."""
    codes = _codes(text)
    size = len(codes)
    classes = _TABLE[codes]
    solid = classes != _SPACE
    newlines = np.flatnonzero(codes == 10)
    raw_starts = np.concatenate(([0], newlines + 1))
    raw_ends = np.concatenate((newlines, [size]))
    solid_at = np.flatnonzero(solid)
    first_idx = np.searchsorted(solid_at, raw_starts)
    keep = first_idx < len(solid_at)
    keep[keep] = solid_at[first_idx[keep]] < raw_ends[keep]
    raw_ends, first_idx = raw_ends[keep], first_idx[keep]
    n = len(first_idx)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(0, dtype=bool)
        return LineTable(empty, empty, np.zeros((0, len(FEATURE_NAMES))), empty, empty, none, none, (0, 0))
    starts = solid_at[first_idx].astype(np.int64)
    ends = solid_at[np.searchsorted(solid_at, raw_ends) - 1].astype(np.int64) + 1

    # Per-line counts of every class, with and without the word-start bit, in one bincount: a line runs
    # to the next line's first character, and whatever lies between is white space.
    word_start = solid.copy()
    word_start[1:] &= ~solid[:-1]
    marker = np.zeros(size, dtype=np.intp)
    marker[starts[1:]] = 2 * _CLASSES
    keyed = np.cumsum(marker) + classes + (word_start.view(np.uint8) << 3)
    both = np.bincount(keyed, minlength=n * 2 * _CLASSES).reshape(n, 2 * _CLASSES)
    counts = both[:, :_CLASSES] + both[:, _CLASSES:]
    words_spaced = both[:, _CLASSES:].sum(axis=1)
    upper_starts = both[:, _CLASSES + _UPPER]
    chars = (counts.sum(axis=1) - counts[:, _SPACE]).astype(np.float64)
    wide = counts[:, _WIDE]
    words = words_spaced + wide // 2
    terminal = (_FLAGS[codes[ends - 1]] & _TERMINAL_FLAG) > 0
    bullet = (_FLAGS[codes[starts]] & _BULLET_FLAG) > 0
    ends_colon = codes[ends - 1] == ord(":")
    letters = np.maximum(counts[:, _UPPER] + counts[:, _LOWER] + wide, 1)

    prose = (words >= PROSE_MIN_WORDS) & terminal
    short = (words <= SHORT_MAX_WORDS) & ~terminal
    prose_f = prose.astype(np.float64)
    short_f = short.astype(np.float64)
    run_start, run_end = main_run(np.where(prose, chars, 0.0), np.where(prose, 0.0, chars))
    positions = np.arange(n)
    in_run = (positions >= run_start) & (positions < run_end)
    before = positions < run_start
    after = positions >= run_end
    lines_from_run = np.where(before, run_start - positions, np.where(after, positions - run_end + 1, 0))
    char_prefix = np.concatenate(([0.0], np.cumsum(chars)))
    run_first = char_prefix[run_start]
    run_last = char_prefix[run_end]
    chars_from_run = np.where(before, run_first - char_prefix[1:], np.where(after, char_prefix[:-1] - run_last, 0.0))
    total_chars = max(float(char_prefix[-1]), 1.0)
    log_chars = np.log1p(chars)
    near_1 = neighbour_mean(np.column_stack((prose_f, short_f, log_chars)), 1)
    near_3 = neighbour_mean(np.column_stack((prose_f, short_f)), 3)

    features = np.empty((n, len(FEATURE_NAMES)))
    columns = (
        np.ones(n),
        log_chars,
        np.log1p(words),
        terminal,
        bullet,
        ends_colon,
        upper_starts / np.maximum(words_spaced, 1),
        counts[:, _DIGIT] / np.maximum(chars, 1.0),
        counts[:, _SEPARATOR] / np.maximum(chars, 1.0),
        counts[:, _LOWER] / letters,
        prose_f,
        short_f,
        in_run,
        np.log1p(lines_from_run),
        before,
        after,
        np.log1p(np.maximum(chars_from_run, 0.0)),
        near_1[:, 0],
        near_3[:, 0],
        near_1[:, 1],
        near_3[:, 1],
        near_1[:, 2],
        positions / max(n - 1, 1),
        (positions == 0) | (positions == n - 1),
        np.log1p(positions),
        np.log1p(n - 1 - positions),
        np.log1p(total_chars - char_prefix[1:]),
        np.full(n, np.log1p(n)),
        np.full(n, float(np.dot(prose_f, chars)) / total_chars),
        np.full(n, float(run_last - run_first) / total_chars),
        np.full(n, float(short_f.mean())),
        log_chars - float(np.median(log_chars)),
    )
    for j, column in enumerate(columns):
        features[:, j] = column
    latin = not bool(np.any((codes >= LATIN_END) & ((codes < SYMBOLS_START) | (codes >= SYMBOLS_END))))
    return LineTable(
        starts,
        ends,
        features,
        words.astype(np.int64),
        chars.astype(np.int64),
        terminal,
        bullet,
        (run_start, run_end),
        latin,
    )

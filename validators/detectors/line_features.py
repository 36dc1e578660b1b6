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

# Character classes of the per-character lookup table.
_SPACE, _OTHER, _UPPER, _DIGIT, _SEPARATOR, _WIDE, _LOWER = range(7)
_CLASSES = 7
_TABLE_SIZE = 0x10000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _class_table() -> npt.NDArray[np.int64]:
    table = np.full(_TABLE_SIZE, _OTHER, dtype=np.int64)
    for code in range(_TABLE_SIZE):
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
    for lo, hi in ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF)):
        table[lo : hi + 1] = _WIDE
    return table


_TABLE = _class_table()
_TERMINAL_CODES = np.array(sorted({ord(c) for c in TERMINAL_CHARS}), dtype=np.int64)
_BULLET_CODES = np.array(sorted({ord(c) for c in BULLET_CHARS}), dtype=np.int64)

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

    def __len__(self) -> int:
        return len(self.starts)


def _codes(text: str) -> IntArray:
    raw = text.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(raw, dtype=np.uint32).astype(np.int64)


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


def _near(values: FloatArray, radius: int) -> FloatArray:
    """Mean of ``values`` over the ``radius`` lines on each side, the line itself left out."""
    n = len(values)
    padded = np.concatenate((np.zeros(radius), values, np.zeros(radius)))
    prefix = np.concatenate(([0.0], np.cumsum(padded)))
    window = prefix[2 * radius + 1 :] - prefix[:n]
    count = np.minimum(np.arange(n) + radius, n - 1) - np.maximum(np.arange(n) - radius, 0) + 1
    return (window[:n] - values) / np.maximum(count - 1, 1)


def line_table(text: str) -> LineTable:
    """Offsets and features of the non-blank lines of ``text``."""
    codes = _codes(text)
    size = len(codes)
    classes = _TABLE[np.minimum(codes, _TABLE_SIZE - 1)]
    classes[codes >= _TABLE_SIZE] = _WIDE
    newlines = np.flatnonzero(codes == 10)
    raw_starts = np.concatenate(([0], newlines + 1))
    raw_ends = np.concatenate((newlines, [size]))
    solid = np.flatnonzero(classes != _SPACE)
    first_idx = np.searchsorted(solid, raw_starts)
    keep = first_idx < len(solid)
    keep[keep] = solid[first_idx[keep]] < raw_ends[keep]
    raw_starts, raw_ends, first_idx = raw_starts[keep], raw_ends[keep], first_idx[keep]
    last_idx = np.searchsorted(solid, raw_ends) - 1
    starts = solid[first_idx] if len(solid) else np.zeros(0, dtype=np.int64)
    ends = solid[last_idx] + 1 if len(solid) else np.zeros(0, dtype=np.int64)
    n = len(starts)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        none = np.zeros(0, dtype=bool)
        return LineTable(empty, empty, np.zeros((0, len(FEATURE_NAMES))), empty, empty, none, none, (0, 0))

    # Per-line counts of each character class and of word starts, in one bincount each.
    line_of = np.cumsum(codes == 10)  # raw line number of every character
    line_number = line_of[starts]
    index = np.full(int(line_of[-1]) + 1, -1, dtype=np.int64)
    index[line_number] = np.arange(n)
    row = index[line_of]
    inside = row >= 0
    counts = np.bincount(row[inside] * _CLASSES + classes[inside], minlength=n * _CLASSES).reshape(n, _CLASSES)
    prev_space = np.concatenate(([True], classes[:-1] == _SPACE))
    word_start = (classes != _SPACE) & prev_space & inside
    word_rows = row[word_start]
    words_spaced = np.bincount(word_rows, minlength=n)
    upper_starts = np.bincount(word_rows[classes[word_start] == _UPPER], minlength=n)

    chars = (counts.sum(axis=1) - counts[:, _SPACE]).astype(np.float64)
    wide = counts[:, _WIDE]
    words = words_spaced + wide // 2
    terminal = np.isin(codes[ends - 1], _TERMINAL_CODES)
    bullet = np.isin(codes[starts], _BULLET_CODES)
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
        _near(prose_f, 1),
        _near(prose_f, 3),
        _near(short_f, 1),
        _near(short_f, 3),
        _near(log_chars, 1),
        positions / max(n - 1, 1),
        (positions == 0) | (positions == n - 1),
        np.full(n, np.log1p(n)),
        np.full(n, float(np.dot(prose_f, chars)) / total_chars),
        np.full(n, float(run_last - run_first) / total_chars),
        np.full(n, float(short_f.mean())),
        log_chars - float(np.median(log_chars)),
    )
    for j, column in enumerate(columns):
        features[:, j] = column
    return LineTable(
        starts, ends, features, words.astype(np.int64), chars.astype(np.int64), terminal, bullet, (run_start, run_end)
    )

"""Split article text into paragraphs and sentences, keeping code-point offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every line is a paragraph: extracted articles use single and double line breaks alike.
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
# A sentence ends after Latin terminators followed by white space, or after CJK / Arabic / Devanagari
# terminators, which need no space after them. Closing quotes and brackets stay with their sentence.
# The white space after the end (group 1) belongs to no sentence. The pattern starts with a plain
# character set, which lets the regex engine skip quickly to the next terminator; the lookbehinds then
# tell which kind of terminator it found.
_SENTENCE_END = re.compile(
    r"[.!?…。！？؟।۔](?:(?<=[.!?…])[.!?…]*[\"'”’»)\]]*(?=\s)|(?<=[。！？؟।۔])[。！？؟।۔]*[\"'”’»)\]」』）]*)(\s*)",
)
_SPACE = " \t\u00a0\u3000\u200b\ufeff"

# Paragraphs longer than this are split into sentences.
DEFAULT_MAX_PARAGRAPH = 300
# Pieces longer than this (text with no sentence punctuation, such as unpunctuated CJK) are cut into
# windows, preferably at a space, so that no single segment is unbounded.
DEFAULT_MAX_SEGMENT = 1000


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch ``text[start:end]`` of the article: a paragraph or one of its sentences."""

    start: int
    end: int
    paragraph: int  # index of the paragraph the segment belongs to

    @property
    def length(self) -> int:
        """Number of code points in the segment."""
        return self.end - self.start


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of the non-blank lines of ``text``, with surrounding spaces trimmed."""
    out: list[tuple[int, int]] = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        while start < end and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE:
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences; offsets are into ``text``, spaces between them dropped."""
    out: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start(1)
        if stop > cursor:
            out.append((cursor, stop))
        cursor = match.end()
    if cursor < end:
        out.append((cursor, end))
    return out


def _windows(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        stop = cut if cut > start else start + size
        out.append((start, stop))
        start = stop
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))
    return out


def paragraph_segments(
    text: str, start: int, end: int, max_paragraph: int = DEFAULT_MAX_PARAGRAPH, max_segment: int = DEFAULT_MAX_SEGMENT
) -> list[tuple[int, int]]:
    """The segments of the paragraph ``text[start:end]``: itself when it is at most ``max_paragraph`` long,
    else its sentences, with pieces longer than ``max_segment`` cut into windows."""
    if end - start <= max_paragraph:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    for s_start, s_end in sentences(text, start, end):
        if s_end - s_start <= max_segment:
            out.append((s_start, s_end))
        else:
            out.extend(_windows(text, s_start, s_end, max_segment))
    return out


def segment_bounds(
    text: str, max_paragraph: int = DEFAULT_MAX_PARAGRAPH, max_segment: int = DEFAULT_MAX_SEGMENT
) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph index)`` of each segment of ``text``, in order.

    Paragraphs longer than ``max_paragraph`` are split into sentences; pieces longer than
    ``max_segment`` are cut into windows.
    """
    out: list[tuple[int, int, int]] = []
    for index, (start, end) in enumerate(paragraphs(text)):
        if end - start <= max_paragraph:
            out.append((start, end, index))
        else:
            out.extend((s, e, index) for s, e in paragraph_segments(text, start, end, max_paragraph, max_segment))
    return out


def segments(
    text: str, max_paragraph: int = DEFAULT_MAX_PARAGRAPH, max_segment: int = DEFAULT_MAX_SEGMENT
) -> list[Segment]:
    """The segments of ``text`` (see :func:`segment_bounds`) as :class:`Segment` objects."""
    return [Segment(s, e, p) for s, e, p in segment_bounds(text, max_paragraph, max_segment)]

"""Split article text into paragraphs and sentences, keeping code-point offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every line is a paragraph: extracted articles use single and double line breaks alike.
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
# A sentence ends after Latin terminators followed by white space, or after CJK / Arabic / Devanagari
# terminators, which need no space after them. Closing quotes and brackets stay with their sentence.
_SENTENCE_END = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？؟।۔]+[\"'”’»)\]」』）]*",
)
_SPACE = " \t\u00a0\u3000\u200b\ufeff"

# Paragraphs longer than this are split into sentences.
DEFAULT_MAX_PARAGRAPH = 300


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
    """Split ``text[start:end]`` into sentences; offsets are into ``text``, spaces between sentences dropped."""
    out: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if stop > cursor:
            out.append((cursor, stop))
        cursor = stop
        while cursor < end and text[cursor].isspace():
            cursor += 1
    if cursor < end:
        out.append((cursor, end))
    return out


def segments(text: str, max_paragraph: int = DEFAULT_MAX_PARAGRAPH) -> list[Segment]:
    """Paragraphs of ``text``, with paragraphs longer than ``max_paragraph`` split into sentences."""
    out: list[Segment] = []
    for index, (start, end) in enumerate(paragraphs(text)):
        if end - start > max_paragraph:
            out.extend(Segment(s, e, index) for s, e in sentences(text, start, end))
        else:
            out.append(Segment(start, end, index))
    return out

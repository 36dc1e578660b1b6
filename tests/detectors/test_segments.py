"""Tests for validators.detectors.segments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validators.detectors.segments import paragraph_segments, paragraphs, segment_bounds, segments, sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segments(text)]


def test_every_line_is_a_paragraph_and_blank_lines_vanish() -> None:
    text = "First line here.\nSecond line.\n\n\n  Third after blanks.  \r\nFourth"
    assert _texts(text) == ["First line here.", "Second line.", "Third after blanks.", "Fourth"]


def test_paragraph_indices_follow_lines() -> None:
    text = "One.\n\nTwo."
    assert [s.paragraph for s in segments(text)] == [0, 1]


def test_short_paragraph_is_not_split_into_sentences() -> None:
    text = "A first sentence. A second one. A third."
    assert _texts(text) == [text]


def test_long_paragraph_is_split_into_sentences() -> None:
    sentence = "This sentence is long enough to push the paragraph over the limit. "
    text = (sentence * 6).strip()
    pieces = _texts(text)
    assert len(pieces) == 6
    assert all(p == sentence.strip() for p in pieces)


def test_cjk_sentences_split_without_spaces() -> None:
    text = "今日は天気がとても良いので公園に行きました。" * 20
    pieces = _texts(text)
    assert len(pieces) == 20
    assert all(p.endswith("。") for p in pieces)


def test_arabic_question_mark_ends_a_sentence() -> None:
    text = "هل ذهبت إلى السوق اليوم في الصباح الباكر مع أصدقائك؟ " * 8
    pieces = _texts(text.strip())
    assert len(pieces) == 8
    assert all(p.endswith("؟") for p in pieces)


def test_closing_quote_stays_with_its_sentence() -> None:
    bounds = sentences('He said "stop." Then he left.', 0, 29)
    assert bounds == [(0, 15), (16, 29)]


def test_unpunctuated_text_is_cut_into_bounded_windows() -> None:
    text = "字" * 5000
    pieces = segment_bounds(text, max_segment=1000)
    assert all(end - start <= 1000 for start, end, _ in pieces)
    assert sum(end - start for start, end, _ in pieces) == 5000


def test_windows_prefer_spaces() -> None:
    text = " ".join(["word"] * 500)  # 2,499 characters, no sentence punctuation
    for start, end, _ in segment_bounds(text, max_segment=100):
        assert not text[start:end].startswith(" ")
        assert not text[start:end].endswith(" ")


def test_empty_and_whitespace_give_no_segments() -> None:
    assert segments("") == []
    assert segments(" \n\t\r\n \u3000 ") == []
    assert paragraphs("\n\n") == []


@given(st.text(alphabet=st.sampled_from("ab .!?。؟\n\r\u2028 \t字"), max_size=800))
def test_segments_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    previous_end = 0
    for seg in segments(text, max_paragraph=30, max_segment=50):
        assert previous_end <= seg.start < seg.end <= len(text)
        piece = text[seg.start : seg.end]
        assert piece == piece.strip()
        assert "\n" not in piece and "\r" not in piece and "\u2028" not in piece
        previous_end = seg.end


@given(st.text(alphabet=st.sampled_from("ab .!?。؟\n\r\u2028 \t\u00a0字"), max_size=800))
def test_paragraph_segments_are_the_segments_of_that_paragraph(text: str) -> None:
    by_paragraph = [
        paragraph_segments(text, start, end, max_paragraph=30, max_segment=50) for start, end in paragraphs(text)
    ]
    flat = [(start, end, index) for index, pieces in enumerate(by_paragraph) for start, end in pieces]
    assert flat == segment_bounds(text, max_paragraph=30, max_segment=50)


def test_sentences_drop_every_space_between_them() -> None:
    text = "One here.  \u00a0Two there!\tThree?"
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == ["One here.", "Two there!", "Three?"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wait... what?! Yes.", ["Wait...", "what?!", "Yes."]),
        ("Version 1.2 is out. Get it", ["Version 1.2 is out.", "Get it"]),
        ("他来了。她走了！好", ["他来了。", "她走了！", "好"]),
        ("Él dijo «sí.» Luego", ["Él dijo «sí.»", "Luego"]),
        # A Latin terminator needs a space after it, a CJK one does not.
        ("Ende.。 Weiter", ["Ende.。", "Weiter"]),
        ("完了。. Next", ["完了。", ".", "Next"]),
    ],
)
def test_sentence_ends_by_kind_of_terminator(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text, 0, len(text))] == expected

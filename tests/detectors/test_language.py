"""Tests for validators.detectors.language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from validators.detectors import language
from validators.detectors.language import (
    UNKNOWN,
    LanguageProfile,
    MixedLanguageLimits,
    SegmentLanguage,
    identify,
    is_mixed_language,
    language_profile,
    language_profiles,
    mixed_language_mask,
    profile_from_segments,
)
from validators.detectors.segments import Segment

ENGLISH = [
    "The regional council approved a new plan on Monday to repair the old harbour wall, which was damaged"
    " by heavy storms last winter and has been closed to walkers since January.",
    "Engineers expect the work to take eighteen months. Fishing boats will be moved to a temporary pier on"
    " the north side of the bay while the foundations are rebuilt.",
    "Residents said they were relieved that the council had finally found the money, although several"
    " shop owners worried about the noise and the loss of summer visitors.",
    "A spokesperson for the council said the contractor would publish a timetable next week and hold an"
    " open meeting for anyone who wants to ask questions about the project.",
]
TURKISH = (
    "Bu web sitesinde deneyiminizi iyileştirmek için çerezler kullanıyoruz. Siteyi kullanmaya devam"
    " ederek çerez politikamızı kabul etmiş olursunuz ve ayarlarınızı istediğiniz zaman değiştirebilirsiniz."
)
GERMAN = (
    "Der Gemeinderat hat am Montag beschlossen, die alte Hafenmauer zu reparieren, die im letzten Winter"
    " durch schwere Stürme beschädigt wurde."
)
SPANISH = [
    "El ayuntamiento aprobó el lunes un plan para reparar el viejo muro del puerto, que resultó dañado por"
    " las fuertes tormentas del invierno pasado y permanece cerrado a los paseantes desde enero.",
    "Los ingenieros calculan que las obras durarán dieciocho meses. Los barcos de pesca se trasladarán a un"
    " muelle provisional en el lado norte de la bahía mientras se reconstruyen los cimientos.",
    "Los vecinos se mostraron aliviados de que el ayuntamiento hubiera encontrado por fin el dinero, aunque"
    " varios comerciantes temen el ruido y la pérdida de los visitantes del verano.",
]
PORTUGUESE = [
    "A câmara municipal aprovou na segunda-feira um plano para reparar o velho paredão do porto, que ficou"
    " danificado pelas fortes tempestades do inverno passado e está fechado aos peões desde janeiro.",
    "Os engenheiros esperam que as obras demorem dezoito meses. Os barcos de pesca vão ser levados para um"
    " cais provisório no lado norte da baía enquanto as fundações são reconstruídas.",
    "Os moradores disseram estar aliviados por a câmara ter finalmente encontrado o dinheiro, embora vários"
    " comerciantes receiem o barulho e a perda dos turistas de verão.",
]
LIMITS = MixedLanguageLimits()


def _article(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def test_pure_english_article_is_clean() -> None:
    profile = language_profile(_article(*ENGLISH))
    assert profile.dominant == "en"
    assert profile.foreign_fraction == 0.0
    assert profile.spans == ()
    assert not is_mixed_language(profile.foreign_fraction, profile.longest_foreign_run, LIMITS)


@pytest.mark.parametrize("first_pass", [True, False])
def test_appended_foreign_banner_is_a_foreign_span(first_pass: bool) -> None:
    text = _article(*ENGLISH, "X", "Çerez Politikası", TURKISH, "Kabul et", "Reddet")
    profile = language_profile(text, first_pass=first_pass)
    assert profile.dominant == "en"
    start = text.index(TURKISH)
    (span,) = profile.spans
    assert span.reason == "foreign:tr"
    # The span covers the banner text and may take in its short title and buttons, never the "X" or
    # the English body before it.
    assert text.index("\nX\n") + 2 < span.start <= start
    assert span.end >= start + len(TURKISH)
    assert profile.longest_foreign_run == len(TURKISH)
    assert is_mixed_language(profile.foreign_fraction, profile.longest_foreign_run, LIMITS)


def test_foreign_paragraph_in_the_middle() -> None:
    text = _article(ENGLISH[0], ENGLISH[1], GERMAN, ENGLISH[2], ENGLISH[3])
    profile = language_profile(text)
    assert profile.dominant == "en"
    assert [s.reason for s in profile.spans] == ["foreign:de"]
    span = profile.spans[0]
    assert text[span.start : span.end] == GERMAN
    assert 0.0 < profile.foreign_fraction < 0.3
    assert profile.confidence == pytest.approx(1.0 - profile.foreign_fraction)


@pytest.mark.parametrize("first_pass", [True, False])
def test_foreign_sentence_inside_a_long_paragraph_is_found(first_pass: bool) -> None:
    paragraph = " ".join([ENGLISH[0], GERMAN, ENGLISH[1]])
    text = _article(paragraph, ENGLISH[2], ENGLISH[3])
    profile = language_profile(text, first_pass=first_pass)
    assert [s.reason for s in profile.spans] == ["foreign:de"]
    span = profile.spans[0]
    assert text[span.start : span.end] == GERMAN


@pytest.mark.parametrize(
    ("dominant", "sentence"),
    [
        (SPANISH, "Le conseil municipal a décidé de réparer le vieux mur du port avant la fin de l'été prochain."),
        (PORTUGUESE, SPANISH[1].split(". ")[1]),
    ],
)
def test_paragraph_pass_finds_a_foreign_sentence_cld2_absorbs_into_its_paragraph(
    dominant: list[str], sentence: str
) -> None:
    # CLD2 reads the whole paragraph as the article's language with no second one; the sentence alone it
    # reads as foreign, as fastText does.
    text = _article(" ".join([dominant[0], sentence, dominant[1]]), dominant[2])
    profile = language_profile(text)
    (span,) = profile.spans
    assert text[span.start : span.end] == sentence
    assert is_mixed_language(profile.foreign_fraction, profile.longest_foreign_run, LIMITS)


@pytest.mark.parametrize(("dominant", "foreign"), [(SPANISH, PORTUGUESE), (PORTUGUESE, SPANISH)])
def test_neighbour_paragraph_in_spanish_or_portuguese_is_found(dominant: list[str], foreign: list[str]) -> None:
    # CLD2 reads such an article as one language; the paragraph pass must still see the neighbour.
    text = _article(*dominant[:2], foreign[0], dominant[2])
    profile = language_profile(text)
    assert profile.dominant == language_profile(_article(*dominant)).dominant
    (span,) = profile.spans
    assert text[span.start : span.end] == foreign[0]
    assert is_mixed_language(profile.foreign_fraction, profile.longest_foreign_run, LIMITS)


@pytest.mark.parametrize("language", [SPANISH, PORTUGUESE])
def test_clean_spanish_or_portuguese_is_clean(language: list[str]) -> None:
    profile = language_profile(_article(*language))
    assert profile.dominant in {"es", "pt"}
    assert profile.spans == ()
    assert profile.foreign_fraction == 0.0


def test_cleared_and_paragraph_pass_agree_with_the_full_analysis() -> None:
    articles = [
        _article(*ENGLISH),
        _article(*ENGLISH, TURKISH),
        _article(ENGLISH[0], GERMAN, *ENGLISH[1:]),
        _article(*SPANISH, PORTUGUESE[0]),
    ]
    for text in articles:
        fast, full = language_profile(text), language_profile(text, first_pass=False)
        assert fast.dominant == full.dominant
        assert [s.reason for s in fast.spans] == [s.reason for s in full.spans]
        assert is_mixed_language(fast.foreign_fraction, fast.longest_foreign_run, LIMITS) == is_mixed_language(
            full.foreign_fraction, full.longest_foreign_run, LIMITS
        )


def test_placeholder_latin_that_cld2_is_sure_of_is_left_to_fasttext() -> None:
    # CLD2 reads filler text as Latin with confidence; fastText does not trust it, so it is no language.
    lorem = (
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et"
        " dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip."
    )
    text = _article(ENGLISH[0], lorem, lorem, lorem, ENGLISH[1])
    profile = language_profile(text)
    assert profile.dominant == "en"
    assert profile == language_profile(text, first_pass=False)


@pytest.mark.parametrize("control", ["\x01", "\x1b", "\x7f", "\x93", "\ud800"])
def test_a_control_character_reads_as_a_space(control: str) -> None:
    text = _article(*ENGLISH, TURKISH)
    cut = text.index(" ", len(ENGLISH[0]) // 2)
    broken = text[:cut] + control + text[cut + 1 :]
    assert language_profile(broken) == language_profile(text)


def test_short_ui_tokens_are_neither_dominant_nor_foreign() -> None:
    text = _article(*ENGLISH[:2], "X", "Teilen", "Weiterlesen", "Mehr zum Thema", "2024", "🙂👍")
    profile = language_profile(text, first_pass=False)
    assert profile.dominant == "en"
    assert profile.foreign_fraction == 0.0
    assert profile.spans == ()


def test_near_identical_languages_do_not_count_as_mixing() -> None:
    def labelled(start: int, end: int, language: str) -> SegmentLanguage:
        return SegmentLanguage(Segment(start, end, 0), language, 0.95)

    profile = profile_from_segments([labelled(0, 300, "id"), labelled(301, 500, "ms"), labelled(501, 700, "id")])
    assert profile.dominant == "id"
    assert profile.foreign_fraction == 0.0
    assert profile.spans == ()
    mixed = profile_from_segments([labelled(0, 300, "id"), labelled(301, 500, "tr")])
    assert mixed.spans[0].reason == "foreign:tr"


def test_untrusted_segments_between_foreign_ones_join_the_run() -> None:
    def labelled(start: int, end: int, language: str, p: float = 0.95) -> SegmentLanguage:
        return SegmentLanguage(Segment(start, end, 0), language, p)

    profile = profile_from_segments(
        [
            labelled(0, 500, "en"),
            labelled(501, 560, "tr"),
            labelled(561, 570, "tr", 0.3),
            labelled(571, 640, "tr"),
        ]
    )
    assert profile.longest_foreign_run == 640 - 501
    assert profile.foreign_fraction == pytest.approx((59 + 69) / (500 + 59 + 69))


def test_all_caps_is_read_in_lower_case() -> None:
    language, probability = identify(ENGLISH[0].upper())
    assert language == "en"
    assert probability >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t \u3000 ",
        "1234567890 42 3.14159 2024-06-01 12:45 " * 20,
        "... --- !!! ??? ,,, ;;; *** ### @@@ " * 30,
        "\x00\x01\x02\x1b\x7f\x80\x85\x9f" * 50,
        "🙂👍🎉🔥" * 100,
        "X",
        "\ud800\udfff lone surrogates \udc80",
    ],
)
def test_untrustworthy_text_is_unknown(text: str) -> None:
    profile = language_profile(text)
    assert profile.dominant == UNKNOWN
    assert profile.spans == ()
    assert profile.foreign_fraction == 0.0
    assert profile.longest_foreign_run == 0


def test_control_characters_and_mojibake_do_not_crash() -> None:
    broken = "\x93quoted\x94 text\x85 with cp1252 bytes and Ã©tÃ© mojibake\x00\x1b"
    text = _article(ENGLISH[0], broken, ENGLISH[1] + "\x0c" + ENGLISH[2], ENGLISH[3])
    for first_pass in (True, False):
        profile = language_profile(text, first_pass=first_pass)
        assert profile.dominant == "en"
        for span in profile.spans:
            assert 0 <= span.start < span.end <= len(text)


@pytest.mark.parametrize("first_pass", [True, False])
def test_cjk_without_spaces(first_pass: bool) -> None:
    chinese = "今天天气很好我们一起去公园散步然后在湖边吃午饭下午回家休息晚上看了一部电影" * 5
    japanese = "今日はとても良い天気だったので友達と一緒に公園を散歩してから湖のそばで昼ご飯を食べました" * 5
    assert language_profile(chinese, first_pass=first_pass).dominant == "zh"
    assert language_profile(japanese, first_pass=first_pass).dominant == "ja"


def test_mixed_scripts_inside_words() -> None:
    text = "Тhе рrеsіdеnt sаіd thаt еvеrуthіng wаs fіnе" * 3  # Latin and Cyrillic look-alikes interleaved
    profile = language_profile(text)
    assert isinstance(profile.dominant, str)
    assert 0.0 <= profile.foreign_fraction <= 1.0


def test_ten_megabyte_article() -> None:
    text = _article(*ENGLISH) + "\n\n"
    huge = text * (10_000_000 // len(text) + 1)
    profile = language_profile(huge)
    assert profile.dominant == "en"
    assert profile.spans == ()


@pytest.mark.slow
def test_ten_megabyte_line_without_breaks() -> None:
    huge = "字" * 10_000_000
    profile = language_profile(huge, first_pass=False)
    assert isinstance(profile, LanguageProfile)


def test_batch_matches_single_and_handles_missing() -> None:
    texts: list[str | None] = [_article(*ENGLISH), None, "", _article(*ENGLISH, TURKISH)]
    profiles = language_profiles(texts)
    assert profiles == [language_profile(t) if t else language_profile("") for t in texts]
    assert profiles[1].dominant == UNKNOWN


def test_batch_accepts_pandas_and_arrow_columns() -> None:
    import pyarrow as pa

    texts = [_article(*ENGLISH), None, _article(*ENGLISH, TURKISH)]
    expected = language_profiles(texts)
    assert language_profiles(pd.Series(texts)) == expected
    assert language_profiles(pd.Series([*texts, float("nan")]))[-1].dominant == UNKNOWN
    assert language_profiles(pa.chunked_array([pa.array(texts[:2]), pa.array(texts[2:])])) == expected
    assert expected[2].spans and expected[0].dominant == "en"


def test_batch_with_workers_keeps_order() -> None:
    texts: list[str | None] = [_article(*ENGLISH), _article(*ENGLISH, TURKISH), _article(GERMAN * 3)] * 3
    assert language_profiles(texts, workers=2) == language_profiles(texts)


@pytest.mark.parametrize(
    ("fraction", "run", "expected"),
    [(0.0, 0, False), (0.10, 79, False), (0.1001, 0, True), (0.0, 80, True), (0.5, 500, True)],
)
def test_flag_rule_and_mask_agree(fraction: float, run: int, expected: bool) -> None:
    assert is_mixed_language(fraction, run, LIMITS) is expected
    mask = mixed_language_mask(pd.Series([fraction, None]), pd.Series([run, None]), LIMITS)
    assert mask.tolist() == [expected, False]


@pytest.mark.parametrize(("confident_run", "expected"), [(0, False), (39, False), (40, True)])
def test_confident_run_rule_and_mask_agree(confident_run: int, expected: bool) -> None:
    assert is_mixed_language(0.01, 30, LIMITS, confident_run) is expected
    mask = mixed_language_mask(pd.Series([0.01]), pd.Series([30]), LIMITS, pd.Series([confident_run]))
    assert mask.tolist() == [expected]


def test_less_sure_foreign_segment_breaks_the_confident_run() -> None:
    def labelled(start: int, end: int, language: str, p: float) -> SegmentLanguage:
        return SegmentLanguage(Segment(start, end, 0), language, p)

    profile = profile_from_segments(
        [labelled(0, 500, "en", 0.99), labelled(501, 530, "de", 0.99), labelled(531, 560, "de", 0.8)]
    )
    assert profile.longest_foreign_run == 59
    assert profile.longest_confident_run == 29


def test_limits_are_parameters() -> None:
    strict = MixedLanguageLimits(max_foreign_fraction=0.01, max_foreign_run=10)
    assert is_mixed_language(0.02, 0, strict)
    assert not is_mixed_language(0.02, 0, LIMITS)


@pytest.mark.corpora
def test_seed_article(seed_article: Path) -> None:
    text = seed_article.read_text(encoding="utf-8")
    profile = language_profile(text)
    assert profile.dominant == "en"
    # The body ends at the lone "X" line; the Turkish banner follows it.
    marker = re.search(r"^X$", text, flags=re.MULTILINE)
    assert marker is not None
    body_end = marker.start()
    assert profile.spans, "the Turkish banner must be found"
    assert all(span.start > body_end and span.reason == "foreign:tr" for span in profile.spans)
    banner_chars = sum(len(line) for line in text[marker.end() :].split("\n") if len(line.strip()) >= 20)
    covered = sum(span.length for span in profile.spans)
    assert covered >= 0.95 * banner_chars
    assert is_mixed_language(profile.foreign_fraction, profile.longest_foreign_run, LIMITS)


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """Record the arguments of every call to the language module's function ``name``."""
    calls: list[tuple[Any, ...]] = []
    original = getattr(language, name)

    def recording(*args: Any) -> Any:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(language, name, recording)
    return calls


@pytest.mark.parametrize("paragraphs", [SPANISH, PORTUGUESE])
def test_segment_check_clears_a_clean_article_without_the_paragraph_pass(
    monkeypatch: pytest.MonkeyPatch, paragraphs: list[str]
) -> None:
    # Spanish and Portuguese never clear the first pass; read segment by segment they are clean.
    paragraph_pass = _spy(monkeypatch, "_label_doubtful_segments")
    text = _article(*paragraphs)
    profile = language_profile(text)
    assert paragraph_pass == []
    assert profile == language_profile(text, first_pass=False)


def test_a_sentence_cld2_alone_misreads_is_cleared_when_fasttext_trusts_it_as_the_article_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _article(*ENGLISH)
    misread = ENGLISH[1].split(". ")[1]
    original = language._cld2_group
    monkeypatch.setattr(language, "_cld2_group", lambda fragment: "de" if fragment == misread else original(fragment))
    monkeypatch.setattr(language, "_first_pass", lambda reading: None)
    paragraph_pass = _spy(monkeypatch, "_label_doubtful_segments")
    asked = _spy(monkeypatch, "_predict_many")
    profile = language_profile(text)
    assert profile == LanguageProfile("en", 1.0, 0.0, 0, ())
    assert paragraph_pass == []
    assert [fragments for _, fragments in asked] == [[misread]]


def test_segment_check_keeps_cld2_language_only_when_fasttext_confirms_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # CLD2 names Spanish for a whole Portuguese article, paragraphs and sentences alike: fastText does not
    # confirm it, and the article is labelled by fastText.
    monkeypatch.setattr(language, "_cld2_read", lambda fragment: language._Cld2Reading("es", True, 99, 0))
    monkeypatch.setattr(language, "_cld2_group", lambda fragment: "es")
    profile = language_profile(_article(*PORTUGUESE))
    assert profile.dominant == "pt"
    assert profile.spans == ()


def test_paragraph_pass_asks_fasttext_once_per_segment(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _spy(monkeypatch, "_predict_many")
    text = _article(*ENGLISH, "Çerez Politikası", TURKISH, "Kabul et")
    profile = language_profile(text)
    assert [span.reason for span in profile.spans] == ["foreign:tr"]
    fragments = [fragment for _, batch in asked for fragment in batch]
    assert TURKISH.split(". ")[0] + "." in fragments
    assert len(fragments) == len(set(fragments))

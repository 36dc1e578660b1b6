"""Tests for the line-level boilerplate detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from validators.detectors.boilerplate import (
    BoilerplateLimits,
    BoilerplateResult,
    _lowered,
    _model_lines,
    boilerplate_batch,
    boilerplate_mask,
    boilerplate_spans,
    has_boilerplate,
    parse_phrase_file,
    phrase_tables,
)
from validators.detectors.spans import Span
from validators.detectors.template_lines import TemplateLines, line_hash

BODY = (
    "The city council approved the new budget on Tuesday after a long debate about school funding.\n\n"
    "Members said the plan would raise spending on libraries and parks by a modest amount next year.\n\n"
    "The mayor welcomed the vote and thanked residents who had attended the public hearings in March.\n"
)

REQUIRED_LANGUAGES = tuple(
    [
        "en",
        "de",
        "fr",
        "es",
        "pt",
        "it",
        "nl",
        "pl",
        "sv",
        "tr",
        "ru",
        "uk",
        "ar",
        "fa",
        "hi",
        "id",
        "vi",
        "zh",
        "ja",
        "ko",
    ]
)


def _flagged(text: str, language: str | None = "en") -> list[str]:
    result = boilerplate_spans(text, language)
    return [text[s.start : s.end] for s in result.spans]


def test_clean_article_has_no_spans() -> None:
    result = boilerplate_spans(BODY, "en")
    assert result.spans == ()
    assert result.share == 0.0


def test_lone_close_tokens_are_ui_tokens() -> None:
    for token in ("X", "×", "Close", "Menu", "Print"):
        result = boilerplate_spans(BODY + "\n" + token + "\n", "en")
        reasons = {s.reason for s in result.spans}
        assert reasons & {"ui_token", "navigation"}, token
        assert _flagged(BODY + "\n" + token + "\n") == [token]


def test_english_cookie_banner_at_the_end_is_consent() -> None:
    banner = (
        "We use cookies to improve your experience on our site and to show you relevant offers.\n\n"
        "Accept all\n\nReject all\n"
    )
    result = boilerplate_spans(BODY + "\n" + banner, "en")
    assert {s.reason for s in result.spans} == {"consent"}
    assert len(result.spans) == 3
    assert 0.0 < result.share < 1.0


def test_german_banner_in_english_article_is_flagged() -> None:
    banner = (
        "Wir verwenden Cookies, um Inhalte zu personalisieren und die Zugriffe zu analysieren.\n\nAlle akzeptieren\n"
    )
    flagged = _flagged(BODY + "\n" + banner)
    assert any("Cookies" in f for f in flagged)
    assert "Alle akzeptieren" in flagged
    assert not any("council" in f for f in flagged)


def test_article_about_cookies_is_not_flagged() -> None:
    text = (
        "Regulators said on Monday that websites which track visitors with cookies must ask "
        "for consent first.\n\n"
        "The new privacy policy rules cover advertising firms, and critics argue that cookie banners annoy "
        "readers without protecting them.\n\n"
        "Browser makers have said they will phase out third-party cookies over the next two years.\n"
    )
    result = boilerplate_spans(text, "en")
    assert result.spans == ()


def test_stray_phrase_inside_prose_is_kept() -> None:
    text = BODY + "Analysts said investors should read more than the headline figures before they decide.\n"
    assert boilerplate_spans(text, "en").spans == ()


def test_nav_run_in_head_is_navigation() -> None:
    head = "Home\nWorld\nPolitics\nBusiness\nSport\n"
    result = boilerplate_spans(head + BODY, "en")
    counted = [s for s in result.spans if s.reason != "possible_layout"]
    assert {s.reason for s in counted} == {"navigation"}
    assert len(counted) == 5
    assert result.chars == len(head.replace("\n", ""))


def test_entity_remnant_inside_prose_is_a_narrow_markup_span() -> None:
    text = "The minister said it wasn&#39;t the right time to raise taxes on small firms this year."
    result = boilerplate_spans(text, "en")
    assert [(text[s.start : s.end], s.reason) for s in result.spans] == [("&#39;", "markup")]


def test_lorem_ipsum_line() -> None:
    text = BODY + "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"
    assert [s.reason for s in boilerplate_spans(text, "en").spans] == ["lorem_ipsum"]


def test_template_line_is_flagged() -> None:
    footer = "Produced for the regional desk team"
    templates = TemplateLines(frozenset({line_hash(footer)}))
    result = boilerplate_spans(BODY + footer + "\n", "en", templates)
    assert [s.reason for s in result.spans] == ["template"]
    assert boilerplate_spans(BODY + footer + "\n", "en").spans == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n",
        "X",
        "\x00\x01\x02 control \x7f",
        "a" * 200_000,
        "word " * 50_000,
        "نحن نكتب هذا النص باللغة العربية من اليمين إلى اليسار.\nقبول الكل\n",
        "İSTANBUL İÇİN ÇEREZLER\nKabul et\n",
        "\ud800 lone surrogate",
        "Close\nMenu\nX\nAccept all\nSubscribe\n",
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    result = boilerplate_spans(text, None)
    assert 0.0 <= result.share <= 1.0
    for span in result.spans:
        assert 0 <= span.start <= span.end <= len(text)


@pytest.mark.parametrize(
    "prefix",
    ["", "Ünïcödé «quoted» — 中文 text\n", "İstanbul ΟΔΟΣ\n", "\ud800 lone surrogate\n", "😀 wide emoji\n"],
)
def test_phrase_spans_land_on_their_line_after_any_characters(prefix: str) -> None:
    banner = "We use cookies to improve your experience."
    text = prefix + banner + "\n"
    spans = [s for s in boilerplate_spans(text, "en").spans if s.reason == "consent"]
    # Offsets in code points: the banner's span is exactly its line (a short line above may join it).
    assert banner in [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize("text", ["İstanbul", "ΟΔΟΣ İ Σ", "Ǆ İ \ud800 ẞ", "plain ascii", ""])
def test_lowered_text_keeps_offsets(text: str) -> None:
    lowered = _lowered(text)
    assert len(lowered) == len(text)
    if len(text.lower()) != len(text):
        assert lowered == "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    else:
        assert lowered == text.lower()


def test_all_boilerplate_text_has_high_share() -> None:
    text = "Close\nMenu\nX\nAccept all\nSubscribe\n"
    assert boilerplate_spans(text, "en").share == pytest.approx(1.0)


def test_none_text_is_empty() -> None:
    assert boilerplate_spans(None).spans == ()


def test_batch_matches_single_calls() -> None:
    texts = [BODY, BODY + "\nX\n", None]
    batch = boilerplate_batch(texts, ["en", "en", None])
    assert batch == [boilerplate_spans(t, lang) for t, lang in zip(texts, ["en", "en", None], strict=True)]


def test_batch_matches_single_calls_on_pages_of_every_kind() -> None:
    page = "\n".join(["Home", "News", "Sport", "Weather", BODY, "Share on Facebook", "We use cookies.", "Accept all"])
    templates = TemplateLines(frozenset({line_hash("Sign up for our weekly newsletter today")}))
    texts = [
        page,
        "   ",
        "Привет мир. Это текст новости о городском совете.\nПодписаться\n" + page,
        "中文内容。\n分享\n" + BODY,
        "\ud800 lone surrogate\n" + page,
        BODY + "\nSign up for our weekly newsletter today\n",
        "X",
        None,
    ]
    languages = ["en", None, "ru", "zh", "en", "en", None, None]
    tpl = [None, None, None, None, templates, templates, None, None]
    batch = boilerplate_batch(texts, languages, tpl)
    assert batch == [boilerplate_spans(t, lang, tl) for t, lang, tl in zip(texts, languages, tpl, strict=True)]
    assert any(result.spans for result in batch)


@pytest.mark.parametrize("prefix", ["", "ü", "中文", "😀", "\ud800", "İ", "ΟΔΟΣ ", "é" * 3 + "\n" + "中" * 5 + "\n"])
def test_phrase_hits_are_code_point_offsets(prefix: str) -> None:
    text = prefix + "share on facebook and subscribe to our newsletter"
    hits = phrase_tables().matcher.hits(_lowered(text))
    assert all(0 <= first <= last < len(text) for first, last, _ in hits)
    # The phrase is found where it stands, counted in code points whatever comes before it.
    assert (len(prefix), len(prefix) + len("share on facebook") - 1) in [(first, last) for first, last, _ in hits]


def test_limits_rule_and_mask_agree() -> None:
    limits = BoilerplateLimits(max_share=0.1, max_chars=500)
    cases = [(0.0, 0), (0.05, 100), (0.2, 10), (0.01, 600), (0.1, 499)]
    expected = [has_boilerplate(s, c, limits) for s, c in cases]
    assert expected == [False, False, True, True, True]
    mask = boilerplate_mask(pd.Series([s for s, _ in cases]), pd.Series([c for _, c in cases]), limits)
    assert mask.tolist() == expected


def test_mask_treats_missing_as_clean() -> None:
    mask = boilerplate_mask(pd.Series([None, 0.5]), pd.Series([None, 0]), BoilerplateLimits())
    assert mask.tolist() == [False, True]


def test_phrase_files_cover_required_languages() -> None:
    tables = phrase_tables()
    for lang in REQUIRED_LANGUAGES:
        assert lang in tables.languages, lang
        assert lang in tables.stopwords, lang


def test_phrase_file_format() -> None:
    entries, stopwords = parse_phrase_file(
        "# comment\nconsent\twe use cookies\nshare\t=Tweet\nlegal\t~Disclaimer\nbroken line\nstopwords\tthe of\n"
    )
    assert entries == [
        ("consent", "strong", "we use cookies"),
        ("share", "line", "tweet"),
        ("legal", "weak", "disclaimer"),
    ]
    assert stopwords == ["the", "of"]


@pytest.mark.corpora
def test_seed_banner_and_lone_x_flagged_body_not(seed_article: Path) -> None:
    text = seed_article.read_text(encoding="utf-8")
    result = boilerplate_spans(text, "en")
    flagged = [(text[s.start : s.end], s.reason) for s in result.spans]
    assert ("X", "ui_token") in flagged
    consent = [t for t, reason in flagged if reason == "consent"]
    assert consent, flagged
    first = min(s.start for s in result.spans)
    tail = text[first:]
    covered = sum(s.end - s.start for s in result.spans)
    assert covered >= 0.9 * len(tail.replace("\n", ""))
    body_end = text.rfind("\n", 0, first)
    assert all(s.start > body_end for s in result.spans)


LONG_BODY = "\n\n".join(
    [
        "The council approved the new budget on Tuesday after a long debate about school funding and roads.",
        "Members said the plan would raise spending on libraries and parks by a modest amount over two years.",
        "The mayor welcomed the vote and thanked residents who had attended the public hearings in the spring.",
        "Opposition members argued that the higher property taxes would hit young families and pensioners hardest.",
        "A final vote on the capital programme, which includes a new bridge, is expected later this month.",
        "Local shop owners said they hoped the road repairs would be finished before the busy summer season.",
        "The budget also sets aside money for two new buses and longer opening hours at the swimming pool.",
        "Officials will publish the full spending plan online once the final amendments have been agreed.",
        "Several residents asked whether the new library branch would open on weekends, and the mayor said yes.",
        "The next council meeting is on the first Monday of next month, when the transport plan is discussed.",
    ]
)
MENU = "Home\nNews\nSport\nBusiness\nCulture\nWeather\nSearch"
FOOTER = "About us\nContact\nCareers\nAdvertise with us\nTerms of use\nPrivacy policy\n© 2024 Example Media Group."


def test_long_clean_article_is_not_flagged() -> None:
    result = boilerplate_spans(LONG_BODY, "en")
    assert not has_boilerplate(result.share, result.chars, BoilerplateLimits())
    assert all(s.reason == "possible_layout" for s in result.spans)


def test_page_with_menu_and_footer_keeps_its_body() -> None:
    text = MENU + "\n" + LONG_BODY + "\n" + FOOTER
    result = boilerplate_spans(text, "en")
    flagged = {text[s.start : s.end] for s in result.spans}
    assert set(MENU.split("\n")) <= flagged
    assert set(FOOTER.split("\n")) <= flagged
    assert not any("council" in f or "residents" in f for f in flagged)
    assert has_boilerplate(result.share, result.chars, BoilerplateLimits())


def test_the_tail_block_never_reaches_above_the_first_paragraph() -> None:
    # A likely menu, a body the model doubts, a likely tail: the block may not bridge the body to the menu.
    probabilities = np.array([0.9, 0.8, 0.7, 0.05, 0.6, 0.1, 0.6, 0.1, 0.8, 0.9])
    body_prose = np.array([False] * 3 + [True] * 5 + [False] * 2)
    marked, furniture = _model_lines(probabilities, body_prose, 0.95, tail_threshold=0.2)
    assert not furniture
    assert marked.tolist() == [False] * 4 + [True] * 6
    # Without a tail threshold only the lines at the threshold are marked.
    assert not _model_lines(probabilities, body_prose, 0.95)[0].any()


def test_a_page_with_sure_lines_is_judged_line_by_line() -> None:
    probabilities = np.array([0.99, 0.97, 0.96, 0.5, 0.5, 0.1, 0.2])
    body_prose = np.array([False, False, False, True, False, True, False])
    marked, furniture = _model_lines(probabilities, body_prose, 0.95, tail_threshold=0.2)
    assert furniture
    # Furniture threshold 0.3; likely prose of the body stays unless the model is sure.
    assert marked.tolist() == [True, True, True, False, True, False, False]


def test_possible_layout_lines_do_not_count() -> None:
    result = BoilerplateResult(0.0, (Span(0, 50, "possible_layout"), Span(60, 70, "navigation")))
    assert result.chars == 10


def test_repeated_lines_do_not_count() -> None:
    result = BoilerplateResult(0.0, (Span(0, 50, "repeated"), Span(60, 70, "share")))
    assert result.chars == 10
    assert result.counted_spans == (Span(60, 70, "share"),)
    assert result.kinds == 1


REPEATED = "Officials expect the first section of the new cycle lane to open to riders before the end of May."


def test_a_long_line_found_twice_is_reported_as_repeated_and_not_counted() -> None:
    lines = LONG_BODY.split("\n")
    text = "\n".join([*lines[:3], REPEATED, *lines[3:], REPEATED])
    result = boilerplate_spans(text, "en")
    repeated = [text[s.start : s.end] for s in result.spans if s.reason == "repeated"]
    assert repeated == [REPEATED, REPEATED]
    assert not has_boilerplate(result.share, result.chars, BoilerplateLimits())


def test_short_lines_about_the_articles_topic_are_content() -> None:
    text = "\n".join(
        [
            "Our newsletter grew to twelve thousand subscribers this year, and most of them read every issue.",
            "New subscribers",
            "We asked why readers subscribe to a newsletter at all, and the answers surprised the whole team.",
            "Subscribers by month",
            "The newsletter now pays for itself through a small number of paying subscribers in four countries.",
        ]
    )
    assert not boilerplate_spans(text, "en").spans
    prompt = "Subscribe to our newsletter"
    assert [s.reason for s in boilerplate_spans(BODY + prompt, "en").spans] == ["newsletter"]


def test_a_remnant_inside_a_repeated_line_stays_counted_and_the_rest_stays_tentative() -> None:
    lines = LONG_BODY.split("\n")
    text = "\n".join(["&nbsp;" + REPEATED, *lines, "&nbsp;" + REPEATED])
    result = boilerplate_spans(text, "en")
    entity = len("&nbsp;")
    assert result.chars == 2 * entity  # only the two remnants count
    second = text.rindex("&nbsp;")
    assert [(s.start, s.end, s.reason) for s in result.spans if s.start in (0, entity, second, second + entity)] == [
        (0, entity, "markup"),
        (entity, entity + len(REPEATED), "repeated"),
        (second, second + entity, "markup"),
        (second + entity, second + entity + len(REPEATED), "repeated"),
    ]
    assert not has_boilerplate(result.share, result.chars, BoilerplateLimits(), result.kinds)


def test_a_sign_up_block_in_the_tail_is_not_the_articles_topic() -> None:
    tail = [
        "Our weekly newsletter brings the most important local stories straight to your inbox every Friday morning.",
        "Join more than twenty thousand readers who already receive the newsletter and never miss an update again.",
        "Subscribe to our newsletter",
    ]
    text = LONG_BODY + "\n" + "\n".join(tail)
    flagged = {text[s.start : s.end]: s.reason for s in boilerplate_spans(text, "en").spans}
    assert flagged["Subscribe to our newsletter"] == "newsletter"


def test_short_repeated_lines_are_ordinary_content() -> None:
    heading = "What the budget means for you"  # under ten words: headings and list items repeat in content
    lines = LONG_BODY.split("\n")
    text = "\n".join([heading, *lines[:4], heading, *lines[4:]])
    assert not [s for s in boilerplate_spans(text, "en").spans if s.reason == "repeated"]


def test_batch_refuses_a_language_list_that_does_not_match_the_texts() -> None:
    with pytest.raises(ValueError, match="2 texts, 1 languages"):
        boilerplate_batch(["First text.", "Second text."], ["en"])

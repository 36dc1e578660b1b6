"""Tests for template-line mining."""

from __future__ import annotations

from validators.detectors.template_lines import (
    TemplateLineMiner,
    TemplateLines,
    line_hash,
    mine_template_lines,
    normalise_line,
)

FOOTER = "Follow the newsroom for more local coverage"


def _article(i: int) -> str:
    return f"Story number {i} tells a different tale about the harbour and its boats.\n{FOOTER}\n"


def test_line_in_three_distinct_articles_is_template() -> None:
    rows = [("site.example", f"https://site.example/{i}", _article(i)) for i in range(3)]
    result = mine_template_lines(rows)
    assert FOOTER in result["site.example"]
    assert _article(0).split("\n")[0] not in result["site.example"]


def test_two_articles_are_not_enough() -> None:
    rows = [("site.example", f"https://site.example/{i}", _article(i)) for i in range(2)]
    assert mine_template_lines(rows) == {}


def test_repeated_url_or_text_does_not_count() -> None:
    same_url = [("site.example", "https://site.example/a", _article(i)) for i in range(5)]
    assert mine_template_lines(same_url) == {}
    same_text = [("site.example", f"https://site.example/{i}", _article(0)) for i in range(5)]
    assert mine_template_lines(same_text) == {}


def test_sources_are_kept_apart() -> None:
    rows = [(f"site{i}.example", f"https://site{i}.example/x", _article(i)) for i in range(5)]
    assert mine_template_lines(rows) == {}


def test_missing_fields_are_skipped() -> None:
    miner = TemplateLineMiner()
    assert not miner.add(None, "u", "t")
    assert not miner.add("s", None, "t")
    assert not miner.add("s", "u", None)


def test_bounded_table_keeps_frequent_lines() -> None:
    miner = TemplateLineMiner(max_entries=50)
    for i in range(40):
        text = f"unique line {i} about something new\nanother unique line {i} here\n{FOOTER}\n"
        miner.add("site.example", f"https://site.example/{i}", text)
    # The table is pruned back when full; its buffer holds at most half a table more (plus one article).
    assert miner.entries <= 50 + 25 + 3
    assert FOOTER in miner.result()["site.example"]


def test_normalisation_ignores_case_and_spacing() -> None:
    assert normalise_line("  Follow   THE newsroom ") == "follow the newsroom"
    lines = TemplateLines(frozenset({line_hash("Follow the newsroom")}))
    assert "follow  the NEWSROOM" in lines
    assert "something else" not in lines
    assert len(lines) == 1

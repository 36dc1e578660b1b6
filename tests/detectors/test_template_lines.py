"""Tests for template-line mining."""

from __future__ import annotations

from validators.detectors.template_lines import (
    MAX_LINE_CHARS,
    TemplateLineMiner,
    TemplateLines,
    hash_rows,
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


def test_hashed_chunks_count_as_rows_added_one_by_one() -> None:
    rows: list[tuple[str | None, str | None, str | None]] = []
    for i in range(30):
        source = f"site{i % 3}.example"
        rows.append((source, f"https://{source}/{i}", _article(i)))
    rows += [
        ("site0.example", "https://site0.example/0", _article(99)),  # a repeated URL, in a later chunk
        ("site1.example", "https://site1.example/new", _article(1)),  # a repeated text
        (None, "https://nowhere.example/1", _article(5)),
    ]
    one_by_one = TemplateLineMiner()
    counted = [one_by_one.add(*row) for row in rows]
    chunked = TemplateLineMiner()
    kept = sum(chunked.add_hashed(hash_rows(rows[start : start + 7])) for start in range(0, len(rows), 7))
    assert kept == sum(counted) == 30
    assert chunked.result() == one_by_one.result()
    assert set(chunked.result()) == {"site0.example", "site1.example", "site2.example"}


def test_hashed_rows_skip_rows_without_source_url_or_text() -> None:
    hashed = hash_rows([("s", "u", "A line long enough\nX\nA line long enough"), (None, "u", "t"), ("s", "u", "")])
    assert hashed.sources == ["s", None, None]
    assert hashed.line_counts.tolist() == [1, 0, 0], "a line counts once per article; short lines not at all"
    assert hashed.lines.tolist() == [line_hash("a line LONG enough")]


def test_pruned_table_forgets_sources_it_no_longer_holds() -> None:
    miner = TemplateLineMiner(max_entries=40)
    for i in range(3_000):
        miner.add(f"one-off-{i}.example", f"https://one-off-{i}.example/", f"a line only this site has {i}\n")
        if i % 10 == 0:
            miner.add("site.example", f"https://site.example/{i}", _article(i))
    assert miner.sources_held < 1_200, "names of pruned sources are dropped"
    assert list(miner.result()) == ["site.example"]
    assert FOOTER in miner.result()["site.example"]


def test_long_and_odd_lines_are_counted_by_their_normal_form() -> None:
    tabbed = "Follow\tthe newsroom  for more local coverage"
    assert normalise_line(tabbed) == normalise_line(FOOTER) == FOOTER.casefold()
    too_long = "word " * (MAX_LINE_CHARS // 4 + 1)
    assert hash_rows([("s", "u", too_long)]).line_counts.tolist() == [0]
    folded = "STRASSE ß " * 10  # folding lengthens the line but keeps it countable
    assert hash_rows([("s", "u", folded)]).lines.tolist() == [line_hash(folded)]


def test_a_line_too_long_to_count_is_never_a_template_line() -> None:
    long_line = "word " * (MAX_LINE_CHARS // 4 + 1)
    lines = TemplateLines(frozenset({line_hash(long_line), line_hash("Short footer line")}))
    assert "short FOOTER   line" in lines
    assert long_line not in lines  # even when its hash is there: mining never counts such a line

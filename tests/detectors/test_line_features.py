"""Tests for the vectorised line features."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from validators.detectors.line_features import (
    FEATURE_NAMES,
    LineTable,
    _main_run_of_lists,
    line_table,
    line_tables,
    main_run,
    neighbour_mean,
)

PROSE = "The council approved the budget on Tuesday after a long debate about schools and roads."


def _column(name: str) -> int:
    return FEATURE_NAMES.index(name)


def test_lines_are_trimmed_and_blank_lines_skipped() -> None:
    text = "  Home  \n\n\t" + PROSE + "\n   \nX"
    table = line_table(text)
    assert [text[s:e] for s, e in zip(table.starts.tolist(), table.ends.tolist(), strict=True)] == [
        "Home",
        PROSE,
        "X",
    ]
    assert table.words.tolist() == [1, len(PROSE.split()), 1]
    assert table.chars.tolist() == [4, len(PROSE) - PROSE.count(" "), 1]
    assert table.terminal.tolist() == [False, True, False]


def test_main_run_covers_the_prose_not_the_menu() -> None:
    menu = "\n".join(["Home", "World", "Sport", "Business", "Contact"])
    text = menu + "\n" + "\n".join([PROSE] * 5) + "\n" + menu
    table = line_table(text)
    assert table.run == (5, 10)
    inside = table.features[:, _column("in_main_run")]
    assert inside.tolist() == [0.0] * 5 + [1.0] * 5 + [0.0] * 5


@pytest.mark.parametrize("prose_lines", [10, 60])
def test_main_run_is_found_on_short_and_long_pages(prose_lines: int) -> None:
    menu = "\n".join(["Home", "World", "Sport", "Business", "Contact"])
    text = menu + "\n" + "\n".join([PROSE] * prose_lines) + "\n" + menu
    assert line_table(text).run == (5, 5 + prose_lines)


@given(st.lists(st.tuples(st.integers(1, 2000), st.booleans()), max_size=60))
def test_main_run_on_lists_equals_main_run_on_arrays(lines: list[tuple[int, bool]]) -> None:
    prose = [float(c) if p else 0.0 for c, p in lines]
    other = [0.0 if p else float(c) for c, p in lines]
    assert _main_run_of_lists(prose, other) == main_run(np.array(prose), np.array(other))


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Café «quoted» — ‘text’ €5", True),
        ("Привет, мир", False),
        ("word\u3000word", False),
        ("abc\n\u3000\ndef", False),
        ("", False),
    ],
)
def test_latin_flag_covers_every_character(text: str, latin: bool) -> None:
    assert line_table(text).latin is latin


def test_main_run_of_no_prose_is_empty() -> None:
    assert main_run(np.zeros(3), np.array([4.0, 5.0, 6.0])) == (0, 0)


def test_neighbour_mean_leaves_the_line_out() -> None:
    values = np.array([[1.0], [0.0], [1.0], [1.0]])
    assert neighbour_mean(values, 1)[:, 0].tolist() == pytest.approx([0.0, 1.0, 0.5, 1.0])


def test_wide_scripts_count_words_by_characters() -> None:
    table = line_table("本日は晴天なり、明日も晴れるでしょう。")
    assert table.words[0] >= 8


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\ud800\n", "a" * 50_000, "x\n" * 10_000, "مرحبا بالعالم\nX"])
def test_odd_input_gives_consistent_tables(text: str) -> None:
    table = line_table(text)
    assert table.features.shape == (len(table), len(FEATURE_NAMES))
    assert np.isfinite(table.features).all()
    assert all(0 <= s < e <= len(text) for s, e in zip(table.starts.tolist(), table.ends.tolist(), strict=True))


def _same_tables(batch: LineTable, single: LineTable) -> bool:
    """Bit-for-bit the same table: offsets, counts, flags, run, Latin flag and every feature."""
    return (
        batch.run == single.run
        and batch.latin == single.latin
        and batch.features.shape == single.features.shape
        and batch.features.tobytes() == np.ascontiguousarray(single.features).tobytes()
        and all(
            np.array_equal(getattr(batch, name), getattr(single, name))
            for name in ("starts", "ends", "words", "chars", "terminal", "bullet")
        )
    )


ODD_TEXTS = [
    "",
    "\n\n  \n",
    "\u3000\n\u3000",
    "\ud800\n",
    "  Home  \n\n\t" + PROSE + "\n   \nX",
    "\u3000 leading wide space\n" + PROSE,
    "本日は晴天なり、明日も晴れるでしょう。\n" + PROSE,
    "\n".join(["Home", "World", "Sport"] + [PROSE] * 40 + ["Contact", "© 2024"]),
    "x\n" * 300,
]


def test_tables_of_many_texts_equal_tables_one_by_one() -> None:
    tables = line_tables(ODD_TEXTS)
    assert len(tables) == len(ODD_TEXTS)
    for text, table in zip(ODD_TEXTS, tables, strict=True):
        assert _same_tables(table, line_table(text)), text[:40]


@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["", " ", "Home", "Menu |", "• item", "Read more:", PROSE, "“Quoted.”", "中文内容。", "\u3000"]
            ),
            max_size=40,
        ).map("\n".join),
        max_size=6,
    )
)
def test_tables_of_any_texts_equal_tables_one_by_one(texts: list[str]) -> None:
    for text, table in zip(texts, line_tables(texts), strict=True):
        assert _same_tables(table, line_table(text))


def test_large_batches_are_split_with_the_same_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("validators.detectors.line_features.BATCH_MAX_CHARS", 100)
    texts = [PROSE + "\nHome\n" + PROSE] * 5 + ["", "X"]
    for text, table in zip(texts, line_tables(texts), strict=True):
        assert _same_tables(table, line_table(text))


def _stripped_lines(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-blank lines, trimmed by ``str.strip``."""
    found, at = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            found.append((at + lead, at + len(raw.rstrip())))
        at += len(raw) + 1
    return found


@given(st.text(alphabet=st.sampled_from("ab中\n \t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\ud800😀."), max_size=60))
def test_lines_are_trimmed_as_str_strip_trims(text: str) -> None:
    table = line_table(text)
    assert list(zip(table.starts.tolist(), table.ends.tolist(), strict=True)) == _stripped_lines(text)

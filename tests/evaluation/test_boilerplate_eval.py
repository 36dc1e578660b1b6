"""Corpus figures of the boilerplate detector (targets reached on the public corpora)."""

from __future__ import annotations

from pathlib import Path

import pytest

from validators.detectors.spans import Span
from validators.evaluation.boilerplate import (
    bench_boilerplate,
    evaluate_boilerplate,
    format_boilerplate,
    found,
    prf,
)


def test_prf() -> None:
    scores = prf(3, 1, 2)
    assert scores["precision"] == pytest.approx(0.75)
    assert scores["recall"] == pytest.approx(0.6)
    assert prf(0, 0, 0)["f1"] == 0.0


def test_found_needs_half_of_non_space_chars() -> None:
    text = "ab cd ef"
    assert found(text, 0, 8, (Span(0, 5, "x"),))
    assert not found(text, 0, 8, (Span(0, 2, "x"),))
    assert not found("   ", 0, 3, (Span(0, 3, "x"),))


def test_bench_runs_on_synthetic_articles() -> None:
    result = bench_boilerplate(n=20)
    assert result["articles"] == 20
    assert result["articles_per_second"] > 0


@pytest.mark.corpora
@pytest.mark.slow
def test_corpus_figures(corpora_dir: Path) -> None:
    result = evaluate_boilerplate(corpora_dir)
    corpus = result["boilerplate"]
    assert corpus["clean_gt_flagged"] <= 0.02
    assert corpus["articles"]["clean_gt_vs_visible_text"]["f1"] >= 0.95
    assert corpus["lines"]["visible_text"]["f1"] >= 0.91
    assert corpus["lines"]["visible_text"]["precision"] >= 0.90
    assert corpus["lines"]["extractor_recall"]["f1"] >= 0.58
    assert result["langmix"]["max_missed"] == 0
    assert result["langmix"]["clean_docs_with_spans"] <= 0.08
    assert result["snippets"]["all"]["precision"] >= 0.98
    for variant, scores in corpus["counted_lines"].items():
        assert scores["tp"] <= corpus["lines"][variant]["tp"]  # a subset of the spans finds a subset of lines
    assert "counted spans only" in format_boilerplate(result)

"""Corpus test for validators.evaluation.dates: the date-recovery targets on the labelled dates corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from validators.evaluation.dates import evaluate_dates, format_dates, load_date_records

pytestmark = pytest.mark.corpora


def test_records_without_a_true_date_are_left_out(corpora_dir: Path) -> None:
    records = load_date_records(corpora_dir)
    assert records
    assert all(isinstance(r["true_date"], str) for r in records)


@pytest.mark.slow
def test_url_and_text_suggestions_are_precise(corpora_dir: Path) -> None:
    result = evaluate_dates(corpora_dir, include_html=False)
    assert result["text"]["precision"] >= 0.95
    assert result["text"]["coverage"] >= 0.15
    assert "precision" in format_dates(result)


@pytest.mark.slow
def test_html_dates_match_the_labels(corpora_dir: Path) -> None:
    result = evaluate_dates(corpora_dir)
    assert result["html"]["accuracy"] >= 0.90, format_dates(result)

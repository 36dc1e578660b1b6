"""Per-source and per-language overrides of a check's parameters, row by row."""

from __future__ import annotations

import pandas as pd

from validators.checks import CHECKS, TABLE_COLUMNS, override_groups, override_mask, row_passes


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "language_declared": ["en", None, "TR", "de"],
            "language_detected": ["en", "tr", "tr", "de"],
            "source_host": ["news.example.com", "example.com", "other.org", None],
            "source_name": ["Example", None, "Other Daily", "Example Wire"],
            "published_at": pd.to_datetime(["2024-01-01", "1985-06-01", "1985-06-01", "1985-06-01"], utc=True),
        }
    )


def test_language_matches_declared_then_detected_case_insensitively() -> None:
    assert override_mask(_frame(), {"language": ["tr"]}).tolist() == [False, True, True, False]


def test_source_matches_host_subdomains_or_name() -> None:
    mask = override_mask(_frame(), {"source": ["example.com", "example wire"]})
    assert mask.tolist() == [True, True, False, True]
    # "ample.com" is not a parent domain of "example.com".
    assert not override_mask(_frame(), {"source": ["ample.com"]}).any()


def test_both_keys_must_match() -> None:
    assert override_mask(_frame(), {"source": ["example.com"], "language": ["tr"]}).tolist() == [
        False,
        True,
        False,
        False,
    ]


def test_first_matching_override_wins() -> None:
    groups = override_groups(_frame(), [{"where": {"language": ["tr"]}}, {"where": {"source": ["example.com"]}}])
    assert groups.tolist() == [1, 0, 0, -1]


def test_override_params_apply_only_to_matching_rows() -> None:
    check = CHECKS["implausible_date"]
    frame = _frame()
    base = row_passes(check, frame, {"min_year": 1990})
    assert base.tolist() == [True, False, False, False]
    overridden = row_passes(
        check, frame, {"min_year": 1990}, [{"where": {"language": ["tr"]}, "params": {"min_year": 1980}}]
    )
    assert overridden.tolist() == [True, True, True, False]
    assert overridden.dtype == bool  # GX negates it with ~


def test_every_check_names_the_table_columns_it_reads() -> None:
    assert set(TABLE_COLUMNS) == set(CHECKS)

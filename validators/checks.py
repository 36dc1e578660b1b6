"""The catalogue of checks a suite can name.

Each check reads a few narrow measure columns (see ``validators.measures``) and decides, row by row, whether an
article passes. The decision rules themselves live in the detector modules; this catalogue only binds a check id
to its columns, its parameters (with defaults) and the detector whose spans show a reviewer why it failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from validators.detectors import boilerplate, dates, language

PassMask = Callable[[pd.DataFrame, Mapping[str, Any]], "pd.Series[bool]"]


@dataclass(frozen=True)
class Check:
    """A check: which measure columns it reads, its parameters, and its per-article pass rule."""

    name: str
    description: str
    columns: tuple[str, ...]
    passes: PassMask
    defaults: Mapping[str, Any] = field(default_factory=dict)
    spans_from: str | None = None

    def params(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The defaults overlaid with ``given`` (already type-checked by the suite loader)."""
        return {**self.defaults, **given}


def _limits_defaults(cls: type) -> dict[str, Any]:
    return {f.name: f.default for f in fields(cls)}


def _mixed_language(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    limits = language.MixedLanguageLimits(**params)
    return ~language.mixed_language_mask(
        frame["foreign_fraction"], frame["longest_foreign_run"], limits, frame["longest_confident_run"]
    )


def _language_mismatch(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    return ~language.language_mismatch_mask(frame["language_declared"], frame["language_detected"])


def _boilerplate(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    limits = boilerplate.BoilerplateLimits(**params)
    return ~boilerplate.boilerplate_mask(frame["boilerplate_share"], frame["boilerplate_chars"], limits)


def _state_is_not(column: str, value: str) -> PassMask:
    def passes(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
        return frame[column].fillna("") != value

    return passes


def _future_date(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    now = datetime.now(UTC)
    return ~dates.future_mask(frame["published_at"], now, timedelta(hours=float(params["tolerance_hours"])))


def _implausible_date(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    return ~dates.implausible_mask(frame["published_at"], int(params["min_year"]))


def _source_domain_mismatch(frame: pd.DataFrame, params: Mapping[str, Any]) -> pd.Series:
    return ~frame["source_domain_mismatch"].fillna(False).astype(bool)


CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        Check(
            "mixed_language",
            "The article is in one language: foreign text stays within the limits.",
            ("foreign_fraction", "longest_foreign_run", "longest_confident_run"),
            _mixed_language,
            _limits_defaults(language.MixedLanguageLimits),
            spans_from="language",
        ),
        Check(
            "language_mismatch",
            "The declared language is the language the text is written in.",
            ("language_declared", "language_detected"),
            _language_mismatch,
        ),
        Check(
            "boilerplate",
            "No leftover page furniture (consent banners, subscribe prompts, share buttons, UI tokens).",
            ("boilerplate_share", "boilerplate_chars"),
            _boilerplate,
            _limits_defaults(boilerplate.BoilerplateLimits),
            spans_from="boilerplate",
        ),
        Check(
            "missing_date",
            "The article has a publication date.",
            ("date_state",),
            _state_is_not("date_state", "missing"),
        ),
        Check(
            "unparseable_date",
            "A publication date that is given can be parsed.",
            ("date_state",),
            _state_is_not("date_state", "unparseable"),
        ),
        Check(
            "future_date",
            "The publication date is not in the future (beyond a tolerance).",
            ("published_at",),
            _future_date,
            {"tolerance_hours": 24.0},
        ),
        Check(
            "implausible_date",
            "The publication date is not before a plausible year.",
            ("published_at",),
            _implausible_date,
            {"min_year": 1990},
        ),
        Check(
            "missing_source",
            "The article names its source: a publisher name or a source URL.",
            ("source_problem",),
            _state_is_not("source_problem", "missing"),
        ),
        Check(
            "malformed_source_url",
            "A source URL that is given is well formed (scheme, host, no spaces, valid IDNA).",
            ("source_problem",),
            _state_is_not("source_problem", "malformed_url"),
        ),
        Check(
            "source_domain_mismatch",
            "The source URL's host belongs to the named source.",
            ("source_domain_mismatch",),
            _source_domain_mismatch,
        ),
    )
}

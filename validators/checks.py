"""The catalogue of checks a suite can name.

Each check reads a few narrow measure columns (see ``validators.measures``) and decides, row by row, whether an
article passes. The decision rules themselves live in the detector modules; this catalogue only binds a check id
to its columns, its parameters (with defaults) and the detector whose spans show a reviewer why it failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


# Measure columns an override's ``where`` reads: the language and the source of each article.
OVERRIDE_COLUMNS: tuple[str, ...] = ("language_declared", "language_detected", "source_host", "source_name")


def override_mask(frame: pd.DataFrame, where: Mapping[str, Sequence[str]]) -> pd.Series:
    """Rows an override applies to: every key of ``where`` matches (keys absent from ``where`` match all).

    ``language`` matches the declared language, or the detected one when none is declared (case-insensitive).
    ``source`` matches the source URL's host or any subdomain of it, or the source name (case-insensitive).
    """
    mask = pd.Series(True, index=frame.index)
    languages = {str(v).lower() for v in where.get("language", ())}
    if languages:
        declared = frame["language_declared"].astype("object").where(frame["language_declared"].notna(), None)
        language_of = declared.fillna(frame["language_detected"].astype("object")).fillna("")
        mask &= language_of.map(lambda value: str(value).lower() in languages).astype(bool)
    sources = {str(v).lower().strip(".") for v in where.get("source", ())}
    if sources:
        hosts = frame["source_host"].astype("object").fillna("").map(lambda value: str(value).lower())
        names = frame["source_name"].astype("object").fillna("").map(lambda value: str(value).lower().strip())
        by_host = hosts.map(lambda host: any(host == s or host.endswith(f".{s}") for s in sources))
        by_host = by_host.astype(bool)
        mask &= by_host | names.isin(sources)
    return mask


def override_groups(frame: pd.DataFrame, overrides: Sequence[Mapping[str, Any]]) -> pd.Series:
    """Per row: the index of the first override that applies to it, or -1 for the check's own settings."""
    group = pd.Series(-1, index=frame.index, dtype="int64")
    for number, override in enumerate(overrides):
        group = group.mask((group == -1) & override_mask(frame, override.get("where") or {}), number)
    return group


def row_passes(
    check: Check, frame: pd.DataFrame, params: Mapping[str, Any], overrides: Sequence[Mapping[str, Any]] = ()
) -> pd.Series:
    """Whether each row passes ``check``; rows an override applies to use that override's parameters."""
    result = check.passes(frame, params).astype(bool)
    if not overrides:
        return result
    group = override_groups(frame, overrides)
    for number, override in enumerate(overrides):
        rows = group == number
        if rows.any():
            changed = {**params, **(override.get("params") or {})}
            result = result.mask(rows, check.passes(frame[rows], changed).astype(bool))
    # GX negates this mask: it must stay boolean (``~`` on an object column of bools gives -1 and -2).
    return result.astype(bool)


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
    return ~boilerplate.boilerplate_mask(
        frame["boilerplate_share"], frame["boilerplate_chars"], limits, frame["boilerplate_kinds"]
    )


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
            ("boilerplate_share", "boilerplate_chars", "boilerplate_kinds"),
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

# The article-table columns each check reads (through the measures): a table without them cannot be judged by
# that check, which is an input error, never "every article failed" or "every article passed".
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "mixed_language": ("text",),
    "language_mismatch": ("text", "language"),
    "boilerplate": ("text",),
    "missing_date": ("published_at",),
    "unparseable_date": ("published_at", "published_at_raw"),
    "future_date": ("published_at",),
    "implausible_date": ("published_at",),
    "missing_source": ("source_name", "source_url"),
    "malformed_source_url": ("source_url",),
    "source_domain_mismatch": ("source_name", "source_url"),
}
# What an override's ``where`` reads in the article table.
OVERRIDE_TABLE_COLUMNS: tuple[str, ...] = ("text", "language", "source_name", "source_url")

"""Run a suite with Great Expectations over the measures table and collect per-check outcomes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from validators.checks import OVERRIDE_COLUMNS, override_groups
from validators.suite import CheckConfig, Override, Suite

RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["article_id"],
    # Ids only: GX would otherwise copy every failing value into the result.
    "exclude_unexpected_values": True,
    "return_unexpected_index_query": False,
}


class GateError(Exception):
    """The run cannot be trusted (a check raised, or GX lost expectations): exit code 2."""


@dataclass
class CheckOutcome:
    """What GX said about one configured check."""

    id: str
    success: bool
    failed_ids: list[str] = field(default_factory=list)
    element_count: int = 0
    # Set only for checks with overrides: the severity that applies (highest among failing groups) and the
    # outcome of each group of rows (the check's own settings first, then each override).
    severity: str | None = None
    groups: list[dict[str, Any]] = field(default_factory=list)


def import_gx() -> None:
    """Import Great Expectations and the project's expectations: seconds of CPU, so callers may do it early,
    on a thread, while other work waits on other processes."""
    import great_expectations  # noqa: F401
    from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: F401

    import validators.expectations  # noqa: F401


def missing_columns(suite: Suite, columns: list[str]) -> dict[str, list[str]]:
    """For each check that needs a column absent from ``columns``, the absent columns."""
    present = set(columns)
    missing: dict[str, list[str]] = {}
    for config in suite.checks:
        needed = ["article_id", *config.check.columns, *(OVERRIDE_COLUMNS if config.overrides else ())]
        absent = [name for name in dict.fromkeys(needed) if name not in present]
        if absent:
            missing[config.id] = absent
    return missing


def run_suite(
    suite: Suite, measures: pd.DataFrame | Any, context_dir: Path, build_docs: bool = True, spark: bool = False
) -> list[CheckOutcome]:
    """Build the GX suite from ``suite`` (every run), validate ``measures`` and return outcomes in suite order.

    ``measures`` is a pandas frame, or with ``spark=True`` a Spark DataFrame (GX's Spark datasource).
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from validators.expectations import build_expectation

    frame: Any = measures  # a pandas or a Spark DataFrame
    if (frame.limit(1).count() == 0) if spark else frame.empty:
        raise GateError("the measures table has no rows; nothing was validated")
    absent = missing_columns(suite, list(measures.columns))
    if absent:
        listed = "; ".join(f"{check_id} needs {', '.join(names)}" for check_id, names in absent.items())
        raise GateError(f"{suite.path}: the table lacks columns checks need: {listed}")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="file", project_root_dir=str(context_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    sources = context.data_sources
    datasource = sources.add_or_update_spark("articles") if spark else sources.add_or_update_pandas("articles")
    asset = datasource.add_dataframe_asset("measures")
    batch = asset.add_batch_definition_whole_dataframe("all")
    gx_suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite.name))
    for config in suite.checks:
        gx_suite.add_expectation(
            build_expectation(
                config.check.name,
                config.id,
                config.check.columns,
                dict(config.params),
                config.mostly,
                config.severity,
                [o.as_dict() for o in config.overrides],
            )
        )
    if len(gx_suite.expectations) != len(suite.checks):
        raise GateError(
            f"{suite.path}: GX holds {len(gx_suite.expectations)} expectations, the suite declares {len(suite.checks)}"
        )
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{suite.name}-measures", data=batch, suite=gx_suite)
    )
    actions = [gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if build_docs else []
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{suite.name}-checkpoint",
            validation_definitions=[definition],
            actions=actions,
            result_format=RESULT_FORMAT,
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": measures})
    by_id: dict[str, CheckOutcome] = {}
    for validation in result.run_results.values():
        for item in validation.results:
            by_id_key = item.expectation_config.meta.get("check_id")
            by_id[by_id_key] = _outcome(by_id_key, item)
    missing = [c.id for c in suite.checks if c.id not in by_id]
    if missing:
        raise GateError(f"{suite.path}: GX returned no result for {', '.join(missing)}")
    outcomes = [by_id[c.id] for c in suite.checks]
    overridden = [(c, o) for c, o in zip(suite.checks, outcomes, strict=True) if c.overrides]
    if overridden:
        # Grouping needs only the id and the override columns: narrow enough to bring to the driver.
        groups = frame.select("article_id", *OVERRIDE_COLUMNS).toPandas() if spark else measures
        for config, outcome in overridden:
            _judge_groups(config, outcome, groups)
    return outcomes


SEVERITY_RANK = {"warning": 1, "error": 2}


def _judge_groups(config: CheckConfig, outcome: CheckOutcome, measures: pd.DataFrame) -> None:
    """Apply ``mostly`` to each group of rows separately; the check fails when any group fails."""
    group_of = override_groups(measures, [o.as_dict() for o in config.overrides])
    failed = measures["article_id"].isin(set(outcome.failed_ids))
    settings: list[tuple[Override | None, str, float]] = [(None, config.severity, config.mostly)]
    settings += [(o, o.severity, o.mostly) for o in config.overrides]
    groups: list[dict[str, Any]] = []
    for number, (override, severity, mostly) in enumerate(settings, start=-1):
        rows = group_of == number
        articles, failures = int(rows.sum()), int((rows & failed).sum())
        success = articles == 0 or (articles - failures) / articles >= mostly
        where = override.as_dict()["where"] if override else None
        groups.append(
            {
                "where": where,
                "severity": severity,
                "mostly": mostly,
                "articles": articles,
                "failed": failures,
                "success": success,
            }
        )
    outcome.groups = groups
    outcome.success = all(g["success"] for g in groups)
    failing = [str(g["severity"]) for g in groups if not g["success"]]
    outcome.severity = max(failing, key=SEVERITY_RANK.__getitem__) if failing else config.severity


def _outcome(check_id: str, item: Any) -> CheckOutcome:
    info = item.exception_info or {}
    # exception_info is either flat or keyed by metric id (observed in GX 1.x).
    nested = [v for v in info.values() if isinstance(v, dict)] if "raised_exception" not in info else [info]
    for entry in nested:
        if entry.get("raised_exception"):
            raise GateError(f"check {check_id!r} raised: {entry.get('exception_message')}")
    payload = item.result or {}
    if payload.get("unexpected_count") is None:
        raise GateError(f"check {check_id!r} returned no failure count")
    failed: list[str] = []
    for entry in payload.get("unexpected_index_list") or []:
        ids = entry.get("article_id")
        failed.extend(ids if isinstance(ids, list) else [ids])
    return CheckOutcome(check_id, bool(item.success), [str(i) for i in failed], int(payload.get("element_count", 0)))

"""Thin Great Expectations wrappers over the check catalogue.

One metric (``article_validators.check_passes``) asks ``validators.checks`` whether each article passes a named
check; one expectation class per check gives it a readable name in Data Docs. No detection logic lives here.
Importing this module registers the metric and expectations with GX, so it must be imported before a suite is
built (otherwise GX silently drops unknown expectation types).
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine, SparkDFExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)

from validators.checks import CHECKS, OVERRIDE_COLUMNS, row_passes

METRIC = "article_validators.check_passes"


class CheckPasses(MulticolumnMapMetricProvider):
    """Row-wise: does the article pass the named check with these parameters?"""

    condition_metric_name = METRIC
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_list",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ("check", "params", "overrides")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: Any, **kwargs: Any) -> Any:
        check = CHECKS[kwargs["check"]]
        return row_passes(check, column_list, dict(kwargs["params"] or {}), kwargs.get("overrides") or [])

    @multicolumn_condition_partial(engine=SparkDFExecutionEngine)
    def _spark(cls, column_list: Any, **kwargs: Any) -> Any:
        # ``column_list`` is the Spark DataFrame of the check's columns; the same pass rule runs on pandas
        # slices of it inside a pandas_udf.
        return spark_check_passes(
            column_list, kwargs["check"], dict(kwargs["params"] or {}), kwargs.get("overrides") or []
        )


def spark_check_passes(
    frame: Any, check: str, params: dict[str, Any], overrides: list[dict[str, Any]] | None = None
) -> Any:
    """A boolean Spark column: does each row of ``frame`` pass ``check``? ``validators.checks`` decides."""
    from pyspark.sql import functions as F

    rule = CHECKS[check]
    names = list(frame.columns)
    # Spark hands timestamps to Python as naive wall-clock times in the session's zone.
    zone = frame.sparkSession.conf.get("spark.sql.session.timeZone")

    def passes(rows: pd.DataFrame) -> pd.Series:
        for name in rows.columns:
            if isinstance(rows[name].dtype, pd.DatetimeTZDtype):
                continue
            if pd.api.types.is_datetime64_dtype(rows[name].dtype):
                rows[name] = rows[name].dt.tz_localize(zone).dt.tz_convert("UTC")
        return row_passes(rule, rows, params, overrides or []).fillna(False).astype(bool)

    # The type hints on ``passes`` tell Spark it is a Series-to-Series UDF; pyspark's stubs cannot see that.
    make_udf: Any = F.pandas_udf
    udf = make_udf(passes, "boolean")
    return udf(F.struct(*[frame[name] for name in names]))


class ExpectArticlesToPassCheck(MulticolumnMapExpectation):
    """Every article (or the ``mostly`` share) passes the named article-quality check."""

    check: str
    params: dict = {}  # noqa: RUF012  (a pydantic field, copied per instance)
    overrides: list = []  # noqa: RUF012  (per-source / per-language settings, see validators.suite)
    ignore_row_if: str = "never"

    map_metric: ClassVar[str] = METRIC
    success_keys: ClassVar[tuple[str, ...]] = (
        "column_list",
        "check",
        "params",
        "overrides",
        "mostly",
        "ignore_row_if",
    )


def _named(check: str) -> type[ExpectArticlesToPassCheck]:
    """A subclass per check, so Data Docs shows ``expect_no_<check>`` rather than a generic name."""
    class_name = "ExpectNo" + "".join(part.capitalize() for part in check.split("_"))
    return type(class_name, (ExpectArticlesToPassCheck,), {"__doc__": CHECKS[check].description})


EXPECTATIONS: dict[str, type[ExpectArticlesToPassCheck]] = {name: _named(name) for name in CHECKS}


def build_expectation(
    check: str,
    check_id: str,
    columns: tuple[str, ...],
    params: dict[str, Any],
    mostly: float,
    severity: str,
    overrides: list[dict[str, Any]] | None = None,
) -> ExpectArticlesToPassCheck:
    """The GX expectation for one configured check; our id is kept in ``meta`` to key results."""
    needed = [*columns, *(OVERRIDE_COLUMNS if overrides else ())]
    return EXPECTATIONS[check](
        # GX multicolumn expectations need two columns; the id column is always there.
        column_list=["article_id", *dict.fromkeys(c for c in needed if c != "article_id")],
        check=check,
        params=params,
        overrides=overrides or [],
        mostly=mostly,
        meta={"check_id": check_id, "severity": severity},
        severity="critical" if severity == "error" else "warning",
        description=CHECKS[check].description,
    )

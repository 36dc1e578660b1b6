"""Load an expectation suite from declarative YAML and check it before anything runs.

A suite file looks like::

    name: news
    description: Default checks for news articles.
    checks:
      - id: mixed_language          # the check's id in results, reports and the gate
        check: mixed_language       # the catalogue entry (defaults to the id)
        severity: error             # error | warning
        mostly: 1.0                 # share of articles that must pass for the check to pass
        params: {max_foreign_fraction: 0.1}
        overrides:                  # optional: other settings for some sources or languages
          - where: {source: [example.com, Example News]}   # URL host (or a subdomain of it) or source name
            severity: warning       # each of severity, mostly, params defaults to the check's own
            mostly: 0.9
          - where: {language: [tr, az]}                    # declared language (detected when none declared)
            params: {max_foreign_fraction: 0.2}

An override changes how the rows it applies to are judged, never how results are counted: the check keeps one
id, one entry in ``results.json`` and one JUnit case. ``where`` takes ``source`` and/or ``language`` (a string
or a list; both given means both must match); the first override that applies to a row wins. Overridden
``params`` are laid over the check's own. ``mostly`` is applied to each group of rows separately (the rows of
each override, and the rest with the check's own settings); when groups fail, the check's severity in the
results is the highest severity among them.

Every problem is reported as ``FILE:LINE: message`` so a user can go straight to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from validators.checks import CHECKS, Check

SEVERITIES = ("error", "warning")
CHECK_KEYS = {"id", "check", "severity", "mostly", "params", "description", "overrides"}
OVERRIDE_KEYS = {"where", "severity", "mostly", "params"}
WHERE_KEYS = ("language", "source")


class SuiteError(Exception):
    """A suite file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Override:
    """Other settings of a check for the rows whose source or language matches ``where``."""

    where: Mapping[str, tuple[str, ...]]
    severity: str
    mostly: float
    params: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready form (what GX and ``results.json`` carry)."""
        return {
            "where": {key: list(values) for key, values in self.where.items()},
            "severity": self.severity,
            "mostly": self.mostly,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class CheckConfig:
    """One configured check of a suite."""

    id: str
    check: Check
    severity: str
    mostly: float
    params: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class Suite:
    """A loaded suite: its name, source file and configured checks in file order."""

    name: str
    path: Path
    checks: tuple[CheckConfig, ...]
    description: str = ""

    def by_id(self, check_id: str) -> CheckConfig:
        """The configured check with this id."""
        for check in self.checks:
            if check.id == check_id:
                return check
        raise KeyError(check_id)


def load_suite(path: Path) -> Suite:
    """Parse and check a suite YAML file; raise ``SuiteError`` naming file and line on any problem."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteError(f"{path}: cannot read suite: {error}") from error
    try:
        root = yaml.compose(source)
    except yaml.YAMLError as error:
        raise SuiteError(f"{path}: invalid YAML: {error}") from error
    except RecursionError as error:  # the composer recurses once per nesting level
        raise SuiteError(f"{path}: invalid YAML: nested too deeply") from error
    if not isinstance(root, yaml.MappingNode):
        raise SuiteError(f"{path}:1: a suite is a mapping with 'name' and 'checks'")
    top = _mapping(root)
    name = _scalar(path, top.get("name"), str, "name", root) or path.stem
    description = _scalar(path, top.get("description"), str, "description", root) or ""
    checks_node = top.get("checks")
    if not isinstance(checks_node, yaml.SequenceNode) or not checks_node.value:
        raise SuiteError(f"{_where(path, checks_node or root)}: 'checks' must be a non-empty list")
    checks: list[CheckConfig] = []
    for node in checks_node.value:
        check = _check(path, node)
        if any(c.id == check.id for c in checks):
            raise SuiteError(f"{_where(path, node)}: check id {check.id!r} is used more than once")
        checks.append(check)
    return Suite(name=name, path=path, checks=tuple(checks), description=description)


def _check(path: Path, node: yaml.Node) -> CheckConfig:
    if not isinstance(node, yaml.MappingNode):
        raise SuiteError(f"{_where(path, node)}: each check is a mapping with at least an 'id'")
    entry = _mapping(node)
    for key, key_node in entry.items():
        if key not in CHECK_KEYS:
            raise SuiteError(f"{_where(path, key_node)}: unknown key {key!r} (allowed: {sorted(CHECK_KEYS)})")
    check_id = _scalar(path, entry.get("id"), str, "id", node)
    if not check_id:
        raise SuiteError(f"{_where(path, node)}: a check needs an 'id'")
    catalogue_name = _scalar(path, entry.get("check"), str, "check", node) or check_id
    check = CHECKS.get(catalogue_name)
    if check is None:
        where = _where(path, entry.get("check") or entry["id"])
        raise SuiteError(f"{where}: unknown check {catalogue_name!r} (known: {', '.join(sorted(CHECKS))})")
    severity = _severity(path, entry, node, "error")
    mostly = _mostly(path, entry, node, 1.0)
    params = _params(path, check, entry.get("params"))
    description = _scalar(path, entry.get("description"), str, "description", node) or check.description
    overrides = _overrides(path, check, entry.get("overrides"), severity, mostly, params)
    return CheckConfig(check_id, check, severity, mostly, params, description, overrides)


def _severity(path: Path, entry: dict[str, yaml.Node], node: yaml.Node, default: str) -> str:
    severity = _scalar(path, entry.get("severity"), str, "severity", node) or default
    if severity not in SEVERITIES:
        raise SuiteError(f"{_where(path, entry['severity'])}: severity must be one of {SEVERITIES}")
    return str(severity)


def _mostly(path: Path, entry: dict[str, yaml.Node], node: yaml.Node, default: float) -> float:
    mostly = _scalar(path, entry.get("mostly"), float, "mostly", node)
    mostly = default if mostly is None else mostly
    if not 0.0 <= mostly <= 1.0:
        raise SuiteError(f"{_where(path, entry['mostly'])}: mostly must be between 0 and 1")
    return float(mostly)


def _overrides(
    path: Path, check: Check, node: yaml.Node | None, severity: str, mostly: float, params: Mapping[str, Any]
) -> tuple[Override, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise SuiteError(f"{_where(path, node)}: 'overrides' must be a non-empty list")
    result = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise SuiteError(f"{_where(path, item)}: each override is a mapping with a 'where'")
        entry = _mapping(item)
        for key, key_node in entry.items():
            if key not in OVERRIDE_KEYS:
                known = sorted(OVERRIDE_KEYS)
                raise SuiteError(f"{_where(path, key_node)}: unknown override key {key!r} (allowed: {known})")
        where = _where_clause(path, entry.get("where"), item)
        given = _params(path, check, entry.get("params"), defaults_included=False)
        result.append(
            Override(
                where=where,
                severity=_severity(path, entry, item, severity),
                mostly=_mostly(path, entry, item, mostly),
                params={**params, **given},
            )
        )
    return tuple(result)


def _where_clause(path: Path, node: yaml.Node | None, parent: yaml.Node) -> dict[str, tuple[str, ...]]:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise SuiteError(f"{_where(path, node or parent)}: an override needs 'where': source, language")
    where: dict[str, tuple[str, ...]] = {}
    for key, value_node in _mapping(node).items():
        if key not in WHERE_KEYS:
            allowed = " and ".join(WHERE_KEYS)
            raise SuiteError(f"{_where(path, value_node)}: 'where' takes {allowed}, not {key!r}")
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        values = tuple(_scalar(path, v, str, key, node) for v in items)
        if not values or not all(values):
            raise SuiteError(f"{_where(path, value_node)}: {key!r} must be a string or a list of strings")
        where[key] = values
    return where


def _params(path: Path, check: Check, node: yaml.Node | None, defaults_included: bool = True) -> dict[str, Any]:
    if node is None:
        return check.params({}) if defaults_included else {}
    if not isinstance(node, yaml.MappingNode):
        raise SuiteError(f"{_where(path, node)}: 'params' must be a mapping")
    given: dict[str, Any] = {}
    for key, value_node in _mapping(node).items():
        if key not in check.defaults:
            allowed = ", ".join(sorted(check.defaults)) or "none"
            raise SuiteError(
                f"{_where(path, value_node)}: check {check.name!r} has no parameter {key!r} (parameters: {allowed})"
            )
        given[key] = _scalar(path, value_node, type(check.defaults[key]), key, node)
    return check.params(given) if defaults_included else given


def _mapping(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    result: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        result[str(key_node.value)] = value_node
    return result


def _scalar(path: Path, node: yaml.Node | None, kind: type, name: str, parent: yaml.Node) -> Any:
    """Read a scalar node as ``kind`` or raise a SuiteError naming the line."""
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise SuiteError(f"{_where(path, node)}: {name!r} must be a single {kind.__name__}")
    try:
        value = yaml.safe_load(yaml.serialize(node))
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as error:
        # An explicit tag the safe loader refuses or cannot parse (``!!python/...``, ``!!float x``).
        raise SuiteError(f"{_where(path, node)}: {name!r} is not a valid {kind.__name__}: {error}") from error
    if value is None:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise SuiteError(f"{_where(path, node)}: {name!r} must be a finite number, got {value!r}")
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise SuiteError(
            f"{_where(path, node)}: {name!r} must be a {kind.__name__}, got {type(value).__name__} {value!r}"
        )
    return value


def _where(path: Path, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"

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
CHECK_KEYS = {"id", "check", "severity", "mostly", "params", "description"}


class SuiteError(Exception):
    """A suite file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class CheckConfig:
    """One configured check of a suite."""

    id: str
    check: Check
    severity: str
    mostly: float
    params: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


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
        checks.append(_check(path, node))
    ids = [c.id for c in checks]
    for check_node, check_id in zip(checks_node.value, ids, strict=True):
        if ids.count(check_id) > 1:
            raise SuiteError(f"{_where(path, check_node)}: check id {check_id!r} is used more than once")
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
    severity = _scalar(path, entry.get("severity"), str, "severity", node) or "error"
    if severity not in SEVERITIES:
        raise SuiteError(f"{_where(path, entry['severity'])}: severity must be one of {SEVERITIES}")
    mostly = _scalar(path, entry.get("mostly"), float, "mostly", node)
    mostly = 1.0 if mostly is None else mostly
    if not 0.0 <= mostly <= 1.0:
        raise SuiteError(f"{_where(path, entry['mostly'])}: mostly must be between 0 and 1")
    params = _params(path, check, entry.get("params"))
    description = _scalar(path, entry.get("description"), str, "description", node) or check.description
    return CheckConfig(check_id, check, severity, mostly, params, description)


def _params(path: Path, check: Check, node: yaml.Node | None) -> dict[str, Any]:
    if node is None:
        return check.params({})
    if not isinstance(node, yaml.MappingNode):
        raise SuiteError(f"{_where(path, node)}: 'params' must be a mapping")
    given: dict[str, Any] = {}
    for key, value_node in _mapping(node).items():
        if key not in check.defaults:
            allowed = ", ".join(sorted(check.defaults)) or "none"
            raise SuiteError(f"{_where(path, value_node)}: check {check.name!r} has no parameter {key!r} "
                             f"(parameters: {allowed})")
        given[key] = _scalar(path, value_node, type(check.defaults[key]), key, node)
    return check.params(given)


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

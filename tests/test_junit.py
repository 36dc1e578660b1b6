"""junit.xml: parses, one test case per check, failures name the count and the first ids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from validators.gate import GatePolicy, verdicts
from validators.junit import render_junit, xml_text


def _results() -> dict[str, Any]:
    def check(check_id: str, severity: str, failed: list[str]) -> dict[str, Any]:
        return {
            "id": check_id,
            "severity": severity,
            "failed_ids": failed,
            "success": not failed,
            "mostly": 1.0,
        }

    return {
        "dataset": "crafted",
        "suite": "news",
        "articles": 4,
        "checks": [
            check("missing_date", "error", ["a1", "a\x00<2>"]),
            check("boilerplate", "error", []),
            check("language_mismatch", "warning", ["a3"]),
        ],
    }


def _cases(text: str) -> list[ET.Element]:
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    return root.findall("./testsuite/testcase")


def test_one_case_per_check_with_failures_counted() -> None:
    results = _results()
    text = render_junit(results, verdicts(results))
    cases = _cases(text)
    assert [c.get("name") for c in cases] == ["missing_date", "boilerplate", "language_mismatch"]
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("3", "1")
    failure = cases[0].find("failure")
    assert failure is not None
    message = failure.get("message") or ""
    assert message.startswith("2 of 4 articles failed") and "a1" in message
    # A control character in an untrusted id cannot break the XML.
    assert "a\ufffd<2>" in message
    assert cases[1].find("failure") is None


def test_warning_case_passes_with_output_unless_fail_on_warning() -> None:
    results = _results()
    warned = _cases(render_junit(results, verdicts(results)))[2]
    assert warned.find("failure") is None
    out = warned.find("system-out")
    assert out is not None and (out.text or "").startswith("WARNING language_mismatch")
    strict = _cases(render_junit(results, verdicts(results, GatePolicy(fail_on="warning"))))[2]
    assert strict.find("failure") is not None


def test_xml_text_replaces_only_forbidden_characters() -> None:
    assert xml_text("a\x01b\tc\ud800d é") == "a\ufffdb\tc\ufffdd é"

"""``junit.xml``: one JUnit test case per check, so any CI system shows the gate like a test run.

A failing case names the count and the first failing article ids; a check that failed without failing the gate
(warning severity, or no regression against a baseline) is a passing case whose output says so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from validators.gate import FAILED, WARNED, Verdict

# Characters XML 1.0 cannot carry at all; article ids are untrusted and may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: characters XML forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value))


def render_junit(results: Mapping[str, Any], verdicts: Sequence[Verdict]) -> str:
    """The JUnit XML document of a run: one ``testsuite`` (the suite), one ``testcase`` per check."""
    failures = sum(v.status == FAILED for v in verdicts)
    classname = xml_text(f"article_validators.{results['suite']}")
    root = ET.Element(
        "testsuites", name="article-validators", tests=str(len(verdicts)), failures=str(failures), errors="0"
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=xml_text(results["suite"]),
        tests=str(len(verdicts)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (("dataset", results["dataset"]), ("articles", results["articles"])):
        ET.SubElement(properties, "property", name=name, value=xml_text(value))
    for verdict in verdicts:
        case = ET.SubElement(suite, "testcase", classname=classname, name=xml_text(verdict.check_id), time="0")
        case_properties = ET.SubElement(case, "properties")
        for name, value in (
            ("severity", verdict.severity),
            ("status", verdict.status),
            ("failed", verdict.failed),
        ):
            ET.SubElement(case_properties, "property", name=name, value=xml_text(value))
        if verdict.status == FAILED:
            failure = ET.SubElement(case, "failure", message=xml_text(verdict.message), type=verdict.severity)
            failure.text = xml_text(f"{verdict.check_id}: {verdict.message}")
        elif verdict.status == WARNED:
            ET.SubElement(case, "system-out").text = xml_text(f"WARNING {verdict.check_id}: {verdict.message}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"

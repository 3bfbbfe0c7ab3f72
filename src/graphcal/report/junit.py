"""JUnit XML for CI: one testsuite per scenario, one testcase per invariant verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from graphcal.report.evidence import evidence_text


def to_junit(results: dict[str, Any]) -> str:
    root = ET.Element("testsuites", name=f"graphcal {results['target'].get('name', '')}".strip())
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for scenario in results["scenarios"]:
        suite = ET.SubElement(root, "testsuite", name=scenario["nodeid"],
                              time=f"{scenario['duration_s']:.3f}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for inv in scenario["invariants"]:
            case = ET.SubElement(suite, "testcase", classname=f"graphcal.{scenario['feature'] or 'misc'}.{scenario['name']}",
                                 name=f"{inv['id']} [{inv['severity']}] {inv['title']}")
            counts["tests"] += 1
            verdict = inv["verdict"]
            if verdict == "fail" and not inv.get("expected_failure") and inv["severity"] == "MUST":
                ET.SubElement(case, "failure", message=inv["message"], type="invariant").text = evidence_text(scenario, inv)
                counts["failures"] += 1
            elif verdict == "error" and not inv.get("expected_failure"):
                ET.SubElement(case, "error", message=inv["message"], type="harness").text = evidence_text(scenario, inv)
                counts["errors"] += 1
            elif verdict in ("blocked", "skipped", "unsupported", "transient"):  # transient: undecided, not failed
                ET.SubElement(case, "skipped", message=f"{verdict}: {inv['message']}")
                counts["skipped"] += 1
            elif verdict != "pass" or inv.get("quirk"):
                # SHOULD failures, expected failures and quirks are reported, not failed
                ET.SubElement(case, "system-out").text = f"{verdict}" + (
                    f" (quirk {inv['quirk']})" if inv.get("quirk") else "") + "\n" + evidence_text(scenario, inv)
        if scenario.get("error") and scenario["status"] == "error":
            case = ET.SubElement(suite, "testcase", classname=f"graphcal.{scenario['feature'] or 'misc'}.{scenario['name']}",
                                 name="scenario")
            ET.SubElement(case, "error", message=scenario["error"], type="scenario")
            counts["tests"] += 1
            counts["errors"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

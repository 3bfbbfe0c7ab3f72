"""Reports: results.json against its own schema, JUnit XML, Markdown, HTML matrix, run diff,
and the `graphcal report` / `graphcal diff` commands."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from graphcal.cli import main
from graphcal.invariants.registry import MUST, QUIRK, SHOULD, Invariant
from graphcal.report import SCHEMA_PATH, load_results, write_reports
from graphcal.report.html import to_html
from graphcal.report.junit import to_junit
from graphcal.report.markdown import to_markdown
from graphcal.report.rundiff import diff_runs, render, shape
from graphcal.profiles import Profile
from graphcal.results import (
    CheckResult, DocDeviation, Exchange, RunResult, ScenarioResult, StepResult, StepStatus, Verdict,
)
from graphcal.verdicts import judge

CATALOG = {
    "T-MUST": Invariant("T-MUST", "status is 201", "api/user-post-events.md", "events", MUST),
    "T-SHOULD": Invariant("T-SHOULD", "looks like the example", "api/user-post-events.md", "events", SHOULD),
    "T-QUIRK": Invariant("T-QUIRK", "a known quirk", "docs-contrib#1", "events", QUIRK),
    "T-LATER": Invariant("T-LATER", "checked after the block", "x.md", "events", MUST),
    "T-DELTA": Invariant("T-DELTA", "delta works", "x.md", "delta", MUST),
}


def exchange(status: int, body) -> Exchange:
    return Exchange("organizer", {"method": "POST", "url": "http://graph.target.invalid/v1.0/me/events",
                                  "headers": {"prefer": 'outlook.timezone="UTC"'}, "body": {"subject": "x"}},
                    status, {"content-type": "application/json"}, body, None, None, 1.5)


def sample_run(must_verdict: Verdict = Verdict.FAIL, body=None) -> dict:
    body = body if body is not None else {"id": "1", "start": {"dateTime": "x", "timeZone": "UTC"}}
    s = ScenarioResult("suites/events/test_a.py::test_a", "test_a", "events",
                       ["T-MUST", "T-SHOULD", "T-QUIRK", "T-LATER", "T-DELTA"],
                       cassette="cassettes/events/test_a.yaml", profile="mock")
    step1 = StepResult(1, "1: organizer creates", "seed 001 example 1", exchanges=[exchange(201, body)])
    step1.checks += [CheckResult("T-MUST", must_verdict, "status 200, expected 201", expected=201, actual=200,
                                 exchange=0),
                     CheckResult("T-SHOULD", Verdict.FAIL, "differs", diff="- subject: 'lunch'\n+ subject: 'brunch'",
                                 exchange=0),
                     CheckResult("T-QUIRK", Verdict.QUIRK, "", exchange=0, quirk="present")]
    step2 = StepResult(2, "2: read back", None, status=StepStatus.BLOCKED, reason="could not get the event")
    s.steps += [step1, step2]
    s.doc_deviations.append(DocDeviation("events/user-post-events-1", {"source_path": "x.md"},
                                         "the answer says brunch", 1))
    judge(s, CATALOG, Profile("mock", unsupported_features=frozenset({"delta"})))
    run = RunResult("run1", "2026-11-21T05:00:00Z", "2026-11-21T05:00:05Z", "0.1.0",
                    {"kind": "url", "name": "url", "profile": "mock"}, "none", {"python": "3.11"}, [s],
                    {k: {"title": v.title, "severity": v.severity.value, "feature": v.feature,
                         "source": v.source} for k, v in CATALOG.items()})
    return json.loads(json.dumps(run.to_json()))


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_results_json_validates_against_its_schema():
    results = sample_run()
    assert list(validator().iter_errors(results)) == []
    verdicts = {v["id"]: v["verdict"] for v in results["scenarios"][0]["invariants"]}
    assert verdicts == {"T-MUST": "fail", "T-SHOULD": "fail", "T-QUIRK": "quirk", "T-LATER": "blocked",
                        "T-DELTA": "unsupported"}


def test_the_schema_rejects_what_the_format_does_not_allow():
    results = sample_run()
    broken = copy.deepcopy(results)
    broken["scenarios"][0]["invariants"][0]["verdict"] = "passed"
    assert any("passed" in e.message for e in validator().iter_errors(broken))
    broken = copy.deepcopy(results)
    del broken["scenarios"][0]["steps"][0]["exchanges"][0]["response"]["status"]
    assert list(validator().iter_errors(broken))


def test_junit_fails_must_failures_and_skips_blocked_and_unsupported():
    root = ET.fromstring(to_junit(sample_run()))
    assert root.get("tests") == "5" and root.get("failures") == "1" and root.get("skipped") == "2"
    failure = root.find(".//testcase[@name='T-MUST [MUST] status is 201']/failure")
    assert failure is not None and "status 200, expected 201" in failure.get("message")
    assert "POST http://graph.target.invalid/v1.0/me/events -> 201" in failure.text
    should = root.find(".//testcase[@name='T-SHOULD [SHOULD] looks like the example']")
    assert should.find("failure") is None and "brunch" in should.find("system-out").text


def test_markdown_names_failures_with_evidence_and_doc_deviations():
    md = to_markdown(sample_run())
    assert "- **T-MUST** (MUST) status is 201: 1 scenario(s)" in md
    assert "### T-MUST (MUST): status is 201" in md and "#### in `test_a`" in md and "expected: 201" in md
    assert "## Documentation deviations" in md and "the answer says brunch" in md
    assert "step 2 (2: read back) blocked: could not get the event" in md


def test_html_matrix_links_each_verdict_to_its_evidence():
    before, after = sample_run(), sample_run(Verdict.PASS)
    before["scenarios"][0]["invariants"][0]["message"] = "<script>alert(1)</script>"
    after["run_id"], after["target"] = "run2", {"kind": "emulator", "name": "emulator"}
    page = to_html([before, after])
    assert "<th>url<br><small>run1</small></th>" in page and "<th>emulator<br><small>run2</small></th>" in page
    assert "href='#ev-0-T-MUST'>fail</a>" in page and "href='#ev-1-T-MUST'>pass</a>" in page
    assert "id='ev-0-T-MUST'" in page and "expected: 201" in page
    link = "href='#x-0-suites-events-test_a-py-test_a-1-0'>request and response</a>"
    assert link in page and "<div id='x-0-suites-events-test_a-py-test_a-1-0'>" in page
    assert page.count("<div id='x-0-") == 1  # each exchange once, however many invariants cite it
    assert "<script>" not in page and "&lt;script&gt;alert(1)" in page  # data is escaped
    assert page.count("<html>") == 1


def test_html_puts_failing_rows_first_and_documentation_deviations_apart():
    run = sample_run(Verdict.PASS)
    page = to_html([run, sample_run()])
    matrix = page[page.index("<table class='matrix'>"):page.index("</table>", page.index("<table class='matrix'>"))]
    rows = re.findall(r"<tr><td><b>([A-Z-]+)</b>", matrix)
    assert rows.index("T-MUST") < rows.index("T-LATER")  # T-MUST fails in run 2: it leads
    assert rows[0] in ("T-MUST", "T-SHOULD") and set(rows[:2]) == {"T-MUST", "T-SHOULD"}
    groups = re.findall(r"<tr class='group'><th colspan='5'>([^<]+)</th>", matrix)
    assert groups[0] == "Failing: fail or error on some target (2)"
    assert "the answer says brunch" not in matrix  # deviations are not in the matrix...
    deviations = page[page.index("<h2 id='deviations'>"):page.index("<h2 id='evidence-0'>")]
    assert "Documentation deviations (1)" in deviations and "not target failures" in deviations
    assert deviations.count("the answer says brunch") == 1  # ...and listed once for both runs
    assert "<span class='chip fail'>1 fail</span>" in page  # the run's totals up top


def test_write_reports_writes_four_files_that_agree(tmp_path: Path):
    written = write_reports(sample_run(), tmp_path)
    assert sorted(p.name for p in written) == ["junit.xml", "report.html", "results.json", "summary.md"]
    assert load_results(tmp_path)["run_id"] == "run1"


def test_shape_merges_array_items_and_names_types():
    assert shape({"a": [{"b": 1}, {"b": "x"}], "c": None}) == {
        "$: object", "$.a: array", "$.a[]: object", "$.a[].b: number", "$.a[].b: string", "$.c: null"}


def test_rundiff_finds_new_failures_fixes_and_changed_shapes():
    good = sample_run(Verdict.PASS)
    bad = sample_run(Verdict.FAIL, body={"id": "1", "start": "2026-01-01T00:00:00Z"})
    bad["run_id"] = "run2"
    diff = diff_runs(good, bad)
    assert [(r["invariant"], r["before"], r["after"]) for r in diff["new_failures"]] == [("T-MUST", "pass", "fail")]
    assert diff["fixes"] == []
    change = diff["shape_changes"][0]
    assert "$.start: string" in change["added"] and "$.start.timeZone: string" in change["removed"]
    back = diff_runs(bad, good)
    assert [r["invariant"] for r in back["fixes"]] == ["T-MUST"]
    text = render(diff)
    assert "new failures: 1" in text and "T-MUST in suites/events/test_a.py::test_a: pass -> fail" in text


def test_rundiff_groups_invariants_that_changed_together():
    before = sample_run(Verdict.PASS)
    for inv in before["scenarios"][0]["invariants"]:
        inv["verdict"] = "blocked"  # the scenario stopped early last time...
    after = copy.deepcopy(before)
    for inv in after["scenarios"][0]["invariants"]:
        inv["verdict"] = "pass"  # ...and runs through now
    text = render(diff_runs(before, after))
    assert "other verdict changes: 5" in text
    assert ("  5 invariants in suites/events/test_a.py::test_a: blocked -> pass "
            "(T-DELTA, T-LATER, T-MUST, T-QUIRK, T-SHOULD)") in text.splitlines()

def test_rundiff_counts_checks_that_stopped_running_as_lost_coverage(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]):
    before = sample_run(Verdict.PASS)
    after = copy.deepcopy(before)
    for inv in after["scenarios"][0]["invariants"]:
        if inv["verdict"] == "pass":
            inv["verdict"] = "blocked"  # the scenario now stops before its checks
    gone = copy.deepcopy(before)
    gone["scenarios"] = []  # the scenario no longer runs at all
    diff = diff_runs(before, after)
    assert diff["new_failures"] == [] and diff["lost_coverage"]
    assert {(r["before"], r["after"]) for r in diff["lost_coverage"]} == {("pass", "blocked")}
    assert "lost coverage (passed before, not checked now): " in render(diff)
    assert {r["after"] for r in diff_runs(before, gone)["lost_coverage"]} == {"absent"}
    # coming back is not a regression
    assert diff_runs(after, before)["lost_coverage"] == []
    for name, run in (("a", before), ("b", after)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(json.dumps(run))
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b")]) == 1
    assert main(["diff", str(tmp_path / "b"), str(tmp_path / "a")]) == 0
    capsys.readouterr()


def test_report_and_diff_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "results.json").write_text(json.dumps(sample_run(Verdict.PASS)))
    (tmp_path / "b" / "results.json").write_text(json.dumps(sample_run(Verdict.FAIL)))
    assert main(["report", str(tmp_path / "a" / "results.json")]) == 0
    assert (tmp_path / "a" / "report.html").exists() and (tmp_path / "a" / "junit.xml").exists()
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "m")]) == 0
    assert "url (run1)" in (tmp_path / "m" / "matrix.html").read_text()
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "b"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["new_failures"][0]["invariant"] == "T-MUST"
    assert main(["diff", str(tmp_path / "b"), str(tmp_path / "a")]) == 0


def test_report_command_on_something_that_is_not_results_is_one_clear_error(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]):
    assert main(["report", str(tmp_path / "nope.json")]) == 2
    assert "does not exist; pass a results.json" in capsys.readouterr().err
    (tmp_path / "x.json").write_text('{"a": 1}')
    assert main(["diff", str(tmp_path / "x.json"), str(tmp_path / "x.json")]) == 2
    assert "is not a graphcal results file" in capsys.readouterr().err

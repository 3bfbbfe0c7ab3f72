"""The step recorder on its own: evidence, soft checks, require, doc deviations, anchors."""

from __future__ import annotations

import httpx
import pytest

from graphcal.cassettes import Scrubber
from graphcal.personas import Cast, User
from graphcal.profiles import Profile
from graphcal.results import ScenarioResult, StepStatus, Verdict
from graphcal.scenario import AnchorError, Anchors, Blocked, Graph, ScenarioStopped
from graphcal.targets import Target, TargetSpec

BASE = "http://127.0.0.1:1/v1.0"


def graph_for(handler, *, replay_anchors=None) -> Graph:
    users = {"alex": User("alex", "AlexW@contoso.com", "Alex Wilber"),
             "adele": User("adele", "AdeleV@contoso.com", "Adele Vance")}
    cast = Cast.of(users)
    target = Target(TargetSpec("url", BASE), BASE, cast, {"alex": "tok-alex-123", "adele": "tok-adele-456"},
                    {"tok-alex-123", "tok-adele-456"}, transport=httpx.MockTransport(handler))
    scenario = ScenarioResult("t::t", "t", "events", ["EVT-CREATE-1", "EVT-DEL-1"])
    anchors = Anchors(replay_anchors, replay=replay_anchors is not None, nodeid="t::t")
    return Graph(target, scenario, cast, anchors, Scrubber(BASE, target.secrets), Profile("p"))


def test_every_request_in_a_step_is_evidence_and_checks_are_soft():
    g = graph_for(lambda req: httpx.Response(200, json={"id": "1", "echo": req.headers["authorization"]}))
    with g.step("1: create", source="seed 001") as s:
        r = g.persona("organizer").post("/me/events", json={"subject": "x"})
        g.persona("attendee").get("/me/events")
        outcome = s.check("EVT-CREATE-1", r)       # 200, not 201: fails, the step goes on
        s.response(r)
        reached = True
    step = g.scenario.steps[0]
    assert reached and not outcome.passed
    assert [e.persona for e in step.exchanges] == ["organizer", "attendee"]
    assert step.primary == 0 and step.status is StepStatus.FAILED
    check = step.checks[0]
    assert check.verdict is Verdict.FAIL and check.exchange == 0
    # the server echoed the token: evidence holds neither the token nor the real host
    assert step.exchanges[0].body["echo"] == "Bearer <scrubbed>"
    assert step.exchanges[0].request["url"] == "http://graph.target.invalid/v1.0/me/events"


def test_non_json_answer_fails_schema_1_with_what_came_back():
    g = graph_for(lambda req: httpx.Response(404, text="<html>nope</html>", headers={"content-type": "text/html"}))
    with g.step("1: get") as s:
        s.response(g.persona("organizer").get("/me/events/1"), schema="event")
    check = g.scenario.steps[0].checks[0]
    assert check.invariant == "SCHEMA-1" and check.verdict is Verdict.FAIL
    assert "expected a JSON event payload, got not JSON: text/html" in check.message
    assert g.scenario.steps[0].exchanges[0].text == "<html>nope</html>"


def test_require_blocks_the_step_with_the_last_exchange_as_reason():
    g = graph_for(lambda req: httpx.Response(404, json={"error": {"code": "ErrorItemNotFound", "message": "gone"}}))
    with pytest.raises(Blocked):
        with g.step("1: get") as s:
            r = g.persona("organizer").get("/me/events/1")
            s.require(r.body.get("id"), "the event")
    step = g.scenario.steps[0]
    assert step.status is StepStatus.BLOCKED
    assert step.reason == ("could not get the event (last exchange: GET "
                           "http://graph.target.invalid/v1.0/me/events/1 -> 404)")
    assert isinstance(Blocked("x"), ScenarioStopped)


def test_doc_deviation_keeps_the_golden_name_and_provenance():
    class Golden:
        name = "events/user-post-events-1"
        provenance = {"source_path": "api-reference/v1.0/api/user-post-events.md"}

    g = graph_for(lambda req: httpx.Response(200, json={}))
    with g.step("1: compare") as s:
        s.doc_deviation(Golden(), "the documented answer is for brunch")
    dev = g.scenario.doc_deviations[0]
    assert (dev.golden, dev.step, dev.message) == ("events/user-post-events-1", 1, "the documented answer is for brunch")
    assert dev.provenance["source_path"].endswith("user-post-events.md")


def test_doc_deviations_reports_each_defect_a_golden_records():
    from graphcal import golden

    doc = golden.load("events/user-post-events-1")
    g = graph_for(lambda req: httpx.Response(200, json={}))
    with g.step("1: compare") as s:
        s.doc_deviations(doc)
    devs = g.scenario.doc_deviations
    assert len(doc.doc_defects) == 4
    assert [d.message for d in devs] == [str(d) for d in doc.doc_defects]
    assert {(d.golden, d.step) for d in devs} == {("events/user-post-events-1", 1)}
    assert devs[0].provenance == doc.provenance


def test_unknown_role_is_a_clear_error():
    g = graph_for(lambda req: httpx.Response(200, json={}))
    with pytest.raises(Exception, match=r"no persona for role 'cfo' \(it maps: adele, alex, attendee.*\); "
                                        r"add the user to the persona config, or map the role"):
        g.persona("cfo")


def test_anchors_are_made_once_and_read_back_on_replay():
    made = []
    record = Anchors(None, replay=False, nodeid="t::t")
    value = record.get("txn", lambda: made.append(1) or "txn-1")
    assert value == "txn-1" and record.get("txn", lambda: "other") == "txn-1" and made == [1]
    replay = Anchors(record.values, replay=True, nodeid="t::t")
    assert replay.get("txn", lambda: pytest.fail("replay must not make anchors")) == "txn-1"
    with pytest.raises(AnchorError, match="has no anchor 'missing'.*--record-mode=rewrite"):
        replay.get("missing", lambda: 1)


def test_a_failing_checks_evidence_names_the_exchange_it_judged_in_results_and_html():
    """Step with two exchanges; the failing check judged the first (named by s.response) one."""
    import html
    import json
    import re

    from graphcal.invariants.registry import load_catalog
    from graphcal.report.html import to_html
    from graphcal.results import RunResult
    from graphcal.verdicts import judge

    utc = {"start": {"dateTime": "2026-12-01T18:00:00.0000000", "timeZone": "UTC"},
           "end": {"dateTime": "2026-12-01T19:00:00.0000000", "timeZone": "UTC"}}
    g = graph_for(lambda req: httpx.Response(201 if req.method == "POST" else 200,
                                             json={"id": "e1", **utc} if req.method == "POST" else {"value": []}))
    with g.step("1: create in Pacific time, then list") as s:
        created = s.response(g.persona("organizer").post("/me/events", json={"subject": "x"}))
        g.persona("organizer").get("/me/events")
        s.check("EVT-TZ-1", created.body, "Pacific Standard Time")   # judges the POST, not the last GET
    g.scenario.declared = ["EVT-TZ-1"]
    judge(g.scenario, load_catalog(), g.profile)
    run = RunResult("r", "t0", "t1", "0", {"kind": "url", "name": "url"}, "none", {}, [g.scenario])
    results = json.loads(json.dumps(run.to_json()))
    step = results["scenarios"][0]["steps"][0]
    check = step["checks"][0]
    assert check["verdict"] == "fail" and check["exchange"] == 0
    judged = step["exchanges"][check["exchange"]]
    assert (judged["request"]["method"], judged["request"]["url"], judged["response"]["status"]) == \
        ("POST", "http://graph.target.invalid/v1.0/me/events", 201)
    page = to_html([results])
    evidence = re.search(r"<summary class='fail'>fail in t::t</summary><pre>(.*?)</pre>", page, re.S)
    assert evidence, page
    assert "organizer: POST http://graph.target.invalid/v1.0/me/events -> 201" in html.unescape(evidence.group(1))
    assert "GET" not in html.unescape(evidence.group(1))

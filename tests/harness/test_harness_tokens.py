"""What the authentication scenarios need from the harness (issue 15): a client with another
token or none, the expired-token anchor, and notes (information, not verdicts) in results.json."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema

from graphcal.cassettes import Scrubber
from graphcal.personas import Cast, TokenSource, User
from graphcal.profiles import Profile
from graphcal.results import ScenarioResult
from graphcal.scenario import Anchors, Graph
from graphcal.targets import Target, TargetSpec

BASE = "http://127.0.0.1:1/v1.0"
SCHEMA = Path(__file__).resolve().parents[2] / "src/graphcal/report/results.schema.json"


def echo(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/token"):  # an endpoint that issues what it is asked for
        lifetime = dict(httpx.QueryParams(request.content.decode())).get("graphcal_expires_in", "3599")
        return httpx.Response(200, json={"access_token": f"tok-{lifetime}", "expires_in": int(lifetime)})
    return httpx.Response(200, json={"authorization": request.headers.get("authorization")})


def graph_for(replay_anchors: dict | None = None) -> Graph:
    cast = Cast.of({"alex": User("alex", "AlexW@contoso.com", "Alex Wilber")})
    transport = httpx.MockTransport(echo)
    target = Target(TargetSpec("url", BASE), BASE, cast, {"alex": "tok-alex-123"}, {"tok-alex-123"},
                    transport=transport,
                    token_sources={"alex": TokenSource(endpoint="http://127.0.0.1:1/token",
                                                       form=(("grant_type", "password"),))})
    scenario = ScenarioResult("t::t", "t", "events", ["EVT-AUTH-1"])
    anchors = Anchors(replay_anchors, replay=replay_anchors is not None, nodeid="t::t")
    return Graph(target, scenario, cast, anchors, Scrubber(BASE, target.secrets), Profile("p"))


def test_a_client_without_a_token_sends_no_authorization_and_is_evidence() -> None:
    g = graph_for()
    with g.step("1: anonymous") as s:
        r = g.persona_with_token("organizer", None, "no_token").get("/me/events")
        s.note("seen tok-alex-123")
    assert r.body == {"authorization": None} and r.persona == "organizer_no_token"
    step = g.scenario.steps[0]
    assert [e.persona for e in step.exchanges] == ["organizer_no_token"]
    assert step.notes == ["seen <scrubbed>"]  # notes are scrubbed like evidence
    assert g.persona_with_token("organizer", "bad", "malformed").get("/me").body == {"authorization": "Bearer bad"}


def test_the_expired_token_is_asked_for_once_and_anchored() -> None:
    g = graph_for()
    assert g.expired_token("organizer") == "tok-0"
    assert g.anchors.get("expired-token:organizer", lambda: False) is True
    assert graph_for({"expired-token:organizer": False}).expired_token("organizer") is None


def test_notes_validate_against_the_results_schema_and_are_left_out_when_empty() -> None:
    g = graph_for()
    with g.step("1: one note") as s:
        s.note("maxpagesize not honoured")
    with g.step("2: none"):
        pass
    steps = [step.to_json() for step in g.scenario.steps]
    assert steps[0]["notes"] == ["maxpagesize not honoured"] and "notes" not in steps[1]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    step_schema = {**schema["$defs"]["step"], "$defs": schema["$defs"]}
    for step in steps:
        jsonschema.validate(step, step_schema)


def test_the_markdown_summary_lists_notes_as_information() -> None:
    from graphcal.report.markdown import to_markdown

    g = graph_for()
    with g.step("1: one note") as s:
        s.note("maxpagesize not honoured")
    run = {"target": {"kind": "url"}, "run_id": "r", "started": "a", "finished": "b",
           "graphcal_version": "0", "record_mode": "none", "totals": {},
           "scenarios": [g.scenario.to_json()]}
    text = to_markdown(run)
    assert "## Information" in text and "`t` step 1: maxpagesize not honoured" in text
    assert "## Information" not in to_markdown({**run, "scenarios": []})


def test_the_html_report_shows_notes_with_their_step() -> None:
    from graphcal.report.html import to_html

    g = graph_for()
    with g.step("1: one note") as s:
        s.note("maxpagesize <not> honoured")
    run = {"target": {"kind": "url", "name": "url"}, "run_id": "r", "started": "a", "finished": "b",
           "graphcal_version": "0", "record_mode": "none", "totals": {}, "duration_s": 0,
           "scenarios": [{**g.scenario.to_json(), "status": "passed"}]}
    assert "information: maxpagesize &lt;not&gt; honoured" in to_html([run])

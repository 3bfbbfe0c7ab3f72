"""Golden payloads: loading, provenance, the documentation defects they carry, regeneration."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from graphcal import golden
from graphcal.errors import GraphcalError

ROOT = Path(__file__).resolve().parents[2]
SHARED_DOCS = ROOT.parent / "shared" / "graph-docs"


def _tool():
    spec = importlib.util.spec_from_file_location("extract_golden", ROOT / "tools" / "extract_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_create_event_goldens_are_there_with_provenance():
    creates = ["events/calendar-post-events-1", "events/calendar-post-events-2",
               "events/user-post-events-1", "events/user-post-events-2",
               "events/user-post-events-3", "events/user-post-events-4"]
    assert golden.names("events") == sorted(["events/event-get-2", *creates])
    for name in creates:
        g = golden.load(name)
        assert g.provenance["repo"] == "microsoftgraph/microsoft-graph-docs-contrib"
        assert len(g.provenance["source_commit"]) == 40
        assert g.provenance["example_title"].startswith("Example ")
        assert g.request["method"] == "POST" and g.response["status"] == 201
        assert g.payload["@odata.context"].endswith("/events/$entity")
        assert "organizer" in g.roles.values()


def test_the_read_back_of_example_2_comes_from_the_2023_snapshot_and_disagrees_on_the_instants():
    g = golden.load("events/event-get-2")
    assert g.provenance["repo"] == "microsoftgraph/microsoft-graph-docs.zh-CN"
    assert g.request["method"] == "GET" and "$select=" in g.request["url"]
    created = golden.load("events/user-post-events-2")
    assert g.payload["id"] == created.payload["id"]
    assert g.roles == created.roles  # same people, same roles
    assert g.defect_paths == ("start", "end")
    assert {d.found_by for d in g.doc_defects} == {"EVT-TZ-3"}


def test_example_1_carries_the_brunch_defect():
    g = golden.load("events/user-post-events-1")
    assert g.payload["subject"] == "Let's go brunch" and g.request["body"]["subject"] == "Let's go for lunch"
    assert g.defect_paths == ("subject", "body", "start", "end")
    subject = next(d for d in g.doc_defects if d.path == "subject")
    assert subject.found_by == "EVT-CREATE-2"
    assert str(subject) == ("subject: documented response has \"Let's go brunch\" where the documented request "
                            "asked for \"Let's go for lunch\" [EVT-CREATE-2]")


def test_example_3_carries_its_trailing_comma_and_online_contradiction():
    g = golden.load("events/user-post-events-3")
    found = {d.found_by for d in g.doc_defects}
    assert {"extraction: trailing_commas", "EVT-ONLINE-2", "EVT-TZ-2"} <= found
    assert next(d for d in g.doc_defects if d.found_by == "extraction: trailing_commas").path is None


def test_example_4_webLink_names_another_item():
    g = golden.load("events/user-post-events-4")
    assert "webLink" in g.defect_paths


def test_unknown_and_malformed_goldens_give_one_clear_error(tmp_path, monkeypatch):
    with pytest.raises(GraphcalError, match="no golden payload 'events/nope'.*known: events/"):
        golden.load("events/nope")
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "bad.json").write_text(json.dumps({"request": {}}))
    monkeypatch.setattr(golden, "GOLDEN_DIR", tmp_path)
    with pytest.raises(GraphcalError, match="malformed .*regenerate it with tools/extract_golden.py"):
        golden.load("events/bad")


def test_defects_are_found_from_the_payloads_themselves():
    tool = _tool()
    g = golden.load("events/user-post-events-2")
    record = {"request": g.request, "anomalies": [],
              "response": {**g.response, "body_parse": {"repairs": []}}}
    assert [(d["path"], d["found_by"]) for d in tool.find_defects(record)] == [
        ("isOnlineMeeting", "EVT-ONLINE-2"), ("isOnlineMeeting", "EVT-DEF-2")]
    assert tool.roles_of(record) == g.roles


@pytest.mark.skipif(not (SHARED_DOCS / "examples-current.jsonl").is_file(),
                    reason="the documentation extraction (../shared/graph-docs) is not on this machine")
def test_regenerating_gives_the_committed_files(tmp_path):
    assert _tool().main(["--docs", str(SHARED_DOCS), "--out", str(tmp_path)]) == 0
    for written in sorted(tmp_path.glob("*.json")):
        committed = ROOT / "golden" / "events" / written.name
        assert json.loads(written.read_text()) == json.loads(committed.read_text()), written.name


def test_defects_in_the_kind_format_load_and_request_paths_are_not_payload_paths(tmp_path, monkeypatch):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "y.json").write_text(json.dumps({
        "provenance": {"source_path": "p.md"}, "roles": {}, "request": {"body": {}},
        "response": {"status": 200, "body": {}},
        "defects": [{"path": "request.body.sendResponse", "kind": "stringly-typed", "message": "m1"},
                    {"path": "response.body.subject", "kind": "echo", "message": "m2"},
                    {"path": "", "kind": "markup", "message": "m3"}]}))
    monkeypatch.setattr(golden, "GOLDEN_DIR", tmp_path)
    g = golden.load("x/y")
    assert [(d.path, d.found_by) for d in g.doc_defects] == [
        ("request.body.sendResponse", "stringly-typed"), ("subject", "echo"), (None, "markup")]
    assert g.defect_paths == ("subject",)

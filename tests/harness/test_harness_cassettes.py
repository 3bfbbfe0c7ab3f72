"""Cassette filters: canonical host, persona placeholder, scrubbing, matching, provenance."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from vcr.request import Request

from graphcal.cassettes import (
    CANONICAL_BASE, CassetteError, Provenance, Scrubber, decode_anchor, encode_anchor,
    json_body_matcher, persona_matcher,
)
from graphcal.client import CURRENT_PERSONA

REAL = "http://127.0.0.1:54321/v1.0"
TOKEN = "tok-0123456789abcdef"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGV4In0.c2lnbmF0dXJl"


def request(uri: str, body: bytes | None = None, **headers: str) -> Request:
    return Request("POST", uri, body, {"Authorization": f"Bearer {TOKEN}", "Host": "127.0.0.1:54321",
                                       "User-Agent": "python-httpx/0", **headers})


def scrubber() -> Scrubber:
    return Scrubber(REAL, {TOKEN, "alex-password"})


def test_request_gets_the_canonical_host_and_the_persona_placeholder():
    token = CURRENT_PERSONA.set("delegate")
    try:
        r = scrubber().before_record_request(request(f"{REAL}/me/events?$top=2"))
    finally:
        CURRENT_PERSONA.reset(token)
    assert r.uri == f"{CANONICAL_BASE}/me/events?$top=2"
    assert r.headers["Authorization"] == "Bearer persona:delegate"
    assert r.headers["host"] == "graph.target.invalid"
    assert "User-Agent" not in r.headers


def test_replayed_requests_pass_the_filter_unchanged():
    r = Request("GET", f"{CANONICAL_BASE}/me", None, {"Authorization": "Bearer persona:organizer"})
    out = scrubber().before_record_request(r)
    assert out.uri == f"{CANONICAL_BASE}/me" and out.headers["Authorization"] == "Bearer persona:organizer"


def test_token_endpoint_traffic_is_not_recorded():
    r = request("http://127.0.0.1:54321/contoso/oauth2/v2.0/token", b"password=alex-password")
    assert scrubber().before_record_request(r) is None


def test_secrets_and_jwts_are_scrubbed_from_request_bodies():
    body = json.dumps({"note": f"{TOKEN} alex-password {JWT}"}).encode()
    r = scrubber().before_record_request(request(f"{REAL}/me/events", body))
    text = r.body.decode()
    assert TOKEN not in text and "alex-password" not in text and JWT not in text
    assert text.count("<scrubbed>") == 3


def test_response_links_headers_and_secrets_are_rewritten_and_length_fixed():
    body = json.dumps({"@odata.nextLink": f"{REAL}/me/events?$skip=2", "leak": TOKEN}).encode()
    response = {"status": {"code": 200, "message": "OK"},
                "headers": {"Content-Length": [str(len(body))], "Location": [f"{REAL}/me/events/1"],
                            "Date": ["Sat, 21 Nov 2026 05:00:00 GMT"], "X-Echo": [f"Bearer {TOKEN}"]},
                "body": {"string": body}}
    out = scrubber().before_record_response(response)
    text = out["body"]["string"].decode()
    assert f"{CANONICAL_BASE}/me/events?$skip=2" in text and TOKEN not in text
    assert out["headers"]["Location"] == [f"{CANONICAL_BASE}/me/events/1"]
    assert out["headers"]["X-Echo"] == ["Bearer <scrubbed>"]
    assert "Date" not in out["headers"]
    assert out["headers"]["Content-Length"] == [str(len(out["body"]["string"]))]


def test_evidence_data_is_scrubbed_recursively():
    data = scrubber().data({"url": f"{REAL}/me", "list": [TOKEN, 3, None]})
    assert data == {"url": f"{CANONICAL_BASE}/me", "list": ["<scrubbed>", 3, None]}


def test_short_strings_are_not_treated_as_secrets():
    assert Scrubber(REAL, {"a"}).text("a calendar") == "a calendar"


def test_persona_matcher_tells_personas_apart():
    a = Request("GET", CANONICAL_BASE, None, {"Authorization": "Bearer persona:organizer"})
    b = Request("GET", CANONICAL_BASE, None, {"Authorization": "Bearer persona:attendee"})
    persona_matcher(a, a)
    with pytest.raises(AssertionError, match="persona:attendee"):
        persona_matcher(a, b)


def test_json_body_matcher_ignores_key_order_and_whitespace_only():
    a = Request("POST", CANONICAL_BASE, b'{"a": 1, "b": [1, 2]}', {})
    b = Request("POST", CANONICAL_BASE, b'{"b":[1,2],"a":1}', {})
    c = Request("POST", CANONICAL_BASE, b'{"b":[2,1],"a":1}', {})
    json_body_matcher(a, b)
    with pytest.raises(AssertionError):
        json_body_matcher(a, c)


def test_anchors_round_trip_typed():
    value = {"when": datetime(2026, 11, 21, 5, 0, tzinfo=timezone.utc), "day": date(2026, 11, 22),
             "ids": ["a", 1]}
    stored = json.loads(json.dumps(encode_anchor(value)))
    assert decode_anchor(stored) == value
    with pytest.raises(TypeError, match="JSON data"):
        encode_anchor(object())


def test_missing_cassette_names_the_fix(tmp_path: Path):
    with pytest.raises(CassetteError) as info:
        Provenance.read(tmp_path / "events" / "test_x.yaml", "suites/events/test_a.py::test_x")
    message = str(info.value)
    assert "no cassette for suites/events/test_a.py::test_x" in message
    assert "--target emulator --record-mode=rewrite" in message


def test_provenance_round_trip(tmp_path: Path):
    cassette = tmp_path / "test_x.yaml"
    cassette.write_text("interactions: []\n", encoding="utf-8")
    p = Provenance({"kind": "emulator", "name": "emulator", "profile": "emulator"}, Provenance.now(),
                   "0.1.0", "n::t", "rewrite", {"users": {}, "roles": {}}, {"run": "abc"})
    p.write(cassette)
    assert (tmp_path / "test_x.provenance.json").exists()
    assert Provenance.read(cassette, "n::t").anchors == {"run": "abc"}

"""The emulator's random-but-schema-valid mode (``core.random_valid``): every body it generates
is valid against its type's schema (graphcal.schema.validate, the harness's own check), the
answers keep the reference's status and headers, and a seed gives the same answers again."""

from __future__ import annotations

import random
from typing import Any, Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcal.emulator.core.random_valid import RandomValid, answer_type, generate
from graphcal.emulator.server import EmulatorServer
from graphcal.schema import known_types, validate

ANSWER_TYPES = ("event", "collection:event", "calendar", "collection:calendar", "message", "collection:message",
                "eventMessage", "mailboxSettings", "error", "delta:event")
EVENT = {"subject": "Lunch", "start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "Pacific Standard Time"},
         "end": {"dateTime": "2017-04-15T14:00:00", "timeZone": "Pacific Standard Time"}}


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(ANSWER_TYPES), st.integers(0, 2**64))
def test_generated_answers_are_valid(type_name: str, seed: int) -> None:
    body = generate(type_name, random.Random(seed))
    assert validate(body, type_name) == [], body


@pytest.mark.parametrize("type_name", known_types())
def test_every_schema_type_can_be_generated_validly(type_name: str) -> None:
    for seed in range(5):
        body = generate(type_name, random.Random(seed))
        assert validate(body, type_name) == [], (seed, body)


def test_generated_bodies_vary_with_the_seed_and_repeat_with_it() -> None:
    bodies = [generate("collection:event", random.Random(seed)) for seed in range(10)]
    assert bodies == [generate("collection:event", random.Random(seed)) for seed in range(10)]
    assert len({repr(b) for b in bodies}) == 10
    # odd-but-valid data does come out: null values, empty strings, subtypes named by @odata.type
    text = repr([generate("event", random.Random(seed)) for seed in range(50)])
    assert "None" in text and "''" in text and "'@odata.type'" in text


@pytest.mark.parametrize(("status", "body", "expected"), [
    (201, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/events/$entity"}, "event"),
    (200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/events(subject,start)",
           "value": []}, "collection:event"),
    (200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/calendar/$entity"}, "calendar"),
    (200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/messages", "value": []},
     "collection:message"),
    (404, {"error": {"code": "ErrorItemNotFound", "message": "x"}}, "error"),
    (200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity", "id": "a"}, None),
    (200, ["not", "an", "object"], None),
])
def test_answer_type_names_the_schema_the_harness_would(status: int, body: Any, expected: str | None) -> None:
    assert answer_type(status, body) == expected


def _signed_in(srv: EmulatorServer) -> httpx.Client:
    alex = next(p for p in srv.personas if p["userPrincipalName"].startswith("AlexW"))
    r = httpx.post(srv.token_url, data={"grant_type": "password", "username": alex["userPrincipalName"],
                                        "password": alex["password"], "client_id": "graphcal-tests"})
    assert r.status_code == 200 and r.json()["token_type"] == "Bearer", r.text  # the token endpoint is intact
    return httpx.Client(base_url=srv.base_url + "/", headers={"Authorization": f"Bearer {r.json()['access_token']}"},
                        timeout=10)


def _exchanges(seed: int | None) -> Iterator[tuple[int, str, Any, httpx.Headers]]:
    with EmulatorServer(random_valid=seed) as srv, _signed_in(srv) as alex:
        created = alex.post("me/events", json=EVENT)
        yield created.status_code, "event", created.json(), created.headers
        listed = alex.get("me/events")
        yield listed.status_code, "collection:event", listed.json(), listed.headers
        missing = alex.get("me/events/no-such-event")
        yield missing.status_code, "error", missing.json(), missing.headers
        calendar = alex.get("me/calendar")
        yield calendar.status_code, "calendar", calendar.json(), calendar.headers


def test_the_served_mode_keeps_status_and_headers_and_replaces_bodies() -> None:
    answers, reference = list(_exchanges(seed=5)), list(_exchanges(seed=None))
    assert [a[0] for a in answers] == [a[0] for a in reference] == [201, 200, 400, 200]
    for (_, type_name, body, headers), (_, _, reference_body, reference_headers) in zip(answers, reference):
        assert validate(body, type_name) == [], (type_name, body)
        assert body != reference_body
        assert set(headers) == set(reference_headers)
        assert headers["content-type"] == reference_headers["content-type"]


def test_a_seed_serves_the_same_bodies_again_and_another_seed_others() -> None:
    # ids may be the reference's (each server makes its own): the rest must repeat
    first, again, other = ([_without_ids(a[2]) for a in _exchanges(seed)] for seed in (5, 5, 6))
    assert first == again
    assert first != other


def _without_ids(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    return [_without_ids(v) for v in data] if isinstance(data, list) else data


def test_half_the_answers_keep_the_reference_ids_and_page_links() -> None:
    reference = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('a')/events",
                 "value": [{"id": "AAMk1"}, {"id": "AAMk2"}], "@odata.nextLink": "https://next.invalid/page2"}
    mode = RandomValid(seed=1)
    pages = [mode.replace("GET", "/v1.0/me/events", "", 200, reference) for _ in range(40)]
    anchored = [p for p in pages if [i.get("id") for i in p["value"]] == ["AAMk1", "AAMk2"]]
    assert 5 < len(anchored) < 35
    assert all(p["@odata.nextLink"] == "https://next.invalid/page2" for p in anchored)
    assert all(validate(p, "collection:event") == [] for p in pages)

"""Property-based: malformed and random event bodies never give a 5xx, errors are Graph's JSON,
and the store stays consistent (listing count == successful creates, every 201 is readable)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import client

ZONES = ["UTC", "Pacific Standard Time", "Europe/Paris", "Tokyo Standard Time", "Nowhere", "", "utc"]
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=8)
date_times = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")),
    st.sampled_from(["2024-01-01T10:00:00", "2024-01-01T00:00:00", "2024-13-01T00:00:00", "noon", ""]),
    json_scalars)
good_date_times = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"))
dtz = st.one_of(st.fixed_dictionaries({"dateTime": good_date_times, "timeZone": st.sampled_from(ZONES)}),
                st.fixed_dictionaries({"dateTime": date_times, "timeZone": st.sampled_from(ZONES)}),
                json_values)
PROPS: dict[str, Any] = {
    "subject": st.one_of(st.text(max_size=20), json_scalars),
    "body": st.one_of(st.fixed_dictionaries({"contentType": st.sampled_from(["text", "HTML", "rtf", 1]),
                                             "content": st.one_of(st.text(max_size=30), json_scalars)}), json_values),
    "start": dtz, "end": dtz,
    "isAllDay": st.one_of(st.booleans(), json_scalars),
    "importance": st.one_of(st.sampled_from(["low", "HIGH", "urgent"]), json_scalars),
    "location": st.one_of(st.none(), st.fixed_dictionaries({"displayName": st.text(max_size=10)}), json_values),
    "locations": st.one_of(st.lists(st.fixed_dictionaries({"displayName": st.text(max_size=10)}), max_size=3), json_values),
    "attendees": st.one_of(st.lists(st.fixed_dictionaries({"emailAddress": st.fixed_dictionaries(
        {"address": st.sampled_from(["a@b.com", "", "x"])}), "type": st.sampled_from(["required", "x"])}),
        max_size=2), json_values),
    "recurrence": st.one_of(st.none(), st.fixed_dictionaries({
        "pattern": st.fixed_dictionaries({"type": st.sampled_from(["daily", "weekly", "absoluteYearly", "x"]),
                                          "interval": st.integers(-1, 3),
                                          "daysOfWeek": st.lists(st.sampled_from(["monday", "Friday", "funday"]), max_size=2)}),
        "range": st.fixed_dictionaries({"type": st.sampled_from(["noEnd", "endDate", "numbered"]),
                                        "startDate": st.sampled_from(["2024-01-01", "bad", ""])})}), json_values),
    "transactionId": st.one_of(st.sampled_from(["t1", "t2"]), json_scalars),
    "isOnlineMeeting": st.one_of(st.booleans(), json_scalars),
    "reminderMinutesBeforeStart": st.one_of(st.integers(-5, 2**40), json_scalars),
    "categories": st.one_of(st.lists(st.text(max_size=5), max_size=2), json_values),
    "unknownProperty": json_values,
}
# Half the bodies always carry start and end, so that most reach the semantic checks.
event_bodies = st.one_of(
    st.fixed_dictionaries({"start": dtz, "end": dtz},
                          optional={k: v for k, v in PROPS.items() if k not in ("start", "end")}),
    st.fixed_dictionaries({}, optional=PROPS))
raw_bodies = st.one_of(st.binary(max_size=40), st.text(max_size=40).map(str.encode),
                       json_values.map(lambda v: json.dumps(v).encode()))


def _check_error(r: httpx.Response) -> None:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    err = r.json()["error"]
    assert isinstance(err["code"], str) and isinstance(err["message"], str)
    assert set(err["innerError"]) == {"date", "request-id", "client-request-id"}


@pytest.fixture(scope="module")
def fuzz_target() -> Iterator[tuple[EmulatorServer, httpx.Client]]:
    with EmulatorServer() as srv, client(srv) as c:
        yield srv, c


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(event_bodies, min_size=1, max_size=6), patches=st.lists(event_bodies, max_size=4))
def test_random_event_bodies_never_5xx_and_the_store_stays_consistent(
        fuzz_target: tuple[EmulatorServer, httpx.Client], bodies: list, patches: list) -> None:
    srv, c = fuzz_target
    srv.reset()
    created: dict[str, dict] = {}
    for body in bodies:
        r = c.post("me/events", json=body)
        if r.status_code == 201:
            created[r.json()["id"]] = r.json()
        else:
            _check_error(r)
    for i, patch in enumerate(patches):
        if not created:
            break
        target = list(created)[i % len(created)]
        r = c.patch(f"me/events/{target}", json=patch)
        if r.status_code == 200:
            created[target] = r.json()
        else:
            _check_error(r)
    listing = c.get("me/events", params={"$top": "1000"}).json()["value"]
    assert {e["id"] for e in listing} == set(created)
    for ev in listing:  # what the list shows is what the last successful write answered
        answered = {k: v for k, v in created[ev["id"]].items() if k != "@odata.context"}
        assert ev == answered
    with srv.app.state.store.lock:
        owner_events = list(srv.app.state.store.events_of(next(iter(srv.app.state.store.users))))
    assert len(owner_events) == len(created)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=raw_bodies, method=st.sampled_from(["POST", "PATCH"]))
def test_malformed_raw_bodies_are_4xx_graph_errors(
        fuzz_target: tuple[EmulatorServer, httpx.Client], raw: bytes, method: str) -> None:
    srv, c = fuzz_target
    srv.reset()
    target = c.post("me/events", json={
        "start": {"dateTime": "2024-01-01T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2024-01-01T11:00:00", "timeZone": "UTC"}}).json()["id"]
    path = "me/events" if method == "POST" else f"me/events/{target}"
    r = c.request(method, path, content=raw, headers={"Content-Type": "application/json"})
    if r.status_code in (200, 201):
        return
    _check_error(r)

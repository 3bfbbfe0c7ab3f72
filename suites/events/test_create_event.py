"""Create event (seed 001, user-post-events examples 1-4, and calendar-post-events example 1 in a
named calendar), each followed by the read-backs that prove it: the event read with and without ``Prefer: outlook.timezone`` (same instants),
an update (changeKey moves on), and a delete (then 404). Example 1, the transactionId example,
also retries its create with the same transactionId and checks no duplicate appeared.

The requests are the documented ones (golden/events/), with the documented people replaced by
the target's users playing the same roles. Where the documentation contradicts itself the
scenario reports a documentation deviation; the target is compared with what the page states.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from graphcal import golden, probes
from graphcal.client import prefer_timezone
from graphcal.scenario import Graph, Step

PST = "Pacific Standard Time"
DocumentedRequest = Callable[[golden.Golden], dict[str, Any]]  # the suites/conftest.py fixture

# checked after every create, whatever the example
CREATE_CHECKS = ["SCHEMA-1", "EVT-CREATE-1", "EVT-CREATE-2", "EVT-ORG-1", "EVT-FMT-1", "EVT-FMT-2",
                 "EVT-DEF-1", "EVT-DEF-3", "EVT-DEF-4", "EVT-LOC-1", "EVT-ONLINE-2"]
READ_BACK_CHECKS = ["EVT-TZ-1", "EVT-TZ-2", "EVT-TZ-3", "EVT-TZ-4"]
UPDATE_CHECKS = ["EVT-UPD-1", "EVT-UPD-2", "EVT-UPD-3"]
DELETE_CHECKS = ["EVT-DEL-1", "EVT-DEL-2", "EVT-DEL-3"]


# --- the documented request, played by the target's users (documented_request: suites/conftest.py)

def target_roles(graph: Graph, doc: golden.Golden) -> dict[str, str]:
    """The target's addresses -> roles, for comparing with the golden by role."""
    return {graph.user(role).address: role for role in doc.roles.values()}


def prefer_of(doc: golden.Golden) -> dict[str, str]:
    """The documented request's Prefer header, if it had one."""
    return {k: v for k, v in doc.request["headers"] if k.casefold() == "prefer"}


# --- the steps every example shares --------------------------------------------------------------

def create(graph: Graph, s: Step, doc: golden.Golden, number: int | None, body: dict[str, Any],
           path: str = "/me/events") -> dict[str, Any]:
    """POST the documented body to ``path``; ``number``: the EVT-GOLD-n documented response to
    compare with (None: the example has no golden invariant)."""
    organizer = graph.persona("organizer")
    prefer = prefer_of(doc)
    r = organizer.post(path, json=body, headers=prefer, effect=probes.created(organizer, path, body, prefer))
    s.response(r, schema="event")
    s.check("EVT-CREATE-1", r)
    event = s.require(r.body if r.status == 201 else None, "the created event")
    s.check("EVT-CREATE-2", body, event)
    s.check("EVT-ORG-1", event, graph.user("organizer").address)
    if prefer:
        s.check("EVT-TZ-1", event, PST)
        s.check("EVT-TZ-4", r, PST)
    else:
        s.check("EVT-TZ-2", event)
    for inv in ("EVT-FMT-1", "EVT-FMT-2", "EVT-LOC-1", "EVT-ONLINE-2"):
        s.check(inv, event)
    for inv in ("EVT-DEF-1", "EVT-DEF-3", "EVT-DEF-4"):
        s.check(inv, body, event)
    if number is not None:
        s.check(f"EVT-GOLD-{number}", event, doc, target_roles(graph, doc))
        s.doc_deviations(doc)
    return event


def read_back(graph: Graph, number: int, event: dict[str, Any],
              documented: golden.Golden | None = None) -> dict[str, Any]:
    """Read the event without and with Prefer; return the full read (in Pacific time).

    With ``documented``, the read without Prefer is that documented GET (its $select) and is
    compared with its documented response.
    """
    organizer = graph.persona("organizer")
    params = {k: v[0] for k, v in parse_qs(urlsplit(documented.request["url"]).query).items()} \
        if documented else None
    with graph.step(f"{number}.2: organizer reads the event without Prefer: start/end in UTC",
                    source="api-reference/v1.0/resources/event.md#properties") as s:
        path = f"/me/events/{s.field(event, 'id', what='the created event')}"
        r = organizer.get(path, params=params)
        s.response(r, schema="event")
        in_utc = s.require(r.body if r.ok else None, "the event read without Prefer")
        s.check("EVT-TZ-2", in_utc)
        s.check("EVT-FMT-1", in_utc)
        if documented:
            s.check("EVT-GOLD-5", in_utc, documented, target_roles(graph, documented))
            s.doc_deviations(documented)
    with graph.step(f"{number}.3: organizer reads it with Prefer: outlook.timezone: same instants",
                    source="api-reference/v1.0/api/event-get.md#request-headers") as s:
        r = organizer.get(path, headers=prefer_timezone(PST))
        s.response(r, schema="event")
        in_pst = s.require(r.body if r.ok else None, "the event read with Prefer")
        s.check("EVT-TZ-1", in_pst, PST)
        s.check("EVT-TZ-4", r, PST)
        s.check("EVT-TZ-3", in_utc, in_pst)
        s.check("EVT-TZ-3", event, in_pst)
    return in_pst


def update(graph: Graph, number: int, before: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    with graph.step(f"{number}.5: organizer updates the event: the change shows, changeKey moves on",
                    source="api-reference/v1.0/api/event-update.md#response") as s:
        event_id = s.field(before, "id", what="the event read back")
        r = graph.persona("organizer").patch(f"/me/events/{event_id}", json=patch)
        s.response(r, schema="event")
        s.check("EVT-UPD-1", r, patch)
        after = s.require(r.body if r.ok else None, "the updated event")
        s.check("EVT-UPD-2", before, after)
        s.check("EVT-UPD-3", before, after)
        s.check("EVT-LOC-1", after)
    return after


def patch_then_read(graph: Graph, s: Step, event: dict[str, Any], patch: dict[str, Any],
                    *documented: int) -> dict[str, Any]:
    """Send an update the documentation says has no effect, then read the event back: what
    counts is what the event holds afterwards. The update must first get one of its
    ``documented`` statuses: one that was not done (429, 5xx) proves nothing either way."""
    organizer = graph.persona("organizer")
    path = f"/me/events/{s.field(event, 'id', what='the created event')}"
    s.require_status(s.response(organizer.patch(path, json=patch)), *documented,
                     what="the update's documented answer")
    r = organizer.get(path)
    s.response(r, schema="event")
    return s.require(r.body if r.ok else None, "the event read after the update")


def delete(graph: Graph, number: int, event: dict[str, Any]) -> None:
    organizer = graph.persona("organizer")
    with graph.step(f"{number}.6: organizer deletes the event: 204, then 404",
                    source="api-reference/v1.0/api/event-delete.md#response") as s:
        path = f"/me/events/{s.field(event, 'id', what='the event to delete')}"
        r = organizer.delete(path)
        s.response(r)
        s.check("EVT-DEL-1", r)
        s.require_status(r, 204, what="the delete's documented answer")  # else the 404 proves nothing
        r = organizer.get(path)
        s.response(r, schema="error")
        s.check("EVT-DEL-2", r)
        s.check("EVT-DEL-3", r)


# --- the four examples ---------------------------------------------------------------------------

@pytest.mark.scenario(feature="events", invariants=[
    *CREATE_CHECKS, "EVT-CREATE-3", "EVT-DEF-2", "EVT-GOLD-1", *READ_BACK_CHECKS,
    "EVT-TXN-1", "EVT-TXN-2", *UPDATE_CHECKS, *DELETE_CHECKS])
def test_create_event_in_time_zone_with_transaction_id(graph: Graph, documented_request: DocumentedRequest) -> None:
    doc = golden.load("events/user-post-events-1")
    body = documented_request(doc)
    # The documented transactionId would make every run after the first a retry of it.
    body["transactionId"] = graph.anchor("transactionId", lambda: str(uuid.uuid4()).upper())
    with graph.step("1.1: organizer creates the event in Pacific time with a transactionId",
                    source="seed 001 example 1") as s:
        event = create(graph, s, doc, 1, body)
        s.check("EVT-CREATE-3", event)
        s.check("EVT-DEF-2", body, event)
    read = read_back(graph, 1, event)
    with graph.step("1.4: the create is retried with the same transactionId: no duplicate",
                    source="api-reference/v1.0/resources/event.md#properties") as s:
        organizer = graph.persona("organizer")
        retry = organizer.post("/me/events", json=body, headers=prefer_of(doc))
        s.response(retry)
        day = {"$filter": "start/dateTime ge '2017-04-15T00:00:00' and start/dateTime lt '2017-04-17T00:00:00'",
               "$select": "id,subject,transactionId", "$top": "50"}
        listed: list[dict[str, Any]] = []
        for page in organizer.pages("/me/events", params=day):
            s.response(page, schema="collection:event")
            listed += s.items(s.require(page.body if page.ok else None, "the events of that day"),
                              what="a page of the events of that day")
        s.check("EVT-TXN-1", event, retry, listed)
    after = update(graph, 1, read, {
        "subject": "Let's go for lunch, an hour later",
        "start": {"dateTime": "2017-04-15T13:00:00", "timeZone": PST},
        "end": {"dateTime": "2017-04-15T15:00:00", "timeZone": PST}})
    with graph.step("1.5b: an update cannot change the transactionId",
                    source="api-reference/v1.0/resources/event.md#properties") as s:
        # ignored (200) or refused: 400 "TransactionId is immutable" (GRAPH-FACTS, live traffic)
        read = patch_then_read(graph, s, event, {"transactionId": "changed-" + body["transactionId"]}, 200, 400)
        s.check("EVT-TXN-2", body["transactionId"], read)
    delete(graph, 1, after)


@pytest.mark.scenario(feature="events", invariants=[
    *CREATE_CHECKS, "EVT-CREATE-3", "EVT-DEF-2", "EVT-LOC-2", "EVT-LOC-3", "EVT-GOLD-2", "EVT-GOLD-5",
    *READ_BACK_CHECKS, *UPDATE_CHECKS, *DELETE_CHECKS])
def test_create_event_in_multiple_locations(graph: Graph, documented_request: DocumentedRequest) -> None:
    doc = golden.load("events/user-post-events-2")
    body = documented_request(doc)
    with graph.step("2.1: organizer creates an event held in three locations",
                    source="seed 001 example 2") as s:
        event = create(graph, s, doc, 2, body)
        s.check("EVT-CREATE-3", event)
        s.check("EVT-DEF-2", body, event)
        s.check("EVT-LOC-2", body, event)
    read = read_back(graph, 2, event, golden.load("events/event-get-2"))
    patch = {"location": {"displayName": "Conf Room 3"}}
    after = update(graph, 2, read, patch)
    with graph.step("2.5b: updating location replaced the three locations",
                    source="api-reference/v1.0/resources/event.md#properties") as s:
        s.check("EVT-LOC-3", patch, after)
    delete(graph, 2, after)


@pytest.mark.scenario(feature="events", invariants=[
    *CREATE_CHECKS, "EVT-DEF-2", "EVT-REC-1", "EVT-REC-2", "EVT-REC-3", "EVT-GOLD-3",
    *READ_BACK_CHECKS, *UPDATE_CHECKS, *DELETE_CHECKS])
def test_create_weekly_recurring_event(graph: Graph, documented_request: DocumentedRequest) -> None:
    doc = golden.load("events/user-post-events-3")
    body = documented_request(doc)
    with graph.step("3.1: organizer creates a weekly series (Mondays, Sep 4 - Dec 31 2017)",
                    source="seed 001 example 3") as s:
        event = create(graph, s, doc, 3, body)
        s.check("EVT-DEF-2", body, event)
        s.check("EVT-REC-1", event)
        s.check("EVT-REC-2", body, event)
        s.check("EVT-REC-3", body, event)
    read = read_back(graph, 3, event)
    after = update(graph, 3, read, {"subject": "Monday lunch", "reminderMinutesBeforeStart": 30})
    delete(graph, 3, after)


@pytest.mark.scenario(feature="events", invariants=[
    *CREATE_CHECKS, "EVT-CREATE-3", "EVT-ONLINE-1", "EVT-ONLINE-3", "EVT-GOLD-4",
    *READ_BACK_CHECKS, *UPDATE_CHECKS, *DELETE_CHECKS])
def test_create_online_meeting(graph: Graph, documented_request: DocumentedRequest) -> None:
    doc = golden.load("events/user-post-events-4")
    body = documented_request(doc)
    with graph.step("4.1: organizer creates the event as a Teams meeting",
                    source="seed 001 example 4") as s:
        event = create(graph, s, doc, 4, body)
        s.check("EVT-CREATE-3", event)
        s.check("EVT-ONLINE-1", body, event)
    read = read_back(graph, 4, event)
    after = update(graph, 4, read, {"subject": "Let's go for lunch (online)"})
    with graph.step("4.5b: turning the online meeting off is ignored: it stays online",
                    source="api-reference/v1.0/resources/event.md#properties") as s:
        # the event resource: the change is ignored, so the update itself succeeds (200)
        s.check("EVT-ONLINE-3", after, patch_then_read(graph, s, event, {"isOnlineMeeting": False}, 200))
    delete(graph, 4, after)


@pytest.mark.scenario(feature="events", invariants=[
    *CREATE_CHECKS, "EVT-CREATE-3", "EVT-DEF-2", *READ_BACK_CHECKS, *DELETE_CHECKS])
def test_create_event_in_a_specific_calendar(graph: Graph, documented_request: DocumentedRequest) -> None:
    # The one documented create body that leaves allowNewTimeProposals (and responseRequested,
    # hideAttendees) out: the defaults EVT-DEF-1 and EVT-DEF-3 claim are observed only here.
    doc = golden.load("events/calendar-post-events-1")
    body = documented_request(doc)
    # The documented transactionId would make every run after the first a retry of it.
    body["transactionId"] = graph.anchor("transactionId", lambda: str(uuid.uuid4()).upper())
    organizer = graph.persona("organizer")
    with graph.step("5.0: organizer finds the id of its default calendar",
                    source="api-reference/v1.0/api/calendar-get.md") as s:
        r = organizer.get("/me/calendar")
        s.response(r, schema="calendar")
        calendar = s.field(s.require(r.body if r.ok else None, "the default calendar"), "id",
                           what="the default calendar")
    with graph.step("5.1: organizer creates the event in that calendar, leaving the defaults out",
                    source="api-reference/v1.0/api/calendar-post-events.md") as s:
        event = create(graph, s, doc, None, body, path=f"/me/calendars/{calendar}/events")
        s.check("EVT-CREATE-3", event)
        s.check("EVT-DEF-2", body, event)
    read_back(graph, 5, event)
    delete(graph, 5, event)

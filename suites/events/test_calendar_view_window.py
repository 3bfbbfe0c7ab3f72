"""calendarView windows over single events (user-list-calendarview.md, issue 15).

Five one-off events around a two-hour window (10:00-12:00 UTC on 2024-06-10): one running across
the window start, one inside it, one ending exactly at its start, one starting exactly at its
end, and one inside the same wall-clock hours in Pacific time (17:30-18:30 UTC). Then:

- the window without an offset lists the event begun before it (EVT-VIEW-1);
- the events touching the window only at a bound are recorded as evidence: no page says
  whether they are listed (information, no verdict);
- with ``Prefer: outlook.timezone`` set to Pacific, the same offsetless window is still UTC
  (EVT-VIEW-2); the window written with -07:00 is read at that offset (EVT-VIEW-3);
- the default calendar's other documented calendarView paths list the same events (EVT-VIEW-4);
- a calendarView without its window is refused (EVT-VIEW-5).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from graphcal.client import GraphClient, prefer_timezone
from graphcal import probes
from graphcal.scenario import Graph, Step

VIEW = "api-reference/v1.0/api/user-list-calendarview.md"
PST = "Pacific Standard Time"
DAY = "2024-06-10"
# name -> (start, end) in UTC on DAY
EVENTS = {"across the window start": ("09:00", "11:00"), "inside the window": ("10:30", "11:30"),
          "ending at the window start": ("08:00", "10:00"), "starting at the window end": ("12:00", "13:00"),
          "inside the window read in Pacific time": ("17:30", "18:30")}


def utc(hhmm: str) -> dict[str, str]:
    return {"dateTime": f"{DAY}T{hhmm}:00", "timeZone": "UTC"}


def in_view(s: Step, client: GraphClient, start: str, end: str,
            headers: dict[str, str] | None = None, path: str = "/me/calendarView") -> list[Any]:
    """Every event calendarView lists for [start, end), across its pages (each is evidence)."""
    listed: list[Any] = []
    params = {"startDateTime": start, "endDateTime": end, "$select": "subject,start,end"}
    for page in client.pages(path, params=params, headers=headers):
        s.response(page, schema="collection:event")
        listed += s.items(s.require(page.body if page.ok else None, "a calendarView page"),
                          what="a calendarView page")
    return listed


@pytest.mark.scenario(feature="events", invariants=[
    "SCHEMA-1", "EVT-CREATE-1", "EVT-VIEW-1", "EVT-VIEW-2", "EVT-VIEW-3", "EVT-VIEW-4", "EVT-VIEW-5",
    "EVT-DEL-1"])
def test_calendar_view_window(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    run = graph.anchor("run", lambda: uuid.uuid4().hex[:8])  # tags this run's events
    made: dict[str, Any] = {}
    with graph.step("1: organizer creates five events around the window 10:00-12:00 UTC",
                    source="api-reference/v1.0/api/user-post-events.md") as s:
        for name, (start, end) in EVENTS.items():
            body = {"subject": f"graphcal {run}: {name}", "start": utc(start), "end": utc(end)}
            r = organizer.post("/me/events", json=body, effect=probes.created(organizer, "/me/events", body))
            s.response(r, schema="event")
            s.check("EVT-CREATE-1", r)
            made[name] = s.require(r.body if r.status == 201 else None, f"the created event {name!r}")
            s.field(made[name], "id", what=f"the event {name}")
    with graph.step("2: the window without an offset lists the event begun before it",
                    source=f"{VIEW}#list-calendarview") as s:
        listed = in_view(s, organizer, f"{DAY}T10:00:00", f"{DAY}T12:00:00")
        s.check("EVT-VIEW-1", listed, made["across the window start"])
    with graph.step("3: events touching the window only at a bound (ending at its start, starting "
                    "at its end): no page says whether they are listed; the answer of step 2 is "
                    "recorded as evidence, no verdict", source=VIEW) as s:
        in_view(s, organizer, f"{DAY}T10:00:00", f"{DAY}T12:00:00")
    with graph.step("4: with Prefer: outlook.timezone Pacific, the window without an offset is "
                    "still UTC", source=f"{VIEW}#query-parameters") as s:
        listed = in_view(s, organizer, f"{DAY}T10:00:00", f"{DAY}T12:00:00", prefer_timezone(PST))
        s.check("EVT-VIEW-2", listed, [made["across the window start"], made["inside the window"]],
                [made["inside the window read in Pacific time"]])
    with graph.step("5: the window 10:00-12:00 at -07:00 is 17:00-19:00 UTC",
                    source=f"{VIEW}#query-parameters") as s:
        listed = in_view(s, organizer, f"{DAY}T10:00:00-07:00", f"{DAY}T12:00:00-07:00")
        s.check("EVT-VIEW-3", listed, [made["inside the window read in Pacific time"]],
                [made["inside the window"]])
    with graph.step("6: the default calendar's other calendarView paths list the same events",
                    source=f"{VIEW}#http-request") as s:
        r = organizer.get("/me/calendar", params={"$select": "name"})
        s.response(r, schema="calendar")
        calendar = s.field(s.require(r.body if r.ok else None, "the default calendar"), "id",
                           what="the default calendar")
        paths = ["/me/calendar/calendarView", f"/me/calendars/{calendar}/calendarView",
                 f"/users/{graph.user('organizer').user_principal_name}/calendarView"]
        listings = {path: in_view(s, organizer, f"{DAY}T10:00:00", f"{DAY}T12:00:00", path=path)
                    for path in paths}
        s.check("EVT-VIEW-4", listings, [made["across the window start"], made["inside the window"]])
    with graph.step("7: a calendarView without endDateTime is refused",
                    source=f"{VIEW}#query-parameters") as s:
        r = organizer.get("/me/calendarView", params={"startDateTime": f"{DAY}T10:00:00"})
        s.response(r, schema="error")
        s.check("EVT-VIEW-5", r)
    with graph.step("8: organizer deletes the five events",
                    source="api-reference/v1.0/api/event-delete.md") as s:
        for name, event in made.items():
            r = organizer.delete(f"/me/events/{s.field(event, 'id', what=f'the event {name}')}")
            s.response(r)
            s.check("EVT-DEL-1", r)

"""Requests Graph may refuse (issue 15): what the target answers is evidence, not a verdict.

No page in the documentation corpus (nor an issue GRAPH-FACTS cites) states Graph's answer to an
event whose end is before its start, to a property the event type does not have, or to an unknown
time zone in start/end; each is sent and its answer recorded as information (the step's
evidence; no invariant can fail on it), after a control (the same body, valid) is accepted. An
accepted one is deleted again. A recurrence the concept page forbids is the one documented
case: 400 (REC-INVALID-1).
"""

from __future__ import annotations

from typing import Any

import pytest

from graphcal import probes
from graphcal.scenario import Graph

RECUR = "concepts/outlook-schedule-recurring-events.md"


def body(**changes: Any) -> dict[str, Any]:
    out = {"subject": "graphcal request validation",
           "start": {"dateTime": "2024-06-11T09:00:00", "timeZone": "UTC"},
           "end": {"dateTime": "2024-06-11T10:00:00", "timeZone": "UTC"}}
    out.update(changes)
    return out


# why -> the request body; no documented answer for any of them
UNDOCUMENTED = {
    "an end before its start": body(end={"dateTime": "2024-06-11T08:00:00", "timeZone": "UTC"}),
    "a property the event type does not have": body(graphcalNoSuchProperty="x"),
    "an unknown time zone in start and end": body(
        start={"dateTime": "2024-06-11T09:00:00", "timeZone": "Graphcal/Nowhere"},
        end={"dateTime": "2024-06-11T10:00:00", "timeZone": "Graphcal/Nowhere"}),
}


@pytest.mark.scenario(feature="events", invariants=["SCHEMA-1", "EVT-CREATE-1", "REC-INVALID-1", "EVT-DEL-1"])
def test_request_validation(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    with graph.step("1: the control: the valid body is accepted, so a refusal below is about what changed",
                    source="api-reference/v1.0/api/user-post-events.md#response") as s:
        r = organizer.post("/me/events", json=body(), effect=probes.created(organizer, "/me/events", body()))
        s.response(r, schema="event")
        s.check("EVT-CREATE-1", r)
        control = s.field(s.require(r.body if r.status == 201 else None, "the created event"), "id",
                          what="the created event")
    for number, (why, sent) in enumerate(UNDOCUMENTED.items(), start=2):
        with graph.step(f"{number}: an event with {why}: the answer is recorded as information "
                        "(no page states it)", source="api-reference/v1.0/api/user-post-events.md") as s:
            # no effect probe: these bodies share the control's subject and times, so a probe could
            # take the control event for them (a lost answer here stays transient)
            r = organizer.post("/me/events", json=sent)
            s.response(r, schema="event" if r.status == 201 else "error")
            if r.status == 201:  # accepted: clean up what we made (the delete is evidence too)
                organizer.delete(f"/me/events/{s.field(r.body, 'id', what='the accepted event')}")
    n = len(UNDOCUMENTED) + 2
    with graph.step(f"{n}: a weekly recurrence without daysOfWeek is refused", source=f"{RECUR}#weekly") as s:
        r = organizer.post("/me/events", json=body(recurrence={
            "pattern": {"type": "weekly", "interval": 1},
            "range": {"type": "noEnd", "startDate": "2024-06-11"}}))
        s.response(r, schema="error")
        s.check("REC-INVALID-1", r)
    with graph.step(f"{n + 1}: organizer deletes the control event",
                    source="api-reference/v1.0/api/event-delete.md") as s:
        r = organizer.delete(f"/me/events/{control}")
        s.response(r)
        s.check("EVT-DEL-1", r)

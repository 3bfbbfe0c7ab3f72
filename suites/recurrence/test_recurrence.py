"""Recurring series on the target, checked against the independent oracle (graphcal.recurrence).

1. The weekly example of seed 001 (user-post-events example 3: Mondays at noon Pacific,
   Sep 4 - Dec 31 2017, across the November DST change) re-enacted: its instances and its
   calendarView equal the oracle's occurrences; every instance has the documented shape; an
   occurrence edited becomes an exception of the series; one moved onto the next Monday is
   refused; one deleted is gone and listed as cancelled; editing the master's recurrence
   regenerates the series; deleting the master deletes the series.
2. A matrix of patterns x ranges x zones (DST crossings in both hemispheres, an evening series
   whose UTC date is the next day, dayOfMonth 31, relative index last, yearly February 29, a
   daily series started years before the window), each created, expanded and deleted.
3. Invalid recurrences are refused with Graph's 400.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from graphcal import golden, probes
from graphcal.client import GraphClient, prefer_timezone
from graphcal.scenario import Graph, Step

PST = "Pacific Standard Time"
SEED = "seed 001 example 3 (user-post-events.md)"
RECUR = "concepts/outlook-schedule-recurring-events.md"
INSTANCES = "api-reference/v1.0/api/event-list-instances.md"
VIEW = "api-reference/v1.0/api/user-list-calendarview.md"
EVENT = "api-reference/v1.0/resources/event.md#properties"


# --- helpers ----------------------------------------------------------------------------------

def window_params(start: str, end: str) -> dict[str, str]:
    return {"startDateTime": start, "endDateTime": end}


def collect(s: Step, client: GraphClient, path: str, params: dict[str, str],
            headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every item of a collection, following nextLinks; each page is evidence (SCHEMA-1)."""
    items: list[dict[str, Any]] = []
    for page in client.pages(path, params=params, headers=headers):
        s.response(page, schema="collection:event")
        items += s.items(s.require(page.body if page.ok else None, f"a page of {path}"), what=f"a page of {path}")
    return items


def expansion_invariants(*, month_end: bool = False) -> list[str]:
    """What expansion_checks checks: REC-EXP-3 (SHOULD, dayOfMonth > 28 clamped to the month's
    last day) stands in for REC-EXP-1 where month-end clamping is involved."""
    return ["REC-EXP-3" if month_end else "REC-EXP-1", "REC-EXP-2", "REC-SHAPE-1", "REC-SHAPE-2"]


def expansion_checks(s: Step, listed: list[dict[str, Any]], master: dict[str, Any],
                     window: tuple[str, str], *, month_end: bool = False,
                     cancelled: list[Any] = ()) -> None:
    """The oracle comparisons and the instance shape, for a master's members in ``listed``
    (items of ``collect``: JSON objects; one without seriesMasterId is no member)."""
    mid = s.field(master, "id", what="the series master")
    mine = [e for e in listed if e.get("seriesMasterId") == mid or e.get("id") == mid]
    oracle, wall_clock, shape, occurrence_ids = expansion_invariants(month_end=month_end)
    s.check(oracle, mine, master, *window, cancelled)
    s.check(wall_clock, mine, master, *window, cancelled)
    s.check(shape, mine, master)
    s.check(occurrence_ids, mine, master)


def created(s: Step, client: GraphClient, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/me/events", json=body, effect=probes.created(client, "/me/events", body))
    s.response(r, schema="event")
    s.check("EVT-REC-1", r.body)
    return s.require(r.body if r.status == 201 else None, "the created series master")


# --- 1. the documented weekly series ----------------------------------------------------------

@pytest.mark.scenario(feature="recurrence", invariants=[
    "SCHEMA-1", "EVT-REC-1", *expansion_invariants(), "REC-GOLD-1", "REC-LIST-1", "EVT-TZ-1", "REC-EXC-1",
    "REC-EXC-2", "REC-EXC-3", "REC-EXC-4", "EVT-DEL-1", "REC-CAN-1", "REC-CAN-2", "EVT-DEL-2"])
def test_weekly_example_expanded(graph: Graph,
                                 documented_request: Callable[[golden.Golden], dict[str, Any]]) -> None:
    organizer = graph.persona("organizer")
    whole = ("2017-09-01T00:00:00", "2018-01-01T00:00:00")
    with graph.step("1: organizer creates the documented weekly series", source=SEED) as s:
        master = created(s, organizer, documented_request(golden.load("events/user-post-events-3")))
        mid = s.field(master, "id", what="the created series master")
        instances_path = f"/me/events/{mid}/instances"
    with graph.step("2: its instances over the whole series equal the oracle's 17 Mondays "
                    "(noon Pacific on both sides of the DST change)", source=INSTANCES) as s:
        instances = collect(s, organizer, instances_path, window_params(*whole))
        expansion_checks(s, instances, master, whole)
    with graph.step("3: instances with the documented $select have the documented shape",
                    source=f"{INSTANCES}#example") as s:
        doc = golden.load("recurrence/event-list-instances")
        params = {**window_params("2017-10-01T00:00:00", "2017-10-31T00:00:00"),
                  "$select": "subject,bodyPreview,seriesMasterId,type,recurrence,start,end"}
        s.check("REC-GOLD-1", collect(s, organizer, instances_path, params), doc)
    with graph.step("4: calendarView in Pacific time shows the same occurrences at noon",
                    source=VIEW) as s:
        window = ("2017-10-25T00:00:00Z", "2017-11-15T00:00:00Z")
        view = collect(s, organizer, "/me/calendarView", window_params(*window), prefer_timezone(PST))
        expansion_checks(s, view, master, window)
        for e in (e for e in view if e.get("seriesMasterId") == mid):
            s.check("EVT-TZ-1", e, PST)
    with graph.step("5: /events lists the series master, no occurrences",
                    source="api-reference/v1.0/resources/event.md#methods") as s:
        subject = s.field(master, "subject", what="the created series master")
        quoted = str(subject).replace("'", "''")  # OData string literal
        params = {"$filter": f"subject eq '{quoted}'", "$top": "50"}
        s.check("REC-LIST-1", collect(s, organizer, "/me/events", params), [mid])

    def on(s: Step, day: str) -> dict[str, Any]:
        """Step 2's instance on ``day`` (a target that lost it blocks the steps acting on it)."""
        return s.pick(instances, lambda e: str(s.field(e, "start", "dateTime", what="an instance")).startswith(day),
                      what=f"instance on {day} in step 2's instances")

    with graph.step("6: an occurrence moved to Tuesday and renamed becomes an exception",
                    source="api-reference/v1.0/api/event-update.md") as s:
        moved = on(s, "2017-10-09")
        patch = {"subject": "Lunch moved to Tuesday",
                 "start": {"dateTime": "2017-10-10T12:00:00", "timeZone": PST},
                 "end": {"dateTime": "2017-10-10T13:00:00", "timeZone": PST}}
        r = organizer.patch(f"/me/events/{s.field(moved, 'id', what='the instance on 2017-10-09')}", json=patch)
        s.response(r, schema="event")
        s.check("REC-EXC-1", r.body, moved, mid, patch)
        exception = s.require(r.body if r.ok else None, "the exception")
    with graph.step("7: the exception stays in the series; the master lists it in "
                    "exceptionOccurrences", source=EVENT) as s:
        october = ("2017-10-01T00:00:00", "2017-11-01T00:00:00")
        listed = collect(s, organizer, instances_path, window_params(*october))
        s.check("REC-EXC-2", listed, exception, mid)
        expansion_checks(s, listed, master, october)
        r = organizer.get(f"/me/events/{mid}", params={"$expand": "exceptionOccurrences"})
        s.response(r, schema="event")
        s.check("REC-EXC-3", r.body, [s.field(exception, "id", what="the exception")])
    with graph.step("8: moving an occurrence onto the next Monday is refused",
                    source="api-reference/v1.0/api/event-update.md") as s:
        crossing = s.field(on(s, "2017-10-30"), "id", what="the instance on 2017-10-30")
        r = organizer.patch(f"/me/events/{crossing}", json={
            "start": {"dateTime": "2017-11-06T12:00:00", "timeZone": PST},
            "end": {"dateTime": "2017-11-06T14:00:00", "timeZone": PST}})
        s.response(r, schema="error")
        s.check("REC-EXC-4", r)
    with graph.step("9: a deleted occurrence is gone from instances and calendarView and "
                    "listed in cancelledOccurrences", source=EVENT) as s:
        cancelled = on(s, "2017-10-23")
        r = organizer.delete(f"/me/events/{s.field(cancelled, 'id', what='the instance on 2017-10-23')}")
        s.response(r)
        s.check("EVT-DEL-1", r)
        s.require_status(r, 204, what="the occurrence's delete")  # what follows reads its effect
        listed = collect(s, organizer, instances_path, window_params(*october))
        s.check("REC-CAN-1", listed, [cancelled])
        expansion_checks(s, listed, master, october, cancelled=[cancelled])
        view = collect(s, organizer, "/me/calendarView", window_params(*october))
        s.check("REC-CAN-1", view, [cancelled])
        r = organizer.get(f"/me/events/{mid}", params={"$select": "subject,cancelledOccurrences"})
        s.response(r, schema="event")
        s.check("REC-CAN-2", r.body, [cancelled], mid)
    with graph.step("10: a new recurrence on the master regenerates the series "
                    "(Wednesdays every other week until Nov 30)", source=RECUR) as s:
        recurrence = {"pattern": {"type": "weekly", "interval": 2, "daysOfWeek": ["wednesday"]},
                      "range": {"type": "endDate", "startDate": "2017-09-04", "endDate": "2017-11-30"}}
        r = organizer.patch(f"/me/events/{mid}", json={"recurrence": recurrence})
        s.response(r, schema="event")
        updated = s.require(r.body if r.ok else None, "the updated master")
        expansion_checks(s, collect(s, organizer, instances_path, window_params(*whole)), updated, whole)
    with graph.step("11: deleting the master deletes the series: its occurrences are gone",
                    source="api-reference/v1.0/api/event-delete.md") as s:
        r = organizer.delete(f"/me/events/{mid}")
        s.response(r)
        s.check("EVT-DEL-1", r)
        s.require_status(r, 204, what="the series' delete")
        r = organizer.get(f"/me/events/{s.field(on(s, '2017-11-13'), 'id', what='the instance on 2017-11-13')}")
        s.response(r, schema="error")
        s.check("EVT-DEL-2", r)


# --- 2. patterns x ranges x zones ---------------------------------------------------------------

def series(start: str, end: str, zone: str, pattern: dict[str, Any], rng: dict[str, Any]) -> dict[str, Any]:
    return {"subject": f"graphcal recurrence {pattern['type']} {rng['type']}",
            "start": {"dateTime": start, "timeZone": zone}, "end": {"dateTime": end, "timeZone": zone},
            "recurrence": {"pattern": pattern, "range": rng}}


# id -> (series body, window, month-end clamping involved)
MATRIX: dict[str, tuple[dict[str, Any], tuple[str, str], bool]] = {
    "daily-every-3-numbered-tokyo": (
        series("2024-01-30T09:00:00", "2024-01-30T09:30:00", "Tokyo Standard Time",
               {"type": "daily", "interval": 3},
               {"type": "numbered", "startDate": "2024-01-30", "numberOfOccurrences": 10}),
        ("2024-01-01T00:00:00", "2024-03-31T00:00:00"), False),
    "weekly-mwf-every-2-enddate-pacific-evening-dst": (
        # 18:30 Pacific is the next day in UTC; DST begins Mar 10; endDate is the Friday of an
        # active week (Feb 26, Mar 11), so the last occurrence falls on it (inclusive endDate)
        series("2024-02-26T18:30:00", "2024-02-26T19:30:00", PST,
               {"type": "weekly", "interval": 2, "daysOfWeek": ["Monday", "wednesday", "Friday"],
                "firstDayOfWeek": "monday"},
               {"type": "endDate", "startDate": "2024-02-26", "endDate": "2024-03-15"}),
        ("2024-02-20T00:00:00", "2024-04-01T00:00:00"), False),
    "absolute-monthly-31-noend-europe": (
        series("2024-01-31T10:00:00", "2024-01-31T11:00:00", "W. Europe Standard Time",
               {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
               {"type": "noEnd", "startDate": "2024-01-31"}),
        ("2024-01-15T00:00:00", "2024-07-15T00:00:00"), True),
    "relative-monthly-last-friday-numbered-sydney": (
        # southern hemisphere: DST ends in April, begins in October
        series("2024-02-23T08:00:00", "2024-02-23T09:00:00", "AUS Eastern Standard Time",
               {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"], "index": "last"},
               {"type": "numbered", "startDate": "2024-02-01", "numberOfOccurrences": 9}),
        ("2024-01-01T00:00:00", "2024-12-31T00:00:00"), False),
    "absolute-yearly-feb-29-numbered-utc": (
        series("2024-02-29T12:00:00", "2024-02-29T13:00:00", "UTC",
               {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 29, "month": 2},
               {"type": "numbered", "startDate": "2024-02-29", "numberOfOccurrences": 5}),
        ("2024-01-01T00:00:00", "2030-01-01T00:00:00"), True),
    "relative-yearly-first-monday-september-noend-newyork": (
        series("2020-09-07T07:00:00", "2020-09-07T08:00:00", "Eastern Standard Time",
               {"type": "relativeYearly", "interval": 2, "daysOfWeek": ["monday"], "month": 9,
                "index": "first"},
               {"type": "noEnd", "startDate": "2020-09-01"}),
        ("2025-01-01T00:00:00", "2031-01-01T00:00:00"), False),
    "daily-noend-ten-years-old-pacific-dst-month": (
        series("2014-03-03T08:00:00", "2014-03-03T08:15:00", PST,
               {"type": "daily", "interval": 1}, {"type": "noEnd", "startDate": "2014-03-03"}),
        ("2024-10-28T00:00:00", "2024-11-12T00:00:00"), False),
}


def matrix_case(case: str) -> Any:
    """A MATRIX case declaring the invariants it checks (the declaration is per case: only
    month-end cases check REC-EXP-3, the others REC-EXP-1)."""
    return pytest.param(case, marks=pytest.mark.scenario(feature="recurrence", invariants=[
        "SCHEMA-1", "EVT-REC-1", *expansion_invariants(month_end=MATRIX[case][2]), "EVT-DEL-1"]))


@pytest.mark.parametrize("case", [matrix_case(case) for case in MATRIX])
def test_pattern_matrix(graph: Graph, case: str) -> None:
    body, window, month_end = MATRIX[case]
    organizer = graph.persona("organizer")
    with graph.step(f"1: organizer creates the series ({case})", source=RECUR) as s:
        master = created(s, organizer, body)
    with graph.step("2: its instances in the window equal the oracle's occurrences",
                    source=INSTANCES) as s:
        mid = s.field(master, "id", what="the created series master")
        instances = collect(s, organizer, f"/me/events/{mid}/instances", window_params(*window))
        expansion_checks(s, instances, master, window, month_end=month_end)
    with graph.step("3: calendarView in the window shows the same occurrences", source=VIEW) as s:
        view = collect(s, organizer, "/me/calendarView", window_params(*window))
        expansion_checks(s, view, master, window, month_end=month_end)
    with graph.step("4: organizer deletes the series", source="api-reference/v1.0/api/event-delete.md") as s:
        r = organizer.delete(f"/me/events/{mid}")
        s.response(r)
        s.check("EVT-DEL-1", r)


# --- 3. invalid recurrences -----------------------------------------------------------------------

def _invalid(pattern: dict[str, Any], rng: dict[str, Any]) -> dict[str, Any]:
    return series("2024-05-06T09:00:00", "2024-05-06T10:00:00", "UTC", pattern, rng)


WEEKLY = {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]}
NO_END = {"type": "noEnd", "startDate": "2024-05-06"}
INVALID: dict[str, dict[str, Any]] = {
    "interval 0": _invalid({"type": "daily", "interval": 0}, NO_END),
    "weekly without daysOfWeek": _invalid({"type": "weekly", "interval": 1}, NO_END),
    "endDate before startDate": _invalid(WEEKLY, {"type": "endDate", "startDate": "2024-05-06",
                                                  "endDate": "2024-05-01"}),
    "numbered with numberOfOccurrences 0": _invalid(WEEKLY, {"type": "numbered", "startDate": "2024-05-06",
                                                             "numberOfOccurrences": 0}),
    "absoluteMonthly without dayOfMonth": _invalid({"type": "absoluteMonthly", "interval": 1}, NO_END),
    "absoluteYearly with month 13": _invalid({"type": "absoluteYearly", "interval": 1, "dayOfMonth": 1,
                                              "month": 13}, NO_END),
}


@pytest.mark.scenario(feature="recurrence", invariants=["SCHEMA-1", "REC-INVALID-1", "EVT-REC-1", "EVT-DEL-1"])
def test_invalid_recurrences_rejected(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    for number, (why, body) in enumerate(INVALID.items(), start=1):
        with graph.step(f"{number}: a series with {why} is refused with 400", source=RECUR) as s:
            r = organizer.post("/me/events", json=body, effect=probes.created(organizer, "/me/events", body))
            s.response(r, schema="error")
            s.check("REC-INVALID-1", r)
    n = len(INVALID)
    with graph.step(f"{n + 1}: a valid series, then an update to interval 0 is refused", source=RECUR) as s:
        master = created(s, organizer, _invalid(WEEKLY, NO_END))
        mid = s.field(master, "id", what="the created series master")
        r = organizer.patch(f"/me/events/{mid}", json={"recurrence": {
            "pattern": {"type": "weekly", "interval": 0, "daysOfWeek": ["monday"]}, "range": NO_END}})
        s.response(r, schema="error")
        s.check("REC-INVALID-1", r)
        r = organizer.delete(f"/me/events/{mid}")
        s.response(r)
        s.check("EVT-DEL-1", r)

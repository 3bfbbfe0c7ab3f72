"""The emulator's recurrence routes over HTTP: paths, windows, paging, ids, regeneration."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.emulator.recurrence.recurrence_emulator_http import Mailbox

from graphcal.emulator.features.recurrence.routes import occurrence_id
from graphcal.emulator.server import EmulatorServer

PST = "Pacific Standard Time"
WINDOW = {"startDateTime": "2017-09-01T00:00:00", "endDateTime": "2018-01-01T00:00:00"}


def weekly(subject: str = "Lunch") -> dict[str, Any]:
    return {"subject": subject,
            "start": {"dateTime": "2017-09-04T12:00:00", "timeZone": PST},
            "end": {"dateTime": "2017-09-04T14:00:00", "timeZone": PST},
            "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["Monday"]},
                           "range": {"type": "endDate", "startDate": "2017-09-04",
                                     "endDate": "2017-12-31"}}}


def test_calendar_view_on_every_documented_path(srv: EmulatorServer, box: Mailbox) -> None:
    master = box.create(weekly())
    user = srv.personas[0]["userPrincipalName"]
    calendar_id = box.send("GET", "/me/calendar").body["id"]
    paths = ["/me/calendarView", "/me/calendar/calendarView", f"/me/calendars/{calendar_id}/calendarView",
             f"/users/{user}/calendarView", f"/users/{user}/calendar/calendarview"]
    for path in paths:
        items = box.listed(path, WINDOW["startDateTime"], WINDOW["endDateTime"])
        # suite: EVT-VIEW-4
        assert len(items) == 17 and {e["seriesMasterId"] for e in items} == {master["id"]}, path
    other = box.create(dict(weekly(), subject="elsewhere"))
    listed = box.listed(f"/users/{user}/events/{other['id']}/instances", "2017-09-01", "2017-10-01")
    assert [e["start"]["dateTime"][:10] for e in listed] == ["2017-09-04", "2017-09-11", "2017-09-18",
                                                             "2017-09-25"]


def test_window_is_required_and_read_as_utc_without_offset(box: Mailbox) -> None:
    master = box.create(weekly())
    r = box.send("GET", "/me/calendarView", params={"startDateTime": "2017-09-01T00:00:00"})
    assert r.status == 400 and r.body["error"]["code"] == "ErrorInvalidParameter"
    r = box.send("GET", f"/me/events/{master['id']}/instances", params={"startDateTime": "soon",
                                                                       "endDateTime": "later"})
    assert r.status == 400
    # Sep 4 noon Pacific is 19:00 UTC: a window ending 19:00 UTC misses it, one with -07:00 finds it
    # suite: EVT-VIEW-2 (offsetless window is UTC), EVT-VIEW-3 (offset honoured)
    assert box.listed("/me/calendarView", "2017-09-04T00:00:00", "2017-09-04T19:00:00") == []
    assert len(box.listed("/me/calendarView", "2017-09-04T00:00:00-07:00", "2017-09-04T12:30:00-07:00")) == 1


def test_paging_prefer_zone_and_select(box: Mailbox) -> None:
    master = box.create(weekly())
    r = box.send("GET", "/me/calendarView", params=WINDOW)
    # suite: EVT-TZ-1 (test_weekly step 4)
    assert len(r.body["value"]) == 10 and "$skip=10" in r.body["@odata.nextLink"]
    r = box.send("GET", f"/me/events/{master['id']}/instances",
                 params={**WINDOW, "$select": "subject,start", "$top": "3"},
                 headers={"Prefer": f'outlook.timezone="{PST}"'})
    assert r.headers["preference-applied"] == f'outlook.timezone="{PST}"'
    assert [set(e) for e in r.body["value"]] == [{"@odata.etag", "id", "subject", "start"}] * 3
    # noon Pacific on both sides of the DST change (Nov 5 2017)
    late = box.send("GET", "/me/calendarView", params={"startDateTime": "2017-10-30T00:00:00Z",
                                                       "endDateTime": "2017-11-14T00:00:00Z"},
                    headers={"Prefer": f'outlook.timezone="{PST}"'}).body["value"]
    assert [e["start"]["dateTime"] for e in late] == [f"2017-{d}T12:00:00.0000000"
                                                      for d in ("10-30", "11-06", "11-13")]


def test_occurrence_ids_resolve_and_events_lists_masters_only(srv: EmulatorServer, box: Mailbox) -> None:
    master = box.create(weekly())
    single = box.create({"subject": "single", "start": {"dateTime": "2017-09-05T10:00:00", "timeZone": "UTC"},
                         "end": {"dateTime": "2017-09-05T11:00:00", "timeZone": "UTC"}})
    first, second = box.listed(f"/me/events/{master['id']}/instances", "2017-09-01", "2017-09-12")
    again = box.listed(f"/me/events/{master['id']}/instances", "2017-09-01", "2017-09-12")
    # suite: REC-LIST-1
    assert [first["id"], second["id"]] == [e["id"] for e in again]  # stable ids
    user = srv.personas[0]["id"]
    got = box.send("GET", f"/users/{user}/events/{second['id']}").body
    assert (got["type"], got["occurrenceId"]) == ("occurrence", f"OID.{master['id']}.2017-09-11")
    assert got["iCalUId"] != master["iCalUId"] and got["iCalUId"] != first["iCalUId"]
    box.send("PATCH", f"/me/events/{first['id']}", json={"subject": "changed"})
    listed = box.send("GET", "/me/events", params={"$top": "50"}).body["value"]
    assert sorted(e["type"] for e in listed) == ["seriesMaster", "singleInstance"]
    assert {e["id"] for e in listed} == {master["id"], single["id"]}
    # a date that is not in the series is no occurrence
    assert occurrence_id(master["id"], date(2017, 9, 11)) == second["id"]
    assert box.send("GET", f"/me/events/{occurrence_id(master['id'], date(2017, 9, 12))}").status == 404


def test_master_edits_regenerate_and_master_delete_removes_the_series(box: Mailbox) -> None:
    master = box.create(weekly())
    occurrences = box.listed(f"/me/events/{master['id']}/instances", **_window())
    box.send("PATCH", f"/me/events/{occurrences[0]['id']}", json={"subject": "exception"})
    # suite: REC-EXP-1, EVT-DEL-2 (test_weekly steps 10-11)
    assert box.send("DELETE", f"/me/events/{occurrences[1]['id']}").status == 204
    assert box.send("DELETE", f"/me/events/{occurrences[1]['id']}").status == 404  # already cancelled
    kept = box.send("GET", f"/me/events/{master['id']}",
                    params={"$select": "cancelledOccurrences", "$expand": "exceptionOccurrences"}).body
    assert len(kept["cancelledOccurrences"]) == 1 and len(kept["exceptionOccurrences"]) == 1
    # a subject change keeps the exceptions; a new start time regenerates the series
    box.send("PATCH", f"/me/events/{master['id']}", json={"subject": "renamed"})
    assert len(box.listed(f"/me/events/{master['id']}/instances", **_window())) == 16
    box.send("PATCH", f"/me/events/{master['id']}", json={
        "start": {"dateTime": "2017-09-04T13:00:00", "timeZone": PST},
        "end": {"dateTime": "2017-09-04T14:00:00", "timeZone": PST}})
    regenerated = box.listed(f"/me/events/{master['id']}/instances", **_window())
    assert len(regenerated) == 17 and {e["type"] for e in regenerated} == {"occurrence"}
    assert {e["start"]["dateTime"][11:16] for e in regenerated} == {"20:00", "21:00"}  # 13:00 PDT/PST
    assert box.send("DELETE", f"/me/events/{master['id']}").status == 204
    assert box.send("GET", f"/me/events/{regenerated[0]['id']}").status == 404
    assert box.send("GET", f"/me/events/{master['id']}/instances", params=WINDOW).status == 404
    assert box.listed("/me/calendarView", **_window()) == []


def test_occurrence_cannot_take_a_recurrence_and_singles_have_no_instances(box: Mailbox) -> None:
    master = box.create(weekly())
    occurrence = box.listed(f"/me/events/{master['id']}/instances", **_window())[0]
    r = box.send("PATCH", f"/me/events/{occurrence['id']}", json={"recurrence": weekly()["recurrence"]})
    # emulator-only: no page states Graph's answer
    assert r.status == 400 and r.body["error"]["code"] == "ErrorInvalidRequest"
    single = box.create({"subject": "single", "start": {"dateTime": "2017-09-05T10:00:00", "timeZone": "UTC"},
                         "end": {"dateTime": "2017-09-05T11:00:00", "timeZone": "UTC"}})
    assert box.listed(f"/me/events/{single['id']}/instances", **_window()) == []


def _window() -> dict[str, str]:
    return {"start": WINDOW["startDateTime"], "end": WINDOW["endDateTime"]}

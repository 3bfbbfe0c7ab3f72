"""REC-* invariants on the documented list-instances response and on mutated payloads.

The documented instances (golden recurrence/event-list-instances) belong to a weekly Monday
series at 13:30 Pacific (20:30 UTC in April 2019); the tests give them the master that series
implies, and the occurrenceIds the docs' $select left out.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from tests.invariants.invariants_support import Answer, check

from graphcal import golden
from graphcal.invariants.registry import CATALOG, MUST, SHOULD, load_catalog

load_catalog()
DOC = golden.load("recurrence/event-list-instances")
MASTER_ID = "AAMkAGUzYRgWAAA="
WINDOW = ("2019-04-08T09:00:00.0000000", "2019-04-30T09:00:00.0000000")
MASTER = {
    "id": MASTER_ID, "type": "seriesMaster", "subject": "Review strategy for Q3",
    "start": {"dateTime": "2019-04-08T13:30:00.0000000", "timeZone": "Pacific Standard Time"},
    "end": {"dateTime": "2019-04-08T14:00:00.0000000", "timeZone": "Pacific Standard Time"},
    "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                   "range": {"type": "noEnd", "startDate": "2019-04-08",
                             "recurrenceTimeZone": "Pacific Standard Time"}},
}
ORIGINAL_DATES = {"2019-04-16": "2019-04-15"}  # the exception was the Apr 15 occurrence




def documented() -> list[dict[str, Any]]:
    """The documented instances plus occurrenceId (left out by the docs' $select)."""
    out = copy.deepcopy(DOC.payload["value"])
    for e in out:
        day = e["start"]["dateTime"][:10]
        e["occurrenceId"] = f"OID.{MASTER_ID}.{ORIGINAL_DATES.get(day, day)}"
    return out


def test_rec_ids_severities_and_sources() -> None:
    rec = {k: v for k, v in CATALOG.items() if k.startswith("REC-")}
    assert {k for k, v in rec.items() if v.severity == SHOULD} == {"REC-EXP-3", "REC-GOLD-1"}
    assert all(v.feature == "recurrence" and v.source for v in rec.values())
    assert sum(v.severity == MUST for v in rec.values()) == 12


@pytest.mark.parametrize("inv_id", ["REC-EXP-1", "REC-EXP-2"])
def test_documented_instances_match_the_oracle(inv_id: str) -> None:
    assert check(inv_id, documented(), MASTER, *WINDOW).passed


def test_expansion_fails_on_a_missing_occurrence_and_on_an_extra_one() -> None:
    listed = documented()
    dropped = [e for e in listed if not e["start"]["dateTime"].startswith("2019-04-22")]
    out = check("REC-EXP-1", dropped, MASTER, *WINDOW)
    assert not out.passed and "1 missing" in out.message and "2019-04-22 13:30" in out.message
    extra = copy.deepcopy(listed[1])
    extra["start"]["dateTime"] = "2019-04-09T20:30:00.0000000"
    out = check("REC-EXP-1", listed + [extra], MASTER, *WINDOW)
    assert not out.passed and "1 unexpected" in out.message


def test_cancelled_dates_are_not_expected() -> None:
    listed = [e for e in documented() if not e["start"]["dateTime"].startswith("2019-04-22")]
    assert check("REC-EXP-1", listed, MASTER, *WINDOW, [f"OID.{MASTER_ID}.2019-04-22"]).passed


def test_dst_drift_fails_wall_clock_and_instants() -> None:
    # the same series from March: a UTC-anchored expansion keeps 21:30 UTC after DST began
    master = copy.deepcopy(MASTER)
    master["start"]["dateTime"] = "2019-03-04T13:30:00.0000000"
    master["end"]["dateTime"] = "2019-03-04T14:00:00.0000000"
    master["recurrence"]["range"]["startDate"] = "2019-03-04"
    window = ("2019-03-04T00:00:00Z", "2019-03-19T00:00:00Z")
    good = [{"type": "occurrence", "seriesMasterId": MASTER_ID, "occurrenceId": f"OID.{MASTER_ID}.{d}",
             "start": {"dateTime": f"{d}T{h}:30:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": f"{d}T{h}:00:00.0000000".replace(f"T{h}:00", f"T{int(h) + 1}:00"),
                     "timeZone": "UTC"}}
            for d, h in (("2019-03-04", "21"), ("2019-03-11", "20"), ("2019-03-18", "20"))]
    assert check("REC-EXP-2", good, master, *window).passed
    drifted = copy.deepcopy(good)
    for e in drifted[1:]:
        e["start"]["dateTime"] = e["start"]["dateTime"].replace("T20:", "T21:")
        e["end"]["dateTime"] = e["end"]["dateTime"].replace("T21:", "T22:")
    out = check("REC-EXP-2", drifted, master, *window)
    assert not out.passed and "14:30" in out.message  # 21:30 UTC is 14:30 PDT
    assert not check("REC-EXP-1", drifted, master, *window).passed


def test_month_end_clamps_to_the_last_day() -> None:
    master = {"id": "M", "start": {"dateTime": "2021-01-31T09:00:00", "timeZone": "UTC"},
              "end": {"dateTime": "2021-01-31T10:00:00", "timeZone": "UTC"},
              "recurrence": {"pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
                             "range": {"type": "numbered", "startDate": "2021-01-31",
                                       "numberOfOccurrences": 3}}}
    days = ["2021-01-31", "2021-02-28", "2021-03-31"]
    listed = [{"type": "occurrence", "seriesMasterId": "M",
               "start": {"dateTime": f"{d}T09:00:00.0000000", "timeZone": "UTC"},
               "end": {"dateTime": f"{d}T10:00:00.0000000", "timeZone": "UTC"}} for d in days]
    window = ("2021-01-01T00:00:00", "2021-12-31T00:00:00")
    assert check("REC-EXP-3", listed, master, *window).passed
    out = check("REC-EXP-3", [listed[0], listed[2]], master, *window)  # February skipped
    assert not out.passed and "2021-02-28" in out.message


def test_instance_shape() -> None:
    assert check("REC-SHAPE-1", documented(), MASTER).passed
    with_master = documented() + [dict(MASTER, recurrence=MASTER["recurrence"])]
    out = check("REC-SHAPE-1", with_master, MASTER)
    assert not out.passed and "series master itself" in out.message
    lost = documented()
    lost[0]["seriesMasterId"] = None
    assert "seriesMasterId None" in check("REC-SHAPE-1", lost, MASTER).message
    typed = documented()
    typed[1]["type"] = "singleInstance"
    assert not check("REC-SHAPE-1", typed, MASTER).passed
    recurring = documented()
    recurring[2]["recurrence"] = MASTER["recurrence"]
    assert "recurrence is not null" in check("REC-SHAPE-1", recurring, MASTER).message


def test_occurrence_id_date_is_in_the_recurrence_zone() -> None:
    assert check("REC-SHAPE-2", documented(), MASTER).passed
    # an evening series: 18:00 Pacific is the next day in UTC
    master = copy.deepcopy(MASTER)
    master["start"]["dateTime"] = "2019-04-08T18:00:00.0000000"
    e = {"type": "occurrence", "seriesMasterId": MASTER_ID,
         "start": {"dateTime": "2019-04-09T01:00:00.0000000", "timeZone": "UTC"},
         "end": {"dateTime": "2019-04-09T01:30:00.0000000", "timeZone": "UTC"},
         "occurrenceId": f"OID.{MASTER_ID}.2019-04-08"}
    assert check("REC-SHAPE-2", [e], master).passed
    utc_dated = dict(e, occurrenceId=f"OID.{MASTER_ID}.2019-04-09")
    out = check("REC-SHAPE-2", [utc_dated], master)
    assert not out.passed and "starts on 2019-04-08" in out.message
    assert "is not OID" in check("REC-SHAPE-2", [dict(e, occurrenceId=None)], master).message


def test_events_list_holds_masters_and_singles_only() -> None:
    single = {"id": "S", "type": "singleInstance"}
    assert check("REC-LIST-1", [MASTER, single], [MASTER_ID]).passed
    assert not check("REC-LIST-1", [MASTER, single, documented()[1]], [MASTER_ID]).passed
    assert not check("REC-LIST-1", [single], [MASTER_ID]).passed


def test_exception_after_update() -> None:
    occurrence = documented()[1]
    patch = {"subject": "moved", "start": {"dateTime": "2019-04-09T13:30:00", "timeZone": "Pacific Standard Time"},
             "end": {"dateTime": "2019-04-09T14:00:00", "timeZone": "Pacific Standard Time"}}
    answer = dict(occurrence, type="exception", subject="moved",
                  start={"dateTime": "2019-04-09T20:30:00.0000000", "timeZone": "UTC"},
                  end={"dateTime": "2019-04-09T21:00:00.0000000", "timeZone": "UTC"})
    assert check("REC-EXC-1", answer, occurrence, MASTER_ID, patch).passed
    assert "expected 'exception'" in check("REC-EXC-1", dict(answer, type="occurrence"), occurrence,
                                           MASTER_ID, patch).message
    assert not check("REC-EXC-1", dict(answer, seriesMasterId=None), occurrence, MASTER_ID, patch).passed
    assert not check("REC-EXC-1", dict(answer, start=occurrence["start"]), occurrence, MASTER_ID, patch).passed
    assert not check("REC-EXC-1", {"error": {"code": "x"}}, occurrence, MASTER_ID, patch).passed


def test_exception_stays_listed_and_in_exception_occurrences() -> None:
    listed = documented()
    exception = listed[0]
    assert check("REC-EXC-2", listed, exception, MASTER_ID).passed
    assert not check("REC-EXC-2", listed[1:], exception, MASTER_ID).passed
    assert not check("REC-EXC-2", [dict(exception, seriesMasterId=None)], exception, MASTER_ID).passed
    master = dict(MASTER, exceptionOccurrences=[exception])
    assert check("REC-EXC-3", master, [exception["id"]]).passed
    assert not check("REC-EXC-3", dict(MASTER, exceptionOccurrences=[]), [exception["id"]]).passed
    assert not check("REC-EXC-3", MASTER, [exception["id"]]).passed


def test_crossing_boundary_and_invalid_recurrence_errors() -> None:
    err = {"error": {"code": "ErrorOccurrenceCrossingBoundary", "message": "Modified occurrence ..."}}
    assert check("REC-EXC-4", Answer(400, err)).passed
    assert not check("REC-EXC-4", Answer(200, documented()[1])).passed
    assert "expected 'ErrorOccurrenceCrossingBoundary'" in check(
        "REC-EXC-4", Answer(400, {"error": {"code": "ErrorInvalidRequest", "message": "m"}})).message
    assert check("REC-INVALID-1", Answer(400, {"error": {"code": "ErrorInvalidRequest", "message": "m"}})).passed
    assert not check("REC-INVALID-1", Answer(201, MASTER)).passed
    assert not check("REC-INVALID-1", Answer(400, None)).passed


def test_cancelled_occurrences() -> None:
    listed = documented()
    gone = listed[2]
    assert check("REC-CAN-1", [e for e in listed if e is not gone], [gone]).passed
    assert not check("REC-CAN-1", listed, [gone]).passed
    master = dict(MASTER, cancelledOccurrences=[gone["occurrenceId"]])
    assert check("REC-CAN-2", master, [gone]).passed
    no_oid = {k: v for k, v in gone.items() if k != "occurrenceId"}
    assert check("REC-CAN-2", master, [no_oid]).passed  # OID built from the start date in the zone
    assert not check("REC-CAN-2", dict(MASTER, cancelledOccurrences=[]), [gone]).passed


def test_documented_shape_golden() -> None:
    assert check("REC-GOLD-1", DOC.payload["value"], DOC).passed
    mutated = copy.deepcopy(DOC.payload["value"])
    mutated[1]["recurrence"] = MASTER["recurrence"]
    assert not check("REC-GOLD-1", mutated, DOC).passed
    extra_key = copy.deepcopy(DOC.payload["value"])
    extra_key[2]["occurrenceId"] = "OID.x.2019-04-22"
    assert not check("REC-GOLD-1", extra_key, DOC).passed
    six = copy.deepcopy(DOC.payload["value"])
    six[3]["start"]["dateTime"] = "2019-04-29T20:30:00.000000"
    assert not check("REC-GOLD-1", six, DOC).passed

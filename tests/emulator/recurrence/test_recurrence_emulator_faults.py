"""Each recurrence fault switch makes the REC invariant that guards its claim fail, by id.

Every REC invariant has a fault here (REC-GOLD-1 is broken by the core's six-digit-datetimes).

For every fault: the same requests against a correct emulator pass the check (control), and
against an emulator with the fault on the named invariant fails.
"""

from __future__ import annotations

from typing import Any, Callable, ContextManager

import pytest
from tests.emulator.recurrence.recurrence_emulator_http import Mailbox

from graphcal import golden
from graphcal.emulator.app import FAULTS
from graphcal.invariants.registry import CATALOG, Outcome, load_catalog

load_catalog()
PST = "Pacific Standard Time"


def weekly_noon_pacific() -> dict[str, Any]:
    """Seed 001's weekly example: Mondays at noon Pacific, Sep 4 - Dec 31 2017 (DST ends Nov 5)."""
    return {"subject": "Lunch",
            "start": {"dateTime": "2017-09-04T12:00:00", "timeZone": PST},
            "end": {"dateTime": "2017-09-04T14:00:00", "timeZone": PST},
            "recurrence": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["Monday"]},
                           "range": {"type": "endDate", "startDate": "2017-09-04",
                                     "endDate": "2017-12-31"}}}


WHOLE = ("2017-09-01T00:00:00", "2018-01-01T00:00:00")


def _instances(box: Mailbox, master: dict[str, Any], window: tuple[str, str] = WHOLE) -> list[dict[str, Any]]:
    return box.listed(f"/me/events/{master['id']}/instances", *window)


def _expansion(body: dict[str, Any], window: tuple[str, str]) -> Callable[[str, Mailbox], Outcome]:
    def run(inv: str, box: Mailbox) -> Outcome:
        master = box.create(body)
        return CATALOG[inv](_instances(box, master, window), master, *window)
    return run


def _end_date_series() -> dict[str, Any]:
    body = weekly_noon_pacific()
    body["recurrence"]["range"]["endDate"] = "2017-12-25"  # a Monday: the last occurrence
    return body


def _month_end_series() -> dict[str, Any]:
    return {"subject": "31st", "start": {"dateTime": "2024-01-31T10:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2024-01-31T11:00:00", "timeZone": "UTC"},
            "recurrence": {"pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
                           "range": {"type": "noEnd", "startDate": "2024-01-31"}}}


def _evening_series() -> dict[str, Any]:
    body = weekly_noon_pacific()
    body["start"]["dateTime"] = "2017-09-04T18:30:00"  # 01:30 UTC the next day
    body["end"]["dateTime"] = "2017-09-04T19:30:00"
    return body


def _shape(body: Callable[[], dict[str, Any]]) -> Callable[[str, Mailbox], Outcome]:
    def run(inv: str, box: Mailbox) -> Outcome:
        master = box.create(body())
        return CATALOG[inv](_instances(box, master), master)
    return run


def _cancel(inv: str, box: Mailbox) -> Outcome:
    master = box.create(weekly_noon_pacific())
    gone = _instances(box, master)[3]
    assert box.send("DELETE", f"/me/events/{gone['id']}").status == 204
    if inv == "REC-CAN-1":
        return CATALOG[inv](_instances(box, master), [gone])
    selected = box.send("GET", f"/me/events/{master['id']}",
                        params={"$select": "subject,cancelledOccurrences"}).body
    return CATALOG[inv](selected, [gone], master["id"])


MOVE = {"subject": "moved", "start": {"dateTime": "2017-10-10T12:00:00", "timeZone": PST},
        "end": {"dateTime": "2017-10-10T13:00:00", "timeZone": PST}}


def _exception(inv: str, box: Mailbox) -> Outcome:
    master = box.create(weekly_noon_pacific())
    occurrence = next(e for e in _instances(box, master) if e["start"]["dateTime"].startswith("2017-10-09"))
    answer = box.send("PATCH", f"/me/events/{occurrence['id']}", json=MOVE).body
    if inv == "REC-EXC-1":
        return CATALOG[inv](answer, occurrence, master["id"], MOVE)
    if inv == "REC-EXC-2":
        return CATALOG[inv](_instances(box, master), answer, master["id"])
    expanded = box.send("GET", f"/me/events/{master['id']}",
                        params={"$expand": "exceptionOccurrences"}).body
    return CATALOG[inv](expanded, [answer["id"]])


def _crossing(inv: str, box: Mailbox) -> Outcome:
    master = box.create(weekly_noon_pacific())
    occurrence = next(e for e in _instances(box, master) if e["start"]["dateTime"].startswith("2017-10-09"))
    onto_next = {"start": {"dateTime": "2017-10-16T12:00:00", "timeZone": PST},
                 "end": {"dateTime": "2017-10-16T13:00:00", "timeZone": PST}}
    return CATALOG[inv](box.send("PATCH", f"/me/events/{occurrence['id']}", json=onto_next))


def _invalid(inv: str, box: Mailbox) -> Outcome:
    body = weekly_noon_pacific()
    body["recurrence"]["pattern"]["interval"] = 0
    return CATALOG[inv](box.send("POST", "/me/events", json=body))


def _events_list(inv: str, box: Mailbox) -> Outcome:
    master = box.create(weekly_noon_pacific())
    listed = box.send("GET", "/me/events", params={"$top": "50"}).body["value"]
    return CATALOG[inv](listed, [master["id"]])


def _documented_shape(inv: str, box: Mailbox) -> Outcome:
    master = box.create(weekly_noon_pacific())
    params = {"startDateTime": "2017-10-01T00:00:00", "endDateTime": "2017-10-31T00:00:00",
              "$select": "subject,bodyPreview,seriesMasterId,type,recurrence,start,end"}
    listed = box.send("GET", f"/me/events/{master['id']}/instances", params=params).body["value"]
    return CATALOG[inv](listed, golden.load("recurrence/event-list-instances"))


# fault -> the requests and the check of a REC invariant it declares (Fault.breaks)
CASES: dict[str, Callable[[str, Mailbox], Outcome]] = {
    "rec-enddate-exclusive": _expansion(_end_date_series(), WHOLE),
    "rec-dst-drift": _expansion(weekly_noon_pacific(), WHOLE),
    "rec-month-end-skip": _expansion(_month_end_series(), ("2024-01-01T00:00:00", "2024-12-31T00:00:00")),
    "rec-oid-utc": _shape(_evening_series),
    "rec-instances-include-master": _shape(weekly_noon_pacific),
    "rec-cancelled-listed": _cancel,
    "rec-no-cancelled-occurrences": _cancel,
    "rec-exception-loses-master": _exception,
    "rec-exception-stays-occurrence": _exception,
    "rec-no-exception-occurrences": _exception,
    "rec-no-boundary-check": _crossing,
    "rec-accept-invalid": _invalid,
    "rec-events-lists-occurrences": _events_list,
    "six-digit-datetimes": _documented_shape,  # an events fault, seen in instances
}


def rec_invariant(fault: str) -> str:
    """The REC invariant the fault declares it breaks (one per fault here)."""
    (inv,) = [i for i in FAULTS[fault].fault.breaks if i.startswith("REC-")]
    return inv


def test_every_recurrence_fault_has_a_case() -> None:
    assert {name for name in FAULTS if name.startswith("rec-")} <= set(CASES) <= set(FAULTS)
    # and every REC invariant is broken by some fault
    assert {rec_invariant(fault) for fault in CASES} == {i for i in CATALOG if i.startswith("REC-")}


@pytest.mark.parametrize("fault", list(CASES))
def test_fault_fails_its_invariant(fault: str, mailbox: Mailbox,
                                   mailbox_on: Callable[[frozenset[str]], ContextManager[Mailbox]]) -> None:
    inv, run = rec_invariant(fault), CASES[fault]
    control = run(inv, mailbox)
    assert control.passed, f"{inv} fails without any fault: {control.message}"
    with mailbox_on(frozenset({fault})) as box:
        outcome = run(inv, box)
    assert not outcome.passed, f"{inv} passed with fault {fault} on"

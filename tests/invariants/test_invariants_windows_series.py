"""EVT-VIEW-* and SERIES-* on hand-made payloads: each passes on the right answer, fails on a bent one."""

from __future__ import annotations

import copy
from typing import Any

from graphcal.invariants.registry import CATALOG, MUST, load_catalog

load_catalog()


def ev(id: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {"id": id, "subject": id, "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": end, "timeZone": "UTC"}, **more}


A, D, E = ev("a", "2024-06-10T09:00:00", "2024-06-10T11:00:00"), ev("d", "2024-06-10T10:30:00", "2024-06-10T11:30:00"), \
    ev("e", "2024-06-10T17:30:00", "2024-06-10T18:30:00")


def test_the_new_ids_are_must_with_a_source() -> None:
    for inv_id in ("EVT-VIEW-1", "EVT-VIEW-2", "EVT-VIEW-3", "EVT-VIEW-4", "EVT-VIEW-5", "EVT-BODY-1",
                   "EVT-BODY-2", "SERIES-VIEW-1", "SERIES-FDOW-1",
                   "SERIES-UID-1", "SERIES-EDIT-1"):
        inv = CATALOG[inv_id]
        assert inv.severity is MUST and ".md" in inv.source and inv.explanation, inv_id


def test_window_membership() -> None:
    assert CATALOG["EVT-VIEW-1"]([A, D], A).passed
    assert "not listed exactly once" in CATALOG["EVT-VIEW-1"]([D], A).message
    assert "not listed exactly once" in CATALOG["EVT-VIEW-1"]([A, A], A).message
    assert CATALOG["EVT-VIEW-2"]([A, D], [A, D], [E]).passed
    assert "listed: 'e'" in CATALOG["EVT-VIEW-2"]([A, D, E], [A, D], [E]).message
    assert not CATALOG["EVT-VIEW-3"]([D], [E], [D]).passed
    assert not CATALOG["EVT-VIEW-1"](None, A).passed


def series(n: int = 3) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    master = ev("m", "2024-06-03T09:00:00", "2024-06-03T11:00:00", iCalUId="U0", uid="S", type="seriesMaster")
    members = [ev(f"o{i}", f"2024-06-{3 + 7 * i:02d}T09:00:00", f"2024-06-{3 + 7 * i:02d}T11:00:00",
                  seriesMasterId="m", iCalUId=f"U{i + 1}", uid="S", type="occurrence", subject="m") for i in range(n)]
    return master, members


def test_occurrence_across_the_window_start() -> None:
    _, members = series()
    assert CATALOG["SERIES-VIEW-1"](members, "m", "2024-06-10T10:00:00").passed
    assert "0 occurrence(s)" in CATALOG["SERIES-VIEW-1"](members[2:], "m", "2024-06-10T10:00:00").message


def test_ical_uid_per_occurrence_and_uid_per_series() -> None:
    master, members = series()
    assert CATALOG["SERIES-UID-1"](members, master).passed
    same = copy.deepcopy(members)
    for m in same:
        m["iCalUId"] = "U0"
    assert "repeated iCalUId" in CATALOG["SERIES-UID-1"](same, master).message
    other = copy.deepcopy(members)
    other[1]["uid"] = "T"
    assert "uid" in CATALOG["SERIES-UID-1"](other, master).message
    assert not CATALOG["SERIES-UID-1"](members[:1], master).passed


def test_edit_stays_on_its_occurrence() -> None:
    master, members = series()
    members[1]["subject"] = "renamed"
    assert CATALOG["SERIES-EDIT-1"](master, members, "o1", "renamed", "m").passed
    everywhere = [dict(m, subject="renamed") for m in members]
    out = CATALOG["SERIES-EDIT-1"](dict(master, subject="renamed"), everywhere, "o1", "renamed", "m")
    assert "master's subject" in out.message and "2 other occurrence(s) renamed" in out.message


class Answer:
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


def test_same_view_on_every_path_and_window_required() -> None:
    assert CATALOG["EVT-VIEW-4"]({"/me/calendar/calendarView": [A, D], "/users/x/calendarView": [D, A]}, [A, D]).passed
    out = CATALOG["EVT-VIEW-4"]({"/me/calendar/calendarView": [], "/users/x/calendarView": [A, D]}, [A, D])
    assert not out.passed and out.message.startswith("/me/calendar/calendarView: not listed exactly once")
    assert CATALOG["EVT-VIEW-5"](Answer(400, {"error": {"code": "ErrorInvalidParameter", "message": "m"}})).passed
    assert "status 200 without a window" in CATALOG["EVT-VIEW-5"](Answer(200, {"value": []})).message
    assert "without a JSON error object" in CATALOG["EVT-VIEW-5"](Answer(400, {})).message


def with_body(kind: str) -> dict[str, Any]:
    return dict(A, body={"contentType": kind, "content": "x"})


def test_body_types() -> None:
    assert CATALOG["EVT-BODY-1"]([with_body("html")]).passed
    assert "body not HTML" in CATALOG["EVT-BODY-1"]([with_body("text")]).message
    assert not CATALOG["EVT-BODY-1"]([]).passed
    confirmed = Answer(200, headers={"Preference-Applied": 'outlook.body-content-type="text"'})
    assert CATALOG["EVT-BODY-2"](confirmed, [with_body("text")]).passed
    assert "body not text" in CATALOG["EVT-BODY-2"](confirmed, [with_body("html")]).message
    assert "Preference-Applied is 'missing'" in CATALOG["EVT-BODY-2"](Answer(200), [with_body("text")]).message

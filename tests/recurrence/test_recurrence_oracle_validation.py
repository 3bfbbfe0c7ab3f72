"""validate_recurrence: the reasons Graph defines a patternedRecurrence as invalid."""

from __future__ import annotations

import copy

import pytest

from graphcal.recurrence import validate_recurrence

VALID = {
    "weekly": {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["Monday"]},
               "range": {"type": "endDate", "startDate": "2026-01-05", "endDate": "2026-03-30"}},
    "relativeYearly": {"pattern": {"type": "relativeYearly", "interval": 1, "month": 11,
                                   "daysOfWeek": ["wednesday"], "index": "last"},
                       "range": {"type": "numbered", "startDate": "2026-01-01",
                                 "numberOfOccurrences": 3, "recurrenceTimeZone": "UTC"}},
    "absoluteMonthly": {"pattern": {"type": "absoluteMonthly", "interval": 2, "dayOfMonth": 31},
                        "range": {"type": "noEnd", "startDate": "2026-01-31",
                                  "recurrenceTimeZone": "America/Los_Angeles"}},
}


def with_change(name: str, path: str, value) -> dict:
    rec = copy.deepcopy(VALID[name])
    *parents, leaf = path.split(".")
    target = rec
    for p in parents:
        target = target[p]
    if value is DELETE:
        del target[leaf]
    else:
        target[leaf] = value
    return rec


DELETE = object()


@pytest.mark.parametrize("name", list(VALID))
def test_valid_recurrences_have_no_reasons(name):
    assert validate_recurrence(VALID[name]) == []


@pytest.mark.parametrize("name, path, value, field", [
    ("weekly", "pattern.interval", 0, "interval"),
    ("weekly", "pattern.interval", -1, "interval"),
    ("weekly", "pattern.interval", "1", "interval"),
    ("weekly", "pattern.interval", True, "interval"),
    ("weekly", "pattern.daysOfWeek", DELETE, "daysOfWeek"),
    ("weekly", "pattern.daysOfWeek", [], "daysOfWeek"),
    ("weekly", "pattern.daysOfWeek", ["Funday"], "daysOfWeek"),
    ("weekly", "pattern.firstDayOfWeek", "someday", "firstDayOfWeek"),
    ("weekly", "pattern.type", "hourly", "pattern.type"),
    ("weekly", "range.endDate", "2025-12-31", "before range.startDate"),
    ("weekly", "range.endDate", DELETE, "endDate"),
    ("weekly", "range.startDate", "2026-02-30", "startDate"),
    ("weekly", "range.startDate", DELETE, "startDate"),
    ("weekly", "range.type", "forever", "range.type"),
    ("relativeYearly", "range.numberOfOccurrences", 0, "numberOfOccurrences"),
    ("relativeYearly", "range.numberOfOccurrences", DELETE, "numberOfOccurrences"),
    ("relativeYearly", "pattern.month", DELETE, "month"),
    ("relativeYearly", "pattern.month", 13, "month"),
    ("relativeYearly", "pattern.daysOfWeek", DELETE, "daysOfWeek"),
    ("relativeYearly", "pattern.index", "fifth", "index"),
    ("relativeYearly", "range.recurrenceTimeZone", "Mars Standard Time", "recurrenceTimeZone"),
    ("absoluteMonthly", "pattern.dayOfMonth", DELETE, "dayOfMonth"),
    ("absoluteMonthly", "pattern.dayOfMonth", 0, "dayOfMonth"),
    ("absoluteMonthly", "pattern.dayOfMonth", 32, "dayOfMonth"),
    ("absoluteMonthly", "pattern.month", 99, "month"),   # ignored by the type, still validated
])
def test_each_invalid_field_gives_a_reason_naming_it(name, path, value, field):
    reasons = validate_recurrence(with_change(name, path, value))
    assert len(reasons) == 1 and field in reasons[0], reasons


def test_missing_parts_and_wrong_types():
    assert validate_recurrence(None) and validate_recurrence([])
    assert len(validate_recurrence({})) == 2
    assert validate_recurrence({"pattern": VALID["weekly"]["pattern"]}) == [
        "recurrence.range is required and must be an object"]


def test_several_faults_are_all_reported():
    rec = {"pattern": {"type": "weekly", "interval": 0},
           "range": {"type": "numbered", "startDate": "2026-01-01", "numberOfOccurrences": 0}}
    assert len(validate_recurrence(rec)) == 3

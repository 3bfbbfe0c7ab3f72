"""Properties of the oracle on random valid series (strategies.py), checked against a plain
calendar-arithmetic expansion written here without dateutil: which dates fit a pattern, which
periods the interval keeps, where the range stops."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone
from itertools import chain, count

from hypothesis import HealthCheck, given, settings
from tests.recurrence.strategies import DAY_NAMES, series_with_window

from graphcal import timezones
from graphcal.recurrence import occurrences, validate_recurrence

UTC = timezone.utc
_WEEKDAY = {name: (i - 1) % 7 for i, name in enumerate(DAY_NAMES)}  # date.weekday() numbers
_INDEX = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}


def _weekdays(pattern: dict) -> set[int]:
    return {_WEEKDAY[d.lower()] for d in pattern["daysOfWeek"]}


def _day_in_month(pattern: dict, year: int, month: int) -> date:
    """The one date a monthly/yearly pattern picks in a month."""
    ptype = pattern["type"]
    last = calendar.monthrange(year, month)[1]
    if ptype.startswith("absolute"):
        return date(year, month, min(pattern["dayOfMonth"], last))
    wanted = _weekdays(pattern)
    matching = [date(year, month, d) for d in range(1, last + 1)
                if date(year, month, d).weekday() in wanted]
    return matching[_INDEX[(pattern.get("index") or "first").lower()]]


def _fitting_dates(pattern: dict, since: date):
    """Dates on/after `since` that fit the pattern, ignoring the interval, in order."""
    ptype = pattern["type"]
    if ptype in ("daily", "weekly"):
        for n in count():
            d = since + timedelta(days=n)
            if ptype == "daily" or d.weekday() in _weekdays(pattern):
                yield d
    elif ptype.endswith("Monthly"):
        for n in count():
            months = since.year * 12 + since.month - 1 + n
            d = _day_in_month(pattern, months // 12, months % 12 + 1)
            if d >= since:
                yield d
    else:
        for year in count(since.year):
            d = _day_in_month(pattern, year, pattern["month"])
            if d >= since:
                yield d


def _period_number(pattern: dict, d: date) -> int:
    ptype = pattern["type"]
    if ptype == "daily":
        return d.toordinal()
    if ptype == "weekly":
        fdow = _WEEKDAY[(pattern.get("firstDayOfWeek") or "sunday").lower()]
        return (d.toordinal() - (d.weekday() - fdow) % 7) // 7
    if ptype.endswith("Monthly"):
        return d.year * 12 + d.month
    return d.year


def expected_dates(recurrence: dict, until: date):
    """Occurrence dates up to `until`: the first fitting date anchors the interval."""
    pattern, rng = recurrence["pattern"], recurrence["range"]
    dates = _fitting_dates(pattern, date.fromisoformat(rng["startDate"]))
    first = next(dates)
    anchor = _period_number(pattern, first)
    last = date.fromisoformat(rng["endDate"]) if rng["type"] == "endDate" else until
    remaining = rng.get("numberOfOccurrences") if rng["type"] == "numbered" else None
    for d in chain([first], dates):
        if d > min(last, until) or remaining == 0:
            return
        if (_period_number(pattern, d) - anchor) % pattern["interval"] == 0:
            yield d
            if remaining is not None:
                remaining -= 1


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(series_with_window())
def test_oracle_matches_calendar_arithmetic(case):
    body, window_start, window_end = case
    recurrence = body["recurrence"]
    assert validate_recurrence(recurrence) == []
    got = occurrences(recurrence, body["start"], body["end"], window_start, window_end)

    zone_name = recurrence["range"].get("recurrenceTimeZone") or body["start"]["timeZone"]
    tz = timezones.zone(zone_name)
    local_start = datetime.fromisoformat(body["start"]["dateTime"])
    duration = datetime.fromisoformat(body["end"]["dateTime"]) - local_start
    until = (window_end.astimezone(tz) + timedelta(days=2)).date()

    expected = []
    for d in expected_dates(recurrence, until):
        local = datetime.combine(d, local_start.time())
        start = local.replace(tzinfo=tz).astimezone(UTC)
        end = (local + duration).replace(tzinfo=tz).astimezone(UTC)
        if start < window_end and (end > window_start or start == window_start):
            expected.append((start, end, local, d))

    assert [(o.start, o.end, o.local_start, o.occurrence_date) for o in got] == expected
    # Invariants a consumer relies on, stated on their own.
    starts = [o.start for o in got]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(o.start.tzinfo is not None and o.start.utcoffset() == timedelta(0) for o in got)
    assert all(o.local_start.time() == local_start.time() for o in got)
    rng = recurrence["range"]
    if rng["type"] == "numbered":
        assert len(got) <= rng["numberOfOccurrences"]
    if rng["type"] == "endDate":
        assert all(o.occurrence_date <= date.fromisoformat(rng["endDate"]) for o in got)
    assert all(o.occurrence_date >= date.fromisoformat(rng["startDate"]) for o in got)

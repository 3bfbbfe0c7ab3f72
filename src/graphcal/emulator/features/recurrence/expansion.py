"""The emulator's own expansion of a series master into occurrences.

Written independently of the oracle (``graphcal.recurrence``): no rrule, plain date arithmetic
on *periods* (a day, a week from ``firstDayOfWeek``, a month, a year). The series' periods are
counted from the period of its first occurrence (the first date on or after ``startDate`` that
fits the pattern); every ``interval``-th period is active and holds the pattern's dates.

Only the periods that can touch the window are visited, so the cost of a window does not grow
with the series' age: the period index of the window's first day is computed directly, and for
``numbered`` ranges the number of occurrences before a period is a closed formula (every active
period after the first holds the same number of dates).

Choices where the Graph docs are silent (shared with Outlook's MS-OXOCAL / EWS behaviour):
a ``dayOfMonth`` past the month's end falls on the month's last day; a relative ``index`` counts
the union of ``daysOfWeek``; wall-clock start and duration are kept in the recurrence zone across
DST (a time in a spring-forward gap is read with the offset before the change).

Fault switches honoured here (see ``graphcal.emulator.core.faults``): ``rec-enddate-exclusive``,
``rec-dst-drift``, ``rec-month-end-skip``.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from graphcal import timezones
from graphcal.emulator.core.faults import active

__all__ = ["Series", "Slot", "series_of", "slots", "neighbours"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_INDEX = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
_UTC = timezone.utc


@dataclass(frozen=True)
class Series:
    """A master's recurrence, read once: everything expansion needs, in the recurrence zone."""

    kind: str                 # the pattern type
    interval: int
    weekdays: tuple[int, ...]  # Python weekday numbers (Monday 0), sorted
    week_start: int           # firstDayOfWeek as a Python weekday number
    index: str
    day_of_month: int
    month: int
    range_type: str
    start_date: date
    end_date: date | None
    count: int
    zone: ZoneInfo
    zone_name: str
    time_of_day: time
    duration: timedelta       # wall-clock duration in the recurrence zone
    faults: frozenset[str]


@dataclass(frozen=True)
class Slot:
    """One occurrence as the pattern places it (before exceptions and cancellations)."""

    date: date               # its date in the recurrence zone (the occurrenceId date)
    start: datetime          # aware UTC
    end: datetime            # aware UTC


def _local(dt_tz: dict[str, str], zone: ZoneInfo) -> datetime:
    """A stored dateTimeTimeZone as naive wall-clock time in ``zone``."""
    wall = timezones.parse_local(dt_tz["dateTime"]).replace(tzinfo=None)
    own = timezones.zone(dt_tz["timeZone"])
    if own.key == zone.key:
        return wall
    return wall.replace(tzinfo=own).astimezone(zone).replace(tzinfo=None)


def series_of(fields: dict[str, Any], faults: frozenset[str] = frozenset()) -> Series:
    """The series a master's stored fields describe (the core stores the normalised recurrence)."""
    rec = fields["recurrence"]
    pat, rng = rec["pattern"], rec["range"]
    zone_name = rng.get("recurrenceTimeZone") or fields["start"]["timeZone"]
    zone = timezones.zone(zone_name)
    if active(faults, "rec-dst-drift"):  # expand in UTC: the wall clock of the first start, in UTC
        zone, zone_name = ZoneInfo("UTC"), "UTC"
    first = _local(fields["start"], zone)
    last = _local(fields["end"], zone)
    end_text = rng.get("endDate")
    return Series(
        kind=pat["type"], interval=pat["interval"],
        weekdays=tuple(sorted(_WEEKDAYS.index(d.lower()) for d in pat.get("daysOfWeek") or [])),
        week_start=_WEEKDAYS.index("sunday" if active(faults, "series-first-day-sunday")
                                   else (pat.get("firstDayOfWeek") or "sunday").lower()),
        index=(pat.get("index") or "first").lower(), day_of_month=pat.get("dayOfMonth") or 0,
        month=pat.get("month") or 0, range_type=rng["type"],
        start_date=date.fromisoformat(rng["startDate"]),
        end_date=date.fromisoformat(end_text) if rng["type"] == "endDate" and end_text else None,
        count=rng.get("numberOfOccurrences") or 0, zone=zone, zone_name=zone_name,
        time_of_day=first.time(), duration=last - first, faults=faults)


# --- periods ----------------------------------------------------------------------------------
# A period is identified by its first day; periods are numbered from the first occurrence's.

def _period_of(s: Series, d: date) -> date:
    if s.kind == "daily":
        return d
    if s.kind == "weekly":
        return d - timedelta(days=(d.weekday() - s.week_start) % 7)
    if s.kind in ("absoluteMonthly", "relativeMonthly"):
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def _step(s: Series, p: date, n: int) -> date:
    """The period n periods after period p."""
    if s.kind == "daily":
        return p + timedelta(days=n)
    if s.kind == "weekly":
        return p + timedelta(days=7 * n)
    if s.kind in ("absoluteMonthly", "relativeMonthly"):
        y, m = divmod(p.year * 12 + p.month - 1 + n, 12)
        return date(y, m + 1, 1)
    return date(p.year + n, 1, 1)


def _distance(s: Series, a: date, b: date) -> int:
    """How many periods period b lies after period a (negative when before)."""
    if s.kind == "daily":
        return (b - a).days
    if s.kind == "weekly":
        return (b - a).days // 7
    if s.kind in ("absoluteMonthly", "relativeMonthly"):
        return (b.year - a.year) * 12 + (b.month - a.month)
    return b.year - a.year


def _month_day(s: Series, year: int, month: int) -> date | None:
    length = _cal.monthrange(year, month)[1]
    if s.day_of_month > length:
        if active(s.faults, "rec-month-end-skip"):  # RFC 5545 style: no such day, no occurrence
            return None
        return date(year, month, length)
    return date(year, month, s.day_of_month)


def _relative_day(s: Series, year: int, month: int) -> date:
    length = _cal.monthrange(year, month)[1]
    matching = [day for day in range(1, length + 1)
                if date(year, month, day).weekday() in s.weekdays]
    return date(year, month, matching[_INDEX[s.index]])


def _dates_in(s: Series, p: date) -> list[date]:
    """The pattern's dates in period p, ascending (interval not considered)."""
    if s.kind == "daily":
        return [p]
    if s.kind == "weekly":
        days = [p + timedelta(days=(wd - s.week_start) % 7) for wd in s.weekdays]
        return sorted(days)
    if s.kind == "absoluteMonthly":
        d = _month_day(s, p.year, p.month)
        return [d] if d else []
    if s.kind == "relativeMonthly":
        return [_relative_day(s, p.year, p.month)]
    if s.kind == "absoluteYearly":
        d = _month_day(s, p.year, s.month)
        return [d] if d else []
    return [_relative_day(s, p.year, s.month)]


def _first(s: Series) -> tuple[date, int] | None:
    """The first occurrence's date, and how many pattern dates its period holds from it on."""
    p = _period_of(s, s.start_date)
    for _ in range(12):  # every period holds a date, except skipped month ends (fault)
        later = [d for d in _dates_in(s, p) if d >= s.start_date]
        if later:
            return later[0], len(later)
        p = _step(s, p, 1)
    return None


def _per_period(s: Series) -> int:
    return len(s.weekdays) if s.kind == "weekly" else 1


def _in_range(s: Series, d: date) -> bool:
    if s.end_date is None:
        return True
    if active(s.faults, "rec-enddate-exclusive"):
        return d < s.end_date
    return d <= s.end_date


def _dates_between(s: Series, lo: date, hi: date) -> Iterator[date]:
    """The series' dates d with lo <= d <= hi, ascending."""
    found = _first(s)
    if found is None:
        return
    first, in_first = found
    anchor = _period_of(s, first)
    # the first active period that can hold a date >= lo
    k = max(0, _distance(s, anchor, _period_of(s, lo)))
    k -= k % s.interval
    per = _per_period(s)
    while True:
        p = _step(s, anchor, k)
        if p > hi:
            return
        dates = [d for d in _dates_in(s, p) if d >= first]
        for position, d in enumerate(dates):
            if s.range_type == "numbered":
                # occurrences before this one: the first period's, then `per` per active period
                before = position if k == 0 else in_first + (k // s.interval - 1) * per + position
                if before >= s.count:
                    return
            if not _in_range(s, d):
                return
            if lo <= d <= hi:
                yield d
        k += s.interval


def _slot(s: Series, d: date) -> Slot:
    wall = datetime.combine(d, s.time_of_day)
    start = wall.replace(tzinfo=s.zone, fold=0).astimezone(_UTC)
    end = (wall + s.duration).replace(tzinfo=s.zone, fold=0).astimezone(_UTC)
    return Slot(d, start, end)


def slots(s: Series, window_start: datetime, window_end: datetime) -> list[Slot]:
    """The occurrences overlapping [window_start, window_end) (aware instants), by start."""
    if window_end <= window_start:
        return []
    slack = timedelta(days=2) + max(s.duration, timedelta(0))
    lo = (window_start.astimezone(s.zone).replace(tzinfo=None) - slack).date()
    hi = (window_end.astimezone(s.zone).replace(tzinfo=None) + timedelta(days=2)).date()
    out = []
    for d in _dates_between(s, lo, hi):
        slot = _slot(s, d)
        if slot.start < window_end and (slot.end > window_start or slot.start == window_start):
            out.append(slot)
    return out


def slot_on(s: Series, d: date) -> Slot | None:
    """The occurrence the pattern places on date d (recurrence zone), if any."""
    return _slot(s, d) if any(x == d for x in _dates_between(s, d, d)) else None


def neighbours(s: Series, d: date) -> tuple[date | None, date | None]:
    """The series' dates just before and just after date d."""
    span = {"daily": 1, "weekly": 7, "absoluteMonthly": 62, "relativeMonthly": 62}.get(s.kind, 732)
    reach = timedelta(days=span * s.interval + 7)
    around = list(_dates_between(s, d - reach, d + reach))
    before = [x for x in around if x < d]
    after = [x for x in around if x > d]
    return (before[-1] if before else None, after[0] if after else None)

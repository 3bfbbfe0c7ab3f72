"""Independent recurrence oracle: a Graph ``patternedRecurrence`` expanded with dateutil's rrule.

This module is the yardstick the emulator's expansion is checked against, so it shares no code
with ``graphcal.emulator``. It maps each Graph pattern onto an RFC 5545 rule evaluated by
``dateutil.rrule`` in naive wall-clock time of the recurrence zone, then converts each
occurrence to an instant with real zone data (``graphcal.timezones``).

Graph semantics decided here (each with its source):

* Recurrence zone: ``range.recurrenceTimeZone``, else the series start's zone
  (recurrencerange resource page; concept page "outlook-schedule-recurring-events").
* ``range.startDate`` is where the pattern starts applying; the first occurrence is the first date
  on or after it that fits the pattern, and the series' periods (weeks, months, years) are counted
  from that first occurrence. The concept page's example "first Thursday of every other month
  starting 2017-08-29" has its first occurrence in September, i.e. the period is anchored at the
  first fitting date, not at ``startDate`` (an RFC 5545 rule anchored at 2017-08-29 would give
  October). MS-OXOCAL 2.2.1.44.1.1 ("Calculating the Value of the FirstDateTime Field") anchors
  a weekly series at the week "in which the first event of the recurring series occurs", which
  is the same rule; the start date itself is not an occurrence when it does not fit.
* ``range.endDate`` is inclusive: an occurrence whose date (in the recurrence zone) is the end
  date is in the series (concept page: Mondays until 2017-12-31 end on Monday 2017-12-25).
* ``numbered``: the first ``numberOfOccurrences`` occurrences from the first fitting date.
* ``dayOfMonth`` larger than the month (31 in April, 29-31 in February, yearly February 29):
  the occurrence falls on the month's last day. Source: Exchange Web Services ``DayOfMonth``
  element ("if ... larger than the number of days in the month, the last day of the month is
  assumed"), learn.microsoft.com/exchange/client-developer/web-service-reference/dayofmonth.
* Relative patterns with several ``daysOfWeek``: ``index`` counts the union of those weekdays in
  the month ("first Thursday or Friday" is the first day that is a Thursday or a Friday), as the
  MS-OXOCAL MonthNth bitmask ("Nth weekday of month") defines; ``last`` is the last such day.
* ``firstDayOfWeek`` (default Sunday, concept page) sets where the weeks of a weekly pattern
  begin, which matters when interval > 1 (MS-OXOCAL 2.2.1.44.1.1: weeks begin on FirstDOW).
* Occurrences keep their wall-clock start and end in the recurrence zone across DST changes
  (MS-OXOCAL AppointmentRecurrencePattern StartTimeOffset/EndTimeOffset are minutes after local
  midnight). A wall-clock time that does not exist on a spring-forward day is read with the
  offset before the change (zoneinfo ``fold=0``), i.e. one hour later on the clock; a repeated
  one takes its first (daylight) reading. Graph does not document either case.
* ``occurrence_date`` (the date in ``OID.{masterId}.{yyyy-mm-dd}``) is the occurrence's start
  date in the recurrence zone (GRAPH-FACTS, Recurrence).
* Window: an occurrence is returned when it overlaps ``[window_start, window_end)`` (start before
  the window's end and end after its start; a zero-length occurrence counts at its start), which
  is how calendarView and instances select events.

Cost: dateutil's rrule iterates period by period from ``dtstart`` (``between`` included), so for
``noEnd`` and ``endDate`` ranges the rule is restarted at a later ``dtstart`` that begins a valid
period (a multiple of ``interval`` days/weeks/months/years after the first occurrence's period),
one period before the window. ``numbered`` ranges are iterated from the first occurrence; their
length is bounded by ``numberOfOccurrences``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from dateutil import rrule as du

from graphcal import timezones
from graphcal.errors import GraphcalError

__all__ = [
    "Occurrence",
    "InvalidRecurrence",
    "PATTERN_TYPES",
    "RANGE_TYPES",
    "DAYS_OF_WEEK",
    "WEEK_INDEXES",
    "validate_recurrence",
    "recurrence_zone_name",
    "occurrences",
]

PATTERN_TYPES = ("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly",
                 "relativeYearly")
RANGE_TYPES = ("endDate", "noEnd", "numbered")
DAYS_OF_WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEK_INDEXES = ("first", "second", "third", "fourth", "last")

_RRULE_DAYS = dict(zip(DAYS_OF_WEEK, (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)))
_SETPOS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NEEDS_DAYS = {"weekly", "relativeMonthly", "relativeYearly"}
_NEEDS_DAY_OF_MONTH = {"absoluteMonthly", "absoluteYearly"}
_NEEDS_MONTH = {"absoluteYearly", "relativeYearly"}


class InvalidRecurrence(GraphcalError):
    """A patternedRecurrence that Graph defines as invalid; the message lists every reason."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("invalid recurrence: " + "; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Occurrence:
    start: datetime          # aware, UTC
    end: datetime            # aware, UTC
    local_start: datetime    # naive wall-clock time in the recurrence zone
    occurrence_date: date    # local_start's date: the date in OID.{masterId}.{yyyy-mm-dd}


# --- validation -------------------------------------------------------------------------------

def _enum(value: Any, allowed: tuple[str, ...]) -> str | None:
    """Graph enum members match case-insensitively ("Monday" and "monday" both occur in docs)."""
    if not isinstance(value, str):
        return None
    folded = {a.lower(): a for a in allowed}
    return folded.get(value.lower())


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def validate_recurrence(recurrence: Any) -> list[str]:
    """The reasons Graph would reject this patternedRecurrence; [] when it is valid.

    Fields a pattern type ignores are still checked against their allowed values (concept page:
    "Even if a field is ignored, it is still validated"); Graph itself echoes 0 for unused
    ``month``/``dayOfMonth`` and ``numberOfOccurrences``, so 0 is accepted where unused.
    """
    if not isinstance(recurrence, dict):
        return ["recurrence must be an object with 'pattern' and 'range'"]
    pattern, rng = recurrence.get("pattern"), recurrence.get("range")
    reasons: list[str] = []
    if not isinstance(pattern, dict):
        reasons.append("recurrence.pattern is required and must be an object")
        pattern = None
    if not isinstance(rng, dict):
        reasons.append("recurrence.range is required and must be an object")
        rng = None
    if pattern is not None:
        reasons += _pattern_reasons(pattern)
    if rng is not None:
        reasons += _range_reasons(rng)
    return reasons


def _pattern_reasons(pattern: dict) -> list[str]:
    reasons = []
    ptype = _enum(pattern.get("type"), PATTERN_TYPES)
    if ptype is None:
        reasons.append(f"pattern.type must be one of {', '.join(PATTERN_TYPES)}, "
                       f"got {pattern.get('type')!r}")
    interval = _int(pattern.get("interval"))
    if interval is None or interval < 1:
        reasons.append(f"pattern.interval must be an integer >= 1, got {pattern.get('interval')!r}")

    days = pattern.get("daysOfWeek")
    if days is not None and (not isinstance(days, list)
                             or any(_enum(d, DAYS_OF_WEEK) is None for d in days)):
        reasons.append(f"pattern.daysOfWeek must be a list of day names, got {days!r}")
    elif ptype in _NEEDS_DAYS and not days:
        reasons.append(f"pattern.daysOfWeek is required for a {ptype} pattern")

    fdow = pattern.get("firstDayOfWeek")
    if fdow is not None and _enum(fdow, DAYS_OF_WEEK) is None:
        reasons.append(f"pattern.firstDayOfWeek must be a day name, got {fdow!r}")
    index = pattern.get("index")
    if index is not None and _enum(index, WEEK_INDEXES) is None:
        reasons.append(f"pattern.index must be one of {', '.join(WEEK_INDEXES)}, got {index!r}")

    reasons += _day_or_month_reasons(pattern, "dayOfMonth", 31, ptype, _NEEDS_DAY_OF_MONTH)
    reasons += _day_or_month_reasons(pattern, "month", 12, ptype, _NEEDS_MONTH)
    return reasons


def _day_or_month_reasons(pattern: dict, key: str, highest: int, ptype: str | None,
                          needed_by: set[str]) -> list[str]:
    """dayOfMonth (1-31) or month (1-12): required by ``needed_by`` patterns; 0 allowed where
    unused (Graph echoes 0 for them)."""
    value = pattern.get(key)
    number = _int(value)
    if value is not None and (number is None or not 0 <= number <= highest):
        return [f"pattern.{key} must be an integer from 1 to {highest}, got {value!r}"]
    if ptype in needed_by and not number:
        return [f"pattern.{key} (1-{highest}) is required for a {ptype} pattern"]
    return []


def _range_reasons(rng: dict) -> list[str]:
    reasons = []
    rtype = _enum(rng.get("type"), RANGE_TYPES)
    if rtype is None:
        reasons.append(f"range.type must be one of {', '.join(RANGE_TYPES)}, "
                       f"got {rng.get('type')!r}")
    start = _date(rng.get("startDate"))
    if start is None:
        reasons.append(f"range.startDate must be a date (yyyy-mm-dd), got {rng.get('startDate')!r}")
    if rtype == "endDate":
        end = _date(rng.get("endDate"))
        if end is None:
            reasons.append(f"range.endDate (yyyy-mm-dd) is required for an endDate range, "
                           f"got {rng.get('endDate')!r}")
        elif start is not None and end < start:
            reasons.append(f"range.endDate {end} is before range.startDate {start}")
    count = rng.get("numberOfOccurrences")
    if rtype == "numbered":
        if _int(count) is None or count < 1:
            reasons.append(f"range.numberOfOccurrences must be an integer >= 1 for a numbered "
                           f"range, got {count!r}")
    elif count is not None and (_int(count) is None or count < 0):
        reasons.append(f"range.numberOfOccurrences must be a non-negative integer, got {count!r}")
    zone_name = rng.get("recurrenceTimeZone")
    if zone_name not in (None, "") and not timezones.is_known(zone_name):
        reasons.append(f"range.recurrenceTimeZone {zone_name!r} is not a known time zone")
    return reasons


# --- expansion --------------------------------------------------------------------------------

def recurrence_zone_name(recurrence: dict, series_start: dict) -> str:
    """The zone the pattern is evaluated in: recurrenceTimeZone, else the series start's zone."""
    return (recurrence.get("range") or {}).get("recurrenceTimeZone") or series_start["timeZone"]


def _wall_clock(dt_tz: dict, zone_name: str) -> datetime:
    """A dateTimeTimeZone as naive wall-clock time in zone_name."""
    local = timezones.parse_local(dt_tz["dateTime"])
    if local.tzinfo is None and \
            timezones.zone(dt_tz["timeZone"]).key == timezones.zone(zone_name).key:
        return local  # as written, even when it falls in a DST gap (no round trip to shift it)
    instant = timezones.to_instant(local, dt_tz["timeZone"])
    return timezones.to_local(instant, zone_name)


def _rule_kwargs(pattern: dict) -> tuple[int, dict]:
    """rrule frequency and by-rules for a Graph pattern (interval not included)."""
    ptype = _enum(pattern["type"], PATTERN_TYPES)
    days = [_RRULE_DAYS[_enum(d, DAYS_OF_WEEK)] for d in pattern.get("daysOfWeek") or []]
    setpos = _SETPOS[_enum(pattern.get("index") or "first", WEEK_INDEXES)]
    if ptype == "daily":
        return du.DAILY, {}
    if ptype == "weekly":
        wkst = _RRULE_DAYS[_enum(pattern.get("firstDayOfWeek") or "sunday", DAYS_OF_WEEK)]
        return du.WEEKLY, {"byweekday": days, "wkst": wkst}
    if ptype == "relativeMonthly":
        return du.MONTHLY, {"byweekday": days, "bysetpos": setpos}
    if ptype == "relativeYearly":
        return du.YEARLY, {"bymonth": pattern["month"], "byweekday": days, "bysetpos": setpos}
    # Absolute patterns: a day past the month's end falls on its last day (EWS DayOfMonth).
    # bymonthday 28..d with bysetpos -1 picks d where it exists, else the month's last day.
    dom = pattern["dayOfMonth"]
    by_day = {"bymonthday": dom} if dom <= 28 else {"bymonthday": tuple(range(28, dom + 1)),
                                                    "bysetpos": -1}
    if ptype == "absoluteMonthly":
        return du.MONTHLY, by_day
    return du.YEARLY, {"bymonth": pattern["month"], **by_day}


def _period_start(freq: int, day: date, wkst: int) -> date:
    """The first day of the rrule period (day, week from wkst, month, year) containing day."""
    if freq == du.DAILY:
        return day
    if freq == du.WEEKLY:
        return day - timedelta(days=(day.weekday() - wkst) % 7)
    if freq == du.MONTHLY:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _periods_between(freq: int, a: date, b: date) -> int:
    """Whole periods from period start a to the period containing b (a <= b)."""
    if freq == du.DAILY:
        return (b - a).days
    if freq == du.WEEKLY:
        return (b - a).days // 7
    if freq == du.MONTHLY:
        return (b.year - a.year) * 12 + b.month - a.month
    return b.year - a.year


def _add_periods(freq: int, a: date, n: int) -> date:
    if freq == du.DAILY:
        return a + timedelta(days=n)
    if freq == du.WEEKLY:
        return a + timedelta(weeks=n)
    if freq == du.MONTHLY:
        months = a.year * 12 + (a.month - 1) + n
        return date(months // 12, months % 12 + 1, 1)
    return date(a.year + n, 1, 1)


def occurrences(recurrence: dict, series_start: dict, series_end: dict,
                window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """The occurrences of a series that overlap [window_start, window_end), sorted by start.

    ``series_start``/``series_end`` are the master's dateTimeTimeZone start and end; they give
    the wall-clock start time and the duration. Naive window bounds are read as UTC.
    Raises InvalidRecurrence (a GraphcalError) when validate_recurrence finds reasons.
    """
    reasons = validate_recurrence(recurrence)
    if reasons:
        raise InvalidRecurrence(reasons)
    pattern, rng = recurrence["pattern"], recurrence["range"]
    try:
        zone_name = recurrence_zone_name(recurrence, series_start)
        tz = timezones.zone(zone_name)
        first_local = _wall_clock(series_start, zone_name)
        wall_duration = _wall_clock(series_end, zone_name) - first_local
    except (KeyError, TypeError, ValueError) as exc:  # UnknownTimeZone is a ValueError
        raise InvalidRecurrence([f"series start/end must be dateTimeTimeZone objects "
                                 f"({{'dateTime': ..., 'timeZone': ...}}) in a known zone: "
                                 f"{exc}"]) from None
    time_of_day: time = first_local.time()

    window_start = _as_utc(window_start)
    window_end = _as_utc(window_end)
    if window_end <= window_start:
        return []

    freq, by = _rule_kwargs(pattern)
    interval = pattern["interval"]
    start_date = date.fromisoformat(rng["startDate"])
    rtype = _enum(rng["type"], RANGE_TYPES)
    until = None
    if rtype == "endDate":
        until = datetime.combine(date.fromisoformat(rng["endDate"]), time.max)

    # First occurrence: the first date on/after startDate that fits the by-rules, whatever the
    # interval (every period is valid with interval 1).
    probe = du.rrule(freq, dtstart=datetime.combine(start_date, time_of_day), **by)
    first = probe.after(datetime.combine(start_date, time_of_day), inc=True)
    if first is None or (until is not None and first > until):
        return []

    # Wall-clock bounds that surely contain every candidate (a day of slack covers any offset).
    lo = timezones.to_local(window_start, zone_name) - max(wall_duration, timedelta(0)) \
        - timedelta(days=2)
    hi = timezones.to_local(window_end, zone_name) + timedelta(days=2)

    dtstart = first
    if rtype != "numbered" and lo > first:
        # Restart the rule at a valid period one period before lo: rrule iterates from dtstart,
        # so this keeps the cost proportional to the window, not to the series' age.
        wkst = by.get("wkst", du.SU).weekday
        anchor = _period_start(freq, first.date(), wkst)
        k = _periods_between(freq, anchor, lo.date()) // interval - 1
        if k > 0:
            dtstart = datetime.combine(_add_periods(freq, anchor, k * interval), time_of_day)
    rule_kwargs = dict(by, dtstart=dtstart, interval=interval)
    if rtype == "numbered":
        rule_kwargs["count"] = rng["numberOfOccurrences"]
    elif until is not None:
        rule_kwargs["until"] = until
    rule = du.rrule(freq, **rule_kwargs)

    found = []
    for local_start in rule.between(lo, hi, inc=True):
        if local_start < first:  # a restarted rule never yields these; kept as a guard
            continue
        start = local_start.replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
        end = (local_start + wall_duration).replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
        overlaps = start < window_end and (end > window_start or start == window_start)
        if overlaps:
            found.append(Occurrence(start, end, local_start, local_start.date()))
    return found


def _as_utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)

"""Hypothesis strategies for random VALID Graph recurring series, and windows to expand them in.

``series()`` draws an event body fragment ``{"start", "end", "recurrence"}`` ready to POST
(start/end are dateTimeTimeZone in the recurrence zone, on ``range.startDate`` as Graph
requires); ``windows(series)`` draws a ``(window_start, window_end)`` pair of aware UTC
datetimes near or long after the series start; ``series_with_window()`` draws both.

Coverage: the six pattern types with intervals > 1, several daysOfWeek, every index,
firstDayOfWeek, dayOfMonth 29-31, February 29; the three range types; zones with DST in both
hemispheres, a 30-minute DST (Lord Howe), no DST (India), UTC and an IANA name; wall-clock
times inside DST gaps; zero-length, short, all-day-like and multi-day durations.

Tests import it by its package path (``from tests.recurrence.strategies import series``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

__all__ = ["ZONES", "DAY_NAMES", "patterns", "ranges", "series", "windows",
           "series_with_window"]

ZONES = (
    "Pacific Standard Time",        # DST, northern hemisphere (Mar/Nov)
    "W. Europe Standard Time",      # DST, different change dates (Mar/Oct)
    "AUS Eastern Standard Time",    # DST, southern hemisphere
    "Lord Howe Standard Time",      # 30-minute DST shift
    "India Standard Time",          # +05:30, no DST
    "UTC",
    "America/New_York",             # an IANA name, as Graph also accepts
)
DAY_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
INDEXES = ("first", "second", "third", "fourth", "last")
_ANY_CASE_DAYS = DAY_NAMES + tuple(d.capitalize() for d in DAY_NAMES)

_FIRST_DAY = date(2000, 1, 1)
_LAST_DAY = date(2035, 12, 31)


def _day_name() -> st.SearchStrategy[str]:
    # Graph accepts enum members case-insensitively; the docs use both spellings.
    return st.builds(lambda name, cap: name.capitalize() if cap else name,
                     st.sampled_from(DAY_NAMES), st.booleans())


def _days_of_week() -> st.SearchStrategy[list[str]]:
    return st.lists(_day_name(), min_size=1, max_size=7, unique_by=str.lower)


def _optional(key: str, values: tuple) -> st.SearchStrategy[dict]:
    """The key with one of the values, or absent (Graph's default applies), equally likely."""
    return st.sampled_from((None, *values)).map(lambda v: {} if v is None else {key: v})


def patterns() -> st.SearchStrategy[dict]:
    """A valid recurrencePattern of any of the six types."""
    def make(ptype: str, interval, **fields):
        return st.fixed_dictionaries({"type": st.just(ptype), "interval": interval,
                                      **fields})

    day_of_month = st.one_of(st.integers(1, 28), st.integers(29, 31))
    daily = make("daily", st.integers(1, 10))
    weekly = st.builds(lambda p, fdow: p | fdow,
                       make("weekly", st.integers(1, 4), daysOfWeek=_days_of_week()),
                       _optional("firstDayOfWeek", _ANY_CASE_DAYS))
    absolute_monthly = make("absoluteMonthly", st.integers(1, 6), dayOfMonth=day_of_month)
    relative_monthly = st.builds(lambda p, idx: p | idx,
                                 make("relativeMonthly", st.integers(1, 6),
                                      daysOfWeek=_days_of_week()),
                                 _optional("index", INDEXES))
    absolute_yearly = make("absoluteYearly", st.integers(1, 4), dayOfMonth=day_of_month,
                           month=st.integers(1, 12))
    relative_yearly = st.builds(lambda p, idx: p | idx,
                                make("relativeYearly", st.integers(1, 4),
                                     daysOfWeek=_days_of_week(), month=st.integers(1, 12)),
                                _optional("index", INDEXES))
    return st.one_of(daily, weekly, absolute_monthly, relative_monthly, absolute_yearly,
                     relative_yearly)


def ranges(start: date) -> st.SearchStrategy[dict]:
    """A valid recurrenceRange starting on ``start`` (recurrenceTimeZone is added by series)."""
    iso = start.isoformat()
    no_end = st.just({"type": "noEnd", "startDate": iso})
    end_date = st.integers(0, 1500).map(
        lambda n: {"type": "endDate", "startDate": iso,
                   "endDate": (start + timedelta(days=n)).isoformat()})
    numbered = st.integers(1, 40).map(
        lambda n: {"type": "numbered", "startDate": iso, "numberOfOccurrences": n})
    return st.one_of(no_end, end_date, numbered)


@st.composite
def series(draw) -> dict:
    """An event body fragment: {"start", "end", "recurrence"} for a valid recurring series."""
    start_day = draw(st.dates(_FIRST_DAY, _LAST_DAY))
    zone = draw(st.sampled_from(ZONES))
    rng = draw(ranges(start_day))
    if draw(st.booleans()):
        rng["recurrenceTimeZone"] = zone
    # Quarter hours cover the 02:00-03:00 DST gaps and the 30-minute Lord Howe shift.
    minute_of_day = draw(st.integers(0, 95)) * 15
    minutes = draw(st.one_of(st.sampled_from([0, 30, 60, 24 * 60]),
                             st.integers(1, 4 * 24 * 4).map(lambda q: q * 15)))
    local_start = datetime.combine(start_day, time(minute_of_day // 60, minute_of_day % 60))
    local_end = local_start + timedelta(minutes=minutes)
    return {
        "start": {"dateTime": local_start.isoformat(), "timeZone": zone},
        "end": {"dateTime": local_end.isoformat(), "timeZone": zone},
        "recurrence": {"pattern": draw(patterns()), "range": rng},
    }


@st.composite
def windows(draw, body: dict) -> tuple[datetime, datetime]:
    """A [start, end) window in UTC: around the series start, around an end date, or years on."""
    rng = body["recurrence"]["range"]
    start_day = date.fromisoformat(rng["startDate"])
    near_start = st.integers(-10, 60).map(lambda n: start_day + timedelta(days=n))
    far = st.integers(120, 3700).map(lambda n: start_day + timedelta(days=n))
    choices = [near_start, far]
    if rng["type"] == "endDate":
        end_day = date.fromisoformat(rng["endDate"])
        choices.append(st.integers(-60, 5).map(lambda n: end_day + timedelta(days=n)))
    begin_day = draw(st.one_of(choices))
    begin = (datetime.combine(begin_day, time(), timezone.utc)
             + timedelta(hours=draw(st.integers(-14, 23))))
    length = draw(st.one_of(st.integers(1, 48).map(lambda h: timedelta(hours=h)),
                            st.integers(2, 400).map(lambda d: timedelta(days=d))))
    return begin, begin + length


@st.composite
def series_with_window(draw) -> tuple[dict, datetime, datetime]:
    body = draw(series())
    begin, end = draw(windows(body))
    return body, begin, end

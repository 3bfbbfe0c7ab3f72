"""The oracle against calendar facts checked by hand (printed calendars, published DST dates)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from graphcal.errors import GraphcalError
from graphcal.recurrence import InvalidRecurrence, occurrences

UTC = timezone.utc
PST = "Pacific Standard Time"


def series(pattern: dict, rng: dict, hhmm: str = "09:00", minutes: int = 30, zone: str = PST,
           start_day: str | None = None) -> tuple[dict, dict, dict]:
    day = start_day or rng["startDate"]
    start = datetime.fromisoformat(f"{day}T{hhmm}:00")
    end = start + timedelta(minutes=minutes)
    return ({"pattern": pattern, "range": rng},
            {"dateTime": start.isoformat(), "timeZone": zone},
            {"dateTime": end.isoformat(), "timeZone": zone})


def days(occ) -> list[str]:
    return [o.occurrence_date.isoformat() for o in occ]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_last_friday_of_each_month_2026():
    rec = series({"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"],
                  "index": "last"}, {"type": "noEnd", "startDate": "2026-01-01"})
    got = days(occurrences(*rec, utc(2026, 1, 1), utc(2027, 1, 1)))
    assert got == ["2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24", "2026-05-29",
                   "2026-06-26", "2026-07-31", "2026-08-28", "2026-09-25", "2026-10-30",
                   "2026-11-27", "2026-12-25"]


def test_first_monday_of_each_month_2026():
    rec = series({"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["monday"],
                  "index": "first"}, {"type": "endDate", "startDate": "2026-01-01",
                                      "endDate": "2026-12-31"})
    got = days(occurrences(*rec, utc(2025, 1, 1), utc(2028, 1, 1)))
    assert got == ["2026-01-05", "2026-02-02", "2026-03-02", "2026-04-06", "2026-05-04",
                   "2026-06-01", "2026-07-06", "2026-08-03", "2026-09-07", "2026-10-05",
                   "2026-11-02", "2026-12-07"]


def test_february_29_yearly_falls_on_the_28th_in_common_years():
    # EWS DayOfMonth: a day past the month's end means the month's last day.
    rec = series({"type": "absoluteYearly", "interval": 1, "dayOfMonth": 29, "month": 2},
                 {"type": "noEnd", "startDate": "2024-02-29"})
    got = days(occurrences(*rec, utc(2024, 1, 1), utc(2033, 1, 1)))
    assert got == ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29",
                   "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]


def test_day_31_monthly_clamps_to_the_last_day_of_short_months():
    rec = series({"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
                 {"type": "numbered", "startDate": "2026-01-31", "numberOfOccurrences": 7})
    got = days(occurrences(*rec, utc(2026, 1, 1), utc(2027, 1, 1)))
    assert got == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31",
                   "2026-06-30", "2026-07-31"]


def test_weekly_keeps_wall_clock_across_both_2026_pacific_dst_changes():
    # US DST 2026: starts Sunday March 8, ends Sunday November 1.
    rec = series({"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                 {"type": "noEnd", "startDate": "2026-03-02"}, "09:00", 60)
    occ = {o.occurrence_date.isoformat(): o
           for o in occurrences(*rec, utc(2026, 3, 1), utc(2026, 11, 10))}
    assert all(o.local_start.hour == 9 and o.local_start.minute == 0 for o in occ.values())
    assert occ["2026-03-02"].start == utc(2026, 3, 2, 17)   # PST, UTC-8
    assert occ["2026-03-09"].start == utc(2026, 3, 9, 16)   # PDT, UTC-7
    assert occ["2026-10-26"].start == utc(2026, 10, 26, 16)
    assert occ["2026-11-02"].start == utc(2026, 11, 2, 17)
    assert occ["2026-11-02"].end == utc(2026, 11, 2, 18)


def test_wall_clock_time_missing_on_spring_forward_day_reads_with_the_standard_offset():
    # 02:30 does not exist in Pacific time on 2026-03-08; zoneinfo fold=0 reads it as PST.
    rec = series({"type": "daily", "interval": 1}, {"type": "noEnd", "startDate": "2026-03-07"},
                 "02:30", 30)
    occ = occurrences(*rec, utc(2026, 3, 7), utc(2026, 3, 10))
    assert [o.start for o in occ] == [utc(2026, 3, 7, 10, 30), utc(2026, 3, 8, 10, 30),
                                      utc(2026, 3, 9, 9, 30)]
    assert occ[1].local_start == datetime(2026, 3, 8, 2, 30)


def test_series_starting_inside_the_gap_keeps_its_written_wall_clock():
    rec = series({"type": "daily", "interval": 1}, {"type": "noEnd", "startDate": "2026-03-08"},
                 "02:30", 30)
    occ = occurrences(*rec, utc(2026, 3, 8), utc(2026, 3, 10))
    assert [o.local_start for o in occ] == [datetime(2026, 3, 8, 2, 30),
                                            datetime(2026, 3, 9, 2, 30)]
    assert [o.start for o in occ] == [utc(2026, 3, 8, 10, 30), utc(2026, 3, 9, 9, 30)]


def test_recurrence_zone_rules_the_date_and_the_wall_clock():
    # Start given in UTC, evaluated in Pacific time: Sunday 22:00 PST is Monday 06:00Z.
    rec, start, end = series({"type": "weekly", "interval": 1, "daysOfWeek": ["sunday"]},
                             {"type": "noEnd", "startDate": "2026-11-01",
                              "recurrenceTimeZone": PST}, zone="UTC", hhmm="06:00",
                             start_day="2026-11-02")
    occ = occurrences(rec, start, end, utc(2026, 11, 1), utc(2026, 11, 20))
    assert [o.occurrence_date for o in occ] == [date(2026, 11, 1), date(2026, 11, 8),
                                                date(2026, 11, 15)]
    assert occ[0].start == utc(2026, 11, 2, 6) and occ[0].local_start.hour == 22


def test_numbered_range_gives_exactly_that_many():
    rec = series({"type": "weekly", "interval": 1, "daysOfWeek": ["tuesday", "thursday"]},
                 {"type": "numbered", "startDate": "2026-11-05", "numberOfOccurrences": 5})
    got = days(occurrences(*rec, utc(2026, 1, 1), utc(2028, 1, 1)))
    assert got == ["2026-11-05", "2026-11-10", "2026-11-12", "2026-11-17", "2026-11-19"]


def test_end_date_is_inclusive_when_it_fits_the_pattern():
    rec = series({"type": "daily", "interval": 1},
                 {"type": "endDate", "startDate": "2026-11-20", "endDate": "2026-11-23"},
                 "23:30")
    assert days(occurrences(*rec, utc(2026, 11, 1), utc(2026, 12, 31))) == [
        "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]


@pytest.mark.parametrize("first_day, expected", [
    ("sunday", ["2026-11-02", "2026-11-15", "2026-11-16", "2026-11-29", "2026-11-30"]),
    ("monday", ["2026-11-02", "2026-11-08", "2026-11-16", "2026-11-22", "2026-11-30",
                "2026-12-06"]),
])
def test_every_other_week_depends_on_first_day_of_week(first_day, expected):
    rec = series({"type": "weekly", "interval": 2, "daysOfWeek": ["monday", "sunday"],
                  "firstDayOfWeek": first_day}, {"type": "noEnd", "startDate": "2026-11-02"})
    assert days(occurrences(*rec, utc(2026, 11, 1), utc(2026, 12, 7, 12))) == expected


def test_start_date_that_does_not_fit_is_not_an_occurrence():
    # Friday 2026-11-20, weekly on Mondays: the first occurrence is Monday the 23rd.
    rec = series({"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
                 {"type": "numbered", "startDate": "2026-11-20", "numberOfOccurrences": 2})
    assert days(occurrences(*rec, utc(2026, 11, 1), utc(2027, 1, 1))) == [
        "2026-11-23", "2026-11-30"]


@pytest.mark.parametrize("pattern, aligned", [
    ({"type": "daily", "interval": 1}, lambda d: True),
    ({"type": "daily", "interval": 3}, lambda d: (d - date(2016, 11, 21)).days % 3 == 0),
    ({"type": "weekly", "interval": 2, "daysOfWeek": ["monday", "friday"]},
     # weeks begin on Sunday; the first valid week is the one of Monday 2016-11-21
     lambda d: ((d - date(2016, 11, 20)).days // 7) % 2 == 0 and d.weekday() in (0, 4)),
])
def test_daily_and_weekly_no_end_started_ten_years_ago_over_three_weeks(pattern, aligned):
    rec = series(pattern, {"type": "noEnd", "startDate": "2016-11-21"}, "08:00", 45,
                 "W. Europe Standard Time")
    occ = occurrences(*rec, utc(2026, 11, 2), utc(2026, 11, 23))
    got = [o.occurrence_date for o in occ]
    expected = [date(2026, 11, 2) + timedelta(days=i) for i in range(21)
                if aligned(date(2026, 11, 2) + timedelta(days=i))]
    assert got == expected and expected
    # The same series as a numbered range is expanded from its first occurrence, without the
    # restart that keeps noEnd windows cheap: both must agree.
    numbered = series(pattern, {"type": "numbered", "startDate": "2016-11-21",
                                "numberOfOccurrences": 5000}, "08:00", 45,
                      "W. Europe Standard Time")
    assert occurrences(*numbered, utc(2026, 11, 2), utc(2026, 11, 23)) == occ


@pytest.mark.parametrize("pattern", [
    {"type": "absoluteMonthly", "interval": 5, "dayOfMonth": 31},
    {"type": "relativeMonthly", "interval": 3, "daysOfWeek": ["tuesday"], "index": "last"},
    {"type": "absoluteYearly", "interval": 3, "dayOfMonth": 29, "month": 2},
    {"type": "relativeYearly", "interval": 2, "daysOfWeek": ["thursday"], "index": "fourth",
     "month": 11},
])
def test_monthly_and_yearly_restart_agrees_with_full_expansion(pattern):
    kw = dict(hhmm="10:00", minutes=60, zone="Eastern Standard Time")
    no_end = series(pattern, {"type": "noEnd", "startDate": "2001-03-10"}, **kw)
    numbered = series(pattern, {"type": "numbered", "startDate": "2001-03-10",
                                "numberOfOccurrences": 400}, **kw)
    window = (utc(2030, 1, 1), utc(2040, 1, 1))
    got = occurrences(*no_end, *window)
    assert got and got == occurrences(*numbered, *window)


def test_window_selects_occurrences_that_overlap_it():
    rec = series({"type": "daily", "interval": 1}, {"type": "noEnd", "startDate": "2026-06-01"},
                 "10:00", 120, "UTC")
    # 10:00-12:00 every day. The window 11:00..next day 10:00 overlaps day 1 only; a window
    # starting at 12:00 (the end) misses it; one ending at 10:00 misses the next day's start.
    assert days(occurrences(*rec, utc(2026, 6, 1, 11), utc(2026, 6, 2, 10))) == ["2026-06-01"]
    assert days(occurrences(*rec, utc(2026, 6, 1, 12), utc(2026, 6, 2, 10))) == []
    assert days(occurrences(*rec, utc(2026, 6, 1, 12), utc(2026, 6, 2, 10, 1))) == ["2026-06-02"]


def test_invalid_recurrence_is_one_clear_graphcal_error():
    rec = series({"type": "weekly", "interval": 0}, {"type": "noEnd", "startDate": "2026-06-01"})
    with pytest.raises(InvalidRecurrence) as info:
        occurrences(*rec, utc(2026, 1, 1), utc(2027, 1, 1))
    assert isinstance(info.value, GraphcalError)
    assert "interval" in str(info.value) and "daysOfWeek" in str(info.value)


def test_unknown_zone_is_a_graphcal_error():
    rec = series({"type": "daily", "interval": 1}, {"type": "noEnd", "startDate": "2026-06-01"},
                 zone="Mars Standard Time")
    with pytest.raises(GraphcalError, match="Mars Standard Time"):
        occurrences(*rec, utc(2026, 1, 1), utc(2027, 1, 1))

"""The oracle on the recurrence examples of the Graph docs (copied in data/ with provenance).

Every expected date list below was checked by hand against a printed 2017 calendar; the
documented prose the example comes with is quoted by its page and line in the test id.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from graphcal.recurrence import occurrences, validate_recurrence

DATA = json.loads((Path(__file__).parent / "data" / "documented_recurrences.json").read_text())
CONCEPT = "concepts/outlook-schedule-recurring-events.md"
PST = "Pacific Standard Time"


def fragment(line: int) -> dict:
    """The documented fragment at a line of the concept page (pattern, range or recurrence)."""
    [hit] = [f["value"] for f in DATA["fragments"]
             if f["source"]["path"] == CONCEPT and f["source"]["line"] == line]
    return hit


def pattern(line: int) -> dict:
    return fragment(line)["pattern"]


def at(day: str, hhmm: str = "09:00", zone: str = PST) -> dict:
    return {"dateTime": f"{day}T{hhmm}:00", "timeZone": zone}


def dates(recurrence: dict, start: dict, end: dict,
          window=(datetime(2000, 1, 1, tzinfo=timezone.utc),
                  datetime(2040, 1, 1, tzinfo=timezone.utc))) -> list[str]:
    return [o.occurrence_date.isoformat() for o in occurrences(recurrence, start, end, *window)]


def test_every_documented_fragment_is_a_valid_part():
    for f in DATA["fragments"]:
        value = f["value"]
        rec = value.get("recurrence") or {
            "pattern": value.get("pattern", {"type": "daily", "interval": 1}),
            "range": value.get("range", {"type": "noEnd", "startDate": "2017-01-01"}),
        }
        assert validate_recurrence(rec) == [], f["source"]


def test_documented_response_echo_validates():
    # Graph echoes month 0, dayOfMonth 0, index "first", numberOfOccurrences 0 for unused fields.
    [example] = DATA["examples"]
    assert validate_recurrence(example["response"]["recurrence"]) == []


# (pattern line, range, expected dates) -- ranges chosen so each pattern's documented meaning shows.
CASES = {
    "daily every 3 days (l.52), July 2017 endDate (l.272)":
        (pattern(52), fragment(272)["range"],
         ["2017-07-01", "2017-07-04", "2017-07-07", "2017-07-10", "2017-07-13", "2017-07-16",
          "2017-07-19", "2017-07-22", "2017-07-25", "2017-07-28", "2017-07-31"]),
    "every Thursday (l.76), numbered 10 from Sunday 2017-04-02 (l.247)":
        (pattern(76), fragment(247)["range"],
         ["2017-04-06", "2017-04-13", "2017-04-20", "2017-04-27", "2017-05-04", "2017-05-11",
          "2017-05-18", "2017-05-25", "2017-06-01", "2017-06-08"]),
    "every other Monday and Tuesday (l.85), noEnd from Monday 2017-05-15 (l.296)":
        (pattern(85), fragment(296)["range"],
         ["2017-05-15", "2017-05-16", "2017-05-29", "2017-05-30", "2017-06-12", "2017-06-13"]),
    "the 15th of every month (l.112), July 2017 endDate":
        (pattern(112), {"type": "endDate", "startDate": "2017-07-01", "endDate": "2017-12-31"},
         ["2017-07-15", "2017-08-15", "2017-09-15", "2017-10-15", "2017-11-15", "2017-12-15"]),
    "quarterly on the 7th (l.121), from 2017-05-15: first fitting date June 7, then every 3 months":
        (pattern(121), fragment(296)["range"],
         ["2017-06-07", "2017-09-07", "2017-12-07", "2018-03-07"]),
    "second Wednesday (l.146), second half of 2017":
        (pattern(146), {"type": "endDate", "startDate": "2017-07-01", "endDate": "2017-12-31"},
         ["2017-07-12", "2017-08-09", "2017-09-13", "2017-10-11", "2017-11-08", "2017-12-13"]),
    "first Thursday or Friday (l.156), second half of 2017":
        (pattern(156), {"type": "endDate", "startDate": "2017-07-01", "endDate": "2017-12-31"},
         ["2017-07-06", "2017-08-03", "2017-09-01", "2017-10-05", "2017-11-02", "2017-12-01"]),
    "April 15 every year (l.182), numbered 3 from 2017-05-15: first one in 2018":
        (pattern(182), {"type": "numbered", "startDate": "2017-05-15", "numberOfOccurrences": 3},
         ["2018-04-15", "2019-04-15", "2020-04-15"]),
    "last Wednesday of November (l.209), numbered 3 from 2017-04-02":
        (pattern(209), fragment(247)["range"] | {"numberOfOccurrences": 3},
         ["2017-11-29", "2018-11-28", "2019-11-27"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_documented_pattern(case):
    pat, rng, expected = CASES[case]
    start_day = rng["startDate"]
    got = dates({"pattern": pat, "range": rng}, at(start_day), at(start_day, "10:00"))
    window_limited = rng["type"] == "noEnd"
    assert (got[:len(expected)] if window_limited else got) == expected


def test_mondays_until_end_of_2017_last_is_december_25():
    # Concept page l.318: "the last occurrence in this series will be on Monday, December 25".
    rec = fragment(318)["recurrence"]
    got = dates(rec, at("2017-09-04", "13:00"), at("2017-09-04", "13:30"))
    assert got[0] == "2017-09-04" and got[-1] == "2017-12-25" and len(got) == 17


def test_first_thursday_every_other_month_from_august_29_starts_in_september():
    # Concept page l.340: startDate is after August's first Thursday, so the first occurrence is
    # in September; the two-month period then counts from September (Sep, Nov, Jan...).
    rec = fragment(340)["recurrence"]
    got = dates(rec, at("2017-08-29", "14:00"), at("2017-08-29", "15:00"),
                (datetime(2017, 8, 1, tzinfo=timezone.utc),
                 datetime(2018, 4, 1, tzinfo=timezone.utc)))
    assert got == ["2017-09-07", "2017-11-02", "2018-01-04", "2018-03-01"]


def test_user_post_events_example_3_keeps_noon_pacific_across_the_2017_dst_end():
    [example] = DATA["examples"]
    req = example["request"]
    occ = occurrences(req["recurrence"], req["start"], req["end"],
                      datetime(2017, 1, 1, tzinfo=timezone.utc),
                      datetime(2018, 1, 1, tzinfo=timezone.utc))
    assert [o.occurrence_date for o in occ][:2] == [date(2017, 9, 4), date(2017, 9, 11)]
    assert len(occ) == 17 and occ[-1].occurrence_date == date(2017, 12, 25)
    assert all(o.local_start.hour == 12 and o.end - o.start == timedelta(hours=2)
               for o in occ)
    by_day = {o.occurrence_date: o for o in occ}
    # PDT until Sunday 2017-11-05, PST after: noon is 19:00Z, then 20:00Z.
    assert by_day[date(2017, 10, 30)].start == datetime(2017, 10, 30, 19, tzinfo=timezone.utc)
    assert by_day[date(2017, 11, 6)].start == datetime(2017, 11, 6, 20, tzinfo=timezone.utc)

"""calendarView latency over recurring series, and the oracle's cost for the same windows.

    .venv/bin/python bench/bench_recurrence.py [--runs 21]

(a) one daily noEnd series that started 10 years before a one-month window, next to the same
    series started one month before it (the ratio shows whether the cost grows with the age);
(b) 1,000 single events spread over a year plus 50 series of the six pattern types, one month.
For each: the median latency of GET /me/calendarView (all pages, Prefer odata.maxpagesize=1000,
real HTTP on 127.0.0.1 through graphcal's GraphClient, as the suite sends it), of the emulator's
expansion alone (graphcal.emulator.features.recurrence.expansion), and of the oracle (graphcal.recurrence.occurrences)
over the same series and window.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from graphcal import recurrence
from graphcal.client import GraphClient, prefer_max_page_size
from graphcal.emulator.features.recurrence import expansion
from graphcal.targets import open_target, parse_target

PST = "Pacific Standard Time"
WINDOW = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))
PATTERNS = [
    {"type": "daily", "interval": 2},
    {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "wednesday", "friday"]},
    {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 31},
    {"type": "relativeMonthly", "interval": 1, "daysOfWeek": ["friday"], "index": "last"},
    {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 15, "month": 10},
    {"type": "relativeYearly", "interval": 1, "daysOfWeek": ["tuesday"], "month": 10, "index": "second"},
]


def daily_series(start: date) -> dict[str, Any]:
    return {"subject": "daily standup", "start": {"dateTime": f"{start}T09:00:00", "timeZone": PST},
            "end": {"dateTime": f"{start}T09:15:00", "timeZone": PST},
            "recurrence": {"pattern": {"type": "daily", "interval": 1},
                           "range": {"type": "noEnd", "startDate": start.isoformat()}}}


def mixed_series(n: int) -> dict[str, Any]:
    start = date(2020, 1, 1) + timedelta(days=37 * n)
    return {"subject": f"series {n}", "start": {"dateTime": f"{start}T{8 + n % 9:02d}:00:00", "timeZone": PST},
            "end": {"dateTime": f"{start}T{9 + n % 9:02d}:00:00", "timeZone": PST},
            "recurrence": {"pattern": PATTERNS[n % len(PATTERNS)],
                           "range": {"type": "noEnd", "startDate": start.isoformat()}}}


def single(n: int) -> dict[str, Any]:
    at = datetime(2026, 3, 1, 8) + timedelta(hours=8.76 * n)  # 1,000 events over a year
    return {"subject": f"single {n}", "start": {"dateTime": at.isoformat(), "timeZone": "UTC"},
            "end": {"dateTime": (at + timedelta(minutes=30)).isoformat(), "timeZone": "UTC"}}


def calendar_view(client: GraphClient) -> int:
    """The window's calendarView, all pages: the number of items."""
    params = {"startDateTime": WINDOW[0].isoformat(), "endDateTime": WINDOW[1].isoformat()}
    return sum(len(page.body["value"]) for page in client.pages(
        "/me/calendarView", params=params, headers=prefer_max_page_size(1000)))


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, result


def oracle(bodies: list[dict[str, Any]]) -> Callable[[], int]:
    return lambda: sum(len(recurrence.occurrences(b["recurrence"], b["start"], b["end"], *WINDOW))
                       for b in bodies)


def emulator_expansion(bodies: list[dict[str, Any]]) -> Callable[[], int]:
    series = [expansion.series_of(b) for b in bodies]
    return lambda: sum(len(expansion.slots(s, *WINDOW)) for s in series)


def measure(label: str, singles: int, bodies: list[dict[str, Any]], runs: int,
            show: bool = True) -> dict[str, float]:
    target = open_target(parse_target("emulator"))  # a fresh emulator: only this case's events
    try:
        organizer = target.client("organizer")
        for body in [single(n) for n in range(singles)] + bodies:
            r = organizer.post("/me/events", json=body)
            if r.status != 201:
                raise SystemExit(f"the emulator refused a benchmark event: {r.summary()}")
        http_ms, count = median_ms(lambda: calendar_view(organizer), runs)
        organizer.close()
    finally:
        target.close()
    exp_ms, _ = median_ms(emulator_expansion(bodies), runs)
    oracle_ms, _ = median_ms(oracle(bodies), runs)
    if show:
        print(f"{label:<46} {count:>6} {http_ms:>12.2f} {exp_ms:>14.3f} {oracle_ms:>11.3f}")
    return {"http": http_ms, "expansion": exp_ms, "oracle": oracle_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description="calendarView over recurring series")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(f"window {WINDOW[0]:%Y-%m-%d} .. {WINDOW[1]:%Y-%m-%d}, medians of {args.runs} runs (ms)")
    print(f"{'case':<46} {'items':>6} {'calendarView':>12} {'emu expansion':>14} {'oracle':>11}")
    measure("warm-up (first server, imports, caches)", 0, [daily_series(date(2026, 9, 1))], 3,
            show=False)
    young = measure("(a') daily noEnd series started 1 month before", 0,
                    [daily_series(date(2026, 9, 1))], args.runs)
    old = measure("(a) daily noEnd series started 10 years before", 0,
                  [daily_series(date(2016, 10, 1))], args.runs)
    mixed = measure("(b) 1,000 single events + 50 series", 1000,
                    [mixed_series(n) for n in range(50)], args.runs)
    print(f"age ratio (a)/(a'): calendarView {old['http'] / young['http']:.2f}x, "
          f"emulator expansion {old['expansion'] / young['expansion']:.2f}x, "
          f"oracle {old['oracle'] / young['oracle']:.2f}x")
    print(f"(b) per series: emulator expansion {mixed['expansion'] / 50:.3f} ms, "
          f"oracle {mixed['oracle'] / 50:.3f} ms")


if __name__ == "__main__":
    main()

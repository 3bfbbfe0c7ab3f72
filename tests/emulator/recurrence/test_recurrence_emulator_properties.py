"""Property tests: the emulator's own expansion agrees with the independent oracle.

Random valid series (tests/recurrence/strategies.py) and windows are expanded twice: by the
emulator (directly through ``graphcal.emulator.features.recurrence.expansion`` for many examples, and over real HTTP
``/instances`` for a sample) and by ``graphcal.recurrence``. Hypothesis shrinks any disagreement
to a minimal series and window, printed in the failure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.emulator.recurrence.recurrence_emulator_http import Mailbox
from tests.recurrence.strategies import series_with_window

from graphcal import recurrence
from graphcal.emulator.features.recurrence import expansion
from graphcal.invariants.registry import CATALOG, load_catalog

load_catalog()
QUIET = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _described(body: dict[str, Any], start: datetime, end: datetime) -> str:
    return f"series {body} window [{start.isoformat()}, {end.isoformat()})"


@settings(max_examples=400, **QUIET)
@given(series_with_window())
def test_expansion_equals_the_oracle(case: tuple[dict[str, Any], datetime, datetime]) -> None:
    body, start, end = case
    oracle = [(o.start, o.end, o.occurrence_date)
              for o in recurrence.occurrences(body["recurrence"], body["start"], body["end"], start, end)]
    emulator = [(x.start, x.end, x.date)
                for x in expansion.slots(expansion.series_of(body), start, end)]
    assert emulator == oracle, _described(body, start, end)


@settings(max_examples=50, **QUIET)
@given(case=series_with_window())
def test_instances_over_http_equal_the_oracle(mailbox: Mailbox,
                                              case: tuple[dict[str, Any], datetime, datetime]) -> None:
    body, start, end = case
    master = mailbox.create({"subject": "property", **body})
    try:
        listed = mailbox.listed(f"/me/events/{master['id']}/instances", start.isoformat(),
                                end.isoformat(), headers={"Prefer": "odata.maxpagesize=1000"})
    finally:
        mailbox.send("DELETE", f"/me/events/{master['id']}")
    # the series as sent: a start written inside a DST gap keeps its wall clock (the oracle's
    # rule), which the master's UTC start no longer shows
    sent = {**master, "start": body["start"], "end": body["end"], "recurrence": body["recurrence"]}
    for inv in ("REC-EXP-1", "REC-EXP-2", "REC-SHAPE-2"):
        args = (listed, sent, start, end) if inv != "REC-SHAPE-2" else (listed, sent)
        outcome = CATALOG[inv](*args)
        assert outcome.passed, f"{inv}: {outcome.message}; {_described(body, start, end)}"

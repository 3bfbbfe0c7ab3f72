"""Recurrence: series expansion, ``/instances``, ``calendarView``, exceptions and cancellations.

``expansion`` turns a series into its occurrences; ``routes`` serves the views and plugs the
occurrences into the core's event item routes as virtual events (``install``).
"""

from __future__ import annotations

from graphcal.emulator.core.faults import Fault
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.recurrence import routes

FAULTS: tuple[Fault, ...] = (
    Fault("rec-enddate-exclusive", "range.endDate is exclusive: an occurrence on the end date is dropped"),
    Fault("rec-dst-drift", "series expand in UTC instead of the recurrence zone (wall clock drifts across DST)"),
    Fault("rec-month-end-skip", "dayOfMonth past a month's end skips that month instead of its last day"),
    Fault("rec-oid-utc", "occurrenceId carries the occurrence's UTC date instead of its recurrence-zone date"),
    Fault("rec-cancelled-listed", "a deleted (cancelled) occurrence is still listed by instances/calendarView"),
    Fault("rec-instances-include-master", "instances also list the series master"),
    Fault("rec-exception-loses-master", "an edited occurrence (exception) has seriesMasterId null"),
    Fault("rec-exception-stays-occurrence", "an edited occurrence keeps type occurrence instead of exception"),
    Fault("rec-no-exception-occurrences", "the master's exceptionOccurrences is always empty"),
    Fault("rec-no-cancelled-occurrences", "the master's cancelledOccurrences is always empty"),
    Fault("rec-no-boundary-check", "an occurrence may be moved onto or past an adjacent occurrence's day"),
    Fault("rec-accept-invalid", "an invalid recurrence is silently repaired and the series created (201)"),
    Fault("rec-events-lists-occurrences", "/events lists each series master's first occurrences too"),)

FEATURE = Feature(key="recurrence", routes=tuple(routes.ROUTES), install=routes.install, faults=FAULTS)

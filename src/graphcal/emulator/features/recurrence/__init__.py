"""Recurrence: series expansion, ``/instances``, ``calendarView``, exceptions and cancellations.

``expansion`` turns a series into its occurrences; ``routes`` serves the views and plugs the
occurrences into the core's event item routes as virtual events (``install``).
"""

from __future__ import annotations

from graphcal.emulator.core.faults import Fault
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.recurrence import routes

FAULTS: tuple[Fault, ...] = (
    Fault("rec-enddate-exclusive", "range.endDate is exclusive: an occurrence on the end date is dropped",
          breaks=("REC-EXP-1",)),
    Fault("rec-dst-drift", "series expand in UTC instead of the recurrence zone (wall clock drifts across DST)",
          breaks=("REC-EXP-2",)),
    Fault("rec-month-end-skip", "dayOfMonth past a month's end skips that month instead of its last day",
          breaks=("REC-EXP-3",)),
    Fault("rec-oid-utc", "occurrenceId carries the occurrence's UTC date instead of its recurrence-zone date",
          breaks=("REC-SHAPE-2",)),
    Fault("rec-cancelled-listed", "a deleted (cancelled) occurrence is still listed by instances/calendarView",
          breaks=("REC-CAN-1",)),
    Fault("rec-instances-include-master", "instances also list the series master",
          breaks=("REC-SHAPE-1",)),
    Fault("rec-exception-loses-master", "an edited occurrence (exception) has seriesMasterId null",
          breaks=("REC-EXC-1",)),
    Fault("rec-exception-stays-occurrence", "an edited occurrence keeps type occurrence instead of exception",
          breaks=("REC-EXC-2",)),
    Fault("rec-no-exception-occurrences", "the master's exceptionOccurrences is always empty",
          breaks=("REC-EXC-3",)),
    Fault("rec-no-cancelled-occurrences", "the master's cancelledOccurrences is always empty",
          breaks=("REC-CAN-2",)),
    Fault("rec-no-boundary-check", "an occurrence may be moved onto or past an adjacent occurrence's day",
          breaks=("REC-EXC-4",)),
    Fault("rec-accept-invalid", "an invalid recurrence is silently repaired and the series created (201)",
          breaks=("REC-INVALID-1",)),
    Fault("rec-events-lists-occurrences", "/events lists each series master's first occurrences too",
          breaks=("REC-LIST-1",)),
    # --- calendarView/instances windows and series details (issue 15) ---
    Fault("view-starts-inside-only", "calendarView and instances leave out events that began before the window",
          breaks=("EVT-VIEW-1", "SERIES-VIEW-1")),
    Fault("view-offsetless-in-prefer-zone", "a window without an offset is read in the Prefer: outlook.timezone zone",
          breaks=("EVT-VIEW-2",)),
    Fault("view-ignores-offset", "a window's offset is dropped: its wall-clock time is read as UTC",
          breaks=("EVT-VIEW-3",)),
    Fault("view-calendar-paths-empty", "calendarView of /calendar and /calendars/{id} lists no events",
          breaks=("EVT-VIEW-4",)),
    Fault("view-window-optional", "calendarView without startDateTime/endDateTime lists the whole calendar (200)",
          breaks=("EVT-VIEW-5",)),
    Fault("series-first-day-sunday", "weekly series group their weeks from Sunday whatever firstDayOfWeek says",
          breaks=("SERIES-FDOW-1",)),
    Fault("series-same-icaluid", "every occurrence carries the series master's iCalUId",
          breaks=("SERIES-UID-1",)),
    Fault("series-edit-renames-series", "renaming one occurrence renames the series master and every occurrence",
          breaks=("SERIES-EDIT-1",)),
)

FEATURE = Feature(key="recurrence", routes=tuple(routes.ROUTES), install=routes.install, faults=FAULTS)

"""REC-* invariants: recurring series as instances and calendarView expand them.

The yardstick for *which* occurrences a series has is the independent oracle
(``graphcal.recurrence``), never a list typed by hand. Severity follows the source: MUST where the
Graph documentation states the claim (the recurring-events concept page, the event resource,
list instances, calendarView, update event); SHOULD where the oracle's answer rests on a non-Graph
source: month-end clamping of ``dayOfMonth`` (EWS DayOfMonth), and the golden comparison.

Wall-clock across DST (REC-EXP-2) is MUST: the docs make ``recurrenceTimeZone`` the zone the
pattern and its dates are written in ("every Monday at noon" in Pacific time), and a series
that drifts an hour twice a year is the reported defect of UTC-anchored series (GRAPH-FACTS);
the rule that the wall-clock time stays is MS-OXOCAL's. Series whose start falls in a DST gap
are not MUST-checked (Graph documents nothing about them).

Inputs are payloads as the target returned them: ``listed`` is a list of event objects from
``/instances`` or ``/calendarView``; ``master`` is the series master (its ``recurrence``,
``start``, ``end``, ``id``); windows are the request's startDateTime/endDateTime (strings
without an offset are UTC, as calendarView documents, or aware datetimes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import Any

from graphcal import recurrence, timezones
from graphcal.invariants.common import (
    body_of, graph_error, header, instant, is_seven_digit_date_time, not_an_event, problems_outcome,
    status_of,
)
from graphcal.invariants.diffing import differences, render
from graphcal.invariants.registry import MUST, SHOULD, Outcome, invariant

FEATURE = "recurrence"
RECUR = "concepts/outlook-schedule-recurring-events.md"
EVENT = "api-reference/v1.0/resources/event.md#properties"
INSTANCES = "api-reference/v1.0/api/event-list-instances.md"
VIEW = "api-reference/v1.0/api/user-list-calendarview.md"
UPDATE = "api-reference/v1.0/api/event-update.md"
MEMBER_TYPES = ("occurrence", "exception")
_OID = re.compile(r"^OID\.(?P<master>.+)\.(?P<date>\d{4}-\d{2}-\d{2})$")
MAX_SHOWN = 6


# --- readers ----------------------------------------------------------------------------------

def as_instant(value: str | datetime) -> datetime:
    """A window bound: an aware datetime, or an ISO string (no offset: UTC)."""
    dt = timezones.parse_local(value) if isinstance(value, str) else value
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def zone_of(master: Mapping[str, Any]) -> str:
    return recurrence.recurrence_zone_name(master["recurrence"], master["start"])


def unusable_master(master: Mapping[str, Any]) -> Outcome | None:
    """The failure of a check that expands the target's series master when the oracle cannot:
    its recurrence invalid, its start or end unreadable, its zone unknown (the event resource:
    a seriesMaster has them). None when the master can be expanded."""
    reasons = recurrence.validate_recurrence(master.get("recurrence"))
    for key in ("start", "end"):
        try:
            instant(master, key)
        except ValueError as exc:
            reasons.append(str(exc))
    if not reasons:
        try:
            timezones.zone(zone_of(master))
        except timezones.UnknownTimeZone as exc:
            reasons.append(str(exc))
    if reasons:
        return Outcome.fail("the series master cannot be expanded: " + "; ".join(reasons[:MAX_SHOWN]),
                            actual={k: master.get(k) for k in ("recurrence", "start", "end")})
    return None


def unreadable_times(events: Iterable[Mapping[str, Any]]) -> list[str]:
    """Each listed event whose start or end is not a readable dateTimeTimeZone, and why."""
    problems = []
    for e in events:
        for key in ("start", "end"):
            try:
                instant(e, key)
            except ValueError as exc:
                problems.append(f"{e.get('id')!r}: {exc}")
    return problems


def members(listed: Iterable[Any], master_id: str) -> list[dict[str, Any]]:
    """The listed events that belong to the series (by seriesMasterId)."""
    return [e for e in listed if isinstance(e, dict) and e.get("seriesMasterId") == master_id]


def occurrence_date(event: Mapping[str, Any], zone_name: str) -> date | None:
    """The occurrence's series date: from occurrenceId, else originalStart in the zone."""
    match = _OID.match(str(event.get("occurrenceId") or ""))
    if match:
        return date.fromisoformat(match["date"])
    original = event.get("originalStart")
    if isinstance(original, str):
        return timezones.to_local(as_instant(original), zone_name).date()
    return None


def _expected(master: Mapping[str, Any], window: tuple[Any, Any]) -> list[recurrence.Occurrence]:
    return recurrence.occurrences(master["recurrence"], master["start"], master["end"],
                                  as_instant(window[0]), as_instant(window[1]))


def _cancelled_dates(cancelled: Iterable[Any], zone_name: str) -> set[date]:
    """Dates of cancelled occurrences given as occurrenceIds, dates or instance payloads."""
    out: set[date] = set()
    for item in cancelled:
        if isinstance(item, date):
            out.add(item)
        elif isinstance(item, str) and _OID.match(item):
            out.add(date.fromisoformat(_OID.match(item)["date"]))  # type: ignore[index]
        elif isinstance(item, Mapping):
            day = occurrence_date(item, zone_name) or timezones.to_local(
                instant(item, "start"), zone_name).date()
            out.add(day)
    return out


def _show(dt: datetime, zone_name: str) -> str:
    return f"{timezones.to_local(dt, zone_name):%Y-%m-%d %H:%M} {zone_name} ({dt:%Y-%m-%dT%H:%MZ})"


def _set_difference(missing: list[str], extra: list[str], what: str) -> Outcome:
    if not missing and not extra:
        return Outcome.ok()
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing: " + "; ".join(missing[:MAX_SHOWN]))
    if extra:
        parts.append(f"{len(extra)} unexpected: " + "; ".join(extra[:MAX_SHOWN]))
    return Outcome.fail(f"{what}: " + " | ".join(parts), expected=missing, actual=extra)


# --- expansion against the oracle ---------------------------------------------------------------

def _compare_with_oracle(listed: Any, master: Any, window_start: Any, window_end: Any,
                         cancelled: Iterable[Any], *, wall_clock: bool) -> Outcome:
    if not isinstance(listed, list) or not isinstance(master, dict):
        return Outcome.fail("needs the listed events (a list) and the series master (an object)",
                            actual=[type(listed).__name__, type(master).__name__])
    unusable = unusable_master(master)
    if unusable is not None:
        return unusable
    zone_name = zone_of(master)
    mine = members(listed, master.get("id"))
    unreadable = unreadable_times(mine)
    if unreadable:
        return Outcome.fail(f"{len(unreadable)} listed occurrence(s) without a readable start/end: "
                            + "; ".join(unreadable[:MAX_SHOWN]), actual=unreadable)
    exception_dates = {occurrence_date(e, zone_name) for e in mine if e.get("type") == "exception"}
    skip = exception_dates | _cancelled_dates(cancelled, zone_name)
    expected = [o for o in _expected(master, (window_start, window_end))
                if o.occurrence_date not in skip]
    got = [e for e in mine if e.get("type") != "exception"]
    if wall_clock:
        want = {(timezones.to_local(o.start, zone_name), timezones.to_local(o.end, zone_name)): o
                for o in expected}
        have = {}
        for e in got:
            ls = timezones.to_local(instant(e, "start"), zone_name)
            le = timezones.to_local(instant(e, "end"), zone_name)
            have[(ls, le)] = e
        fmt = lambda k: f"{k[0]:%Y-%m-%d %H:%M}-{k[1]:%H:%M} {zone_name}"  # noqa: E731
        return _set_difference([fmt(k) for k in sorted(set(want) - set(have))],
                            [fmt(k) for k in sorted(set(have) - set(want))],
                            f"occurrences as wall-clock times in {zone_name} differ from the oracle")
    want_i = {(o.start, o.end) for o in expected}
    have_i = {(instant(e, "start"), instant(e, "end")) for e in got}
    return _set_difference([_show(s, zone_name) for s, _ in sorted(want_i - have_i)],
                        [_show(s, zone_name) for s, _ in sorted(have_i - want_i)],
                        "occurrences (instants) differ from the oracle's")


@invariant("REC-EXP-1", "instances/calendarView hold exactly the series' occurrences in the window (instants)",
           source=f"{RECUR}#recurrence-patterns; {INSTANCES}", feature=FEATURE, severity=MUST)
def occurrences_match_oracle(listed: Any, master: Any, window_start: Any, window_end: Any,
                             cancelled: Iterable[Any] = ()) -> Outcome:
    """The occurrences of the master listed for [start, end) are, as start/end instants, the
    ones the independent oracle computes from the master's recurrence, start and end; exceptions
    stand in for their occurrence date and cancelled dates are left out. Patterns and ranges as
    the concept page defines them (first occurrence on/after startDate that fits, endDate
    inclusive, numbered counts from the first occurrence)."""
    return _compare_with_oracle(listed, master, window_start, window_end, cancelled,
                                wall_clock=False)


@invariant("REC-EXP-2", "Occurrences keep the series' wall-clock time in recurrenceTimeZone (across DST)",
           source=f"{RECUR}#recurrence-ranges (recurrenceTimeZone); MS-OXOCAL 2.2.1.44.1",
           feature=FEATURE, severity=MUST)
def wall_clock_matches_oracle(listed: Any, master: Any, window_start: Any, window_end: Any,
                              cancelled: Iterable[Any] = ()) -> Outcome:
    """Each listed occurrence, read in the recurrence zone, starts and ends at the wall-clock
    times the oracle gives: a noon meeting stays at noon after a DST change (a series expanded
    in UTC drifts an hour, GRAPH-FACTS Time zones)."""
    return _compare_with_oracle(listed, master, window_start, window_end, cancelled,
                                wall_clock=True)


# The same comparison as REC-EXP-1, for absolute patterns with dayOfMonth > 28: a separate id
# because its source is not Graph's.
invariant("REC-EXP-3", "dayOfMonth past a month's end falls on its last day (29-31, Feb 29 yearly)",
          source="learn.microsoft.com/exchange/client-developer/web-service-reference/dayofmonth",
          feature=FEATURE, severity=SHOULD,
          explanation="Like REC-EXP-1, for absolute patterns with dayOfMonth > 28. Graph does not "
                      "say what happens in shorter months; EWS (the same Exchange store) says the "
                      "last day of the month is assumed, so this is SHOULD.",
          )(occurrences_match_oracle.check)


# --- the shape of each instance -------------------------------------------------------------------

@invariant("REC-SHAPE-1", "Every instance is an occurrence or exception of the master, recurrence null",
           source=f"{EVENT}; {INSTANCES}", feature=FEATURE, severity=MUST)
def instances_belong_to_the_series(instances: Any, master: Any) -> Outcome:
    """/instances of a series master returns its occurrences and exceptions: each has type
    occurrence or exception (never the seriesMaster itself), seriesMasterId = the master's id,
    and recurrence null (when the property is returned)."""
    if not isinstance(instances, list) or not isinstance(master, dict):
        return Outcome.fail("needs the instances (a list) and the series master (an object)")
    if not instances:
        return Outcome.not_observed("no instance listed: no shape to check")
    problems = []
    for i, e in enumerate(instances):
        start = e.get("start") if isinstance(e, dict) else None
        where = f"[{i}] {start.get('dateTime', '?') if isinstance(start, dict) else e!r}"
        if not isinstance(e, dict):
            problems.append(f"{where}: not an event object")
            continue
        if e.get("id") == master.get("id") or e.get("type") == "seriesMaster":
            problems.append(f"{where}: the series master itself is listed")
            continue
        if e.get("type") not in MEMBER_TYPES:
            problems.append(f"{where}: type {e.get('type')!r}, expected occurrence or exception")
        if e.get("seriesMasterId") != master.get("id"):
            problems.append(f"{where}: seriesMasterId {e.get('seriesMasterId')!r}, expected the master's id")
        if "recurrence" in e and e["recurrence"] is not None:
            problems.append(f"{where}: recurrence is not null")
    if problems:
        return Outcome.fail(f"{len(problems)} instance(s) of the wrong shape: "
                            + "; ".join(problems[:MAX_SHOWN]), actual=problems)
    return Outcome.ok()


@invariant("REC-SHAPE-2", "occurrenceId is OID.{seriesMasterId}.{start date in recurrenceTimeZone}",
           source=f"{EVENT} (occurrenceId)", feature=FEATURE, severity=MUST)
def occurrence_id_format(instances: Any, master: Any) -> Outcome:
    """The event resource: occurrenceId has the form OID.{seriesMasterId}.{occurrence start
    date}, the date in the range's recurrenceTimeZone. For an occurrence the date is its start's
    local date; for an exception (which may have moved) the date of its originalStart."""
    if not isinstance(instances, list) or not isinstance(master, dict):
        return Outcome.fail("needs the instances (a list) and the series master (an object)")
    unusable = unusable_master(master)
    if unusable is not None:
        return unusable
    if not members(instances, master.get("id")):
        return Outcome.not_observed("no instance of this series listed: no occurrenceId to check")
    zone_name = zone_of(master)
    problems = unreadable_times(e for e in members(instances, master.get("id")) if e.get("type") == "occurrence")
    for e in members(instances, master.get("id")):
        oid = e.get("occurrenceId")
        match = _OID.match(str(oid or ""))
        if match is None:
            problems.append(f"occurrenceId {oid!r} is not OID.{{masterId}}.{{yyyy-mm-dd}}")
            continue
        if match["master"] != master.get("id"):
            problems.append(f"{oid}: names another master")
        if e.get("type") == "occurrence" and unreadable_times([e]):
            continue  # reported above
        basis = instant(e, "start") if e.get("type") == "occurrence" else (
            as_instant(e["originalStart"]) if isinstance(e.get("originalStart"), str) else None)
        if basis is not None:
            local = timezones.to_local(basis, zone_name).date().isoformat()
            if match["date"] != local:
                problems.append(f"{oid}: date {match['date']}, but the occurrence starts on "
                                f"{local} in {zone_name} ({basis:%Y-%m-%dT%H:%MZ})")
    if problems:
        return Outcome.fail(f"{len(problems)} wrong occurrenceId(s): " + "; ".join(problems[:MAX_SHOWN]),
                            actual=problems)
    return Outcome.ok()


@invariant("REC-LIST-1", "/events lists series masters and single instances, never occurrences",
           source="api-reference/v1.0/resources/event.md#methods (List); seed 002 (Get series master and single events)",
           feature=FEATURE, severity=MUST)
def events_list_masters_only(listed: Any, master_ids: Iterable[str]) -> Outcome:
    """List events returns single instances and series masters; occurrences and exceptions come
    only from calendarView and instances. Each given master appears, as a seriesMaster."""
    if not isinstance(listed, list):
        return Outcome.fail("needs the listed events (a list)")
    wrong = [f"{e.get('subject')!r} type {e.get('type')!r}" for e in listed
             if isinstance(e, dict) and e.get("type") not in ("seriesMaster", "singleInstance")]
    by_id = {e.get("id"): e for e in listed if isinstance(e, dict)}
    absent = [m for m in master_ids if by_id.get(m, {}).get("type") != "seriesMaster"]
    if wrong or absent:
        return Outcome.fail(f"/events lists {len(wrong)} event(s) that are not masters or single "
                            f"instances ({'; '.join(wrong[:MAX_SHOWN])}); {len(absent)} master(s) "
                            f"missing or not seriesMaster", actual={"wrong": wrong, "absent": absent})
    return Outcome.ok()


# --- exceptions -----------------------------------------------------------------------------------

@invariant("REC-EXC-1", "An updated occurrence becomes an exception of the same series with the change",
           source=f"{EVENT} (type, seriesMasterId); {UPDATE}", feature=FEATURE, severity=MUST)
def updated_occurrence_becomes_exception(event: Any, occurrence: Any, master_id: str,
                           patch: Mapping[str, Any]) -> Outcome:
    """PATCH of an occurrence answers the event with type exception, the same id, the master's
    seriesMasterId, and the patched subject/start/end."""
    if (bad := not_an_event(event, "the update's answer")) is not None:
        return bad
    problems = []
    if event.get("type") != "exception":
        problems.append(f"type {event.get('type')!r}, expected 'exception'")
    if event.get("seriesMasterId") != master_id:
        problems.append(f"seriesMasterId {event.get('seriesMasterId')!r}, expected the master's id")
    if isinstance(occurrence, dict) and event.get("id") != occurrence.get("id"):
        problems.append("the id changed")
    if "subject" in patch and event.get("subject") != patch["subject"]:
        problems.append(f"subject {event.get('subject')!r}, expected {patch['subject']!r}")
    for key in ("start", "end"):
        if key in patch and instant(event, key) != instant(patch, key):
            problems.append(f"{key} {instant(event, key):%Y-%m-%dT%H:%MZ}, expected "
                            f"{instant(patch, key):%Y-%m-%dT%H:%MZ}")
    return problems_outcome(problems, actual=event)


@invariant("REC-EXC-2", "An exception stays in the series: instances list it, at its new time",
           source=f"{INSTANCES}; {VIEW}", feature=FEATURE, severity=MUST)
def exception_listed_at_its_new_time(listed: Any, exception: Any, master_id: str) -> Outcome:
    """instances and calendarView return the series' occurrences *and exceptions*: the edited
    occurrence is listed once, type exception, seriesMasterId the master, its new start/end."""
    if not isinstance(listed, list) or not isinstance(exception, dict):
        return Outcome.fail("needs the listed events and the exception")
    found = [e for e in listed if isinstance(e, dict) and e.get("id") == exception.get("id")]
    if len(found) != 1:
        return Outcome.fail(f"the exception is listed {len(found)} times, expected once")
    e = found[0]
    problems = []
    if e.get("type") != "exception":
        problems.append(f"type {e.get('type')!r}")
    if e.get("seriesMasterId") != master_id:
        problems.append(f"seriesMasterId {e.get('seriesMasterId')!r}")
    if (instant(e, "start"), instant(e, "end")) != (instant(exception, "start"), instant(exception, "end")):
        problems.append("listed at another time than the exception's")
    return problems_outcome(problems, actual=e)


@invariant("REC-EXC-3", "The master's exceptionOccurrences ($expand) lists its exceptions",
           source=f"{EVENT} (exceptionOccurrences)", feature=FEATURE, severity=MUST)
def master_lists_its_exceptions(master: Any, exception_ids: Iterable[str]) -> Outcome:
    """The event resource: exceptionOccurrences, returned on $select/$expand of a GET of the
    series master, holds the series' exceptions (and no cancelled occurrences)."""
    if not isinstance(master, dict) or not isinstance(master.get("exceptionOccurrences"), list):
        return Outcome.fail("the master has no exceptionOccurrences list", actual=master)
    listed = {e.get("id") if isinstance(e, dict) else e for e in master["exceptionOccurrences"]}
    wanted = set(exception_ids)
    if listed != wanted:
        return Outcome.fail(f"exceptionOccurrences: {len(wanted - listed)} missing, "
                            f"{len(listed - wanted)} unexpected",
                            expected=sorted(wanted), actual=sorted(x for x in listed if x))
    return Outcome.ok()


@invariant("REC-EXC-4", "Moving an occurrence onto an adjacent occurrence's day is 400 ErrorOccurrenceCrossingBoundary",
           source=f"{UPDATE}#response", feature=FEATURE, severity=MUST)
def crossing_boundary_rejected(response: Any) -> Outcome:
    """Update event: an occurrence cannot be moved to or before the day of the previous
    occurrence, nor to or after the day of the next; the answer is 400 with code
    ErrorOccurrenceCrossingBoundary."""
    return _rejected_with_400(response, code="ErrorOccurrenceCrossingBoundary")


# --- cancellations --------------------------------------------------------------------------------

@invariant("REC-CAN-1", "A deleted occurrence is gone from instances and calendarView",
           source=f"{EVENT} (instances); {VIEW}", feature=FEATURE, severity=MUST)
def cancelled_not_listed(listed: Any, cancelled: Iterable[Mapping[str, Any]]) -> Outcome:
    """The event resource: instances does not include occurrences cancelled from the series
    (calendarView likewise); a deleted occurrence is listed neither by id nor by occurrenceId."""
    if not isinstance(listed, list):
        return Outcome.fail("needs the listed events (a list)")
    ids = {c.get("id") for c in cancelled} | {c.get("occurrenceId") for c in cancelled}
    ids.discard(None)
    if not ids:
        return Outcome.not_observed("no cancelled occurrence to look for")
    still = [e.get("occurrenceId") or e.get("id") for e in listed
             if isinstance(e, dict) and ({e.get("id"), e.get("occurrenceId")} & ids)]
    if still:
        return Outcome.fail(f"{len(still)} cancelled occurrence(s) still listed", actual=still)
    return Outcome.ok()


@invariant("REC-CAN-2", "The master's cancelledOccurrences ($select) holds each cancelled occurrenceId",
           source=f"{EVENT} (cancelledOccurrences)", feature=FEATURE, severity=MUST)
def master_lists_cancelled_occurrences(master: Any, cancelled: Iterable[Mapping[str, Any]],
                          master_id: str | None = None) -> Outcome:
    """The event resource: cancelledOccurrences, returned on $select of a GET of the series
    master, holds the occurrenceId values of its cancelled instances. A cancelled instance is
    identified by its occurrenceId, else by OID.{masterId}.{its start date in the zone}."""
    if not isinstance(master, dict) or not isinstance(master.get("cancelledOccurrences"), list):
        return Outcome.fail("the master has no cancelledOccurrences list", actual=master)
    mid = master_id or master.get("id")
    zone_name = "UTC" if unusable_master(master) else zone_of(master)
    wanted = set()
    for c in cancelled:
        oid = c.get("occurrenceId")
        if not oid:
            day = timezones.to_local(instant(c, "start"), zone_name).date()
            oid = f"OID.{mid}.{day.isoformat()}"
        wanted.add(oid)
    if not wanted:
        return Outcome.not_observed("no cancelled occurrence to look for")
    missing = sorted(wanted - set(master["cancelledOccurrences"]))
    if missing:
        return Outcome.fail(f"{len(missing)} cancelled occurrence(s) not in cancelledOccurrences",
                            expected=sorted(wanted), actual=master["cancelledOccurrences"])
    return Outcome.ok()


# --- invalid recurrences --------------------------------------------------------------------------

def _rejected_with_400(response: Any, *, code: str | None = None) -> Outcome:
    """400 with Graph's error body (code and message), and the given error code if any."""
    status, body = status_of(response), body_of(response)
    error = graph_error(body)
    problems = []
    if status != 400:
        problems.append(f"status {status}, expected 400")
    if error is None or not error.get("code") or not error.get("message"):
        problems.append("no Graph error body {error: {code, message}}")
    elif code is not None and error.get("code") != code:
        problems.append(f"error code {error.get('code')!r}, expected {code!r}")
    return problems_outcome(problems, actual={"status": status, "body": body,
                                              "content-type": header(response, "content-type")})


@invariant("REC-INVALID-1", "An invalid recurrence is rejected with 400 and a Graph error body",
           source=f"{RECUR}#recurrence-patterns", feature=FEATURE, severity=MUST)
def invalid_recurrence_rejected(response: Any) -> Outcome:
    """The concept page makes interval, daysOfWeek (weekly, relative), dayOfMonth, month,
    startDate, endDate (after startDate) and a positive numberOfOccurrences required ("even an
    ignored field is validated"); a create or update that breaks one gets 400 with an error
    object (code and message), never a series."""
    return _rejected_with_400(response)


# --- the documented instances response ----------------------------------------------------------

@invariant("REC-GOLD-1", "Each occurrence has the documented shape of an instance (list instances example)",
           source=f"{INSTANCES}#example", feature=FEATURE, severity=SHOULD)
def documented_instance_shape(instances: Any, golden: Any) -> Outcome:
    """Each listed occurrence (with the documented $select) compared with the documented
    occurrence of the list-instances example after normalisation (ids, etags masked; times as
    instants are masked too: another series' times). What stays compared: the key set, type,
    recurrence null, the dateTimeTimeZone shape."""
    if getattr(golden, "name", None) != "recurrence/event-list-instances":
        raise ValueError("REC-GOLD-1 compares with golden 'recurrence/event-list-instances'")
    documented = next(e for e in golden.payload["value"] if e.get("type") == "occurrence")
    shape = _times_masked(documented)
    problems = []
    for e in instances if isinstance(instances, list) else []:
        if isinstance(e, dict) and e.get("type") == "occurrence":
            diffs = differences(_times_masked(e), shape, allow_extra=False,
                                exclude=("subject", "bodyPreview"))
            if diffs:
                problems.append(render(diffs))
    if not isinstance(instances, list) or not any(
            isinstance(e, dict) and e.get("type") == "occurrence" for e in instances):
        return Outcome.fail("no occurrence to compare with the documented one", actual=instances)
    if problems:
        return Outcome.fail(f"{len(problems)} occurrence(s) differ from the documented shape",
                            diff=problems[0])
    return Outcome.ok()


def _times_masked(event: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(event)
    for key in ("start", "end"):
        value = out.get(key)
        if isinstance(value, dict):
            text = str(value.get("dateTime", ""))
            out[key] = {"dateTime": "<7 digits>" if is_seven_digit_date_time(text) else text,
                        "timeZone": value.get("timeZone")}
    return out


# --- series details and windows (issue 15) -------------------------------------------------------
# SERIES-* ids: claims about one recurring series beyond its expansion (the REC-* set is pinned to
# the HTTP-level fault cases of tests/recurrence; these are proven by real scenario runs instead).

@invariant("SERIES-VIEW-1", "An occurrence begun before the window and ending inside it is listed",
           source=f"{VIEW}#list-calendarview; {INSTANCES}#list-instances", feature=FEATURE,
           severity=MUST, explanation=(
               "calendarView lists the occurrences 'in a calendar view defined by a time range' and "
               "instances those 'in the specified time range': an occurrence still going on when "
               "the range begins is in it. Checked with a window that starts in the middle of one "
               "occurrence of the series."))
def occurrence_across_window_start_listed(listed: Any, master_id: str, window_start: Any) -> Outcome:
    if not isinstance(listed, list):
        return Outcome.fail("needs the listed events (a list)", actual=listed)
    at = as_instant(window_start)
    across = [e for e in members(listed, master_id) if instant(e, "start") < at < instant(e, "end")]
    if len(across) != 1:
        return Outcome.fail(f"{len(across)} occurrence(s) running across the window start "
                            f"{at:%Y-%m-%dT%H:%MZ} listed, expected 1",
                            actual=[(e.get("start"), e.get("end")) for e in members(listed, master_id)])
    return Outcome.ok()


invariant("SERIES-FDOW-1", "A weekly series with interval > 1 counts its weeks from firstDayOfWeek",
          source=f"{RECUR}#weekly", feature=FEATURE, severity=MUST,
          explanation="The concept page: firstDayOfWeek says which day is the first of the week, "
                      "and a weekly interval is the number of weeks between sets of occurrences, so "
                      "the days that form one set depend on it (every other week on Sunday and "
                      "Monday with weeks from Monday pairs a Monday with the Sunday after it). "
                      "Compared with the oracle (instants), as REC-EXP-1.",
          )(occurrences_match_oracle.check)


@invariant("SERIES-UID-1", "Each occurrence has its own iCalUId; uid is the series master's on every occurrence",
           source=f"{EVENT} (iCalUId, uid)", feature=FEATURE, severity=MUST)
def per_occurrence_ical_uid(listed: Any, master: Any) -> Outcome:
    """The event resource: iCalUId is different for each occurrence of a recurring series; uid
    is the same for the series master and all its occurrences and exceptions. uid is checked
    where the target returns it (live payloads carry it, the v1.0 metadata lacks it)."""
    if not isinstance(listed, list) or not isinstance(master, dict):
        return Outcome.fail("needs the listed events (a list) and the series master (an object)")
    mine = members(listed, master.get("id"))
    if len(mine) < 2:
        return Outcome.fail(f"{len(mine)} member(s) of the series listed: two are needed to compare")
    problems = []
    ical = [e.get("iCalUId") for e in mine]
    if any(not isinstance(v, str) or not v for v in ical):
        problems.append(f"member(s) without an iCalUId: {ical}")
    elif len(set(ical)) != len(ical) or master.get("iCalUId") in ical:
        problems.append(f"{len(ical) - len(set(ical))} repeated iCalUId(s) among {len(ical)} members"
                        + (", one is the master's" if master.get("iCalUId") in ical else ""))
    uids = {e.get("uid") for e in mine if "uid" in e}
    if uids and uids != {master.get("uid")}:
        problems.append(f"uid {sorted(map(str, uids))} on the members, the master's is {master.get('uid')!r}")
    return problems_outcome(problems, actual={"iCalUId": ical, "uid": sorted(map(str, uids))})


@invariant("SERIES-EDIT-1", "Renaming one occurrence renames that occurrence only, not the series",
           source=f"{UPDATE}; {EVENT} (type exception)", feature=FEATURE, severity=MUST)
def edit_stays_on_its_occurrence(master_after: Any, listed: Any, edited_id: str,
                                 new_subject: str, old_subject: str) -> Outcome:
    """Update event on an occurrence makes it an exception: the change is that instance's. The
    master keeps its subject and every other listed member of the series keeps it too."""
    if not isinstance(master_after, dict) or not isinstance(listed, list):
        return Outcome.fail("needs the series master (an object) and the listed events (a list)")
    problems = []
    if master_after.get("subject") != old_subject:
        problems.append(f"the master's subject is {master_after.get('subject')!r}, expected {old_subject!r}")
    mine = members(listed, master_after.get("id"))
    edited = [e for e in mine if e.get("id") == edited_id]
    if [e.get("subject") for e in edited] != [new_subject]:
        problems.append(f"the edited occurrence is listed as {[e.get('subject') for e in edited]}, "
                        f"expected [{new_subject!r}]")
    renamed = [e.get("occurrenceId") or e.get("id") for e in mine
               if e.get("id") != edited_id and e.get("subject") != old_subject]
    if renamed:
        problems.append(f"{len(renamed)} other occurrence(s) renamed: {renamed[:MAX_SHOWN]}")
    return problems_outcome(problems)

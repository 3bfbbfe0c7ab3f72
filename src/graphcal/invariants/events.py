"""Event creation, read-back, update and delete: the documented claims, as pure checks.

Every check takes payloads (dicts) or responses (anything with ``status``, ``headers``, ``body``
and optionally ``json_error``/``text``, such as graphcal.client.GraphResponse) and returns an
Outcome. Severity MUST where the documentation states the behaviour; SHOULD where only the
documented examples show it; the EVT-GOLD-* comparisons are SHOULD by nature.

The documented create examples contradict themselves in places (user-post-events examples 1 and
4 answer another subject and other times than requested; examples 2 and 3 say isOnlineMeeting
true with no onlineMeeting). Those are documentation defects: the golden files list them
(graphcal.golden) and the EVT-GOLD comparisons leave those paths out, so a target is never
failed for disagreeing with a documentation mistake.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from graphcal import timezones
from graphcal.invariants.common import (
    address, body_of, casefold, graph_error, graph_error_answer, header, instant, is_seven_digit_date_time, items,
    not_an_event, obj, organizer_copy_problems, problems_outcome, status_of, text_of,
    unexpected_status, what_came_back,
)
from graphcal.invariants.diffing import differences, golden_check, render
from graphcal.invariants.normalise import html_text
from graphcal.invariants.registry import MUST, SHOULD, Outcome, invariant

FEATURE = "events"

USER_POST_EVENTS = "api-reference/v1.0/api/user-post-events.md"
EVENT = "api-reference/v1.0/resources/event.md#properties"
UPDATE = "api-reference/v1.0/api/event-update.md"
DELETE = "api-reference/v1.0/api/event-delete.md#response"
RECUR = "concepts/outlook-schedule-recurring-events.md"
DATE_TIME_TIME_ZONE = "api-reference/v1.0/resources/datetimetimezone.md#properties"

EXAMPLE_ANCHORS = {
    1: "#example-1-create-an-event-in-the-specified-time-zone-and-assign-the-event-an-optional-"
       "transactionid-value",
    2: "#example-2-create-an-event-that-occurs-in-multiple-locations",
    3: "#example-3-create-a-recurring-event",
    4: "#example-4-create-and-enable-an-event-as-an-online-meeting",
}

_UTC_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")


# --- small readers ------------------------------------------------------------------------------

def _same_zone(a: str, b: str) -> bool:
    if a.casefold() == b.casefold():
        return True
    try:
        return timezones.zone(a).key == timezones.zone(b).key
    except timezones.UnknownTimeZone:
        return False


def _body_text(body: Any) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        return None
    if casefold(body.get("contentType")) == "html":
        return html_text(body["content"])
    return " ".join(body["content"].split())


def _attendee_keys(attendees: Any) -> list[tuple[str, str]]:
    keys = [(casefold(address(a)), casefold(obj(a).get("type"))) for a in items(attendees)]
    return sorted(keys, key=lambda k: (str(k[0]), str(k[1])))


_ECHOED_SCALARS = ("isAllDay", "importance", "sensitivity", "showAs", "isReminderOn",
                   "reminderMinutesBeforeStart", "responseRequested", "hideAttendees",
                   "allowNewTimeProposals", "transactionId", "categories")


def echo_mismatches(request_body: Mapping[str, Any], event: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """(path, requested, returned) for every requested property the created event does not carry.

    Subject exactly; body and bodyPreview by visible text; start/end as instants; location by
    display name; attendees by address and type (case-insensitively); plain scalars as sent.
    """
    found: list[tuple[str, Any, Any]] = []
    if "subject" in request_body and event.get("subject") != request_body["subject"]:
        found.append(("subject", request_body["subject"], event.get("subject")))
    if "body" in request_body:
        wanted = _body_text(request_body["body"])
        if _body_text(event.get("body")) != wanted:
            found.append(("body", wanted, _body_text(event.get("body"))))
        preview = event.get("bodyPreview")
        if isinstance(preview, str) and wanted is not None:
            shown = " ".join(preview.split())  # the preview is the body text, possibly cut short
            if not wanted.startswith(shown) or (wanted and not shown):
                found.append(("bodyPreview", wanted, preview))
    for key in ("start", "end"):
        if key in request_body:
            try:
                wanted_at = instant(request_body, key)
            except ValueError:
                continue  # an unreadable request time is the request's problem, not the target's
            try:
                got_at = instant(event, key)
            except ValueError:
                found.append((key, _when(request_body[key], wanted_at), event.get(key)))
                continue
            if got_at != wanted_at:
                found.append((key, _when(request_body[key], wanted_at), _when(event[key], got_at)))
    wanted_loc = obj(request_body.get("location")).get("displayName")
    if wanted_loc is not None:
        got_loc = obj(event.get("location")).get("displayName")
        if got_loc != wanted_loc:
            found.append(("location", wanted_loc, got_loc))
    if "attendees" in request_body:
        wanted_att, got_att = _attendee_keys(request_body["attendees"]), _attendee_keys(event.get("attendees"))
        if wanted_att != got_att:
            found.append(("attendees", wanted_att, got_att))
    for key in _ECHOED_SCALARS:
        if key in request_body and casefold(event.get(key)) != casefold(request_body[key]):
            found.append((key, request_body[key], event.get(key, "<missing>")))
    return found


def _when(value: Mapping[str, Any], at: datetime) -> str:
    """``2017-04-15T12:00:00 Pacific Standard Time (2017-04-15T19:00:00Z)``."""
    return f"{value['dateTime']} {value['timeZone']} ({at.strftime('%Y-%m-%dT%H:%M:%SZ')})"


def _mismatch_outcome(mismatches: list[tuple[str, Any, Any]], what: str) -> Outcome:
    if not mismatches:
        return Outcome.ok()
    lines = "\n".join(f"{path}: requested {req!r}, returned {got!r}" for path, req, got in mismatches)
    return Outcome.fail(f"{what}: {', '.join(p for p, _, _ in mismatches)}",
                        expected={p: r for p, r, _ in mismatches},
                        actual={p: g for p, _, g in mismatches}, diff=lines)


# --- create ------------------------------------------------------------------------------------

@invariant("EVT-CREATE-1", "Creating an event answers 201 Created with the event object",
           source=f"{USER_POST_EVENTS}#response", feature=FEATURE, severity=MUST)
def create_answers_201_with_the_event(response: Any) -> Outcome:
    """The create page states: on success, 201 Created and the event in the body."""
    if (wrong := unexpected_status(response, 201, "201 Created")) is not None:
        return wrong
    body = body_of(response)
    if not isinstance(body, dict) or not body.get("id"):
        return Outcome.fail(f"201 without an event object with an id: {what_came_back(response)}",
                            actual=body)
    return Outcome.ok()


@invariant("EVT-CREATE-2", "The created event carries what the request asked for",
           source=f"{USER_POST_EVENTS}#request-body", feature=FEATURE, severity=MUST)
def created_event_echoes_request(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The request body is the event to create, so the answer carries its subject, body text,
    start/end instants, location, attendees and the scalars sent. Compared as Graph compares:
    times as instants (the response may be in another zone), enum and address case ignored,
    HTML bodies by visible text. Documented examples 1, 3 and 4 break this (other subject,
    times or body text than requested): those are documentation defects, not target failures."""
    return not_an_event(event) or _mismatch_outcome(echo_mismatches(request_body, event),
                                                     "the created event differs from the request")


@invariant("EVT-CREATE-3", "A non-recurring create returns a singleInstance with no series",
           source=EVENT, feature=FEATURE, severity=MUST)
def plain_create_is_single_instance(event: Any) -> Outcome:
    """type is one of singleInstance/occurrence/exception/seriesMaster; an event created without
    recurrence is a singleInstance with no seriesMasterId and no recurrence."""
    if (bad := not_an_event(event)) is not None:
        return bad
    problems = []
    if event.get("type") != "singleInstance":
        problems.append(f"type {event.get('type')!r}, expected 'singleInstance'")
    if event.get("seriesMasterId") is not None:
        problems.append(f"seriesMasterId {event.get('seriesMasterId')!r}, expected null")
    if event.get("recurrence") is not None:
        problems.append("recurrence is set")
    return problems_outcome(problems, actual={k: event.get(k) for k in ("type", "seriesMasterId", "recurrence")})


@invariant("EVT-ORG-1", "The creator is the organizer: organizer address, isOrganizer, responseStatus",
           source=EVENT, feature=FEATURE, severity=MUST)
def organizer_is_creator(event: Any, organizer_address: str) -> Outcome:
    """isOrganizer is true when the calendar owner is the event's organizer; the organizer's own
    copy has responseStatus.response 'organizer'. Documented examples show organizers (Dana
    Swope, Adele Vance) that are not the users the examples otherwise speak as, so the check
    takes the creator's address from the run, not from the docs."""
    if (bad := not_an_event(event)) is not None:
        return bad
    problems = []
    got = obj(obj(event.get("organizer")).get("emailAddress")).get("address")
    if casefold(got) != casefold(organizer_address):
        problems.append(f"organizer {got!r}, expected the creator {organizer_address!r}")
    return problems_outcome(problems + organizer_copy_problems(event))


# --- time zones and formats ---------------------------------------------------------------------

def _in_zone(event: Any, zone_name: str, what: str) -> Outcome:
    if (bad := not_an_event(event)) is not None:
        return bad
    wrong = {k: obj(event.get(k)).get("timeZone") for k in ("start", "end")
             if not _same_zone(str(obj(event.get(k)).get("timeZone")), zone_name)}
    if wrong:
        return Outcome.fail(f"start/end {what}: {wrong}", expected=zone_name, actual=wrong)
    return Outcome.ok()


@invariant("EVT-TZ-1", "Prefer: outlook.timezone returns start/end in that zone",
           source=f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[1]}", feature=FEATURE, severity=MUST)
def start_end_in_preferred_zone(event: Any, zone_name: str) -> Outcome:
    """The create page (example 1) and every list/get page say the Prefer: outlook.timezone
    header sets the time zone of start and end in the response. A response naming the same zone
    by another name (IANA for Windows) counts: the zone is the same."""
    return _in_zone(event, zone_name, f"not in the preferred zone {zone_name!r}")


@invariant("EVT-TZ-2", "Without Prefer: outlook.timezone, start/end are in UTC",
           source=EVENT, feature=FEATURE, severity=MUST)
def start_end_in_utc(event: Any) -> Outcome:
    """The event resource says start and end are in UTC by default, and the list pages say so of
    responses without the Prefer header, whatever zone the event was created in."""
    return _in_zone(event, "UTC", "not in UTC without a Prefer header")


@invariant("EVT-TZ-3", "The same event read in two zones has the same start/end instants",
           source=DATE_TIME_TIME_ZONE, feature=FEATURE, severity=MUST)
def same_instants(event: Any, other: Any) -> Outcome:
    """dateTimeTimeZone is a wall-clock time plus the zone it is in; the Prefer header changes the
    zone it is expressed in, never the moment. Converted with real zone data (CLDR + tzdata)."""
    if (bad := not_an_event(event) or not_an_event(other, "the other read")) is not None:
        return bad
    problems = []
    for key in ("start", "end"):
        try:
            a, b = instant(event, key), instant(other, key)
        except ValueError as exc:
            return Outcome.fail(str(exc))
        if a != b:
            problems.append(f"{key}: {event[key]} is {timezones.format_instant(a)}, "
                            f"{other[key]} is {timezones.format_instant(b)}")
    return Outcome.fail("different instants: " + "; ".join(problems)) if problems else Outcome.ok()


@invariant("EVT-TZ-4", "A response honouring Prefer: outlook.timezone says so in Preference-Applied",
           source="api-reference/v1.0/api/event-get.md#response-1", feature=FEATURE, severity=SHOULD)
def preference_applied(response: Any, zone_name: str) -> Outcome:
    """The documented responses to requests with the header carry
    ``Preference-Applied: outlook.timezone="<zone>"`` (event-get, findMeetingTimes, the meeting
    proposals walkthrough). The create examples show only Content-type, and no page states it as
    a rule, hence SHOULD."""
    value = header(response, "Preference-Applied")
    if value is None:
        return Outcome.fail("no Preference-Applied header", expected=f'outlook.timezone="{zone_name}"')
    m = re.search(r'outlook\.timezone\s*=\s*"?([^";,]+)"?', value, re.IGNORECASE)
    if not m or not _same_zone(m.group(1).strip(), zone_name):
        return Outcome.fail(f"Preference-Applied is {value!r}",
                            expected=f'outlook.timezone="{zone_name}"', actual=value)
    return Outcome.ok()


@invariant("EVT-FMT-1", "start/end dateTime have seven fractional digits and no offset",
           source=DATE_TIME_TIME_ZONE, feature=FEATURE, severity=SHOULD)
def seven_fractional_digits(event: Any) -> Outcome:
    """dateTimeTimeZone.dateTime is documented by example as ``2017-08-29T04:00:00.0000000`` and
    every documented response uses that form; clients parse it with fixed formats. The docs give
    it as an example, not a rule, hence SHOULD."""
    if (bad := not_an_event(event)) is not None:
        return bad
    wrong = {k: obj(event.get(k)).get("dateTime") for k in ("start", "end")
             if not is_seven_digit_date_time(obj(event.get(k)).get("dateTime"))}
    if wrong:
        return Outcome.fail(f"not yyyy-mm-ddThh:mm:ss.fffffff: {wrong}",
                            expected="2017-08-29T04:00:00.0000000", actual=wrong)
    return Outcome.ok()


@invariant("EVT-FMT-2", "createdDateTime and lastModifiedDateTime are ISO 8601 in UTC (Z)",
           source=EVENT, feature=FEATURE, severity=MUST)
def timestamps_in_utc(event: Any) -> Outcome:
    """The event resource: these timestamps use ISO 8601 and are always in UTC
    (``2014-01-01T00:00:00Z``). Graph trims trailing zeros of the fraction (6 or 7 digits), so
    any fraction up to 7 digits passes."""
    if (bad := not_an_event(event)) is not None:
        return bad
    wrong = {k: event.get(k) for k in ("createdDateTime", "lastModifiedDateTime")
             if not _UTC_TIMESTAMP.match(str(event.get(k)))}
    if wrong:
        return Outcome.fail(f"not ISO 8601 UTC timestamps: {wrong}", actual=wrong)
    return Outcome.ok()


# --- documented defaults --------------------------------------------------------------------------

def _defaults(request_body: Mapping[str, Any], event: Any, defaults: Mapping[str, Any]) -> Outcome:
    if (bad := not_an_event(event)) is not None:
        return bad
    # a default shows only on a request that leaves the property out
    left_out = [k for k in defaults if k not in request_body]
    if not left_out:
        return Outcome.not_observed(f"the request sets {', '.join(defaults)}: no default to see")
    wrong = {k: event.get(k, "<missing>") for k in left_out if event.get(k) != defaults[k]}
    if wrong:
        return Outcome.fail(f"documented defaults not applied: {wrong}",
                            expected={k: defaults[k] for k in wrong}, actual=wrong)
    return Outcome.ok()


@invariant("EVT-DEF-1", "allowNewTimeProposals defaults to true",
           source=f"{USER_POST_EVENTS}#create-event", feature=FEATURE, severity=MUST)
def default_allow_new_time_proposals(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The create page and the event resource: allowNewTimeProposals is true unless the request
    sets it (a request that sets it is checked by EVT-CREATE-2)."""
    return _defaults(request_body, event, {"allowNewTimeProposals": True})


@invariant("EVT-DEF-2", "Without online meeting settings: isOnlineMeeting false, provider unknown, onlineMeeting null",
           source=EVENT, feature=FEATURE, severity=MUST)
def default_not_online(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The event resource: isOnlineMeeting defaults to false (onlineMeeting null), onlineMeeting
    defaults to null, onlineMeetingProvider defaults to unknown. Documented examples 2 and 3 show
    isOnlineMeeting true for requests that never asked for it: a documentation defect. A mailbox
    whose policy turns every meeting online would also fail this; the report says which."""
    if "isOnlineMeeting" in request_body or "onlineMeetingProvider" in request_body:
        return not_an_event(event) or Outcome.not_observed("the request sets online meeting properties")
    return _defaults(request_body, event, {"isOnlineMeeting": False, "onlineMeeting": None,
                                           "onlineMeetingProvider": "unknown"})


@invariant("EVT-DEF-3", "responseRequested defaults to true, hideAttendees to false",
           source=EVENT, feature=FEATURE, severity=MUST)
def default_response_requested_and_attendees_shown(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The event resource states both defaults."""
    return _defaults(request_body, event, {"responseRequested": True, "hideAttendees": False})


@invariant("EVT-DEF-4", "transactionId is returned only when the client set it",
           source=EVENT, feature=FEATURE, severity=MUST)
def transaction_id_only_when_set(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The event resource: transactionId is returned only if an app has set it. Absent or null
    both count as not returned. When it was set, it comes back as sent."""
    if (bad := not_an_event(event)) is not None:
        return bad
    sent, got = request_body.get("transactionId"), event.get("transactionId")
    if sent is None and got is not None:
        return Outcome.fail(f"transactionId {got!r} returned although the request set none", actual=got)
    if sent is not None and got != sent:
        return Outcome.fail(f"transactionId {got!r}, the request set {sent!r}", expected=sent, actual=got)
    return Outcome.ok()


# --- transactionId idempotency ------------------------------------------------------------------

@invariant("EVT-TXN-1", "A create retried with the same transactionId makes no duplicate",
           source=EVENT, feature=FEATURE, severity=MUST)
def retry_is_idempotent(first_event: Any, retry_response: Any, listed_events: Iterable[Mapping[str, Any]]) -> Outcome:
    """transactionId exists so the server avoids redundant POSTs when a client retries a create:
    after the retry the calendar holds one event with that transactionId, and a retry that
    answers with an event answers with the first one. The docs do not say which status the retry
    gets, so any 2xx passes; an error status fails (the client could not tell it succeeded)."""
    if (bad := not_an_event(first_event, "the first create's event")) is not None:
        return bad
    tid = first_event.get("transactionId")
    if not tid:
        return Outcome.fail("the first event has no transactionId; nothing to check idempotency with")
    problems = []
    status = status_of(retry_response)
    if not 200 <= status < 300:
        problems.append(f"the retry answered {status}: {what_came_back(retry_response)}")
    body = body_of(retry_response)
    if isinstance(body, dict) and body.get("id") and body["id"] != first_event.get("id"):
        problems.append("the retry answered with a different event id")
    same = [e.get("id") for e in listed_events if e.get("transactionId") == tid]
    if len(same) != 1:
        problems.append(f"{len(same)} events carry transactionId {tid!r}, expected exactly 1")
    elif same[0] != first_event.get("id"):
        problems.append("the one event carrying the transactionId is not the first one created")
    return problems_outcome(problems, actual={"events_with_transactionId": len(same), "retry_status": status})


@invariant("EVT-TXN-2", "transactionId cannot be changed by an update",
           source=EVENT, feature=FEATURE, severity=MUST)
def transaction_id_immutable(original_transaction_id: str, event_after: Any) -> Outcome:
    """The event resource: after you set transactionId when creating an event, you can't change
    it in a later update. Whether the service rejects the PATCH (the service answers 400) or
    ignores the field, the event read back afterwards still carries the original value."""
    if (bad := not_an_event(event_after, "the event read after the update")) is not None:
        return bad
    got = event_after.get("transactionId")
    if got != original_transaction_id:
        return Outcome.fail(f"transactionId changed from {original_transaction_id!r} to {got!r}",
                            expected=original_transaction_id, actual=got)
    return Outcome.ok()


# --- locations --------------------------------------------------------------------------------

def _names(locations: Any) -> list[Any]:
    return [obj(loc).get("displayName") for loc in items(locations)]


@invariant("EVT-LOC-1", "location and locations correspond",
           source=EVENT, feature=FEATURE, severity=MUST)
def location_matches_locations(event: Any) -> Outcome:
    """The event resource: location and locations always correspond. As every documented
    response shows it: one location -> the same display name in both; several -> location's
    display name joins theirs with '; '; no location -> locations empty."""
    if (bad := not_an_event(event)) is not None:
        return bad
    if "location" not in event and "locations" not in event:  # nothing to compare is no pass
        return Outcome.fail("the event has neither location nor locations", actual=sorted(event))
    names = _names(event.get("locations"))
    single = obj(event.get("location")).get("displayName") or ""
    if not names:
        return Outcome.ok() if not single else Outcome.fail(
            f"location {single!r} but locations is empty", actual=event.get("locations"))
    joined = "; ".join(str(n) for n in names)
    if single != joined:
        return Outcome.fail(f"location {single!r} does not correspond to locations {names}",
                            expected=joined, actual=single)
    return Outcome.ok()


@invariant("EVT-LOC-2", "Requested locations come back in order with their address and coordinates",
           source=f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[2]}", feature=FEATURE, severity=MUST)
def locations_echo_request(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The request's locations are the places the event is held; the created event lists them,
    with what the request gave (address, coordinates). Server-filled fields (locationType,
    uniqueId, uniqueIdType) are not part of this check."""
    if (bad := not_an_event(event)) is not None:
        return bad
    wanted = request_body.get("locations")
    if not wanted:
        return Outcome.not_observed("the request sets no locations")
    got = items(event.get("locations"))
    projected = [{k: obj(g).get(k) for k in w} for w, g in zip(wanted, got)] + got[len(wanted):]
    diffs = differences(projected, wanted, allow_extra=False)
    if diffs:
        return Outcome.fail(f"locations differ from the request in {len(diffs)} place(s)", diff=render(diffs))
    return Outcome.ok()


@invariant("EVT-LOC-3", "Updating location replaces the locations collection by it",
           source=EVENT, feature=FEATURE, severity=MUST)
def location_update_replaces_locations(patch_body: Mapping[str, Any], event_after: Any) -> Outcome:
    """The event resource: if you update the location property, any prior locations are removed
    and replaced by the new location value."""
    if (bad := not_an_event(event_after, "the updated event")) is not None:
        return bad
    new = obj(patch_body.get("location")).get("displayName")
    if new is None:
        raise ValueError("EVT-LOC-3 needs a PATCH body that sets location.displayName")
    names = _names(event_after.get("locations"))
    if names != [new]:
        return Outcome.fail(f"locations after updating location to {new!r} are {names}",
                            expected=[new], actual=names)
    return Outcome.ok()


# --- recurrence ----------------------------------------------------------------------------------

@invariant("EVT-REC-1", "Creating with a recurrence returns the seriesMaster",
           source=EVENT, feature=FEATURE, severity=MUST)
def recurring_create_is_series_master(event: Any) -> Outcome:
    """The event resource lists seriesMaster among the types; the event a recurring create makes
    is the series master, which carries the recurrence and has no seriesMasterId."""
    if (bad := not_an_event(event)) is not None:
        return bad
    problems = []
    if event.get("type") != "seriesMaster":
        problems.append(f"type {event.get('type')!r}, expected 'seriesMaster'")
    if not isinstance(event.get("recurrence"), dict):
        problems.append("no recurrence on the series master")
    if event.get("seriesMasterId") is not None:
        problems.append(f"seriesMasterId {event.get('seriesMasterId')!r} on the master itself")
    return problems_outcome(problems)


@invariant("EVT-REC-2", "The returned recurrence keeps the requested pattern and range",
           source=f"{RECUR}#recurrence-patterns", feature=FEATURE, severity=MUST)
def recurrence_preserved(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """Every property the request set in pattern and range comes back with that value; enum
    values (``Monday`` vs ``monday``) compare case-insensitively, as Graph accepts them. The
    server fills the rest (see EVT-REC-3 and the golden comparison)."""
    if (bad := not_an_event(event)) is not None:
        return bad
    wanted = request_body.get("recurrence")
    if not isinstance(wanted, dict):
        raise ValueError("EVT-REC-2 needs a request body with a recurrence")
    got = obj(event.get("recurrence"))
    projected = {part: {k: obj(got.get(part)).get(k, "<missing>") for k in obj(wanted.get(part))}
                 for part in wanted}
    diffs = differences(projected, wanted, allow_extra=False)
    if diffs:
        return Outcome.fail(f"recurrence differs from the request in {len(diffs)} place(s)",
                            diff=render(diffs))
    return Outcome.ok()


@invariant("EVT-REC-3", "Recurrence defaults: firstDayOfWeek sunday (weekly), recurrenceTimeZone the event's zone",
           source=f"{RECUR}#weekly", feature=FEATURE, severity=MUST)
def recurrence_defaults(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The recurring-events page: for a weekly pattern firstDayOfWeek defaults to Sunday; a
    range's recurrenceTimeZone, when not given, is the time zone of the event (its start zone
    as created)."""
    if (bad := not_an_event(event)) is not None:
        return bad
    wanted = obj(request_body.get("recurrence"))
    got = obj(event.get("recurrence"))
    problems, observed = [], False
    w_pattern, g_pattern = obj(wanted.get("pattern")), obj(got.get("pattern"))
    if casefold(w_pattern.get("type")) == "weekly" and "firstDayOfWeek" not in w_pattern:
        observed = True
        if casefold(g_pattern.get("firstDayOfWeek")) != "sunday":
            problems.append(f"firstDayOfWeek {g_pattern.get('firstDayOfWeek')!r}, expected 'sunday'")
    zone_name = obj(request_body.get("start")).get("timeZone")
    if "recurrenceTimeZone" not in obj(wanted.get("range")) and zone_name:
        observed = True
        got_zone = obj(got.get("range")).get("recurrenceTimeZone")
        if not _same_zone(str(got_zone), zone_name):
            problems.append(f"recurrenceTimeZone {got_zone!r}, expected the event's zone {zone_name!r}")
    if not observed:
        return Outcome.not_observed("the request sets firstDayOfWeek (or is not weekly) and "
                                    "recurrenceTimeZone: no default to see")
    return problems_outcome(problems)


# --- online meetings -----------------------------------------------------------------------------

@invariant("EVT-ONLINE-1", "Enabling an online meeting initialises onlineMeeting with a joinUrl",
           source=EVENT, feature=FEATURE, severity=MUST)
def online_meeting_initialised(request_body: Mapping[str, Any], event: Any) -> Outcome:
    """The event resource: after isOnlineMeeting and onlineMeetingProvider are set, Graph
    initialises onlineMeeting; the URL to join is onlineMeeting.joinUrl."""
    if (bad := not_an_event(event)) is not None:
        return bad
    if request_body.get("isOnlineMeeting") is not True:
        raise ValueError("EVT-ONLINE-1 needs a request body with isOnlineMeeting true")
    problems = []
    if event.get("isOnlineMeeting") is not True:
        problems.append(f"isOnlineMeeting {event.get('isOnlineMeeting')!r}")
    wanted_provider = request_body.get("onlineMeetingProvider")
    if wanted_provider and casefold(event.get("onlineMeetingProvider")) != casefold(wanted_provider):
        problems.append(f"onlineMeetingProvider {event.get('onlineMeetingProvider')!r}, requested {wanted_provider!r}")
    join_url = obj(event.get("onlineMeeting")).get("joinUrl")
    parts = urlsplit(join_url) if isinstance(join_url, str) else None
    if not parts or parts.scheme not in ("https", "http") or not parts.netloc:
        problems.append(f"onlineMeeting.joinUrl is {join_url!r}, expected an absolute URL")
    return problems_outcome(problems, actual={k: event.get(k) for k in (
        "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting")})


@invariant("EVT-ONLINE-2", "isOnlineMeeting is true exactly when onlineMeeting is set",
           source=EVENT, feature=FEATURE, severity=MUST)
def online_flag_matches_info(event: Any) -> Outcome:
    """The event resource defines isOnlineMeeting as 'this event has online meeting information
    (onlineMeeting points to an onlineMeetingInfo)'. Documented examples 2 and 3 say true with
    onlineMeeting null: a documentation defect."""
    if (bad := not_an_event(event)) is not None:
        return bad
    flag, info = event.get("isOnlineMeeting"), event.get("onlineMeeting")
    if not isinstance(flag, bool):  # a missing flag is not "false": nothing to compare is no pass
        return Outcome.fail(f"isOnlineMeeting is {flag!r}, not a boolean", actual=flag)
    if flag != isinstance(info, dict):
        return Outcome.fail(f"isOnlineMeeting {flag!r} with onlineMeeting {info!r}",
                            actual={"isOnlineMeeting": flag, "onlineMeeting": info})
    return Outcome.ok()


@invariant("EVT-ONLINE-3", "Once online, an event stays online: turning isOnlineMeeting off is ignored",
           source=EVENT, feature=FEATURE, severity=MUST)
def online_meeting_sticks(before: Any, after: Any) -> Outcome:
    """The event resource: after isOnlineMeeting is set true, Outlook ignores further changes to
    it and the meeting remains available online; isOnlineMeeting, onlineMeetingProvider and
    onlineMeeting can't be changed again. So after a PATCH setting it false, the event still has
    isOnlineMeeting true and the same joinUrl."""
    if (bad := not_an_event(before, "the event before") or not_an_event(after, "the event after")) is not None:
        return bad
    problems = []
    if after.get("isOnlineMeeting") is not True:
        problems.append(f"isOnlineMeeting {after.get('isOnlineMeeting')!r} after the update")
    url_before = obj(before.get("onlineMeeting")).get("joinUrl")
    url_after = obj(after.get("onlineMeeting")).get("joinUrl")
    if url_after != url_before:
        problems.append(f"joinUrl changed from {url_before!r} to {url_after!r}")
    if casefold(after.get("onlineMeetingProvider")) != casefold(before.get("onlineMeetingProvider")):
        problems.append(f"onlineMeetingProvider changed from {before.get('onlineMeetingProvider')!r} "
                        f"to {after.get('onlineMeetingProvider')!r}")
    return problems_outcome(problems)


# --- update ---------------------------------------------------------------------------------------

@invariant("EVT-UPD-1", "PATCH answers 200 OK with the event carrying the new values",
           source=f"{UPDATE}#response", feature=FEATURE, severity=MUST)
def update_answers_200_with_new_values(response: Any, patch_body: Mapping[str, Any]) -> Outcome:
    """The update page: on success 200 OK and the updated event in the body. Each patched
    property is compared after normalisation (times as instants, enum case, HTML body text)."""
    if (wrong := unexpected_status(response, 200, "200 OK")) is not None:
        return wrong
    body = body_of(response)
    if (bad := not_an_event(body, "the update's answer")) is not None:
        return bad
    projected = {k: body.get(k, "<missing>") for k in patch_body}
    diffs = differences(projected, dict(patch_body))
    if diffs:
        return Outcome.fail(f"{len(diffs)} patched value(s) not applied", diff=render(diffs))
    return Outcome.ok()


@invariant("EVT-UPD-2", "An update changes changeKey",
           source=EVENT, feature=FEATURE, severity=MUST)
def change_key_changed(before: Any, after: Any) -> Outcome:
    """The event resource: every time the event changes, its changeKey changes as well."""
    if (bad := not_an_event(before, "the event before") or not_an_event(after, "the event after")) is not None:
        return bad
    if not after.get("changeKey"):
        return Outcome.fail("the updated event has no changeKey")
    if after.get("changeKey") == before.get("changeKey"):
        return Outcome.fail(f"changeKey still {after.get('changeKey')!r} after the update",
                            actual=after.get("changeKey"))
    return Outcome.ok()


@invariant("EVT-UPD-3", "An update changes @odata.etag and moves lastModifiedDateTime forward",
           source=EVENT, feature=FEATURE, severity=SHOULD)
def version_metadata_advanced(before: Any, after: Any) -> Outcome:
    """Graph's etag is derived from the changeKey (documented payloads show the same value) and
    lastModifiedDateTime is the last change. Neither is stated as a rule on the event pages,
    hence SHOULD."""
    if (bad := not_an_event(before, "the event before") or not_an_event(after, "the event after")) is not None:
        return bad
    problems = []
    if after.get("@odata.etag") is not None and after.get("@odata.etag") == before.get("@odata.etag"):
        problems.append("@odata.etag unchanged")
    try:
        t0 = timezones.parse_local(before["lastModifiedDateTime"])
        t1 = timezones.parse_local(after["lastModifiedDateTime"])
    except (KeyError, ValueError) as exc:
        problems.append(f"lastModifiedDateTime unreadable: {exc}")
    else:
        if t1 <= t0:
            problems.append(f"lastModifiedDateTime {after['lastModifiedDateTime']} not after "
                            f"{before['lastModifiedDateTime']}")
    return problems_outcome(problems)


# --- delete ----------------------------------------------------------------------------------------

@invariant("EVT-DEL-1", "DELETE answers 204 No Content with no body",
           source=DELETE, feature=FEATURE, severity=MUST)
def delete_answers_204_without_body(response: Any) -> Outcome:
    """The delete page: on success 204 No Content, nothing in the body."""
    if (wrong := unexpected_status(response, 204)) is not None:
        return wrong
    text = text_of(response)
    if text.strip():
        return Outcome.fail(f"204 with a body: {text[:200]!r}", actual=text[:200])
    return Outcome.ok()


@invariant("EVT-DEL-2", "A deleted event reads back as 404 with a JSON error",
           source=DELETE, feature=FEATURE, severity=MUST)
def deleted_event_reads_as_404(response: Any) -> Outcome:
    """Once deleted, the event is not in the calendar: a GET of its id answers 404 with Graph's
    error object ``{"error": {"code", "message"}}``."""
    return graph_error_answer(response, 404, when=" after delete")


@invariant("EVT-DEL-3", "The 404 after delete has error code ErrorItemNotFound",
           source=DELETE, feature=FEATURE, severity=SHOULD)
def item_not_found_code(response: Any) -> Outcome:
    """Outlook resources answer a missing item with code ErrorItemNotFound; clients branch on it.
    The delete page shows no error example, hence SHOULD."""
    code = obj(graph_error(body_of(response))).get("code")
    if code != "ErrorItemNotFound":
        return Outcome.fail(f"error code {code!r}", expected="ErrorItemNotFound", actual=code)
    return Outcome.ok()


# --- golden comparisons ----------------------------------------------------------------------------

# id -> (golden name, what it is, documentation source)
GOLDEN_CHECKS = {
    "EVT-GOLD-1": ("events/user-post-events-1", "created event: example 1 (time zone and transactionId)",
                   f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[1]}"),
    "EVT-GOLD-2": ("events/user-post-events-2", "created event: example 2 (multiple locations)",
                   f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[2]}"),
    "EVT-GOLD-3": ("events/user-post-events-3", "created event: example 3 (weekly recurring event)",
                   f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[3]}"),
    "EVT-GOLD-4": ("events/user-post-events-4", "created event: example 4 (online meeting)",
                   f"{USER_POST_EVENTS}{EXAMPLE_ANCHORS[4]}"),
    "EVT-GOLD-5": ("events/event-get-2", "example 2's event read back with $select, no Prefer",
                   "api-reference/v1.0/api/event-get.md#request-2"),
}

for _id, (_name, _what, _source) in GOLDEN_CHECKS.items():
    invariant(_id, f"Matches the documented response: {_what}", source=_source, feature=FEATURE,
              severity=SHOULD, explanation=(
                  f"The response compared with the documented one ({_name}) after normalisation "
                  "(volatile ids/etags/timestamps/links masked, personas by role, times as instants, "
                  "enum case, HTML bodies by text). Keys the docs do not show are allowed (the docs "
                  "shorten responses); the paths listed as documentation defects are not compared."),
              )(golden_check(_id, _name, "response"))


# --- calendarView windows (issue 15) -----------------------------------------------------------

VIEW = "api-reference/v1.0/api/user-list-calendarview.md"


def _ids_of(events: Iterable[Any]) -> list[Any]:
    return [obj(e).get("id") for e in events]


def window_membership(listed: Any, inside: Iterable[Any], outside: Iterable[Any] = ()) -> Outcome:
    """Each event of ``inside`` is listed exactly once (by id), none of ``outside`` is."""
    if not isinstance(listed, list):
        return Outcome.fail("needs the listed events (a list)", actual=listed)
    seen = _ids_of(listed)
    missing = [f"{obj(e).get('subject')!r} ({obj(e).get('id')})" for e in inside
               if seen.count(obj(e).get("id")) != 1]
    extra = [f"{obj(e).get('subject')!r} ({obj(e).get('id')})" for e in outside
             if obj(e).get("id") in seen]
    problems = [f"not listed exactly once: {m}" for m in missing] + [f"listed: {x}" for x in extra]
    return problems_outcome(problems, actual=[obj(e).get("subject") for e in listed])


@invariant("EVT-VIEW-1", "calendarView lists an event that began before the window and ends inside it",
           source=f"{VIEW}#list-calendarview", feature=FEATURE, severity=MUST,
           explanation="The page lists the events 'in a calendar view defined by a time range': an "
                       "event still going on when the range begins is in that view (it occupies "
                       "part of it). Whether an event ending exactly at the window start, or "
                       "starting exactly at its end, is listed is stated nowhere: the scenario "
                       "records what the target does as evidence, without a verdict.")
def overlapping_event_listed(listed: Any, overlapping: Any) -> Outcome:
    return window_membership(listed, [overlapping])


# The window's zone: the same membership check, with windows written without and with an offset.
WINDOW_ZONE_CHECKS = {
    "EVT-VIEW-2": ("A calendarView window without an offset is UTC, whatever Prefer: outlook.timezone says",
                   "The page: startDateTime/endDateTime without a time zone offset are interpreted as "
                   "UTC, and are not affected by Prefer: outlook.timezone. Checked with the header set "
                   "to a zone far from UTC: the events inside the window read as UTC are listed, those "
                   "inside it only if read in that zone are not."),
    "EVT-VIEW-3": ("A calendarView window with an offset is read at that offset",
                   "The page: startDateTime/endDateTime are interpreted using the time zone offset "
                   "given in the value (its example uses -08:00). Events inside the window at that "
                   "offset are listed; those inside it only if the offset were dropped (the wall "
                   "clock read as UTC) are not."),
}
for _id, (_title, _why) in WINDOW_ZONE_CHECKS.items():
    invariant(_id, _title, source=f"{VIEW}#query-parameters", feature=FEATURE, severity=MUST,
              explanation=_why)(window_membership)


@invariant("EVT-VIEW-4", "calendarView lists the same events on each documented path of the default calendar",
           source=f"{VIEW}#http-request", feature=FEATURE, severity=MUST)
def same_view_on_every_path(listings: Mapping[str, Any], inside: Iterable[Any]) -> Outcome:
    """The page gives calendarView of the user's default calendar as /me/calendarView (and
    /users/{id | userPrincipalName}/calendarView), /me/calendar/calendarView and
    /me/calendars/{id}/calendarView: for the same window each lists the events inside it."""
    wanted = list(inside)
    problems = [f"{path}: {out.message}" for path, listed in listings.items()
                if not (out := window_membership(listed, wanted)).passed]
    return problems_outcome(problems, actual={p: len(v) if isinstance(v, list) else v
                                              for p, v in listings.items()})


@invariant("EVT-VIEW-5", "calendarView without startDateTime/endDateTime is refused with 400 and an error body",
           source=f"{VIEW}#query-parameters", feature=FEATURE, severity=MUST)
def window_required(response: Any) -> Outcome:
    """The page makes startDateTime and endDateTime required query parameters: a request
    without them is a bad request (400 with Graph's error object), not a list of the whole
    calendar."""
    if (wrong := unexpected_status(response, 400, "400 Bad Request", when=" without a window")) is not None:
        return wrong
    if not obj(graph_error(body_of(response))).get("code"):
        return Outcome.fail(f"400 without a JSON error object: {what_came_back(response)}",
                            actual=body_of(response))
    return Outcome.ok()


# --- body content type (issue 15) ----------------------------------------------------------------

LIST_EVENTS = "api-reference/v1.0/api/user-list-events.md#request-headers"


def _body_types(events: Iterable[Any], wanted: str) -> list[str]:
    """'<subject>: <contentType>' of each event whose body is not of type ``wanted``."""
    return [f"{obj(e).get('subject')!r}: {obj(obj(e).get('body')).get('contentType')!r}"
            for e in events if casefold(obj(obj(e).get("body")).get("contentType")) != wanted]


@invariant("EVT-BODY-1", "Without Prefer: outlook.body-content-type, body comes back as HTML",
           source=f"{VIEW}#request-headers; {LIST_EVENTS}", feature=FEATURE, severity=MUST)
def body_html_by_default(events: Any) -> Outcome:
    """List events and calendarView: if the header is not specified, the body property is
    returned in HTML format (an event created with a text body included)."""
    if not isinstance(events, list) or not events:
        return Outcome.fail("needs the listed events (a non-empty list)", actual=events)
    wrong = _body_types(events, "html")
    return problems_outcome([f"body not HTML: {w}" for w in wrong])


@invariant("EVT-BODY-2", "Prefer: outlook.body-content-type=\"text\" gives text bodies and says so in Preference-Applied",
           source=f"{VIEW}#request-headers; {LIST_EVENTS}", feature=FEATURE, severity=MUST)
def body_text_on_request(response: Any, events: Any) -> Outcome:
    """List events and calendarView: the header sets the format of body ("text" or "html"),
    and a Preference-Applied header is returned as confirmation when it is specified."""
    if not isinstance(events, list) or not events:
        return Outcome.fail("needs the listed events (a non-empty list)", actual=events)
    problems = [f"body not text: {w}" for w in _body_types(events, "text")]
    applied = header(response, "Preference-Applied") or ""
    if not re.search(r'outlook\.body-content-type\s*=\s*"?text"?', applied, re.IGNORECASE):
        problems.append(f"Preference-Applied is {applied or 'missing'!r}, expected it to confirm "
                        'outlook.body-content-type="text"')
    return problems_outcome(problems)


# --- authentication and the signed-in user's mailbox (issue 15) -----------------------------------
# A Graph call carries "Authorization: Bearer {token}. Required." (every page's request headers);
# the token is what the token endpoint issued, valid for its expires_in seconds. Without a valid
# one the call is refused: 401 Unauthorized with Graph's error body (code
# InvalidAuthenticationToken), the answer RFC 6750 section 3.1 gives for a missing, malformed or
# expired bearer token.
AUTH = "concepts/auth-v2-user.md#4-use-the-access-token-to-call-microsoft-graph"


def _refused(response: Any, what: str) -> Outcome:
    return graph_error_answer(response, 401, "401 Unauthorized", when=f" {what}")


@invariant("EVT-AUTH-1", "A Graph call without a token is refused: 401 with Graph's error body",
           source=AUTH, feature=FEATURE, severity=MUST)
def refused_without_token(response: Any) -> Outcome:
    """The access token goes in the Authorization header (required): a call without one is
    refused with 401 and ``{"error": {"code", "message"}}``, and serves nobody's mailbox.
    401 is RFC 6750 section 3.1's status for a missing or invalid bearer token; no stored Graph
    page names the status itself."""
    return _refused(response, "without an Authorization header")


@invariant("EVT-AUTH-2", "A Graph call with a malformed token is refused: 401 with Graph's error body",
           source=AUTH, feature=FEATURE, severity=MUST)
def refused_with_malformed_token(response: Any) -> Outcome:
    """A Bearer value that is no token the identity platform issued is refused with 401 and
    Graph's error body (401: RFC 6750 section 3.1, invalid_token)."""
    return _refused(response, "with a malformed token")


@invariant("EVT-AUTH-3", "A Graph call with an expired token is refused: 401 with Graph's error body",
           source="concepts/auth-v2-user.md#token-response", feature=FEATURE, severity=MUST)
def refused_with_expired_token(response: Any) -> Outcome:
    """An access token is valid for ``expires_in`` seconds (after that the app must get a new
    one, e.g. with its refresh token): a call with a token whose lifetime is over is refused
    with 401 and Graph's error body. Checked only with a token the target issued already
    expired (the emulator's ``graphcal_expires_in=0``); a target that cannot issue one leaves
    the check unrun (401: RFC 6750 section 3.1, an expired token is invalid_token)."""
    return _refused(response, "with an expired token")


@invariant("EVT-AUTH-4", "/me and /users/{own id} are the same user and mailbox",
           source=AUTH, feature=FEATURE, severity=MUST)
def me_is_own_mailbox(via_me: Any, via_id: Any) -> Outcome:
    """``/me`` is the signed-in user; ``/users/{id}`` with that user's own id names the same user
    and mailbox (every mailbox page lists both forms of one request): the same resource reads
    back with the same id (and userPrincipalName, for the user) either way."""
    for response, how in ((via_me, "/me"), (via_id, "/users/{own id}")):
        if (wrong := unexpected_status(response, 200, when=f" through {how}")) is not None:
            return wrong
    a, b = obj(body_of(via_me)), obj(body_of(via_id))
    keys = [k for k in ("id", "userPrincipalName") if k in a or k in b]
    differ = {k: (a.get(k), b.get(k)) for k in keys if a.get(k) != b.get(k)}
    if not a.get("id") or differ:
        return Outcome.fail(f"/me and /users/{{own id}} differ: {differ or 'no id'}",
                            expected={k: a.get(k) for k in keys}, actual={k: b.get(k) for k in keys})
    return Outcome.ok()

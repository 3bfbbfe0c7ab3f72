"""Fault switches: named misbehaviours a test turns on to prove that an invariant can fail.

A feature module checks ``name in request.app.state.faults``. Every name is listed here.
"""

from __future__ import annotations

FAULTS: dict[str, str] = {
    "stale-changekey": "PATCH keeps the old changeKey and @odata.etag instead of issuing new ones",
    "ignore-prefer-timezone": "Prefer: outlook.timezone is ignored: times come back in UTC",
    "no-preference-applied": "responses omit the Preference-Applied header",
    "duplicate-transaction": "a retried create with the same transactionId creates a second event",
    "drop-transaction-id": "transactionId is not returned in event payloads",
    "six-digit-datetimes": "start/end dateTime carry 6 fractional digits instead of 7",
    "location-not-mirrored": "location and locations are not kept in correspondence",
    "no-online-meeting": "isOnlineMeeting true produces no onlineMeeting (joinUrl)",
    "recurrence-not-normalised": "recurrence comes back as sent instead of Graph's normalised form",
    "error-body-plain": "error responses carry a plain-text body instead of Graph's JSON error",
    # meeting scheduling and proposals (emulator/scheduling.py, routes_respond.py; PROP-* invariants)
    "proposals-default-disallowed": "an event created without allowNewTimeProposals gets false (documented default: true)",
    "allow-flag-ignored": "allowNewTimeProposals false sent on create is stored as true",
    "organizer-status-none": "the organizer's new meeting has responseStatus none instead of organizer",
    "attendees-pre-accepted": "attendees of a new meeting start as accepted instead of none",
    "invite-wrong-type": "invitations are plain eventMessage with meetingMessageType none",
    "invite-hides-allow-flag": "invitations and attendee copies show allowNewTimeProposals false",
    "invite-no-event": "an invitation's $expand=microsoft.graph.eventMessage/event finds no event",
    "copy-is-organizer": "attendee copies have isOrganizer true",
    "copy-already-accepted": "attendee copies start with responseStatus accepted",
    "copy-busy": "attendee copies show as busy instead of tentative",
    "copy-new-icaluid": "attendee copies get their own iCalUId",
    "copy-wrong-time": "attendee copies start an hour late",
    "respond-200": "accept/tentativelyAccept/decline answer 200 instead of 202",
    "respond-returns-event": "accept/tentativelyAccept/decline answer with the event as body",
    "own-copy-unchanged": "responding leaves the attendee's own copy at responseStatus none",
    "strict-respond-body": "PascalCase timeSlot keys and \"true\" as a string are rejected with 400",
    "reply-plain-subject": "a reply with a proposal has the plain Tentative:/Declined: subject",
    "reply-from-organizer": "replies carry the organizer as sender and from",
    "reply-says-accepted": "replies say responseType accepted / meetingAccepted whatever the response",
    "reply-drops-proposal": "replies omit proposedNewTime although the attendee proposed",
    "reply-null-proposal": "replies without a proposal carry proposedNewTime null",
    "reply-times-are-proposal": "replies carry the proposal as startDateTime/endDateTime",
    "reply-ignores-send-response": "sendResponse false still sends the reply",
    "status-not-recorded": "responses do not reach the organizer's event",
    "status-time-missing": "the organizer's event records responses with time 0001-01-01",
    "event-drops-proposal": "the organizer's event does not show the attendee's proposedNewTime",
    "proposal-on-every-attendee": "a proposal appears on every attendee of the organizer's event",
    "move-reverted": "PATCH of start/end answers 200 but keeps the old time",
    "move-keeps-status": "moving the meeting keeps the attendees' statuses",
    "move-resets-time-now": "moving the meeting resets statuses with the current time, not 4501-01-01",
    "move-keeps-proposal": "moving the meeting keeps the attendees' proposedNewTime",
    "move-leaves-copies": "moving the meeting leaves attendee copies at the old time",
    "move-sends-no-update": "moving the meeting sends attendees no update request",
    "proposals-always-allowed": "proposedNewTime is accepted where allowNewTimeProposals is false",
    "proposal-without-send-response": "proposedNewTime with sendResponse false is accepted",
    "rejection-changes-status": "a rejected proposal still records the attendee's response",
    "cancel-200": "cancel answers 200 instead of 202",
    # recurrence (emulator/expansion.py, routes_recurrence.py; REC-* invariants)
    "rec-enddate-exclusive": "range.endDate is exclusive: an occurrence on the end date is dropped",
    "rec-dst-drift": "series expand in UTC instead of the recurrence zone (wall clock drifts across DST)",
    "rec-month-end-skip": "dayOfMonth past a month's end skips that month instead of its last day",
    "rec-oid-utc": "occurrenceId carries the occurrence's UTC date instead of its recurrence-zone date",
    "rec-cancelled-listed": "a deleted (cancelled) occurrence is still listed by instances/calendarView",
    "rec-instances-include-master": "instances also list the series master",
    "rec-exception-loses-master": "an edited occurrence (exception) has seriesMasterId null",
    "rec-exception-stays-occurrence": "an edited occurrence keeps type occurrence instead of exception",
    "rec-no-exception-occurrences": "the master's exceptionOccurrences is always empty",
    "rec-no-cancelled-occurrences": "the master's cancelledOccurrences is always empty",
    "rec-no-boundary-check": "an occurrence may be moved onto or past an adjacent occurrence's day",
    "rec-accept-invalid": "an invalid recurrence is silently repaired and the series created (201)",
    "rec-events-lists-occurrences": "/events lists each series master's first occurrences too",
}


def check_names(names: frozenset[str] | set[str] | list[str]) -> frozenset[str]:
    """The names as a frozenset; raises ValueError naming the unknown ones."""
    unknown = sorted(set(names) - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault switch(es) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(FAULTS))}")
    return frozenset(names)

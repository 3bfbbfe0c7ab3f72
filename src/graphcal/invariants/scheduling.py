"""Meetings and new-time proposals: the documented claims of the walkthrough, as invariants.

Sources: the walkthrough ``concepts/outlook-calendar-meeting-proposals.md``, the respond
actions ``api/event-accept.md``, ``api/event-tentativelyaccept.md``, ``api/event-decline.md``,
the create-event reference (``api/user-post-events.md``, allowNewTimeProposals default), the
attendee's copy of an invitation as the delegated-calendar walkthrough and
``api/eventmessage-get.md`` show it, and the update note of ``api/event-update.md``.

Id families:
  PROP-1.x  the organizer's event (allowNewTimeProposals, organizer status, attendees unanswered)
  PROP-2.x  the respond actions (202, no body, the attendee's own copy)
  PROP-3.x  the eventMessageResponse the organizer receives
  PROP-4.x  the attendee's status and proposedNewTime on the organizer's event
  PROP-5.x  the organizer moves the meeting
  PROP-6.x  proposals the docs say are rejected
  PROP-7.x  the invitation: eventMessageRequest and the attendee's copy
  PROP-8.x  documented payload shapes (SHOULD, compared with golden/scheduling/)

Every check is pure: payloads in, ``Outcome`` out. A "response" argument is anything with a
``status`` (and optionally ``body``/``text``) attribute, such as ``graphcal.client.GraphResponse``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphcal.invariants.common import (
    address, body_of, find_attendee, organizer_copy_problems, problems_outcome, same_address,
    slot_instants, status_of, text_of, timestamp,
)
from graphcal.invariants.common import obj  # a null attendee (the schema allows it) reads as {}
from graphcal.invariants.diffing import golden_check
from graphcal.invariants.registry import MUST, SHOULD, Outcome, invariant

FEATURE = "scheduling"
WALKTHROUGH = "concepts/outlook-calendar-meeting-proposals.md"
ACCEPT = "api-reference/v1.0/api/event-accept.md"
TENTATIVE = "api-reference/v1.0/api/event-tentativelyaccept.md"
DECLINE = "api-reference/v1.0/api/event-decline.md"
CREATE = "api-reference/v1.0/api/user-post-events.md"
UPDATE = "api-reference/v1.0/api/event-update.md"
DELEGATED = "concepts/outlook-create-event-in-shared-delegated-calendar.md"
EVENTMESSAGE_GET = "api-reference/v1.0/api/eventmessage-get.md"

# The respond action -> the responseType it records (graph.responseType enum).
RESPONSE_OF_ACTION = {
    "accept": "accepted",
    "tentativelyAccept": "tentativelyAccepted",
    "decline": "declined",
}
# responseType -> the meetingMessageType of the eventMessageResponse. The v1.0 metadata spells
# the tentative member "meetingTenativelyAccepted" (sic), and so does the delegated-calendar
# walkthrough; the proposals walkthrough shows "meetingTentativelyAccepted". Both are accepted.
MEETING_MESSAGE_TYPES = {
    "accepted": ("meetingAccepted",),
    "tentativelyAccepted": ("meetingTenativelyAccepted", "meetingTentativelyAccepted"),
    "declined": ("meetingDeclined",),
}
NEW_TIME_PROPOSED_PREFIX = "New Time Proposed: "
NEVER = "0001-01-01T00:00:00Z"         # Exchange's "no time": unanswered attendees, organizer
RESET_TIME = "4501-01-01T00:00:00Z"    # documented status time after the organizer moves
RESET_RESPONSE = "notResponded"
EVENT_MESSAGE_REQUEST = "#microsoft.graph.eventMessageRequest"
EVENT_MESSAGE_RESPONSE = "#microsoft.graph.eventMessageResponse"


# --------------------------------------------------------------------------- helpers

def _compare_slots(actual: Any, expected: Any, what: str) -> Outcome:
    """Same start and end instants (zones may differ: Prefer: outlook.timezone converts)."""
    try:
        want = slot_instants(expected, lenient_keys=True)
    except ValueError as exc:
        return Outcome.fail(f"the expected {what} is not a timeSlot: {exc}", expected=expected)
    try:
        got = slot_instants(actual)
    except ValueError as exc:
        return Outcome.fail(f"{what} is not a valid timeSlot: {exc}", expected=expected, actual=actual)
    if got != want:
        return Outcome.fail(
            f"{what} is {got[0].isoformat()}..{got[1].isoformat()}, "
            f"expected {want[0].isoformat()}..{want[1].isoformat()} (compared as UTC instants)",
            expected=expected, actual=actual)
    return Outcome.ok()


def _event_slot(event: Mapping[str, Any]) -> dict[str, Any]:
    return {"start": event.get("start"), "end": event.get("end")}


def _message_slot(message: Mapping[str, Any]) -> dict[str, Any]:
    return {"start": message.get("startDateTime"), "end": message.get("endDateTime")}


def _status(attendee: Mapping[str, Any], key: str) -> Any:
    return obj(obj(attendee).get("status")).get(key)  # the schema allows null attendees


def _statuses_other_than(event: Mapping[str, Any], key: str, accept: Any) -> dict[str | None, Any]:
    """address -> status[key] for each attendee whose status[key] fails ``accept``."""
    return {address(a): _status(a, key) for a in event.get("attendees") or [] if not accept(_status(a, key))}


def _no_attendee_to_see(event: Mapping[str, Any], proposers: Iterable[str] = ()) -> Outcome | None:
    """not_observed when the event has no attendee (other than ``proposers``) the claim is about."""
    proposers = list(proposers)
    if any(not any(same_address(address(a), p) for p in proposers) for a in event.get("attendees") or []):
        return None
    return Outcome.not_observed("the event has no attendee" + (" besides the proposers" if proposers else "")
                                + " to look at")


def _carrying_proposals(event: Mapping[str, Any], proposers: Iterable[str] = ()) -> list[str | None]:
    """Attendees with a proposedNewTime property (null counts) who are not among ``proposers``."""
    proposers = list(proposers)
    return [address(a) for a in event.get("attendees") or []
            if "proposedNewTime" in obj(a) and not any(same_address(address(a), p) for p in proposers)]


def _require_attendee(event: Any, attendee_address: str) -> tuple[Mapping[str, Any] | None, Outcome | None]:
    """(the attendee's entry on ``event``, None), or (None, the failed Outcome saying why not)."""
    if not isinstance(event, Mapping):
        return None, Outcome.fail(f"expected an event object, got {type(event).__name__}", actual=event)
    attendee = find_attendee(event, attendee_address)
    if attendee is None:
        listed = [address(a) for a in event.get("attendees") or []]
        return None, Outcome.fail(f"no attendee {attendee_address} on the event (attendees: {listed})",
                                  actual=event.get("attendees"))
    return attendee, None


def _response_type_of(response: str) -> str:
    """Accept an action name or a responseType; the docs' prose says `decline` for `declined`."""
    if response in RESPONSE_OF_ACTION:
        return RESPONSE_OF_ACTION[response]
    if response == "decline":
        return "declined"
    return response


# --------------------------------------------------------------------------- PROP-1: the organizer's event

@invariant("PROP-1.1", "allowNewTimeProposals on the created event is the value the organizer set",
           source=f"{WALKTHROUGH}, step 1", feature=FEATURE, severity=MUST)
def allow_new_time_proposals_as_set(event: Mapping[str, Any], requested: bool) -> Outcome:
    """Step 1: Alex sets allowNewTimeProposals to true and the 201 answer echoes true; an
    organizer who sets false must get false (the disallowed variant relies on it)."""
    actual = event.get("allowNewTimeProposals")
    if actual is not requested:
        return Outcome.fail(f"allowNewTimeProposals is {actual!r}, the organizer set {requested!r}",
                            expected=requested, actual=actual)
    return Outcome.ok()


@invariant("PROP-1.2", "allowNewTimeProposals defaults to true when the organizer does not set it",
           source=CREATE, feature=FEATURE, severity=MUST)
def allow_new_time_proposals_default(event: Mapping[str, Any]) -> Outcome:
    """The create-event reference: by default allowNewTimeProposals is true when an event is
    created (the event resource says the same: optional, default true). The same documented
    default as EVT-DEF-1, checked here on a meeting with attendees."""
    actual = event.get("allowNewTimeProposals")
    if actual is not True:
        return Outcome.fail(f"allowNewTimeProposals is {actual!r} on an event created without it; "
                            "the documented default is true", expected=True, actual=actual)
    return Outcome.ok()


@invariant("PROP-1.3", "the organizer's event: isOrganizer true, responseStatus organizer",
           source=f"{WALKTHROUGH}, step 1", feature=FEATURE, severity=MUST)
def organizer_event_is_organizers(event: Mapping[str, Any]) -> Outcome:
    """Step 1's 201 answer shows isOrganizer true and responseStatus.response "organizer"
    (EVT-ORG-1 checks the same two properties, with the organizer's address, on every create)."""
    return problems_outcome(organizer_copy_problems(event),
                            actual={k: event.get(k) for k in ("isOrganizer", "responseStatus")})


@invariant("PROP-1.4", "before anyone responds, every attendee's status on the organizer's event is none",
           source=f"{WALKTHROUGH}, step 1", feature=FEATURE, severity=MUST)
def attendees_start_unanswered(event: Mapping[str, Any]) -> Outcome:
    """Step 1's 201 answer lists Adele with status.response "none" (time 0001-01-01T00:00:00Z,
    Exchange's "never"; only the response is checked, the time is part of the golden shape)."""
    if not event.get("attendees"):
        return Outcome.fail("the event has no attendees", actual=event.get("attendees"))
    bad = _statuses_other_than(event, "response", lambda response: response == "none")
    if bad:
        return Outcome.fail(f"attendees with a status other than none before any response: {bad}",
                            expected="none", actual=bad)
    return Outcome.ok()


# --------------------------------------------------------------------------- PROP-2: the respond actions

@invariant("PROP-2.1", "accept / tentativelyAccept / decline answer 202 Accepted",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=MUST)
def respond_answers_202(response: Any) -> Outcome:
    """The three respond pages: 'If successful, this method returns 202 Accepted'; the
    walkthrough's step 2 answer is 202 too. 200 or 204 is a different, undocumented contract
    (the processing is asynchronous: the organizer sees the result later)."""
    status = status_of(response)
    if status != 202:
        return Outcome.fail(f"the respond action answered {status}, the docs say 202 Accepted",
                            expected=202, actual=status)
    return Outcome.ok()


@invariant("PROP-2.2", "a successful respond action returns no body",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=MUST)
def respond_answers_no_body(response: Any) -> Outcome:
    """The respond pages: 'It does not return anything in the response body.'"""
    body, text = body_of(response), text_of(response)
    if body not in (None, "", {}) or text.strip():
        return Outcome.fail("the respond action returned a body; the docs say it returns nothing",
                            expected="", actual=body if body is not None else text[:200])
    return Outcome.ok()


@invariant("PROP-2.3", "after accept / tentativelyAccept the attendee's own copy records that response",
           source=f"{EVENTMESSAGE_GET}#example-2", feature=FEATURE, severity=MUST)
def own_copy_records_response(copy: Mapping[str, Any], response: str) -> Outcome:
    """responseStatus 'indicates the type of response sent in response to an event message'
    (event resource); the eventmessage-get example shows the attendee's copy with
    responseStatus tentativelyAccepted after a tentative reply. Not checked for decline:
    Exchange may move a declined meeting out of the calendar, which the docs do not cover."""
    expected = _response_type_of(response)
    actual = (copy.get("responseStatus") or {}).get("response")
    if actual != expected:
        return Outcome.fail(f"the attendee's copy has responseStatus.response {actual!r}, "
                            f"expected {expected!r}", expected=expected, actual=copy.get("responseStatus"))
    return Outcome.ok()


@invariant("PROP-2.4", "the walkthrough's literal tentativelyAccept body (PascalCase timeSlot, "
           "\"sendResponse\": \"true\") is accepted with 202", source=f"{WALKTHROUGH}, step 2",
           feature=FEATURE, severity=SHOULD)
def literal_documented_body_accepted(response: Any) -> Outcome:
    """Step 2's body carries two oddities inherited from the old Outlook REST API (which used
    PascalCase names and sent SendResponse as the string "true"): the timeSlot keys are
    Start/End/DateTime/TimeZone and sendResponse is a string. The API reference types
    sendResponse as Boolean and timeSlot with camelCase keys (the v1.0 metadata even names the
    action parameters ProposedNewTime/SendResponse in PascalCase: Graph binds them
    case-insensitively). The walkthrough says this exact body succeeds with 202, so a target
    that rejects it deviates from the walkthrough, not from the reference: SHOULD, not MUST.
    The main scenario sends the reference form (camelCase, boolean) and checks PROP-2.1."""
    status = status_of(response)
    if status != 202:
        return Outcome.fail(f"the walkthrough's literal body was answered {status}; the walkthrough "
                            "says it succeeds with 202", expected=202, actual=status)
    return Outcome.ok()


# --------------------------------------------------------------------------- PROP-3: the response message

def _is_message(message: Any) -> Outcome | None:
    if message is None:
        return Outcome.fail("no such message was found in the mailbox before the deadline", actual=None)
    if not isinstance(message, Mapping):
        return Outcome.fail(f"expected a message object, got {type(message).__name__}", actual=message)
    return None


@invariant("PROP-3.1", "the organizer receives the reply as an eventMessageResponse",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=MUST)
def response_message_is_event_message_response(message: Mapping[str, Any]) -> Outcome:
    """Step 3: 'Alex receives an email of the eventMessageResponse type'; the message carries
    @odata.type #microsoft.graph.eventMessageResponse."""
    if (bad := _is_message(message)) is not None:
        return bad
    kind = message.get("@odata.type")
    if kind != EVENT_MESSAGE_RESPONSE:
        return Outcome.fail(f"@odata.type is {kind!r}, expected {EVENT_MESSAGE_RESPONSE!r}",
                            expected=EVENT_MESSAGE_RESPONSE, actual=kind)
    return Outcome.ok()


@invariant("PROP-3.2", "a reply with a proposal has the subject 'New Time Proposed: <subject>'",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=MUST)
def response_subject_new_time_proposed(message: Mapping[str, Any], meeting_subject: str) -> Outcome:
    """Step 3: 'The subject includes a prefix and says "New Time Proposed: Let's go for lunch"'.
    Only the proposal case is documented; the prefix of a reply without a proposal is not
    (Outlook writes Accepted:/Tentative:/Declined:), so PROP-3.2 is checked only with a proposal."""
    if (bad := _is_message(message)) is not None:
        return bad
    expected = NEW_TIME_PROPOSED_PREFIX + meeting_subject
    actual = message.get("subject")
    if actual != expected:
        return Outcome.fail(f"subject is {actual!r}, expected {expected!r}", expected=expected, actual=actual)
    return Outcome.ok()


@invariant("PROP-3.3", "the reply's sender and from are the attendee who responded",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=MUST)
def response_sender_is_attendee(message: Mapping[str, Any], attendee_address: str) -> Outcome:
    """Step 3: 'The sender is Adele Vance'; the documented message has sender and from both
    Adele (no delegate is involved). Addresses compare case-insensitively."""
    if (bad := _is_message(message)) is not None:
        return bad
    wrong = {k: address(message.get(k)) for k in ("sender", "from")
             if not same_address(address(message.get(k)), attendee_address)}
    if wrong:
        return Outcome.fail(f"expected sender and from {attendee_address}, got {wrong}",
                            expected=attendee_address, actual=wrong)
    return Outcome.ok()


@invariant("PROP-3.4", "the reply's responseType is the attendee's response",
           source=f"{WALKTHROUGH}#no-attendee-proposes-alternative-time", feature=FEATURE, severity=MUST)
def response_type_matches(message: Mapping[str, Any], response: str) -> Outcome:
    """Step 3: responseType tentativelyAccepted for a tentative reply; the closing section says
    `decline` for a declined reply, but the responseType enum member is `declined` (the
    prose names the action, not the value): `declined` is what is expected."""
    if (bad := _is_message(message)) is not None:
        return bad
    expected = _response_type_of(response)
    actual = message.get("responseType")
    if actual != expected:
        return Outcome.fail(f"responseType is {actual!r}, expected {expected!r}", expected=expected, actual=actual)
    return Outcome.ok()


@invariant("PROP-3.5", "the reply's meetingMessageType matches the response",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=MUST)
def response_meeting_message_type(message: Mapping[str, Any], response: str) -> Outcome:
    """meetingAccepted / meetingTenativelyAccepted / meetingDeclined. For the tentative reply
    the docs disagree: the v1.0 metadata enum and the delegated-calendar walkthrough spell it
    `meetingTenativelyAccepted` (sic), the proposals walkthrough shows
    `meetingTentativelyAccepted`. Either documented spelling passes; the schema check reports
    a value outside the metadata enum separately."""
    if (bad := _is_message(message)) is not None:
        return bad
    expected = MEETING_MESSAGE_TYPES.get(_response_type_of(response))
    if expected is None:
        return Outcome.fail(f"no meeting message type is documented for response {response!r}")
    actual = message.get("meetingMessageType")
    if actual not in expected:
        return Outcome.fail(f"meetingMessageType is {actual!r}, expected one of {list(expected)}",
                            expected=list(expected), actual=actual)
    return Outcome.ok()


@invariant("PROP-3.6", "a reply with a proposal carries it in proposedNewTime",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=MUST)
def response_carries_proposal(message: Mapping[str, Any], proposal: Mapping[str, Any]) -> Outcome:
    """Step 3: 'Adele's proposal is in the proposedNewTime property of the eventMessageResponse'.
    Compared as instants: the target may answer in the Prefer zone, and the documented
    message even drops the fractional digits (2019-08-16T12:00:00)."""
    if (bad := _is_message(message)) is not None:
        return bad
    if "proposedNewTime" not in message or message["proposedNewTime"] is None:
        return Outcome.fail("the reply has no proposedNewTime although the attendee proposed one",
                            expected=proposal, actual=message.get("proposedNewTime"))
    return _compare_slots(message["proposedNewTime"], proposal, "the reply's proposedNewTime")


@invariant("PROP-3.7", "a reply without a proposal has no proposedNewTime",
           source=f"{WALKTHROUGH}#no-attendee-proposes-alternative-time", feature=FEATURE, severity=MUST)
def response_without_proposal(message: Mapping[str, Any]) -> Outcome:
    """'Alex would not find a proposedNewTime property in this instance of
    eventMessageResponse': the property is absent; a null value is a property found, so it
    fails too."""
    if (bad := _is_message(message)) is not None:
        return bad
    if "proposedNewTime" in message:
        return Outcome.fail("the reply has a proposedNewTime property although nothing was proposed",
                            expected="(absent)", actual=message["proposedNewTime"])
    return Outcome.ok()


@invariant("PROP-3.8", "the reply's startDateTime/endDateTime are the meeting's current time",
           source=f"{WALKTHROUGH}, step 3", feature=FEATURE, severity=SHOULD)
def response_times_are_meeting_times(message: Mapping[str, Any], event: Mapping[str, Any]) -> Outcome:
    """The documented reply's startDateTime/endDateTime are the meeting's (not the proposal's)
    time. Shown in the example, not stated: SHOULD."""
    if (bad := _is_message(message)) is not None:
        return bad
    return _compare_slots(_message_slot(message), _event_slot(event), "the reply's start/end")


def _replies_from(messages: Iterable[Mapping[str, Any]], attendee_address: str,
                  meeting_subject: str) -> list[Mapping[str, Any]]:
    return [m for m in messages
            if m.get("@odata.type") == EVENT_MESSAGE_RESPONSE
            and same_address(address(m.get("sender")), attendee_address)
            and meeting_subject in (m.get("subject") or "")]


@invariant("PROP-3.9", "with sendResponse false the organizer receives no reply",
           source=f"{ACCEPT}#request-body", feature=FEATURE, severity=MUST)
def no_reply_without_send_response(messages: Iterable[Mapping[str, Any]], attendee_address: str,
                                   meeting_subject: str) -> Outcome:
    """sendResponse: 'true if a response is to be sent to the organizer; otherwise, false'.
    ``messages`` is the organizer's inbox after the scenario's settle deadline."""
    replies = _replies_from(messages, attendee_address, meeting_subject)
    if replies:
        return Outcome.fail(f"{len(replies)} eventMessageResponse from {attendee_address} reached the "
                            "organizer although sendResponse was false",
                            expected=[], actual=[m.get("subject") for m in replies])
    return Outcome.ok()


# --------------------------------------------------------------------------- PROP-4: the organizer's event

@invariant("PROP-4.1", "the organizer's event shows the attendee's response as their status",
           source=f"{WALKTHROUGH}, step 4", feature=FEATURE, severity=MUST)
def organizer_sees_status(event: Mapping[str, Any], attendee_address: str, response: str) -> Outcome:
    """Step 4's event lists Adele with status.response tentativelyAccepted."""
    attendee, bad = _require_attendee(event, attendee_address)
    if bad is not None:
        return bad
    expected = _response_type_of(response)
    actual = _status(attendee, "response")
    if actual != expected:
        return Outcome.fail(f"{attendee_address}'s status on the organizer's event is {actual!r}, "
                            f"expected {expected!r}", expected=expected, actual=attendee.get("status"))
    return Outcome.ok()


@invariant("PROP-4.2", "the attendee's status on the organizer's event carries the time of the response",
           source=f"{WALKTHROUGH}, step 4", feature=FEATURE, severity=MUST)
def organizer_sees_status_time(event: Mapping[str, Any], attendee_address: str) -> Outcome:
    """Step 4: status.time is a real instant (2019-08-01T07:06:24.5046431Z, the reply's
    sentDateTime), not the 0001-01-01 'never' of an unanswered attendee nor the 4501-01-01
    reset value."""
    attendee, bad = _require_attendee(event, attendee_address)
    if bad is not None:
        return bad
    time = _status(attendee, "time")
    instant = timestamp(time)
    if instant is None:
        return Outcome.fail(f"status.time {time!r} is not a DateTimeOffset", actual=time)
    if instant.year in (1, 4501):
        return Outcome.fail(f"status.time is the placeholder {time!r}, expected the time of the response",
                            actual=time)
    return Outcome.ok()


@invariant("PROP-4.3", "the proposing attendee carries proposedNewTime on the organizer's event",
           source=f"{WALKTHROUGH}, step 4", feature=FEATURE, severity=MUST)
def organizer_sees_proposal(event: Mapping[str, Any], attendee_address: str,
                            proposal: Mapping[str, Any]) -> Outcome:
    """Step 4: 'the event for the lunch now includes a proposedNewTime property that indicates
    Adele's proposal', on Adele's attendee entry; compared as instants."""
    attendee, bad = _require_attendee(event, attendee_address)
    if bad is not None:
        return bad
    if attendee.get("proposedNewTime") is None:
        return Outcome.fail(f"{attendee_address} proposed a new time but their attendee entry has no "
                            "proposedNewTime", expected=proposal, actual=attendee)
    return _compare_slots(attendee["proposedNewTime"], proposal, f"{attendee_address}'s proposedNewTime")


@invariant("PROP-4.4", "attendees who proposed nothing have no proposedNewTime property (absent, not null)",
           source=f"{WALKTHROUGH}, step 4", feature=FEATURE, severity=MUST)
def proposal_only_on_proposers(event: Mapping[str, Any], proposers: Iterable[str] = ()) -> Outcome:
    """Step 4: 'This property is only present as part of an attendee instance if the
    corresponding attendee has suggested an alternative meeting time', and the closing section:
    without a proposal Alex 'would not find a proposedNewTime property' on the event. A null
    property is present, so it fails."""
    if (unseen := _no_attendee_to_see(event, proposers)) is not None:
        return unseen
    offenders = _carrying_proposals(event, proposers)
    if offenders:
        return Outcome.fail(f"attendees who proposed nothing carry a proposedNewTime property: {offenders}",
                            expected="(absent)", actual=offenders)
    return Outcome.ok()


@invariant("PROP-4.5", "a v1.0 answer's @odata.context names the v1.0 service root",
           source=f"{WALKTHROUGH}, step 4", feature=FEATURE, severity=SHOULD)
def odata_context_is_v1(payload: Mapping[str, Any], service_root: str) -> Outcome:
    """Step 4's documented answer has @odata.context https://graph.microsoft.com/testexchangev1.0/
    $metadata#... — a test-environment root leaked into the docs (listed as a defect of the
    golden payload). The answer's context must start with '<service_root>/$metadata#'; the
    scenarios pass the v1.0 root https://graph.microsoft.com/v1.0, which Graph names on every
    v1.0 answer (and the emulator too, whatever its own address)."""
    context = payload.get("@odata.context")
    expected = service_root.rstrip("/") + "/$metadata#"
    if not isinstance(context, str) or not context.startswith(expected):
        return Outcome.fail(f"@odata.context is {context!r}, expected it to start with {expected!r}",
                            expected=expected, actual=context)
    return Outcome.ok()


# --------------------------------------------------------------------------- PROP-5: the move

@invariant("PROP-5.1", "the organizer's PATCH of start/end moves the meeting",
           source=f"{WALKTHROUGH}, step 5", feature=FEATURE, severity=MUST)
def meeting_moved(event: Mapping[str, Any], new_time: Mapping[str, Any]) -> Outcome:
    """Step 5: Alex PATCHes start/end to Adele's proposal and the 200 answer shows them."""
    return _compare_slots(_event_slot(event), new_time, "the event's start/end")


@invariant("PROP-5.2", "after the move every attendee's status is notResponded",
           source=f"{WALKTHROUGH}, step 5", feature=FEATURE, severity=MUST)
def statuses_reset(event: Mapping[str, Any]) -> Outcome:
    """Step 5's answer lists Adele, who had answered tentatively, as notResponded: moving the
    meeting asks everyone again."""
    if (unseen := _no_attendee_to_see(event)) is not None:
        return unseen
    bad = _statuses_other_than(event, "response", lambda response: response == RESET_RESPONSE)
    if bad:
        return Outcome.fail(f"attendee statuses not reset to {RESET_RESPONSE} after the move: {bad}",
                            expected=RESET_RESPONSE, actual=bad)
    return Outcome.ok()


@invariant("PROP-5.3", "after the move the status time is 4501-01-01T00:00:00Z",
           source=f"{WALKTHROUGH}, step 5", feature=FEATURE, severity=MUST)
def status_reset_time(event: Mapping[str, Any]) -> Outcome:
    """Step 5's answer shows status.time 4501-01-01T00:00:00Z: odd (a date 2,500 years ahead,
    Exchange's 'not yet' sentinel, where unanswered attendees show 0001-01-01) but documented,
    so it is what a target must return. Compared as an instant so fractional digits may vary."""
    want = timestamp(RESET_TIME)
    if (unseen := _no_attendee_to_see(event)) is not None:
        return unseen
    bad = _statuses_other_than(event, "time", lambda time: timestamp(time) == want)
    if bad:
        return Outcome.fail(f"status.time after the move is not {RESET_TIME}: {bad}",
                            expected=RESET_TIME, actual=bad)
    return Outcome.ok()


@invariant("PROP-5.4", "after the move no attendee carries the old proposedNewTime",
           source=f"{WALKTHROUGH}, step 5", feature=FEATURE, severity=SHOULD)
def proposals_cleared(event: Mapping[str, Any]) -> Outcome:
    """Step 5's answer lists Adele without proposedNewTime: the reset discards the proposal.
    Shown in the example, not stated in prose: SHOULD."""
    if (unseen := _no_attendee_to_see(event)) is not None:
        return unseen
    offenders = _carrying_proposals(event)
    if offenders:
        return Outcome.fail(f"attendees still carry proposedNewTime after the move: {offenders}",
                            expected="(absent)", actual=offenders)
    return Outcome.ok()


@invariant("PROP-5.5", "after the move the attendee's copy has the new start/end",
           source=f"{WALKTHROUGH}, step 5", feature=FEATURE, severity=MUST)
def attendee_copy_moved(copy: Mapping[str, Any], organizer_event: Mapping[str, Any]) -> Outcome:
    """Step 5: Alex 'accepts the proposal by adjusting the meeting': the meeting, i.e. each
    attendee's copy too, is at the new time once the update is delivered."""
    return _compare_slots(_event_slot(copy), _event_slot(organizer_event), "the attendee's copy start/end")


@invariant("PROP-5.6", "after the move the attendee receives an updated meeting request at the new time",
           source=f"{UPDATE}#notes-for-updating-specific-properties", feature=FEATURE, severity=MUST)
def update_request_delivered(message: Mapping[str, Any], organizer_event: Mapping[str, Any]) -> Outcome:
    """event-update: an event update sends a meeting update to the attendees. The update is an
    eventMessageRequest (meetingMessageType meetingRequest) whose startDateTime/endDateTime
    are the new time."""
    kind = invitation_is_meeting_request(message)
    if not kind.passed:
        return kind
    return _compare_slots(_message_slot(message), _event_slot(organizer_event), "the update's start/end")


# --------------------------------------------------------------------------- PROP-6: rejected proposals

def _is_400(response: Any, why: str) -> Outcome:
    status = status_of(response)
    if status != 400:
        return Outcome.fail(f"a proposal {why} was answered {status}; the docs say 400",
                            expected=400, actual=status)
    return Outcome.ok()


@invariant("PROP-6.1", "proposedNewTime on an event that disallows proposals is answered 400",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=MUST)
def proposal_rejected_when_disallowed(response: Any) -> Outcome:
    """tentativelyAccept/decline: 'returns HTTP 400 if ... the proposedNewTime parameter is
    included but the allowNewTimeProposals property of the event is false'."""
    return _is_400(response, "on an event with allowNewTimeProposals false")


@invariant("PROP-6.2", "proposedNewTime with sendResponse false is answered 400",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=MUST)
def proposal_rejected_without_send_response(response: Any) -> Outcome:
    """tentativelyAccept/decline: 'returns HTTP 400 if ... the proposedNewTime parameter is
    included but the sendResponse parameter is set to false'."""
    return _is_400(response, "with sendResponse false")


@invariant("PROP-6.3", "a rejected respond action answers a Graph error object",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=SHOULD)
def rejection_is_graph_error(response: Any) -> Outcome:
    """Graph's error envelope {"error": {"code", "message"}}; the respond pages give only the
    status, so the shape is SHOULD."""
    body = body_of(response)
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping) or not error.get("code") or not error.get("message"):
        return Outcome.fail("the rejection has no Graph error object with code and message",
                            expected={"error": {"code": "...", "message": "..."}}, actual=body)
    return Outcome.ok()


@invariant("PROP-6.4", "a rejected proposal leaves the organizer's event unchanged",
           source=f"{TENTATIVE}#response", feature=FEATURE, severity=SHOULD)
def rejection_changed_nothing(event: Mapping[str, Any], attendee_address: str) -> Outcome:
    """A 400 is a failed request: the attendee's status stays none and no proposedNewTime
    appears. Follows from the 400, not stated: SHOULD."""
    attendee, bad = _require_attendee(event, attendee_address)
    if bad is not None:
        return bad
    response = _status(attendee, "response")
    if response != "none" or "proposedNewTime" in attendee:
        return Outcome.fail(f"after a rejected proposal {attendee_address}'s entry changed",
                            expected={"status.response": "none", "proposedNewTime": "(absent)"},
                            actual=attendee)
    return Outcome.ok()


# --------------------------------------------------------------------------- PROP-7: the invitation

@invariant("PROP-7.1", "each attendee receives an eventMessageRequest with meetingMessageType meetingRequest",
           source=f"{WALKTHROUGH}, step 2", feature=FEATURE, severity=MUST)
def invitation_is_meeting_request(message: Mapping[str, Any]) -> Outcome:
    """Step 2: 'Adele receives the invitation in her Inbox as an eventMessageRequest'; the
    delegated walkthrough: meetingMessageType 'specifies this message is meetingRequest'."""
    if (bad := _is_message(message)) is not None:
        return bad
    problems = []
    if message.get("@odata.type") != EVENT_MESSAGE_REQUEST:
        problems.append(f"@odata.type is {message.get('@odata.type')!r}, expected {EVENT_MESSAGE_REQUEST!r}")
    if message.get("meetingMessageType") != "meetingRequest":
        problems.append(f"meetingMessageType is {message.get('meetingMessageType')!r}, expected 'meetingRequest'")
    return problems_outcome(problems, actual={k: message.get(k) for k in ("@odata.type", "meetingMessageType")})


@invariant("PROP-7.2", "the invitation shows the organizer's allowNewTimeProposals",
           source=f"{WALKTHROUGH}, step 2", feature=FEATURE, severity=MUST)
def invitation_shows_allow_new_time_proposals(message: Mapping[str, Any],
                                             organizer_event: Mapping[str, Any]) -> Outcome:
    """Step 2: 'She notices the allowNewTimeProposals property is set'. The property exists on
    eventMessageRequest and on the event reached through $expand; every one present must
    equal the organizer's value and at least one must be present."""
    expected = organizer_event.get("allowNewTimeProposals")
    seen = {}
    if "allowNewTimeProposals" in message:
        seen["message"] = message["allowNewTimeProposals"]
    event = message.get("event")
    if isinstance(event, Mapping) and "allowNewTimeProposals" in event:
        seen["event"] = event["allowNewTimeProposals"]
    if not seen:
        return Outcome.fail("neither the invitation nor its expanded event shows allowNewTimeProposals",
                            expected=expected)
    wrong = {k: v for k, v in seen.items() if v is not expected}
    if wrong:
        return Outcome.fail(f"allowNewTimeProposals on the invitation differs from the organizer's "
                            f"{expected!r}: {wrong}", expected=expected, actual=wrong)
    return Outcome.ok()


@invariant("PROP-7.3", "the invitation's event is reachable with $expand=microsoft.graph.eventMessage/event",
           source=f"{EVENTMESSAGE_GET}#example-2", feature=FEATURE, severity=MUST)
def invitation_expands_event(message: Mapping[str, Any]) -> Outcome:
    """Step 2: 'Using the event associated with this eventMessageRequest' links to
    eventmessage-get example 2, where $expand returns the event inline with its id."""
    if (bad := _is_message(message)) is not None:
        return bad
    event = message.get("event")
    if not isinstance(event, Mapping) or not event.get("id"):
        return Outcome.fail("the invitation fetched with $expand has no event with an id", actual=event)
    return Outcome.ok()


@invariant("PROP-7.4", "the attendee's copy has isOrganizer false",
           source=f"{DELEGATED}#step-3-christie-receives-meeting-request-and-inspects-the-associated-event-in-her-calendar", feature=FEATURE, severity=MUST)
def attendee_copy_not_organizer(copy: Mapping[str, Any]) -> Outcome:
    """The attendee's copy in the delegated walkthrough and in eventmessage-get example 2."""
    if copy.get("isOrganizer") is not False:
        return Outcome.fail(f"isOrganizer on the attendee's copy is {copy.get('isOrganizer')!r}, expected false",
                            expected=False, actual=copy.get("isOrganizer"))
    return Outcome.ok()


@invariant("PROP-7.5", "the attendee's copy has responseStatus none before the attendee responds",
           source=f"{DELEGATED}#step-3-christie-receives-meeting-request-and-inspects-the-associated-event-in-her-calendar", feature=FEATURE, severity=MUST)
def attendee_copy_unanswered(copy: Mapping[str, Any]) -> Outcome:
    """The delegated walkthrough's copy of a fresh invitation: responseStatus.response none."""
    actual = (copy.get("responseStatus") or {}).get("response")
    if actual != "none":
        return Outcome.fail(f"responseStatus.response on the new copy is {actual!r}, expected 'none'",
                            expected="none", actual=copy.get("responseStatus"))
    return Outcome.ok()


@invariant("PROP-7.6", "the attendee's copy shows as tentative",
           source=f"{DELEGATED}#step-3-christie-receives-meeting-request-and-inspects-the-associated-event-in-her-calendar", feature=FEATURE, severity=MUST)
def attendee_copy_tentative(copy: Mapping[str, Any]) -> Outcome:
    """The delegated walkthrough's and eventmessage-get's copies have showAs tentative."""
    if copy.get("showAs") != "tentative":
        return Outcome.fail(f"showAs on the attendee's copy is {copy.get('showAs')!r}, expected 'tentative'",
                            expected="tentative", actual=copy.get("showAs"))
    return Outcome.ok()


@invariant("PROP-7.7", "the attendee's copy has the organizer's iCalUId",
           source=f"{DELEGATED}, steps 3 and 6", feature=FEATURE, severity=MUST)
def attendee_copy_same_meeting(copy: Mapping[str, Any], organizer_event: Mapping[str, Any]) -> Outcome:
    """The delegated walkthrough shows the same iCalUId on the attendee's copy and the
    organizer's event: iCalUId identifies the meeting across calendars (ids do not)."""
    mine, theirs = copy.get("iCalUId"), organizer_event.get("iCalUId")
    if not mine or mine != theirs:
        return Outcome.fail(f"the copy's iCalUId {mine!r} differs from the organizer's {theirs!r}",
                            expected=theirs, actual=mine)
    return Outcome.ok()


@invariant("PROP-7.8", "the attendee's copy has the organizer's subject and start/end",
           source=f"{WALKTHROUGH}, step 2", feature=FEATURE, severity=MUST)
def attendee_copy_same_time(copy: Mapping[str, Any], organizer_event: Mapping[str, Any]) -> Outcome:
    """Adele proposes 'the next day at the same time': her copy is the meeting as Alex set it."""
    if copy.get("subject") != organizer_event.get("subject"):
        return Outcome.fail(f"the copy's subject {copy.get('subject')!r} differs from the organizer's "
                            f"{organizer_event.get('subject')!r}",
                            expected=organizer_event.get("subject"), actual=copy.get("subject"))
    return _compare_slots(_event_slot(copy), _event_slot(organizer_event), "the attendee's copy start/end")


# --------------------------------------------------------------------------- PROP-8: documented shapes

# Message properties whose values the server makes anew for every message (on top of the
# event-wide volatile keys graphcal.invariants.normalise masks).
MESSAGE_VOLATILE = ("receivedDateTime", "sentDateTime", "internetMessageId", "conversationId",
                    "conversationIndex", "parentFolderId")


def _golden_explanation(what: str, volatile: tuple[str, ...]) -> str:
    return (f"The {what} compared with the walkthrough's documented one after normalisation (volatile ids, "
            "etags, stamps and links masked, personas by role, times as instants, enum case, HTML by text). "
            "Keys the docs do not show are allowed (the docs shorten answers); the golden file's "
            "documentation defects are not compared (e.g. testexchangev1.0 in step 4's @odata.context, the "
            "beta-only unsubscribe* properties and the meetingTentativelyAccepted spelling in step 3)."
            + (f" Not compared either, because they differ on every run: {', '.join(volatile)}." if volatile else ""))


for _id, _name, _what, _first_item, _volatile in (
        ("PROP-8.1", "walkthrough-1-create-event", "created meeting (step 1)", False, ()),
        ("PROP-8.2", "walkthrough-3-list-messages", "eventMessageResponse (step 3)", True, MESSAGE_VOLATILE),
        ("PROP-8.3", "walkthrough-4-get-event", "organizer's event with the proposal (step 4)", False,
         ("attendees[0].status.time",)),
        ("PROP-8.4", "walkthrough-5-move-event", "moved meeting (step 5)", False, ())):
    invariant(_id, f"the {_what} matches the documented payload", source=WALKTHROUGH, feature=FEATURE,
              severity=SHOULD, explanation=_golden_explanation(_what, _volatile),
              )(golden_check(_id, f"scheduling/{_name}", _what, first_item=_first_item, volatile=_volatile))

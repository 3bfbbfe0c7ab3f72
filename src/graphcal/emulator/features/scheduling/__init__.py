"""Scheduling: meeting invitations and updates (``delivery``, on the core's event write hooks),
meeting messages (``mail``, ``messages``), accept/tentativelyAccept/decline with new-time
proposals (``respond``) and cancel (``cancel``).
"""

from __future__ import annotations

from starlette.requests import Request

from graphcal.emulator.core.faults import Fault, Output
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.core.routing import GRAPH_JSON
from graphcal.emulator.features.scheduling import cancel, delivery, messages, respond


def _respond_200(request: Request, out: Output) -> None:
    if out.status == 202 and respond.is_respond_action(request):
        out.status = 200


def _respond_returns_event(request: Request, out: Output) -> None:
    if out.status == 202 and out.body is None and respond.is_respond_action(request):
        out.body, out.media_type = respond.responded_event(request), GRAPH_JSON


def _cancel_200(request: Request, out: Output) -> None:
    if out.status == 202 and request.url.path.endswith("/cancel"):
        out.status = 200


FAULTS: tuple[Fault, ...] = (
    Fault("proposals-default-disallowed", "an event created without allowNewTimeProposals gets false (documented default: true)",
          breaks=("PROP-1.2",)),
    Fault("allow-flag-ignored", "allowNewTimeProposals false sent on create is stored as true",
          breaks=("PROP-1.1", "PROP-6.1")),
    Fault("organizer-status-none", "the organizer's new meeting has responseStatus none instead of organizer",
          breaks=("PROP-1.3",)),
    Fault("attendees-pre-accepted", "attendees of a new meeting start as accepted instead of none",
          breaks=("PROP-1.4",)),
    Fault("invite-wrong-type", "invitations are plain eventMessage with meetingMessageType none",
          breaks=("PROP-7.1",)),
    Fault("invite-hides-allow-flag", "invitations and attendee copies show allowNewTimeProposals false",
          breaks=("PROP-7.2",)),
    Fault("invite-no-event", "an invitation's $expand=microsoft.graph.eventMessage/event finds no event",
          breaks=("PROP-7.3",)),
    Fault("copy-is-organizer", "attendee copies have isOrganizer true",
          breaks=("PROP-7.4",)),
    Fault("copy-already-accepted", "attendee copies start with responseStatus accepted",
          breaks=("PROP-7.5",)),
    Fault("copy-busy", "attendee copies show as busy instead of tentative",
          breaks=("PROP-7.6",)),
    Fault("copy-new-icaluid", "attendee copies get their own iCalUId",
          breaks=("PROP-7.7",)),
    Fault("copy-wrong-time", "attendee copies start an hour late",
          breaks=("PROP-7.8",)),
    Fault("respond-200", "accept/tentativelyAccept/decline answer 200 instead of 202",
          breaks=("PROP-2.1",), transform=_respond_200),
    Fault("respond-returns-event", "accept/tentativelyAccept/decline answer with the event as body",
          breaks=("PROP-2.2",), transform=_respond_returns_event),
    Fault("own-copy-unchanged", "responding leaves the attendee's own copy at responseStatus none",
          breaks=("PROP-2.3",)),
    Fault("strict-respond-body", "PascalCase timeSlot keys and \"true\" as a string are rejected with 400",
          breaks=("PROP-2.4",)),
    Fault("reply-plain-subject", "a reply with a proposal has the plain Tentative:/Declined: subject",
          breaks=("PROP-3.2",)),
    Fault("reply-from-organizer", "replies carry the organizer as sender and from",
          breaks=("PROP-3.3",)),
    Fault("reply-says-accepted", "replies say responseType accepted / meetingAccepted whatever the response",
          breaks=("PROP-3.4", "PROP-3.5")),
    Fault("reply-drops-proposal", "replies omit proposedNewTime although the attendee proposed",
          breaks=("PROP-3.6",)),
    Fault("reply-null-proposal", "replies without a proposal carry proposedNewTime null",
          breaks=("PROP-3.7",)),
    Fault("reply-times-are-proposal", "replies carry the proposal as startDateTime/endDateTime",
          breaks=("PROP-3.8",)),
    Fault("reply-ignores-send-response", "sendResponse false still sends the reply",
          breaks=("PROP-3.9",)),
    Fault("status-not-recorded", "responses do not reach the organizer's event",
          breaks=("PROP-4.1",)),
    Fault("status-time-missing", "the organizer's event records responses with time 0001-01-01",
          breaks=("PROP-4.2",)),
    Fault("event-drops-proposal", "the organizer's event does not show the attendee's proposedNewTime",
          breaks=("PROP-4.3",)),
    Fault("proposal-on-every-attendee", "a proposal appears on every attendee of the organizer's event",
          breaks=("PROP-4.4",)),
    Fault("move-reverted", "PATCH of start/end answers 200 but keeps the old time",
          breaks=("PROP-5.1",)),
    Fault("move-keeps-status", "moving the meeting keeps the attendees' statuses",
          breaks=("PROP-5.2", "PROP-5.3")),
    Fault("move-resets-time-now", "moving the meeting resets statuses with the current time, not 4501-01-01",
          breaks=("PROP-5.3",)),
    Fault("move-keeps-proposal", "moving the meeting keeps the attendees' proposedNewTime",
          breaks=("PROP-5.4",)),
    Fault("move-leaves-copies", "moving the meeting leaves attendee copies at the old time",
          breaks=("PROP-5.5",)),
    Fault("move-sends-no-update", "moving the meeting sends attendees no update request",
          breaks=("PROP-5.6",)),
    Fault("proposals-always-allowed", "proposedNewTime is accepted where allowNewTimeProposals is false",
          breaks=("PROP-6.1",)),
    Fault("proposal-without-send-response", "proposedNewTime with sendResponse false is accepted",
          breaks=("PROP-6.2",)),
    Fault("rejection-changes-status", "a rejected proposal still records the attendee's response",
          breaks=("PROP-6.4",)),
    Fault("cancel-200", "cancel answers 200 instead of 202",
          no_invariant="no catalog invariant covers cancel yet (no cancel scenario in suites/); "
                       "tests/emulator test_fault_cancel_200 proves it",
          transform=_cancel_200),
)

# --- a fault for PROP-3.1 (issue 15: every MUST invariant can fail) ------------------------------

def _walk(value: object) -> list[dict]:
    if isinstance(value, dict):
        return [value, *(d for v in value.values() for d in _walk(v))]
    return [d for v in value for d in _walk(v)] if isinstance(value, list) else []


def _reply_plain_message(request: Request, out: Output) -> None:
    for item in _walk(out.body):
        if item.get("@odata.type") == "#microsoft.graph.eventMessageResponse":
            item["@odata.type"] = "#microsoft.graph.eventMessage"


FAULTS += (
    Fault("reply-plain-message", "replies come as plain eventMessage, not eventMessageResponse",
          breaks=("PROP-3.1",), transform=_reply_plain_message),
)

FEATURE = Feature(key="scheduling", routes=(*respond.ROUTES, *cancel.ROUTES, *messages.ROUTES),
                  install=delivery.install, faults=FAULTS)

"""Scheduling: meeting invitations and updates (``delivery``, on the core's event write hooks),
meeting messages (``mail``, ``messages``), accept/tentativelyAccept/decline with new-time
proposals (``respond``) and cancel (``cancel``).
"""

from __future__ import annotations

from graphcal.emulator.core.faults import Fault
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.scheduling import cancel, delivery, messages, respond

FAULTS: tuple[Fault, ...] = (
    Fault("proposals-default-disallowed", "an event created without allowNewTimeProposals gets false (documented default: true)"),
    Fault("allow-flag-ignored", "allowNewTimeProposals false sent on create is stored as true"),
    Fault("organizer-status-none", "the organizer's new meeting has responseStatus none instead of organizer"),
    Fault("attendees-pre-accepted", "attendees of a new meeting start as accepted instead of none"),
    Fault("invite-wrong-type", "invitations are plain eventMessage with meetingMessageType none"),
    Fault("invite-hides-allow-flag", "invitations and attendee copies show allowNewTimeProposals false"),
    Fault("invite-no-event", "an invitation's $expand=microsoft.graph.eventMessage/event finds no event"),
    Fault("copy-is-organizer", "attendee copies have isOrganizer true"),
    Fault("copy-already-accepted", "attendee copies start with responseStatus accepted"),
    Fault("copy-busy", "attendee copies show as busy instead of tentative"),
    Fault("copy-new-icaluid", "attendee copies get their own iCalUId"),
    Fault("copy-wrong-time", "attendee copies start an hour late"),
    Fault("respond-200", "accept/tentativelyAccept/decline answer 200 instead of 202"),
    Fault("respond-returns-event", "accept/tentativelyAccept/decline answer with the event as body"),
    Fault("own-copy-unchanged", "responding leaves the attendee's own copy at responseStatus none"),
    Fault("strict-respond-body", "PascalCase timeSlot keys and \"true\" as a string are rejected with 400"),
    Fault("reply-plain-subject", "a reply with a proposal has the plain Tentative:/Declined: subject"),
    Fault("reply-from-organizer", "replies carry the organizer as sender and from"),
    Fault("reply-says-accepted", "replies say responseType accepted / meetingAccepted whatever the response"),
    Fault("reply-drops-proposal", "replies omit proposedNewTime although the attendee proposed"),
    Fault("reply-null-proposal", "replies without a proposal carry proposedNewTime null"),
    Fault("reply-times-are-proposal", "replies carry the proposal as startDateTime/endDateTime"),
    Fault("reply-ignores-send-response", "sendResponse false still sends the reply"),
    Fault("status-not-recorded", "responses do not reach the organizer's event"),
    Fault("status-time-missing", "the organizer's event records responses with time 0001-01-01"),
    Fault("event-drops-proposal", "the organizer's event does not show the attendee's proposedNewTime"),
    Fault("proposal-on-every-attendee", "a proposal appears on every attendee of the organizer's event"),
    Fault("move-reverted", "PATCH of start/end answers 200 but keeps the old time"),
    Fault("move-keeps-status", "moving the meeting keeps the attendees' statuses"),
    Fault("move-resets-time-now", "moving the meeting resets statuses with the current time, not 4501-01-01"),
    Fault("move-keeps-proposal", "moving the meeting keeps the attendees' proposedNewTime"),
    Fault("move-leaves-copies", "moving the meeting leaves attendee copies at the old time"),
    Fault("move-sends-no-update", "moving the meeting sends attendees no update request"),
    Fault("proposals-always-allowed", "proposedNewTime is accepted where allowNewTimeProposals is false"),
    Fault("proposal-without-send-response", "proposedNewTime with sendResponse false is accepted"),
    Fault("rejection-changes-status", "a rejected proposal still records the attendee's response"),
    Fault("cancel-200", "cancel answers 200 instead of 202"),)

FEATURE = Feature(key="scheduling", routes=(*respond.ROUTES, *cancel.ROUTES, *messages.ROUTES),
                  install=delivery.install, faults=FAULTS)

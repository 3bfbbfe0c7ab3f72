"""Meeting scheduling between mailboxes: invitations, updates, cancellations and responses.

Hooked into event writes (``install(app)`` appends to ``app.state.event_hooks``), so it runs
under ``store.lock`` right after the organizer's create/update/delete:

- create with attendees: each attendee who has a mailbox here gets an ``eventMessageRequest``
  (meetingRequest, newMeetingRequest) and a copy of the event in the default calendar
  (isOrganizer false, responseStatus none, showAs tentative, the organizer's iCalUId);
- update of a meeting property: copies follow and attendees get an update request; a new
  start/end resets every attendee's status on the organizer's event to notResponded at
  4501-01-01T00:00:00Z and drops proposals (meeting-proposals walkthrough, step 5);
- delete (and cancel, ``cancel``): copies are marked cancelled and attendees get a
  meetingCancelled eventMessage; its body is the cancel's comment when the request has one
  (``request.state`` attribute :data:`CANCELLATION_COMMENT`), else the event's body.

:func:`respond` is the accept / tentativelyAccept / decline logic (``respond`` parses and
validates the request). Delivery is immediate; the suite polls anyway, as it must live.
"""

from __future__ import annotations

import copy
import html
from datetime import datetime, timedelta, timezone
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request

from graphcal import timezones
from graphcal.emulator.core import bodies
from graphcal.emulator.core.events import NO_RESPONSE_TIME
from graphcal.emulator.features.scheduling.mail import (
    MEETING_MESSAGE_TYPE, NOTICE, REQUEST, RESPONSE, StoredMessage, TimeSlot, mailboxes, message_fields,
    new_message_id, slot_of,
)
from graphcal.emulator.core.store import Store, StoredEvent, User
from graphcal.emulator.core.faults import active

RESET_RESPONSE = "notResponded"
RESET_TIME = "4501-01-01T00:00:00Z"      # documented status time after the organizer moves
RESPONSE_OF_ACTION = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted", "decline": "declined"}
SHOW_AS_AFTER = {"accepted": "busy", "tentativelyAccepted": "tentative", "declined": "free"}
# Subject prefixes: "New Time Proposed: " is documented (walkthrough step 3); the others are
# what Outlook writes, the docs are silent.
SUBJECT_PREFIX = {"accepted": "Accepted: ", "tentativelyAccepted": "Tentative: ", "declined": "Declined: "}
NEW_TIME_PROPOSED = "New Time Proposed: "
CANCELED = "Canceled: "
CANCELLATION_COMMENT = "cancellation_comment"   # request.state attribute set by cancel.py
# Properties of the organizer's event that attendees see; a change to one sends an update.
MEETING_PROPERTIES = ("subject", "body", "start", "end", "isAllDay", "location_in", "locations_in",
                      "recurrence", "allowNewTimeProposals", "attendees", "isOnlineMeeting",
                      "onlineMeetingProvider", "onlineMeeting", "importance", "sensitivity",
                      "hideAttendees", "responseRequested", "type")
_ORGANIZER_ONLY = ("isOrganizer", "responseStatus", "showAs", "categories", "reminderMinutesBeforeStart",
                   "isReminderOn")

# Fault switches: the names this module honours are declared in this package's FEATURE.


def install(app: Starlette) -> None:
    """Register the scheduling hooks on the app's event hooks."""
    hooks = app.state.event_hooks
    hooks.on_create.append(on_create)
    hooks.on_update.append(on_update)
    hooks.on_delete.append(on_delete)


def _faults(request: Request) -> frozenset[str]:
    return request.app.state.faults


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def _address(recipient: dict[str, Any]) -> str:
    return (recipient.get("emailAddress") or {}).get("address") or ""


def attendee_users(store: Store, event: StoredEvent) -> list[User]:
    """Attendees who have a mailbox in this store (not the organizer), in attendee order."""
    owner = store.users[event.owner_id]
    found: list[User] = []
    for attendee in event.fields.get("attendees") or []:
        user = store.user(_address(attendee))
        if user is not None and user.id != owner.id and user not in found:
            found.append(user)
    return found


def find_copy(store: Store, user: User, ical_uid: str) -> StoredEvent | None:
    return next((ev for ev in store.events_of(user.id)
                 if ev.ical_uid == ical_uid and not ev.fields.get("isOrganizer")), None)


def find_organizer_event(store: Store, copy_: StoredEvent) -> tuple[User | None, StoredEvent | None]:
    organizer = store.user(_address(copy_.fields.get("organizer") or {}))
    if organizer is None:
        return None, None
    event = next((ev for ev in store.events_of(organizer.id)
                  if ev.ical_uid == copy_.ical_uid and ev.fields.get("isOrganizer")), None)
    return organizer, event


def _slot_field(instant: datetime, zone: str) -> dict[str, str]:
    return {"dateTime": timezones.format_local(timezones.to_local(instant, zone)), "timeZone": zone}


def proposed_field(slot: TimeSlot) -> dict[str, dict[str, str]]:
    """attendee.proposedNewTime as stored: in the zone the attendee proposed it, 7 digits."""
    return {"start": _slot_field(slot.start, slot.zone), "end": _slot_field(slot.end, slot.zone)}


# -- invitations and updates -----------------------------------------------------------------

def _copy_fields(event: StoredEvent, faults: frozenset[str]) -> dict[str, Any]:
    fields = copy.deepcopy({k: v for k, v in event.fields.items() if k not in _ORGANIZER_ONLY})
    for attendee in fields.get("attendees") or []:
        attendee["status"] = {"response": "none", "time": NO_RESPONSE_TIME}
        attendee.pop("proposedNewTime", None)
    if active(faults, "invite-hides-allow-flag"):
        fields["allowNewTimeProposals"] = False
    if active(faults, "copy-wrong-time"):
        for key in ("start", "end"):
            local = timezones.parse_local(fields[key]["dateTime"]) + timedelta(hours=1)
            fields[key] = {"dateTime": timezones.format_local(local), "timeZone": fields[key]["timeZone"]}
    return fields


def _sync_copy(store: Store, event: StoredEvent, user: User, faults: frozenset[str],
               *, reset_response: bool) -> StoredEvent:
    """Create or refresh ``user``'s copy of the organizer's ``event``."""
    fields = _copy_fields(event, faults)
    existing = find_copy(store, user, event.ical_uid)
    start_utc, end_utc = event.start_utc, event.end_utc
    if active(faults, "copy-wrong-time"):
        start_utc, end_utc = start_utc + timedelta(hours=1), end_utc + timedelta(hours=1)
    if existing is not None:
        kept = {k: existing.fields[k] for k in _ORGANIZER_ONLY if k in existing.fields}
        existing.fields = {**fields, **kept}
        if reset_response:
            existing.fields["responseStatus"] = {"response": RESET_RESPONSE, "time": RESET_TIME}
            existing.fields["showAs"] = "tentative"
        existing.start_utc, existing.end_utc = start_utc, end_utc
        store.touch(existing)
        return existing
    fields.update({
        "isOrganizer": active(faults, "copy-is-organizer"),
        "responseStatus": ({"response": "accepted", "time": timezones.format_instant(now_utc())}
                           if active(faults, "copy-already-accepted") else {"response": "none", "time": NO_RESPONSE_TIME}),
        "showAs": "busy" if active(faults, "copy-busy") else "tentative",
        "categories": [], "reminderMinutesBeforeStart": 15, "isReminderOn": True,
    })
    created = now_utc()
    copy_event = StoredEvent(
        id=store.new_event_id(user), owner_id=user.id, calendar_id=store.default_calendar(user.id).id,
        fields=fields, start_utc=start_utc, end_utc=end_utc, created=created, modified=created,
        change_key=store.new_change_key(user),
        ical_uid=store.new_ical_uid(created) if active(faults, "copy-new-icaluid") else event.ical_uid)
    return store.add_event(copy_event)


def _send_request(store: Store, event: StoredEvent, user: User, copy_event: StoredEvent,
                  faults: frozenset[str], *, previous: TimeSlot | None, request_type: str) -> None:
    organizer = store.users[event.owner_id]
    plain = active(faults, "invite-wrong-type")
    extra: dict[str, Any] = {} if plain else {
        "allowNewTimeProposals": copy_event.fields["allowNewTimeProposals"],
        "meetingRequestType": request_type,
        "responseRequested": event.fields.get("responseRequested", True),
    }
    fields = message_fields(
        subject=event.fields["subject"], sender=organizer,
        to=[{"emailAddress": dict(a["emailAddress"])} for a in event.fields["attendees"]],
        body=dict(event.fields["body"]), event_fields=event.fields,
        meeting_message_type="none" if plain else "meetingRequest", **extra)
    sent = now_utc()
    mailboxes(store).deliver(StoredMessage(
        id=new_message_id(user), owner_id=user.id, kind=NOTICE if plain else REQUEST, fields=fields,
        meeting=slot_of(event), event_id=None if active(faults, "invite-no-event") else copy_event.id,
        ical_uid=event.ical_uid, sent=sent, received=sent, change_key=store.new_change_key(user),
        previous=previous))


def _invite(store: Store, event: StoredEvent, users: list[User], faults: frozenset[str], *,
            update: str | None = None, previous: TimeSlot | None = None) -> None:
    """Deliver the meeting to ``users``: a copy and a request each.

    ``update`` is None for a new meeting, "fullUpdate" when the time changed (responses are
    reset) or "informationalUpdate" for other changes; attendees new to the meeting always
    get a newMeetingRequest.
    """
    moved = update == "fullUpdate"
    for user in users:
        existing = find_copy(store, user, event.ical_uid)
        if existing is not None and moved and active(faults, "move-leaves-copies"):
            copy_event = existing
        else:
            copy_event = _sync_copy(store, event, user, faults, reset_response=moved)
        if existing is None:
            _send_request(store, event, user, copy_event, faults, previous=None,
                          request_type="newMeetingRequest")
        elif not (moved and active(faults, "move-sends-no-update")):
            _send_request(store, event, user, copy_event, faults, previous=previous if moved else None,
                          request_type=update or "informationalUpdate")


def on_create(request: Request, store: Store, event: StoredEvent, sent: dict[str, Any]) -> None:
    faults = _faults(request)
    if "allowNewTimeProposals" not in sent and active(faults, "proposals-default-disallowed"):
        event.fields["allowNewTimeProposals"] = False
    if sent.get("allowNewTimeProposals") is False and active(faults, "allow-flag-ignored"):
        event.fields["allowNewTimeProposals"] = True
    if not event.fields.get("attendees"):
        return
    if active(faults, "organizer-status-none"):
        event.fields["responseStatus"] = {"response": "none", "time": NO_RESPONSE_TIME}
    if active(faults, "attendees-pre-accepted"):
        for attendee in event.fields["attendees"]:
            attendee["status"] = {"response": "accepted", "time": timezones.format_instant(now_utc())}
    _invite(store, event, attendee_users(store, event), faults)


def _merge_attendee_state(event: StoredEvent, before: dict[str, Any]) -> None:
    """A PATCH of attendees re-reads them with status none: keep what existing ones had."""
    old = {_address(a).casefold(): a for a in before.get("attendees") or []}
    for attendee in event.fields.get("attendees") or []:
        previous = old.get(_address(attendee).casefold())
        if previous is not None:
            attendee["status"] = copy.deepcopy(previous.get("status"))
            if "proposedNewTime" in previous:
                attendee["proposedNewTime"] = copy.deepcopy(previous["proposedNewTime"])


def on_update(request: Request, store: Store, event: StoredEvent, sent: dict[str, Any],
              before: dict[str, Any]) -> None:
    if not event.fields.get("isOrganizer"):
        return  # an attendee's own edits (categories, reminders) stay in their mailbox
    faults = _faults(request)
    if "attendees" in sent:
        _merge_attendee_state(event, before)
    old_slot = TimeSlot(timezones.to_instant(before["start"]["dateTime"], before["start"]["timeZone"]),
                        timezones.to_instant(before["end"]["dateTime"], before["end"]["timeZone"]),
                        before["start"]["timeZone"])
    moved = (old_slot.start, old_slot.end) != (event.start_utc, event.end_utc)
    if moved and active(faults, "move-reverted"):
        event.fields["start"], event.fields["end"] = before["start"], before["end"]
        event.start_utc, event.end_utc = old_slot.start, old_slot.end
        moved = False
    changed = any(before.get(k) != event.fields.get(k) for k in MEETING_PROPERTIES)
    if moved:
        _reset_statuses(event, faults)
    current = attendee_users(store, event)
    if "attendees" in sent:
        _cancel_removed(store, event, before, current)
    if changed and current:
        _invite(store, event, current, faults, update="fullUpdate" if moved else "informationalUpdate",
                previous=old_slot)


def _reset_statuses(event: StoredEvent, faults: frozenset[str]) -> None:
    if active(faults, "move-keeps-status"):
        return
    time = timezones.format_instant(now_utc()) if active(faults, "move-resets-time-now") else RESET_TIME
    for attendee in event.fields.get("attendees") or []:
        attendee["status"] = {"response": RESET_RESPONSE, "time": time}
        if not active(faults, "move-keeps-proposal"):
            attendee.pop("proposedNewTime", None)


def _cancel_removed(store: Store, event: StoredEvent, before: dict[str, Any], current: list[User]) -> None:
    owner = store.users[event.owner_id]
    for attendee in before.get("attendees") or []:
        user = store.user(_address(attendee))
        if user is not None and user.id != owner.id and user not in current:
            _cancel_for(store, event, user)


def _cancel_for(store: Store, event: StoredEvent, user: User, comment: str | None = None) -> None:
    copy_event = find_copy(store, user, event.ical_uid)
    if copy_event is not None:
        copy_event.fields["isCancelled"] = True
        copy_event.fields["subject"] = CANCELED + event.fields["subject"]
        store.touch(copy_event)
    organizer = store.users[event.owner_id]
    body = (dict(event.fields["body"]) if comment is None
            else {"contentType": "html", "content": bodies.normalise_html(html.escape(comment))})
    fields = message_fields(
        subject=CANCELED + event.fields["subject"], sender=organizer,
        to=[{"emailAddress": user.email_address}], body=body,
        event_fields=event.fields, meeting_message_type="meetingCancelled")
    sent = now_utc()
    mailboxes(store).deliver(StoredMessage(
        id=new_message_id(user), owner_id=user.id, kind=NOTICE, fields=fields, meeting=slot_of(event),
        event_id=copy_event.id if copy_event is not None else None, ical_uid=event.ical_uid,
        sent=sent, received=sent, change_key=store.new_change_key(user)))


def on_delete(request: Request, store: Store, event: StoredEvent) -> None:
    if not event.fields.get("isOrganizer"):
        return
    comment = getattr(request.state, CANCELLATION_COMMENT, None)
    for user in attendee_users(store, event):
        _cancel_for(store, event, user, comment)


# -- responses ----------------------------------------------------------------------------------

def respond(store: Store, faults: frozenset[str], attendee: User, copy_event: StoredEvent, action: str,
            comment: str | None, send_response: bool, proposed: TimeSlot | None) -> None:
    """Record ``attendee``'s response on their copy and, when sent, on the organizer's side.

    sendResponse false: the attendee's copy records the response, the organizer gets no
    message and the organizer's event is unchanged (responses reach the organizer only as
    messages; the docs: 'true if a response is to be sent to the organizer').
    """
    response = RESPONSE_OF_ACTION[action]
    stamp = now_utc()
    if not active(faults, "own-copy-unchanged"):
        copy_event.fields["responseStatus"] = {"response": response, "time": timezones.format_instant(stamp)}
        copy_event.fields["showAs"] = SHOW_AS_AFTER[response]
        store.touch(copy_event)
    if not send_response and not active(faults, "reply-ignores-send-response"):
        return
    organizer, organizer_event = find_organizer_event(store, copy_event)
    if organizer is None:
        return  # an organizer outside this tenant: the reply leaves the emulator
    _send_reply(store, faults, attendee, organizer, organizer_event or copy_event, response, comment,
                proposed, stamp)
    if organizer_event is not None and not active(faults, "status-not-recorded"):
        _record_on_organizer_event(store, faults, organizer_event, attendee, response, proposed, stamp)


def _send_reply(store: Store, faults: frozenset[str], attendee: User, organizer: User, event: StoredEvent,
                response: str, comment: str | None, proposed: TimeSlot | None, stamp: datetime) -> None:
    kind_of_reply = "accepted" if active(faults, "reply-says-accepted") else response
    prefix = (NEW_TIME_PROPOSED if proposed is not None and not active(faults, "reply-plain-subject")
              else SUBJECT_PREFIX[response])
    sender = organizer if active(faults, "reply-from-organizer") else attendee
    fields = message_fields(
        subject=prefix + event.fields["subject"], sender=sender,
        to=[{"emailAddress": organizer.email_address}],
        body={"contentType": "html", "content": bodies.normalise_html(html.escape(comment or ""))},
        event_fields=event.fields, meeting_message_type=MEETING_MESSAGE_TYPE[kind_of_reply],
        responseType=kind_of_reply)
    meeting = slot_of(event)
    if proposed is not None and active(faults, "reply-times-are-proposal"):
        meeting = proposed
    carried = None if active(faults, "reply-drops-proposal") else proposed
    if proposed is None and active(faults, "reply-null-proposal"):
        fields["proposedNewTime"] = None
    mailboxes(store).deliver(StoredMessage(
        id=new_message_id(organizer), owner_id=organizer.id, kind=RESPONSE, fields=fields, meeting=meeting,
        event_id=event.id if event.owner_id == organizer.id else None, ical_uid=event.ical_uid,
        sent=stamp, received=now_utc(), change_key=store.new_change_key(organizer), proposed=carried))


def _record_on_organizer_event(store: Store, faults: frozenset[str], event: StoredEvent, attendee: User,
                               response: str, proposed: TimeSlot | None, stamp: datetime) -> None:
    time = NO_RESPONSE_TIME if active(faults, "status-time-missing") else timezones.format_instant(stamp)
    attendees = event.fields.get("attendees") or []
    for i, entry in enumerate(attendees):
        mine = store.user(_address(entry)) is attendee
        status = {"response": response, "time": time} if mine else entry.get("status")
        shown = proposed is not None and (
            (mine and not active(faults, "event-drops-proposal")) or (not mine and active(faults, "proposal-on-every-attendee")))
        keep = not mine and "proposedNewTime" in entry
        # property order as the walkthrough's step 4 shows it: type, status, proposedNewTime, emailAddress
        attendees[i] = {"type": entry.get("type"), "status": status,
                        **({"proposedNewTime": proposed_field(proposed)} if shown and proposed else
                           {"proposedNewTime": entry["proposedNewTime"]} if keep else {}),
                        "emailAddress": entry.get("emailAddress")}
    store.touch(event)


def record_rejected_response(store: Store, copy_event: StoredEvent, action: str) -> None:
    """Fault ``rejection-changes-status``: a 400 that still records the response."""
    organizer, organizer_event = find_organizer_event(store, copy_event)
    if organizer_event is None:
        return
    attendee = store.users[copy_event.owner_id]
    for entry in organizer_event.fields.get("attendees") or []:
        if store.user(_address(entry)) is attendee:
            entry["status"] = {"response": RESPONSE_OF_ACTION[action],
                               "time": timezones.format_instant(now_utc())}

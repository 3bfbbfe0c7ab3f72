"""Mailboxes: the meeting messages scheduling delivers, and their Graph payloads.

Messages are the eventMessage family (``eventMessageRequest``, ``eventMessageResponse``, and
plain ``eventMessage`` for cancellations). They are this module's entry in
``store.extensions`` (one :class:`Mailboxes` per :class:`Store`, made on first use), guarded
by ``store.lock`` and dropped by a reset like every other piece of state.
Property order follows the documented eventMessageResponse (meeting-proposals walkthrough,
step 3) and eventMessageRequest (eventmessage-get.md).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator, Sequence
from urllib.parse import quote

from graphcal.emulator.core import bodies
from graphcal.emulator.core.prefer import Prefs
from graphcal.emulator.core.serialize import event_payload, user_context, zoned
from graphcal.emulator.core.store import Store, StoredEvent, User, canonical_id, encode_id

GRAPH_TYPE = "#microsoft.graph."
REQUEST, RESPONSE, NOTICE = "eventMessageRequest", "eventMessageResponse", "eventMessage"

# meetingMessageType as the v1.0 metadata enumerates it; the tentative member is spelled
# "meetingTenativelyAccepted" there (sic) and that is what the service serialises.
MEETING_MESSAGE_TYPE = {"accepted": "meetingAccepted", "tentativelyAccepted": "meetingTenativelyAccepted",
                        "declined": "meetingDeclined"}

MESSAGE_PROPERTIES: tuple[str, ...] = (
    "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
    "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
    "parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested",
    "isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification",
    "meetingMessageType", "type", "isOutOfDate", "isAllDay", "isDelegated",
    # eventMessageRequest
    "allowNewTimeProposals", "meetingRequestType", "responseRequested",
    "previousStartDateTime", "previousEndDateTime", "previousLocation",
    # eventMessageResponse
    "responseType",
    "recurrence", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients",
    "replyTo", "flag", "startDateTime", "endDateTime", "location",
    "proposedNewTime",
)
SELECTABLE = frozenset(MESSAGE_PROPERTIES) | {"id"}
_ONLY = {"allowNewTimeProposals": REQUEST, "meetingRequestType": REQUEST, "responseRequested": REQUEST,
         "previousStartDateTime": REQUEST, "previousEndDateTime": REQUEST, "previousLocation": REQUEST,
         "responseType": RESPONSE}


@dataclass
class TimeSlot:
    """A slot as instants, with the zone the client named (used when no Prefer zone is given)."""

    start: datetime
    end: datetime
    zone: str


@dataclass
class StoredMessage:
    id: str
    owner_id: str
    kind: str                         # REQUEST | RESPONSE | NOTICE
    fields: dict[str, Any]            # subject, body, sender, from, toRecipients, meetingMessageType...
    meeting: TimeSlot                 # the meeting's time when the message was sent
    event_id: str | None              # the related event in the owner's mailbox
    ical_uid: str
    sent: datetime
    received: datetime
    change_key: str
    proposed: TimeSlot | None = None  # eventMessageResponse.proposedNewTime
    previous: TimeSlot | None = None  # eventMessageRequest.previousStart/EndDateTime
    seq: int = 0


@dataclass
class Mailboxes:
    """Every user's messages: owner id -> message id -> message, in delivery order."""

    messages: dict[str, dict[str, StoredMessage]] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def deliver(self, message: StoredMessage) -> StoredMessage:
        message.seq = next(self._counter)
        self.messages.setdefault(message.owner_id, {})[message.id] = message
        return message

    def of(self, owner_id: str) -> list[StoredMessage]:
        return list(self.messages.get(owner_id, {}).values())

    def get(self, owner_id: str, message_id: str) -> StoredMessage | None:
        return self.messages.get(owner_id, {}).get(canonical_id(message_id))

    def remove(self, owner_id: str, message_id: str) -> StoredMessage | None:
        return self.messages.get(owner_id, {}).pop(canonical_id(message_id), None)


STATE_KEY = __name__  # this module's entry in store.extensions


def mailboxes(store: Store) -> Mailboxes:
    """The messages of ``store`` (its extension: same lifetime, same lock)."""
    return store.extension(STATE_KEY, Mailboxes)


def new_message_id(user: User) -> str:
    return encode_id(user.mailbox_key + b"\x03" + uuid.uuid4().bytes)


def inbox_id(user: User) -> str:
    return encode_id(user.mailbox_key + b"\x01" + b"inbox".ljust(8, b"\x00"))


def conversation_id(ical_uid: str) -> str:
    return base64.urlsafe_b64encode(b"\x00\x04" + hashlib.sha256(ical_uid.encode()).digest()[:24]).decode()


def slot_of(event: StoredEvent) -> TimeSlot:
    return TimeSlot(event.start_utc, event.end_utc, event.fields["start"]["timeZone"])


def _message_stamp(dt: datetime) -> str:
    # Message timestamps carry whole seconds (the documented eventMessageResponse).
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_payload(slot: TimeSlot, prefs_: Prefs) -> dict[str, dict[str, str]]:
    return {"start": zoned(slot.start, prefs_), "end": zoned(slot.end, prefs_)}


def message_context(user_key: str, *, select: Sequence[str] | None = None,
                    expanded: bool = False, collection: bool = False) -> str:
    """``@odata.context`` of a message or the messages (serialize.user_context's rule); an
    expanded event is one more name in the parentheses, after the $select names."""
    names = [*(select or ()), *(["microsoft.graph.eventMessage/event()"] if expanded else [])]
    return user_context(user_key, "messages", select=names, entity=not collection)


def message_payload(msg: StoredMessage, store: Store, prefs_: Prefs, faults: frozenset[str],
                    select: frozenset[str] | None = None, expand_event: bool = False) -> dict[str, Any]:
    """The message as Graph returns it (without @odata.context)."""
    f = msg.fields
    out: dict[str, Any] = {"@odata.type": GRAPH_TYPE + msg.kind, "@odata.etag": f'W/"{msg.change_key}"',
                           "id": msg.id}
    wanted = MESSAGE_PROPERTIES if select is None else [p for p in MESSAGE_PROPERTIES if p in select]
    owner = store.users[msg.owner_id]
    for name in wanted:
        if _ONLY.get(name, msg.kind) != msg.kind:
            continue
        if name in ("createdDateTime", "receivedDateTime", "lastModifiedDateTime"):
            out[name] = _message_stamp(msg.received)
        elif name == "sentDateTime":
            out[name] = _message_stamp(msg.sent)
        elif name == "changeKey":
            out[name] = msg.change_key
        elif name == "bodyPreview":
            out[name] = bodies.preview_of(f["body"])
        elif name == "body":
            out[name] = bodies.payload(f["body"], prefs_.body_type)
        elif name == "parentFolderId":
            out[name] = inbox_id(owner)
        elif name == "conversationId":
            out[name] = conversation_id(msg.ical_uid)
        elif name == "webLink":
            out[name] = (f"https://outlook.office365.com/owa/?ItemID={quote(msg.id, safe='')}"
                         f"&exvsurl=1&viewmodel=ReadMessageItem")
        elif name == "startDateTime":
            out[name] = zoned(msg.meeting.start, prefs_)
        elif name == "endDateTime":
            out[name] = zoned(msg.meeting.end, prefs_)
        elif name in ("previousStartDateTime", "previousEndDateTime"):
            if msg.previous is not None:
                out[name] = zoned(msg.previous.start if name == "previousStartDateTime" else msg.previous.end,
                                  prefs_)
        elif name == "proposedNewTime":
            if msg.proposed is not None:
                out[name] = slot_payload(msg.proposed, prefs_)
            elif "proposedNewTime" in f:   # a fault switch may force the property
                out[name] = f["proposedNewTime"]
        elif name in f:
            out[name] = f[name]
    if expand_event:
        event = store.event(msg.owner_id, msg.event_id) if msg.event_id else None
        out["event"] = event_payload(event, store, prefs_, faults) if event is not None else None
    return out


def message_fields(*, subject: str, sender: User, to: list[dict[str, Any]], body: dict[str, str],
                   meeting_message_type: str, event_fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The stored properties of a new meeting message (the defaults the documented ones show)."""
    return {
        "categories": [], "hasAttachments": False,
        "internetMessageId": f"<{uuid.uuid4().hex.upper()}@{sender.mail.split('@')[-1]}>",
        "subject": subject, "importance": "normal",
        "conversationIndex": base64.b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes[:6]).decode(),
        "isDeliveryReceiptRequested": None, "isReadReceiptRequested": False, "isRead": False,
        "isDraft": False, "inferenceClassification": "focused",
        "meetingMessageType": meeting_message_type, "type": event_fields.get("type", "singleInstance"),
        "isOutOfDate": False, "isAllDay": event_fields.get("isAllDay", False), "isDelegated": False,
        "recurrence": event_fields.get("recurrence"),
        "body": body,
        "sender": {"emailAddress": sender.email_address}, "from": {"emailAddress": sender.email_address},
        "toRecipients": to, "ccRecipients": [], "bccRecipients": [], "replyTo": [],
        "flag": {"flagStatus": "notFlagged"},
        "location": {"displayName": (event_fields.get("location_in") or {}).get("displayName", ""),
                     "locationType": "default", "uniqueIdType": "unknown"},
        **extra,
    }

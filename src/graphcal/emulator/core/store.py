"""The emulator's state: users, calendars, events. The only shared state; one lock guards it.

Route handlers run on the event loop and call the store synchronously while holding
``store.lock`` for a whole read-modify-write, so concurrent requests see consistent state.
Other threads (a test poking the store of an in-process server) must take the lock too.

Events are data (:class:`StoredEvent`): the Graph properties as stored in ``fields`` (start and
end in the zone the client gave), plus the server facts (ids, instants, stamps). Feature
modules (recurrence expansion, scheduling, delta) read and write these records through the
methods below. A feature's own state (recurrence's series exceptions, scheduling's
messages) is one entry of ``extensions`` keyed by the feature's module name, made on first
use by :meth:`Store.extension`; a reset (a fresh Store) drops it with the events.

Change journal: every write of a stored event (create, update, delete) appends a
:class:`JournalEntry` to ``journal``, in write order. Nothing reads it yet: it is where delta
sync will find what changed since a token (the entry's ``seq``).
"""

from __future__ import annotations

import base64
import itertools
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")

# Outlook item ids are base64 of an entry id that starts with these bytes ("AAMk...").
_ID_PREFIX = b"\x00\x03\x24\x00"
_ICAL_PREFIX = "040000008200E00074C5B7101A82E008"
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)


def encode_id(raw: bytes) -> str:
    # Graph ids are URL-safe base64 (`-` and `_` instead of `+` and `/`), padded.
    return base64.urlsafe_b64encode(_ID_PREFIX + raw).decode("ascii")


def is_well_formed_id(value: str) -> bool:
    """Whether ``value`` has the shape of an id this emulator issues (base64 "AAMk..." ids)."""
    try:
        raw = base64.urlsafe_b64decode(value.replace("+", "-").replace("/", "_").encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return False
    return raw.startswith(_ID_PREFIX) and len(raw) > len(_ID_PREFIX)


def canonical_id(value: str) -> str:
    """Standard and URL-safe spellings of the same id map to one key."""
    return value.replace("+", "-").replace("/", "_")


@dataclass(frozen=True)
class Principal:
    """Who a token speaks for: a signed-in user (delegated) or an app (client credentials)."""

    user_id: str | None
    app_id: str | None
    scope: str


@dataclass
class User:
    id: str
    displayName: str
    userPrincipalName: str
    mail: str
    password: str | None
    role_hint: str | None
    type: str  # "user" | "room"
    mailboxSettings: dict[str, Any]
    mailbox_key: bytes  # 16 bytes that make this mailbox's ids distinct

    @property
    def email_address(self) -> dict[str, str]:
        return {"name": self.displayName, "address": self.mail}


@dataclass
class Calendar:
    id: str
    owner_id: str
    name: str
    color: str = "auto"
    hexColor: str = ""
    isDefaultCalendar: bool = False
    changeKey: str = ""
    canShare: bool = True
    canViewPrivateItems: bool = True
    canEdit: bool = True
    isRemovable: bool = False
    isTallyingResponses: bool = True
    allowedOnlineMeetingProviders: list[str] = field(default_factory=lambda: ["teamsForBusiness"])
    defaultOnlineMeetingProvider: str = "teamsForBusiness"


@dataclass
class StoredEvent:
    """One event. ``fields`` holds Graph properties as stored; the rest are server facts.

    fields["start"]/["end"] keep the client's wall-clock time and zone name;
    ``start_utc``/``end_utc`` are the instants (for all-day events: the dates at UTC midnight).
    Series data lives in fields["type"], fields["recurrence"], fields["seriesMasterId"].
    """

    id: str
    owner_id: str
    calendar_id: str
    fields: dict[str, Any]
    start_utc: datetime
    end_utc: datetime
    created: datetime
    modified: datetime
    change_key: str
    ical_uid: str
    transaction_id: str | None = None
    seq: int = 0  # creation order within the store, a stable tie-breaker


@dataclass(frozen=True)
class JournalEntry:
    seq: int          # 1, 2, ... in write order; a delta token will name one
    change: str       # "created" | "updated" | "deleted"
    owner_id: str
    event_id: str


class Store:
    """In-memory state of one emulator instance."""

    def __init__(self, seed: dict[str, Any]) -> None:
        self.lock = threading.RLock()
        self.tenant: str = seed["tenant"]
        self.users: dict[str, User] = {}
        self._by_key: dict[str, User] = {}
        self.calendars: dict[str, Calendar] = {}
        self.events: dict[str, dict[str, StoredEvent]] = {}   # owner id -> event id -> event
        self._transactions: dict[tuple[str, str], str] = {}   # (owner id, transactionId) -> id
        self._counter = itertools.count(1)
        self.apps: dict[str, dict[str, Any]] = {a["client_id"]: a for a in seed.get("apps", [])}
        self.tokens: dict[str, Principal] = {}                # access token -> who holds it
        self.refresh_tokens: dict[str, Principal] = {}
        self.token_expiry: dict[str, float] = {}              # access token -> time.time() it expires
        # Feature modules keep their own state here, keyed by module name; a reset clears it.
        self.extensions: dict[str, Any] = {}
        self.journal: list[JournalEntry] = []
        for u in seed["users"]:
            self._add_user(u)

    def extension(self, key: str, factory: Callable[[], T]) -> T:
        """Feature state ``key`` (the feature's module name), made by ``factory`` on first use."""
        with self.lock:
            if key not in self.extensions:
                self.extensions[key] = factory()
            return self.extensions[key]  # type: ignore[no-any-return]

    # -- users and calendars ---------------------------------------------------------------
    def _add_user(self, u: dict[str, Any]) -> None:
        user = User(id=u["id"], displayName=u["displayName"],
                    userPrincipalName=u["userPrincipalName"], mail=u["mail"],
                    password=u.get("password"), role_hint=u.get("role_hint"),
                    type=u.get("type", "user"),
                    mailboxSettings={
                        "timeZone": u.get("timeZone", "UTC"),
                        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
                        "dateFormat": "M/d/yyyy", "timeFormat": "h:mm tt",
                        "workingHours": {
                            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                            "startTime": "08:00:00.0000000", "endTime": "17:00:00.0000000",
                            "timeZone": {"name": u.get("timeZone", "UTC")}}},
                    mailbox_key=uuid.UUID(u["id"]).bytes if _is_guid(u["id"])
                    else uuid.uuid5(uuid.NAMESPACE_URL, u["id"]).bytes)
        self.users[user.id] = user
        self._by_key[user.id.lower()] = user
        self._by_key[user.userPrincipalName.lower()] = user
        self._by_key[user.mail.lower()] = user
        self.events[user.id] = {}
        cal = Calendar(id=encode_id(user.mailbox_key + b"\x01" + b"\x00" * 8),
                       owner_id=user.id, name="Calendar", isDefaultCalendar=True,
                       changeKey=self.new_change_key(user))
        self.calendars[cal.id] = cal

    def user(self, key: str) -> User | None:
        """The user for an id or a userPrincipalName (case-insensitive)."""
        return self._by_key.get(key.lower())

    def calendars_of(self, user_id: str) -> list[Calendar]:
        return [c for c in self.calendars.values() if c.owner_id == user_id]

    def default_calendar(self, user_id: str) -> Calendar:
        return next(c for c in self.calendars.values()
                    if c.owner_id == user_id and c.isDefaultCalendar)

    def calendar(self, user_id: str, calendar_id: str) -> Calendar | None:
        cal = self.calendars.get(canonical_id(calendar_id))
        return cal if cal is not None and cal.owner_id == user_id else None

    # -- ids and stamps ----------------------------------------------------------------------
    def new_event_id(self, user: User) -> str:
        return encode_id(user.mailbox_key + b"\x02" + uuid.uuid4().bytes)

    def new_change_key(self, user: User) -> str:
        n = next(self._counter)
        return base64.b64encode(user.mailbox_key[:10] + os.urandom(2) + n.to_bytes(6, "big")).decode()

    @staticmethod
    def new_ical_uid(created: datetime) -> str:
        filetime = int((created - _FILETIME_EPOCH).total_seconds() * 10_000_000)
        return (_ICAL_PREFIX + "00000000" + filetime.to_bytes(8, "little").hex().upper()
                + "0" * 16 + "10000000" + uuid.uuid4().hex.upper())

    # -- events ------------------------------------------------------------------------------
    def _record(self, change: str, event: StoredEvent) -> None:
        self.journal.append(JournalEntry(len(self.journal) + 1, change, event.owner_id, event.id))

    def add_event(self, event: StoredEvent) -> StoredEvent:
        event.seq = next(self._counter)
        self.events[event.owner_id][event.id] = event
        if event.transaction_id is not None:
            self._transactions[(event.owner_id, event.transaction_id)] = event.id
        self._record("created", event)
        return event

    def event(self, user_id: str, event_id: str) -> StoredEvent | None:
        return self.events.get(user_id, {}).get(canonical_id(event_id))

    def event_by_transaction(self, user_id: str, transaction_id: str) -> StoredEvent | None:
        eid = self._transactions.get((user_id, transaction_id))
        return self.events[user_id].get(eid) if eid else None

    def events_of(self, user_id: str, calendar_id: str | None = None) -> Iterator[StoredEvent]:
        """The owner's events in creation order, optionally only one calendar's."""
        for ev in self.events.get(user_id, {}).values():
            if calendar_id is None or ev.calendar_id == calendar_id:
                yield ev

    def remove_event(self, user_id: str, event_id: str) -> StoredEvent | None:
        ev = self.events.get(user_id, {}).pop(canonical_id(event_id), None)
        if ev is not None and ev.transaction_id is not None:
            self._transactions.pop((user_id, ev.transaction_id), None)
        if ev is not None:
            self._record("deleted", ev)
        return ev

    def touch(self, event: StoredEvent, *, keep_change_key: bool = False) -> None:
        """Mark an event modified: new lastModifiedDateTime and (normally) a new changeKey."""
        event.modified = datetime.now(timezone.utc)
        if not keep_change_key:
            event.change_key = self.new_change_key(self.users[event.owner_id])
        self._record("updated", event)


def _is_guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True

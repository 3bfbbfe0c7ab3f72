"""Event hooks: the one place where the core's event routes let feature modules plug in.

``app.state.event_hooks`` is an :class:`EventHooks`; a feature registers on it in its
``install(app)`` (its ``Feature.install``, run for each of ``app.FEATURES``). The event routes are defined once, in
the events feature (``features/events/routes.py``); features never shadow them.

- Writes: routes call ``created``, ``updated`` and ``deleted`` after the store changed and
  while ``store.lock`` is still held, so a hook sees (and may change) consistent state, e.g.
  meeting scheduling copies the event into attendee mailboxes. A hook raising
  :class:`graphcal.emulator.core.errors.GraphError` turns the response into that error (the store
  change is not rolled back: hooks should validate before writing). ``before_create`` hooks
  see the JSON object a client POSTed before it is validated.
- Events that are not stored: ``virtual`` is the resolver chain behind the store. An item path
  (``/events/{id}``) names a stored event first, else the first :class:`VirtualEvents` that
  knows the id (recurrence's occurrences); that source then answers PATCH and DELETE of it
  (the write hooks above are for stored events: they are not called for virtual ones).
  Meeting responses (scheduling's ``respond``) act on stored events only.
  Collections (``/events``) list stored events (series masters and single instances) only.
- Properties: ``properties`` are event properties a feature renders on a GET of one event
  that asks for them by ``$select`` (or ``$expand`` when expandable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from starlette.requests import Request

from graphcal.emulator.core.prefer import Prefs
from graphcal.emulator.core.store import Store, StoredEvent, User

# sent: the JSON object the client sent (already validated); before: a deep copy of
# event.fields as it was before an update.
Hook = Callable[..., None]


class VirtualEvents(Protocol):
    """Events a feature computes instead of storing. Called while ``store.lock`` is held."""

    def find(self, store: Store, owner: User, event_id: str,
             faults: frozenset[str]) -> StoredEvent | None:
        """The event ``event_id`` names in ``owner``'s mailbox, or None if not one of these."""

    def update(self, store: Store, owner: User, event: StoredEvent, sent: dict[str, Any],
               faults: frozenset[str]) -> StoredEvent:
        """Apply a PATCH (the JSON object sent) to ``event``; the event as it now is."""

    def delete(self, store: Store, owner: User, event: StoredEvent) -> None:
        """Delete ``event``."""

    def listed(self, store: Store, owner: User, shown: list[StoredEvent],
               faults: frozenset[str]) -> list[StoredEvent]:
        """Events to append to an event collection page that shows ``shown`` (normally none)."""


@dataclass(frozen=True)
class EventProperty:
    """A property a feature adds to the GET of one event: ``render(store, event, prefs,
    faults)`` gives its value; ``expandable`` properties may be asked for by ``$expand``."""

    render: Callable[[Store, StoredEvent, Prefs, frozenset[str]], Any]
    expandable: bool = False


@dataclass
class EventHooks:
    on_create: list[Hook] = field(default_factory=list)   # hook(request, store, event, sent)
    on_update: list[Hook] = field(default_factory=list)   # hook(request, store, event, sent, before)
    on_delete: list[Hook] = field(default_factory=list)   # hook(request, store, event)
    before_create: list[Hook] = field(default_factory=list)  # hook(request, sent): may edit sent
    virtual: list[VirtualEvents] = field(default_factory=list)
    properties: dict[str, EventProperty] = field(default_factory=dict)  # in rendering order

    def created(self, request: Request, store: Store, event: StoredEvent, sent: dict[str, Any]) -> None:
        for hook in self.on_create:
            hook(request, store, event, sent)

    def updated(self, request: Request, store: Store, event: StoredEvent, sent: dict[str, Any],
                before: dict[str, Any]) -> None:
        for hook in self.on_update:
            hook(request, store, event, sent, before)

    def deleted(self, request: Request, store: Store, event: StoredEvent) -> None:
        for hook in self.on_delete:
            hook(request, store, event)

    def received(self, request: Request, sent: dict[str, Any]) -> None:
        for hook in self.before_create:
            hook(request, sent)

    def resolve(self, store: Store, owner: User, event_id: str,
                faults: frozenset[str]) -> tuple[StoredEvent | None, VirtualEvents | None]:
        """The first virtual source that knows ``event_id``, with the event it names."""
        for source in self.virtual:
            event = source.find(store, owner, event_id, faults)
            if event is not None:
                return event, source
        return None, None

    def listed(self, store: Store, owner: User, shown: list[StoredEvent],
               faults: frozenset[str]) -> list[StoredEvent]:
        return [extra for source in self.virtual for extra in source.listed(store, owner, shown, faults)]

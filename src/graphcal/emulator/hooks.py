"""Event hooks: the one place where event writes tell feature modules what happened.

``app.state.event_hooks`` is an :class:`EventHooks`. Routes call ``created``, ``updated`` and
``deleted`` after the store changed and while ``store.lock`` is still held, so a hook sees
(and may change) consistent state, e.g. meeting scheduling copies the event into attendee
mailboxes. A hook raising :class:`graphcal.emulator.errors.GraphError` turns the response
into that error (the store change is not rolled back: hooks should validate before writing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.requests import Request

from graphcal.emulator.store import Store, StoredEvent

# sent: the JSON object the client sent (already validated); before: a deep copy of
# event.fields as it was before an update.
Hook = Callable[..., None]


@dataclass
class EventHooks:
    on_create: list[Hook] = field(default_factory=list)   # hook(request, store, event, sent)
    on_update: list[Hook] = field(default_factory=list)   # hook(request, store, event, sent, before)
    on_delete: list[Hook] = field(default_factory=list)   # hook(request, store, event)

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

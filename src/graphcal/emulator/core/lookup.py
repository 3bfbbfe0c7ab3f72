"""What an item path names: the calendar, the event (stored or a feature's virtual one), and
its removal. Every feature that acts on ``/events/{id}`` (sub-paths of :data:`ITEMS`) resolves
the event here, so an occurrence id works for recurrence, scheduling and the event routes alike.
"""

from __future__ import annotations

from starlette.requests import Request

from graphcal.emulator.core.errors import GraphError, not_found
from graphcal.emulator.core.hooks import EventHooks, VirtualEvents
from graphcal.emulator.core.store import Calendar, Store, StoredEvent, User, is_well_formed_id

# Mailbox-relative paths of event collections and items; features add sub-paths of ITEMS.
COLLECTIONS = ("/events", "/calendar/events", "/calendars/{calendar_id}/events")
ITEMS = ("/events/{event_id}", "/calendar/events/{event_id}", "/calendars/{calendar_id}/events/{event_id}")


def find_calendar(request: Request, owner: User) -> Calendar:
    """The calendar the path names (``calendar_id`` path param, or the default calendar)."""
    store: Store = request.app.state.store
    cal_id = request.path_params.get("calendar_id")
    if cal_id is None:
        return store.default_calendar(owner.id)
    if not is_well_formed_id(cal_id):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
    cal = store.calendar(owner.id, cal_id)
    if cal is None:
        raise not_found()
    return cal


def locate_event(request: Request, owner: User, *,
                 stored_only: bool = False) -> tuple[StoredEvent, VirtualEvents | None]:
    """The event the path names and the feature that computes it (None for a stored event):
    a stored event first, then the features' virtual events (unless ``stored_only``).
    400 ErrorInvalidIdMalformed / 404 ErrorItemNotFound."""
    store: Store = request.app.state.store
    event_id = request.path_params["event_id"]
    if not is_well_formed_id(event_id):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
    ev, source = store.event(owner.id, event_id), None
    if ev is None and not stored_only:
        ev, source = event_hooks(request).resolve(store, owner, event_id, request.app.state.faults)
    cal_id = request.path_params.get("calendar_id")
    if ev is None or (cal_id is not None and ev.calendar_id != find_calendar(request, owner).id):
        raise not_found()
    return ev, source


def find_event(request: Request, owner: User) -> StoredEvent:
    """The stored event the path names (meeting responses act on stored events only)."""
    return locate_event(request, owner, stored_only=True)[0]


def event_hooks(request: Request) -> EventHooks:
    return request.app.state.event_hooks


def remove(request: Request, store: Store, owner: User, ev: StoredEvent,
           source: VirtualEvents | None) -> None:
    """Remove an event ``locate_event`` found (under ``store.lock``): a stored one through the
    write hooks, a virtual one through the feature that computes it."""
    if source is None:
        store.remove_event(owner.id, ev.id)
        event_hooks(request).deleted(request, store, ev)
    else:
        source.delete(store, owner, ev)

"""Events: create (POST, 201), list, get, update (PATCH, 200), delete (204).

Collections: ``/events``, ``/calendar/events``, ``/calendars/{id}/events`` under ``/me`` and
``/users/{id|upn}``. Items: ``/events/{id}`` (and the same under a calendar). These routes are
the only ones for those paths: features plug in through ``app.state.event_hooks``
(:mod:`graphcal.emulator.core.hooks`), e.g. an item id that is not stored is resolved by the
features' virtual events (recurrence's occurrences), which then answer PATCH and DELETE.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.core import events as event_writes
from graphcal.emulator.core import odata
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.core.lookup import COLLECTIONS, ITEMS, event_hooks, find_calendar, locate_event, remove
from graphcal.emulator.core.prefer import Prefs, prefs
from graphcal.emulator.core.routing import context_user, empty_response, json_response, mailbox_routes
from graphcal.emulator.core.serialize import GRAPH_ROOT, SELECTABLE, event_context, event_payload
from graphcal.emulator.core.store import Store, StoredEvent, User


def _calendar_scope(request: Request) -> str | None:
    return request.path_params.get("calendar_id")


async def create(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    payload = event_writes.parse_json(await request.body())
    event_hooks(request).received(request, payload)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        calendar = find_calendar(request, owner)
        ev, created = event_writes.create_event(store, owner, calendar, payload, faults)
        if created:
            event_hooks(request).created(request, store, ev, payload)
        body = {"@odata.context": event_context(context_user(request, owner), _calendar_scope(request)),
                **event_payload(ev, store, p, faults)}
    location = f"{GRAPH_ROOT}/users('{owner.id}')/events('{quote(ev.id, safe='')}')"
    return json_response(request, body, 201, p, {"Location": location})


async def list_events(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    q = odata.parse(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        scope = None
        if "calendar_id" in request.path_params or request.url.path.endswith("/calendar/events"):
            scope = find_calendar(request, owner).id
        items = odata.apply(list(store.events_of(owner.id, scope)), q)
        shown: list[StoredEvent] = []

        def render(ev: StoredEvent) -> dict[str, Any]:
            shown.append(ev)
            return event_payload(ev, store, p, faults, q.select)
        body = odata.collection_body(
            request, q, items, event_context(context_user(request, owner), collection=True,
                                             select=q.select_order), render, p.max_page_size)
        body["value"] += [event_payload(ev, store, p, faults)
                          for ev in event_hooks(request).listed(store, owner, shown, faults)]
    return json_response(request, body, 200, p)


async def get_event(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    extra = event_hooks(request).properties
    if (_names(request, "$select") | _names(request, "$expand")) & extra.keys():
        return _get_with_properties(request, owner, p)
    q = odata.parse(request)
    if q.top is not None or q.skip or q.order or q.predicate or q.count:
        raise GraphError(400, "BadRequest", "Only $select applies to a single event.")
    store: Store = request.app.state.store
    with store.lock:
        ev, _ = locate_event(request, owner)
        body = {"@odata.context": event_context(context_user(request, owner), select=q.select_order),
                **event_payload(ev, store, p, request.app.state.faults, q.select)}
    return json_response(request, body, 200, p)


def _written(request: Request, option: str) -> tuple[str, ...]:
    """The option's names in the order the client wrote them, each once."""
    return tuple(dict.fromkeys(s.strip() for s in request.query_params.get(option, "").split(",")
                               if s.strip()))


def _names(request: Request, option: str) -> set[str]:
    return set(_written(request, option))


def _get_with_properties(request: Request, owner: User, p: Prefs) -> Response:
    """GET of one event whose $select/$expand names properties a feature renders (e.g. a series
    master's cancelledOccurrences and exceptionOccurrences)."""
    extra = event_hooks(request).properties
    wanted, expand = _names(request, "$select"), _names(request, "$expand")
    unknown = ((wanted - extra.keys() - SELECTABLE)
               | (expand - {name for name, prop in extra.items() if prop.expandable}))
    if unknown:
        raise GraphError(400, "RequestBroker--ParseUri",
                         f"Could not find a property named '{sorted(unknown)[0]}' on type "
                         f"'microsoft.graph.event'.")
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        ev, _ = locate_event(request, owner)
        select = frozenset(wanted - extra.keys()) if wanted else None
        body: dict[str, Any] = {"@odata.context": event_context(context_user(request, owner),
                                                                select=_written(request, "$select")),
                                **event_payload(ev, store, p, faults, select)}
        for name, prop in extra.items():
            if name in wanted | expand:
                body[name] = prop.render(store, ev, p, faults)
    return json_response(request, body, 200, p)


async def update(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    payload = event_writes.parse_json(await request.body())
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        ev, source = locate_event(request, owner)
        if source is None:
            before = copy.deepcopy(ev.fields)
            event_writes.update_event(store, ev, payload, faults)
            event_hooks(request).updated(request, store, ev, payload, before)
        else:
            ev = source.update(store, owner, ev, payload, faults)
        body = {"@odata.context": event_context(context_user(request, owner)),
                **event_payload(ev, store, p, faults)}
    return json_response(request, body, 200, p)


async def delete(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        remove(request, store, owner, *locate_event(request, owner))
    return empty_response(request, 204)


ROUTES: list[Route] = [
    *(r for suffix in COLLECTIONS
      for r in mailbox_routes(suffix, {"GET": list_events, "POST": create})),
    *(r for suffix in ITEMS
      for r in mailbox_routes(suffix, {"GET": get_event, "PATCH": update, "DELETE": delete})),
]

"""Events: create (POST, 201), list, get, update (PATCH, 200), delete (204).

Collections: ``/events``, ``/calendar/events``, ``/calendars/{id}/events`` under ``/me`` and
``/users/{id|upn}``. Items: ``/events/{id}`` (and the same under a calendar).
"""

from __future__ import annotations

import copy
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator import events as event_writes
from graphcal.emulator import odata
from graphcal.emulator.auth import mailbox
from graphcal.emulator.errors import GraphError, not_found, request_ids
from graphcal.emulator.routes_calendars import find_calendar
from graphcal.emulator.routing import context_user, json_response, mailbox_routes
from graphcal.emulator.serialize import GRAPH_ROOT, event_context, event_payload, prefs
from graphcal.emulator.store import Store, StoredEvent, User, is_well_formed_id


def find_event(request: Request, owner: User) -> StoredEvent:
    """The event the path names; 400 ErrorInvalidIdMalformed / 404 ErrorItemNotFound."""
    store: Store = request.app.state.store
    event_id = request.path_params["event_id"]
    if not is_well_formed_id(event_id):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
    ev = store.event(owner.id, event_id)
    cal_id = request.path_params.get("calendar_id")
    if ev is None or (cal_id is not None and ev.calendar_id != find_calendar(request, owner).id):
        raise not_found()
    return ev


def _calendar_scope(request: Request) -> str | None:
    return request.path_params.get("calendar_id")


async def create(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    payload = event_writes.parse_json(await request.body())
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        calendar = find_calendar(request, owner)
        ev, created = event_writes.create_event(store, owner, calendar, payload, faults)
        if created:
            request.app.state.event_hooks.created(request, store, ev, payload)
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
        body = odata.collection_body(
            request, q, items, event_context(context_user(request, owner), collection=True,
                                    select=q.select_order),
            lambda ev: event_payload(ev, store, p, faults, q.select), p.max_page_size)
    return json_response(request, body, 200, p)


async def get_event(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    q = odata.parse(request)
    if q.top is not None or q.skip or q.order or q.predicate or q.count:
        raise GraphError(400, "BadRequest", "Only $select applies to a single event.")
    store: Store = request.app.state.store
    with store.lock:
        ev = find_event(request, owner)
        body = {"@odata.context": event_context(context_user(request, owner), select=q.select_order),
                **event_payload(ev, store, p, request.app.state.faults, q.select)}
    return json_response(request, body, 200, p)


async def update(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    payload = event_writes.parse_json(await request.body())
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        ev = find_event(request, owner)
        before = copy.deepcopy(ev.fields)
        event_writes.update_event(store, ev, payload, faults)
        request.app.state.event_hooks.updated(request, store, ev, payload, before)
        body = {"@odata.context": event_context(context_user(request, owner)),
                **event_payload(ev, store, p, faults)}
    return json_response(request, body, 200, p)


async def delete(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        ev = find_event(request, owner)
        store.remove_event(owner.id, ev.id)
        request.app.state.event_hooks.deleted(request, store, ev)
    rid, crid = request_ids(request)
    return Response(status_code=204, headers={"request-id": rid, "client-request-id": crid})


_COLLECTIONS = ("/events", "/calendar/events", "/calendars/{calendar_id}/events")
_ITEMS = ("/events/{event_id}", "/calendar/events/{event_id}", "/calendars/{calendar_id}/events/{event_id}")

ROUTES: list[Route] = [
    *(r for suffix in _COLLECTIONS
      for r in mailbox_routes(suffix, {"GET": list_events, "POST": create})),
    *(r for suffix in _ITEMS
      for r in mailbox_routes(suffix, {"GET": get_event, "PATCH": update, "DELETE": delete})),
]

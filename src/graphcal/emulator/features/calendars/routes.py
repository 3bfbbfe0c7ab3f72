"""Calendars: ``/calendar``, ``/calendars``, ``/calendars/{id}`` (GET)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.lookup import find_calendar
from graphcal.emulator.core.routing import context_user, json_response, mailbox_routes
from graphcal.emulator.core.serialize import calendar_payload, user_context
from graphcal.emulator.core.store import Store


async def get_calendar(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        cal = find_calendar(request, owner)
        # /calendar answers .../calendar/$entity, /calendars/{id} .../calendars/$entity (docs).
        segment = "calendars" if "calendar_id" in request.path_params else "calendar"
        body = {"@odata.context": user_context(context_user(request, owner), segment, entity=True),
                **calendar_payload(cal, store)}
    return json_response(request, body)


async def list_calendars(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        value = [calendar_payload(c, store) for c in store.calendars_of(owner.id)]
    return json_response(request, {
        "@odata.context": user_context(context_user(request, owner), "calendars"),
        "value": value})


ROUTES: list[Route] = [
    *mailbox_routes("/calendar", {"GET": get_calendar}),
    *mailbox_routes("/calendars", {"GET": list_calendars}),
    *mailbox_routes("/calendars/{calendar_id}", {"GET": get_calendar}),
]

"""Route helpers shared by the route modules: mailbox paths and JSON responses."""

from __future__ import annotations

from typing import Any, Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.core.errors import request_ids
from graphcal.emulator.core.faults import Output
from graphcal.emulator.core.output import finish
from graphcal.emulator.core.prefer import Prefs

API = "/v1.0"
GRAPH_JSON = ("application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;"
              "charset=utf-8")


Endpoint = Callable[[Request], Awaitable[Response]]


def by_method(endpoints: dict[str, Endpoint]) -> Endpoint:
    """One endpoint dispatching on the method, so a path is one route and 405 lists all methods."""
    async def dispatch(request: Request) -> Response:
        return await endpoints[request.method](request)
    return dispatch


def mailbox_routes(suffix: str, endpoints: dict[str, Endpoint]) -> list[Route]:
    """The endpoints under ``/v1.0/me{suffix}`` and ``/v1.0/users/{user}{suffix}``.

    ``endpoints`` maps HTTP methods to handlers; other methods answer 405.
    """
    handler, methods = by_method(endpoints), list(endpoints)
    return [Route(f"{API}/me{suffix}", handler, methods=methods),
            Route(f"{API}/users/{{user}}{suffix}", handler, methods=methods)]


def context_user(request: Request, owner: Any) -> str:
    """The user key of ``@odata.context``: the owner's id for ``/me``, else the path's key as
    written (Graph echoes it: ``users('meganb%40contoso.OnMicrosoft.com')`` in
    outlook-share-or-delegate-calendar.md)."""
    key = request.path_params.get("user")
    return owner.id if key is None else quote(key, safe="")


def json_response(request: Request, body: Any, status: int = 200, prefs: Prefs | None = None,
                  headers: dict[str, str] | None = None) -> Response:
    rid, crid = request_ids(request)
    all_headers = {"request-id": rid, "client-request-id": crid, **(headers or {})}
    collection = isinstance(body, dict) and "value" in body
    applied = prefs.applied(collection=collection) if prefs is not None else None
    if applied:
        all_headers["Preference-Applied"] = applied
    return finish(request, Output(status, body, all_headers, GRAPH_JSON))


def empty_response(request: Request, status: int) -> Response:
    """An answer without a body (202 of an action, 204 of a DELETE)."""
    rid, crid = request_ids(request)
    return finish(request, Output(status, None, {"request-id": rid, "client-request-id": crid}))

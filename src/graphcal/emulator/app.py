"""The emulator's ASGI application.

``create_app(seed=None, faults=frozenset(), extra_routes=())`` builds a Starlette app from the
core (:data:`graphcal.emulator.core.CORE`: sign-in and users routes first) and the features in
:data:`FEATURES`, in that order: their routes in match order, then each ``install(app)``. A new
feature adds its ``FEATURE`` to that list (or a test passes ``extra_routes``). :data:`FAULTS`
holds every declared fault switch. State on ``app.state``: ``store`` (the only shared state),
``faults``, ``event_hooks``, ``mailbox_access``.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphcal.emulator.core import CORE, auth
from graphcal.emulator.core.chaos import ChaosState, parse_rate
from graphcal.emulator.core.errors import GraphError, error_response
from graphcal.emulator.core.faults import Declared, check_names, declare
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.core.hooks import EventHooks
from graphcal.emulator.core.random_valid import RandomValid
from graphcal.emulator.core.seed import normalise_seed
from graphcal.emulator.core.store import Store
from graphcal.emulator.features import calendars, events, recurrence, scheduling

_log = logging.getLogger("graphcal.emulator")

# The features, in route match order (their install hooks run in this order too).
FEATURES: tuple[Feature, ...] = (calendars.FEATURE, events.FEATURE, recurrence.FEATURE, scheduling.FEATURE)

# Every fault switch: name -> its owner (a feature key, or "core") and declaration.
FAULTS: dict[str, Declared] = declare((f.key, f.faults) for f in (CORE, *FEATURES))


def routes(extra: Iterable[BaseRoute] = ()) -> list[BaseRoute]:
    return [*CORE.routes, *(r for feature in FEATURES for r in feature.routes), *extra]


async def _graph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    return error_response(request, exc.status, exc.code, exc.message, exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    # Starlette's own 404/405 (no route / wrong method) answered the way Graph does: users
    # report 400 BadRequest "Resource not found for the segment '...'" for unknown paths
    # (microsoft-graph-docs-contrib#5038) and, on Outlook resources, 405 ErrorInvalidRequest
    # "The OData request is not supported." for a method a path lacks (#4152).
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(request, 405, "ErrorInvalidRequest",
                              "The OData request is not supported.", dict(exc.headers or {}))
    if exc.status_code == 404:
        segments = [s for s in request.url.path.split("/") if s]
        if not segments or segments[0] != "v1.0":
            first = segments[0] if segments else ""
            return error_response(request, 400, "BadRequest", f"Invalid version: '{first}'.")
        return error_response(request, 400, "BadRequest",
                              f"Resource not found for the segment "
                              f"'{_unknown_segment(request, segments)}'.")
    return error_response(request, exc.status_code, "BadRequest", str(exc.detail))


def _unknown_segment(request: Request, segments: list[str]) -> str:
    """The first segment after the longest prefix of the path that some route serves."""
    routes_ = [r for r in request.app.router.routes if isinstance(r, Route)]
    for length in range(len(segments) - 1, 1, -1):
        prefix = "/" + "/".join(segments[:length])
        if any(r.path_regex.match(prefix) for r in routes_):
            return segments[length]
    return segments[1] if len(segments) > 1 else segments[0]


class _TrailingSlash:
    """``/v1.0/me/events/`` is ``/v1.0/me/events``: Graph's OData router ignores a trailing
    slash, where Starlette would answer a 307 redirect without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/") or "/",
                     "raw_path": scope.get("raw_path", b"").rstrip(b"/") or b"/"}
        await self.app(scope, receive, send)


class _InternalErrors:
    """A bug in the emulator (or a feature hook) answers 500 with a Graph error body.

    Starlette's own handler re-raises after answering, which makes uvicorn drop the
    connection; here the traceback is logged and the client still gets a readable answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - the boundary of the app
            _log.exception("emulator error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            request = Request(scope)
            response = error_response(request, 500, "InternalServerError",
                                      f"The emulator failed: {type(exc).__name__}: {exc}")
            await response(scope, receive, send)


def create_app(seed: dict[str, Any] | None = None, faults: Iterable[str] = frozenset(),
               extra_routes: Iterable[BaseRoute] = (), *, random_valid: int | None = None,
               chaos: float = 0.0, chaos_seed: int | None = None) -> Starlette:
    """A fresh emulator: its own in-memory store built from ``seed`` (default: the demo users).
    ``random_valid``: a seed of the random-but-schema-valid mode (``core.random_valid``).
    ``chaos``: the fraction of Graph requests disturbed (``core.chaos``), drawn from ``chaos_seed``;
    the servers serve ``core.chaos.wrap(app)``."""
    chaos_state = ChaosState(parse_rate(chaos), chaos_seed)
    app = Starlette(routes=routes(extra_routes),
                    middleware=[Middleware(_InternalErrors), Middleware(_TrailingSlash)],
                    exception_handlers={GraphError: _graph_error, HTTPException: _http_error})
    app.state.chaos = chaos_state
    normalised = normalise_seed(seed)
    app.state.seed = normalised
    app.state.store = Store(normalised)
    app.state.faults = check_names(faults, FAULTS)
    app.state.random_valid = None if random_valid is None else RandomValid(random_valid)
    app.state.event_hooks = EventHooks()
    for feature in FEATURES:
        if feature.install is not None:
            feature.install(app)
    app.state.mailbox_access = auth.default_mailbox_access
    app.state.tenant_aliases = {normalised["tenant"].lower(), "common", "organizations",
                                str(normalised.get("domain", "")).lower()} - {""}
    return app

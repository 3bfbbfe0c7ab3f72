"""Graph error bodies: ``{"error": {"code", "message", "innerError": {...}}}``.

Routes raise :class:`GraphError`; the app's exception handler turns it into the JSON body
with the request's ids (``request-id`` is ours, ``client-request-id`` echoes the client's
header or repeats the request id, as Graph does).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from graphcal.emulator.core.faults import Output
from graphcal.emulator.core.output import finish


class GraphError(Exception):
    """An error Graph would answer with ``status`` and ``code``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_request(message: str, code: str = "ErrorInvalidRequest") -> GraphError:
    return GraphError(400, code, message)


def body_read(message: str) -> GraphError:
    # Graph's OData layer rejects unreadable bodies (bad JSON, unknown property, wrong type)
    # with code RequestBodyRead before the Outlook service sees the request.
    return GraphError(400, "RequestBodyRead", message)


def not_found() -> GraphError:
    return GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def request_ids(request: Request) -> tuple[str, str]:
    rid = request.scope.get("graphcal.request_id")
    if rid is None:
        rid = str(uuid.uuid4())
        request.scope["graphcal.request_id"] = rid
    return rid, request.headers.get("client-request-id") or rid


def error_body(request: Request, code: str, message: str) -> dict[str, Any]:
    rid, crid = request_ids(request)
    return {"error": {"code": code, "message": message, "innerError": {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": rid,
        "client-request-id": crid,
    }}}


def error_response(request: Request, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    rid, crid = request_ids(request)
    all_headers = {"request-id": rid, "client-request-id": crid, **(headers or {})}
    return finish(request, Output(status, error_body(request, code, message), all_headers))

"""accept / tentativelyAccept / decline: ``POST .../events/{id}/{action}`` answers 202, no body.

The body is read as Graph's OData layer reads action parameters: names case-insensitively
(the v1.0 metadata itself names them ProposedNewTime/SendResponse/Comment, and the proposals
walkthrough sends PascalCase Start/DateTime/TimeZone) and a Boolean from the strings "true"
or "false" (the walkthrough sends ``"sendResponse": "true"`` and says the call succeeds).
Rejected with a Graph error: unknown parameters, proposedNewTime on accept, a malformed
timeSlot (400 RequestBodyRead / ErrorInvalidRequest / TimeZoneNotSupportedException), a
proposal where the organizer disallows proposals or with sendResponse false (400, as the
respond pages document), responding to one's own meeting or to a cancelled one (400), an
unknown event (404 ErrorItemNotFound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal import timezones
from graphcal.emulator.features.scheduling import delivery as scheduling
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import GraphError, bad_request, body_read
from graphcal.emulator.core.events import date_time_time_zone, parse_json
from graphcal.emulator.features.scheduling.mail import TimeSlot
from graphcal.emulator.core.lookup import ITEMS, find_event
from graphcal.emulator.core.routing import Endpoint, context_user, empty_response, mailbox_routes
from graphcal.emulator.core.prefer import prefs
from graphcal.emulator.core.serialize import event_context, event_payload
from graphcal.emulator.core.store import Store
from graphcal.emulator.core.faults import active

PARAMETERS = {
    "accept": ("comment", "sendResponse"),
    "tentativelyAccept": ("comment", "sendResponse", "proposedNewTime"),
    "decline": ("comment", "sendResponse", "proposedNewTime"),
}


@dataclass(frozen=True)
class RespondRequest:
    comment: str | None = None
    send_response: bool = True          # documented default
    proposed: TimeSlot | None = None


def named_parameters(obj: dict[str, Any], names: tuple[str, ...], strict: bool,
           unknown: Callable[[str], GraphError]) -> dict[str, Any]:
    """``obj`` with keys mapped to ``names`` (case-insensitively unless ``strict``)."""
    by_fold = {n.casefold(): n for n in names}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = key if key in names else (None if strict else by_fold.get(key.casefold()))
        if name is None:
            raise unknown(key)
        out[name] = value
    return out


def _no_property(type_name: str) -> Callable[[str], GraphError]:
    return lambda key: body_read(f"The property '{key}' does not exist on type 'microsoft.graph.{type_name}'.")


def _boolean(value: Any, strict: bool) -> bool:
    if isinstance(value, bool):
        return value
    if not strict and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise body_read(f"Cannot convert the literal '{value}' to the expected type 'Edm.Boolean'.")


def _instant(value: Any, path: str, strict: bool) -> tuple[datetime, str]:
    """A dateTimeTimeZone as (UTC instant, zone), validated as event writes validate it."""
    if isinstance(value, dict) and not strict:
        value = named_parameters(value, ("dateTime", "timeZone"), strict, _no_property("dateTimeTimeZone"))
    checked = date_time_time_zone(value, path)
    return timezones.to_instant(checked["dateTime"], checked["timeZone"]), checked["timeZone"]


def _time_slot(value: Any, strict: bool) -> TimeSlot | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise body_read(f"Cannot convert the literal '{value}' to the expected type 'microsoft.graph.timeSlot'.")
    obj = named_parameters(value, ("start", "end"), strict, _no_property("timeSlot"))
    for name in ("start", "end"):
        if obj.get(name) is None:
            raise bad_request(f"The proposedNewTime needs both start and end; '{name}' is missing.")
    start, zone = _instant(obj["start"], "proposedNewTime/start", strict)
    end, _ = _instant(obj["end"], "proposedNewTime/end", strict)
    if end <= start:
        raise bad_request("The proposedNewTime end must be later than its start.")
    return TimeSlot(start, end, zone)


def parse_respond_body(raw: bytes, action: str, *, strict: bool = False) -> RespondRequest:
    """The respond action's parameters; GraphError 400 says what is wrong."""
    if not raw.strip():
        return RespondRequest()
    payload = parse_json(raw, "the action's parameters")
    params = named_parameters(payload, PARAMETERS[action], strict, lambda key: body_read(
        f"The parameter '{key}' in the request payload is not a valid parameter for the operation '{action}'."))
    comment = params.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise body_read(f"Cannot convert the literal '{comment}' to the expected type 'Edm.String'.")
    send = params.get("sendResponse")
    return RespondRequest(comment=comment, send_response=True if send is None else _boolean(send, strict),
                          proposed=_time_slot(params.get("proposedNewTime"), strict))


def _handler(action: str) -> Endpoint:
    async def respond(request: Request) -> Response:
        owner = mailbox(request)
        faults: frozenset[str] = request.app.state.faults
        parsed = parse_respond_body(await request.body(), action, strict=active(faults, "strict-respond-body"))
        store: Store = request.app.state.store
        with store.lock:
            copy_event = find_event(request, owner)
            _check_respondable(store, faults, copy_event, action, parsed)
            scheduling.respond(store, faults, owner, copy_event, action, parsed.comment,
                               parsed.send_response, parsed.proposed)
        return empty_response(request, 202)
    respond.__name__ = action
    return respond


def responded_event(request: Request) -> dict[str, Any]:
    """The attendee's copy the action answered for, as a GET of it renders it (for the fault
    respond-returns-event)."""
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        copy_event = find_event(request, owner)
        return {"@odata.context": event_context(context_user(request, owner)),
                **event_payload(copy_event, store, prefs(request), request.app.state.faults)}


def is_respond_action(request: Request) -> bool:
    return request.url.path.rsplit("/", 1)[-1] in PARAMETERS


def _check_respondable(store: Store, faults: frozenset[str], copy_event: Any, action: str,
                       parsed: RespondRequest) -> None:
    fields = copy_event.fields
    if fields.get("isOrganizer"):
        raise bad_request("Your request can't be completed. The organizer of a meeting can't respond to it.")
    if fields.get("isCancelled"):
        raise bad_request("Your request can't be completed. The meeting has been canceled.")
    if parsed.proposed is None:
        return
    problem = None
    if not fields.get("allowNewTimeProposals", True) and not active(faults, "proposals-always-allowed"):
        problem = "The organizer of this meeting does not allow new time proposals (allowNewTimeProposals is false)."
    elif not parsed.send_response and not active(faults, "proposal-without-send-response"):
        problem = "A proposedNewTime requires sendResponse to be true."
    if problem is not None:
        if active(faults, "rejection-changes-status"):
            scheduling.record_rejected_response(store, copy_event, action)
        raise bad_request(problem)


ROUTES: list[Route] = [
    route for item in ITEMS for action in PARAMETERS
    for route in mailbox_routes(f"{item}/{action}", {"POST": _handler(action)})
]

"""cancel: ``POST .../events/{id}/cancel`` with an optional ``comment``; 202, no body.

The organizer's event leaves the calendar (event-cancel.md: it moves to Deleted Items) through
the core's delete path, so the scheduling hooks mark each attendee's copy cancelled and send
a meetingCancelled message, which carries the comment as its body. An occurrence id cancels
that occurrence as DELETE of it does. An attendee (isOrganizer false) gets 400 with the
documented message; parameters are read as the respond actions read theirs (names
case-insensitively: the docs' example sends ``"Comment"``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.features.scheduling import delivery as scheduling
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import bad_request, body_read
from graphcal.emulator.core.events import parse_json
from graphcal.emulator.core.lookup import ITEMS, locate_event, remove
from graphcal.emulator.features.scheduling.respond import named_parameters
from graphcal.emulator.core.routing import empty_response, mailbox_routes
from graphcal.emulator.core.store import Store

NOT_ORGANIZER = "Your request can't be completed. You need to be an organizer to cancel a meeting."


def parse_cancel_body(raw: bytes) -> str | None:
    """The comment, or None; GraphError 400 for anything else in the body."""
    if not raw.strip():
        return None
    params = named_parameters(parse_json(raw, "the action's parameters"), ("comment",), False,
                              lambda key: body_read(f"The parameter '{key}' in the request payload "
                                                    f"is not a valid parameter for the operation 'cancel'."))
    comment = params.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise body_read(f"Cannot convert the literal '{comment}' to the expected type 'Edm.String'.")
    return comment


async def cancel(request: Request) -> Response:
    owner = mailbox(request)
    comment = parse_cancel_body(await request.body())
    store: Store = request.app.state.store
    with store.lock:
        ev, source = locate_event(request, owner)
        if not ev.fields.get("isOrganizer"):
            raise bad_request(NOT_ORGANIZER)
        setattr(request.state, scheduling.CANCELLATION_COMMENT, comment)
        remove(request, store, owner, ev, source)
    return empty_response(request, 202)


ROUTES: list[Route] = [
    route for item in ITEMS for route in mailbox_routes(f"{item}/cancel", {"POST": cancel})
]

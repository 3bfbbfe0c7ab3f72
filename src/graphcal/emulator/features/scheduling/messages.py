"""Messages: ``/me/messages`` (and ``/mailFolders/inbox/messages``), get by id, delete.

Enough of Graph's message API for a client to find its meeting messages without knowing
their ids: the OData options of :mod:`graphcal.emulator.core.odata` over the properties in
:data:`MESSAGES` (``$top`` default 10, ``$skip``, ``$select``, ``$orderby``, default
``receivedDateTime desc`` (Graph's default for messages), ``$filter``, ``$count``) and
``$expand=microsoft.graph.eventMessage/event``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.core import odata
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import GraphError, not_found, request_ids
from graphcal.emulator.features.scheduling.mail import SELECTABLE, StoredMessage, mailboxes, message_context, message_payload
from graphcal.emulator.core.routing import context_user, empty_response, json_response, mailbox_routes
from graphcal.emulator.core.prefer import prefs
from graphcal.emulator.core.store import Store, is_well_formed_id

EXPAND_EVENT = "microsoft.graph.eventMessage/event"

MESSAGES = odata.Properties(
    "microsoft.graph.message",
    {
        "id": lambda m: m.id,
        "receivedDateTime": lambda m: m.received, "createdDateTime": lambda m: m.received,
        "lastModifiedDateTime": lambda m: m.received, "sentDateTime": lambda m: m.sent,
        "subject": lambda m: m.fields.get("subject"), "isRead": lambda m: m.fields.get("isRead"),
        "importance": lambda m: m.fields.get("importance"),
        "meetingMessageType": lambda m: m.fields.get("meetingMessageType"),
        "from/emailAddress/address": lambda m: m.fields["from"]["emailAddress"]["address"],
        "sender/emailAddress/address": lambda m: m.fields["sender"]["emailAddress"]["address"],
    },
    instants=frozenset({"receivedDateTime", "createdDateTime", "lastModifiedDateTime", "sentDateTime"}),
    selectable=SELECTABLE, expandable=frozenset({EXPAND_EVENT}),
    cast="microsoft.graph.eventMessage/", newest_first=True)


# -- endpoints ------------------------------------------------------------------------------

async def list_messages(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    q = odata.parse(request, MESSAGES)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    expand = EXPAND_EVENT in q.expand
    with store.lock:
        items = odata.apply(mailboxes(store).of(owner.id), q)
        # odata.maxpagesize is not applied to messages: pages are $top or 10
        body = odata.collection_body(
            request, q, items, message_context(context_user(request, owner), select=q.select_order,
                                              expanded=expand, collection=True),
            lambda m: message_payload(m, store, p, faults, q.select, expand))
    return json_response(request, body, 200, p)


def _find_message(request: Request, store: Store, owner_id: str) -> StoredMessage:
    message_id = request.path_params["message_id"]
    if not is_well_formed_id(message_id):
        raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
    message = mailboxes(store).get(owner_id, message_id)
    if message is None:
        raise not_found()
    return message


async def get_message(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    q = odata.parse(request, MESSAGES)
    if q.top is not None or q.skip or q.order or q.predicate or q.count:
        raise GraphError(400, "BadRequest", "Only $select and $expand apply to a single message.")
    expand = EXPAND_EVENT in q.expand
    store: Store = request.app.state.store
    with store.lock:
        message = _find_message(request, store, owner.id)
        body = {"@odata.context": message_context(context_user(request, owner), select=q.select_order,
                                              expanded=expand),
                **message_payload(message, store, p, request.app.state.faults, q.select, expand)}
    return json_response(request, body, 200, p)


async def delete_message(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        message = _find_message(request, store, owner.id)
        mailboxes(store).remove(owner.id, message.id)
    rid, crid = request_ids(request)
    return empty_response(request, 204)


ROUTES: list[Route] = [
    *(r for base in ("/messages", "/mailFolders/inbox/messages")
      for r in mailbox_routes(base, {"GET": list_messages})),
    *(r for base in ("/messages/{message_id}", "/mailFolders/inbox/messages/{message_id}")
      for r in mailbox_routes(base, {"GET": get_message, "DELETE": delete_message})),
]

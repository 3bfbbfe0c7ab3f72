"""Messages: ``/me/messages`` (and ``/mailFolders/inbox/messages``), get by id, delete.

Enough of Graph's message API for a client to find its meeting messages without knowing
their ids: ``$top`` (default 10), ``$skip``, ``$select``, ``$orderby`` (default
``receivedDateTime desc``, Graph's default for messages), ``$filter`` (comparisons on the
properties below, ``contains``/``startswith``/``endswith``, ``and``/``or``/``not``,
parentheses), ``$count`` and ``$expand=microsoft.graph.eventMessage/event``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal import timezones
from graphcal.emulator.auth import mailbox
from graphcal.emulator.errors import GraphError, not_found, request_ids
from graphcal.emulator.mail import SELECTABLE, StoredMessage, mailboxes, message_context, message_payload
from graphcal.emulator.routing import json_response, mailbox_routes
from graphcal.emulator.serialize import prefs
from graphcal.emulator.store import Store, is_well_formed_id

DEFAULT_PAGE = 10
MAX_TOP = 1000
EXPAND_EVENT = "microsoft.graph.eventMessage/event"
_CAST = "microsoft.graph.eventMessage/"

_GETTERS: dict[str, Callable[[StoredMessage], Any]] = {
    "id": lambda m: m.id,
    "receivedDateTime": lambda m: m.received, "createdDateTime": lambda m: m.received,
    "lastModifiedDateTime": lambda m: m.received, "sentDateTime": lambda m: m.sent,
    "subject": lambda m: m.fields.get("subject"), "isRead": lambda m: m.fields.get("isRead"),
    "importance": lambda m: m.fields.get("importance"),
    "meetingMessageType": lambda m: m.fields.get("meetingMessageType"),
    "from/emailAddress/address": lambda m: m.fields["from"]["emailAddress"]["address"],
    "sender/emailAddress/address": lambda m: m.fields["sender"]["emailAddress"]["address"],
}
_INSTANTS = {"receivedDateTime", "createdDateTime", "lastModifiedDateTime", "sentDateTime"}


def _property(name: str) -> str:
    path = name[len(_CAST):] if name.startswith(_CAST) else name
    if path not in _GETTERS:
        raise GraphError(400, "RequestBroker--ParseUri",
                         f"Could not find a property named '{name}' on type 'microsoft.graph.message'.")
    return path


@dataclass
class MessageQuery:
    select: frozenset[str] | None = None
    top: int = DEFAULT_PAGE
    skip: int = 0
    order: list[tuple[str, bool]] | None = None
    predicate: Callable[[StoredMessage], bool] | None = None
    count: bool = False
    expand_event: bool = False


def _count(name: str, value: str) -> int:
    if not value.isdigit():
        raise GraphError(400, "BadRequest", f"Invalid value '{value}' for query option {name}.")
    return int(value)


def parse_query(request: Request, *, single: bool) -> MessageQuery:
    q = MessageQuery()
    for name, value in request.query_params.multi_items():
        if not name.startswith("$"):
            continue
        if single and name not in ("$select", "$expand"):
            raise GraphError(400, "BadRequest", f"The query option '{name}' does not apply to a single message.")
        if name == "$select":
            props = {p.strip() for p in value.split(",") if p.strip()}
            unknown = sorted(props - SELECTABLE)
            if unknown:
                _property(unknown[0])
            q.select = frozenset(props)
        elif name == "$top":
            q.top = _count(name, value)
            if q.top > MAX_TOP:
                raise GraphError(400, "ErrorInvalidRequest", f"The value of $top must be at most {MAX_TOP}.")
        elif name == "$skip":
            q.skip = _count(name, value)
        elif name == "$orderby":
            q.order = []
            for part in value.split(","):
                bits = part.split()
                if not 1 <= len(bits) <= 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
                    raise GraphError(400, "BadRequest", f"Syntax error in $orderby: '{value}'.")
                q.order.append((_property(bits[0]), len(bits) == 2 and bits[1].lower() == "desc"))
        elif name == "$filter":
            q.predicate = FilterParser(value).parse()
        elif name == "$count":
            q.count = value.lower() == "true"
        elif name == "$expand":
            if value.strip() != EXPAND_EVENT:
                raise GraphError(400, "BadRequest", f"$expand supports only '{EXPAND_EVENT}', got '{value}'.")
            q.expand_event = True
        else:
            raise GraphError(400, "BadRequest", f"The query parameter '{name}' is not supported.")
    return q


def apply_query(messages: list[StoredMessage], q: MessageQuery) -> list[StoredMessage]:
    out = [m for m in messages if q.predicate is None or q.predicate(m)]
    out.sort(key=lambda m: m.seq, reverse=True)  # newest first: receivedDateTime desc, stable
    for path, desc in reversed(q.order or []):
        getter = _GETTERS[path]
        out.sort(key=lambda m: (getter(m) is not None, getter(m)), reverse=desc)
    return out


# -- $filter: or-expr := and-expr ("or" and-expr)*; and-expr := unary ("and" unary)* ----------
_TOKENS = re.compile(r"\s*('(?:[^']|'')*'|[(),]|[^\s(),']+)")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b}
_TEXT_FUNCS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda a, b: b.casefold() in a.casefold(),
    "startswith": lambda a, b: a.casefold().startswith(b.casefold()),
    "endswith": lambda a, b: a.casefold().endswith(b.casefold())}
Predicate = Callable[[StoredMessage], bool]


class FilterParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _TOKENS.findall(text)
        if "".join(self.tokens).replace(" ", "") != text.replace(" ", ""):
            raise self.error()
        self.pos = 0

    def error(self) -> GraphError:
        return GraphError(400, "BadRequest", f"Invalid filter clause: syntax error in '{self.text}'.")

    def next(self, expected: str | None = None) -> str:
        if self.pos >= len(self.tokens) or (expected and self.tokens[self.pos] != expected):
            raise self.error()
        self.pos += 1
        return self.tokens[self.pos - 1]

    def at(self, word: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos] == word

    def parse(self) -> Predicate:
        pred = self.either()
        if self.pos != len(self.tokens):
            raise self.error()
        return pred

    def either(self) -> Predicate:
        parts = [self.both()]
        while self.at("or"):
            self.next()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else (lambda m: any(p(m) for p in parts))

    def both(self) -> Predicate:
        parts = [self.unary()]
        while self.at("and"):
            self.next()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else (lambda m: all(p(m) for p in parts))

    def unary(self) -> Predicate:
        token = self.next()
        if token == "not":
            inner = self.unary()
            return lambda m: not inner(m)
        if token == "(":
            inner = self.either()
            self.next(")")
            return inner
        if token in _TEXT_FUNCS and self.at("("):
            self.next("(")
            getter, func = _GETTERS[_property(self.next())], _TEXT_FUNCS[token]
            self.next(",")
            literal = self.literal(None)
            self.next(")")
            if not isinstance(literal, str):
                raise self.error()
            return lambda m: isinstance(getter(m), str) and func(getter(m), literal)
        path = _property(token)
        op = self.next()
        if op not in _OPS:
            raise self.error()
        getter, compare, literal = _GETTERS[path], _OPS[op], self.literal(path)

        def predicate(m: StoredMessage) -> bool:
            value = getter(m)
            try:
                return bool(compare(value, literal))
            except TypeError:  # ordering against null or a different type
                return False
        return predicate

    def literal(self, path: str | None) -> Any:
        token = self.next()
        if token.startswith("'"):
            value: Any = token[1:-1].replace("''", "'")
        elif token in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token]
        else:
            value = token
        if path in _INSTANTS:
            try:
                instant = timezones.parse_local(value)
            except ValueError:
                raise GraphError(400, "BadRequest", f"Invalid filter clause: '{value}' is not a DateTimeOffset.") from None
            return instant.replace(tzinfo=timezone.utc) if instant.tzinfo is None else instant.astimezone(timezone.utc)
        if not token.startswith("'"):
            raise self.error()
        return value


# -- endpoints ------------------------------------------------------------------------------

async def list_messages(request: Request) -> Response:
    owner = mailbox(request)
    p = prefs(request)
    q = parse_query(request, single=False)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        items = apply_query(mailboxes(store).of(owner.id), q)
        page = items[q.skip:q.skip + q.top]
        value = [message_payload(m, store, p, faults, q.select, q.expand_event) for m in page]
    body: dict[str, Any] = {"@odata.context": message_context(owner.id, collection=True)}
    if q.count:
        body["@odata.count"] = len(items)
    body["value"] = value
    if q.skip + q.top < len(items):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "$skip"]
        params.append(("$skip", str(q.skip + q.top)))
        body["@odata.nextLink"] = (str(request.base_url).rstrip("/") + request.url.path + "?"
                                   + urlencode(params, safe="$/,'():"))
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
    q = parse_query(request, single=True)
    store: Store = request.app.state.store
    with store.lock:
        message = _find_message(request, store, owner.id)
        body = {"@odata.context": message_context(owner.id, expanded=q.expand_event),
                **message_payload(message, store, p, request.app.state.faults, q.select, q.expand_event)}
    return json_response(request, body, 200, p)


async def delete_message(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        message = _find_message(request, store, owner.id)
        mailboxes(store).remove(owner.id, message.id)
    rid, crid = request_ids(request)
    return Response(status_code=204, headers={"request-id": rid, "client-request-id": crid})


ROUTES: list[Route] = [
    *(r for base in ("/messages", "/mailFolders/inbox/messages")
      for r in mailbox_routes(base, {"GET": list_messages})),
    *(r for base in ("/messages/{message_id}", "/mailFolders/inbox/messages/{message_id}")
      for r in mailbox_routes(base, {"GET": get_message, "DELETE": delete_message})),
]

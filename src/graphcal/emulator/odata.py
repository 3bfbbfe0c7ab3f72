"""OData query options on event collections: $select, $top, $skip, $orderby, $filter, $count.

Unknown or unsupported options answer 400, as Graph does, never silently ignored. Bad
property names in $select/$orderby/$filter answer 400 ``RequestBroker--ParseUri`` (Graph's
URI-parser code). $filter supports what the walkthroughs use: comparisons (eq ne gt ge lt le)
on scalar properties and start/dateTime, end/dateTime (UTC, as Graph compares them),
contains/startswith/endswith on strings, and/or/not and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Callable, Sequence, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from graphcal import timezones
from graphcal.emulator.errors import GraphError
from graphcal.emulator.serialize import SELECTABLE
from graphcal.emulator.store import StoredEvent

T = TypeVar("T")
MAX_TOP = 1000
DEFAULT_PAGE = 10  # Graph's default page size for /events
_SUPPORTED = {"$select", "$top", "$skip", "$orderby", "$filter", "$count"}
_KNOWN_UNSUPPORTED = {"$expand", "$search", "$format", "$skiptoken", "$apply", "$compute"}


def _parse_error(message: str) -> GraphError:
    return GraphError(400, "RequestBroker--ParseUri", message)


def _not_found(name: str) -> GraphError:
    return _parse_error(f"Could not find a property named '{name}' on type 'microsoft.graph.event'.")


# property path -> getter on a stored event
def _field(name: str) -> Callable[[StoredEvent], Any]:
    return lambda ev: ev.fields.get(name)


_GETTERS: dict[str, Callable[[StoredEvent], Any]] = {
    "id": lambda ev: ev.id,
    "subject": _field("subject"), "type": _field("type"), "showAs": _field("showAs"),
    "importance": _field("importance"), "sensitivity": _field("sensitivity"),
    "isAllDay": _field("isAllDay"), "isCancelled": _field("isCancelled"),
    "isOrganizer": _field("isOrganizer"), "isOnlineMeeting": _field("isOnlineMeeting"),
    "isReminderOn": _field("isReminderOn"), "seriesMasterId": _field("seriesMasterId"),
    "reminderMinutesBeforeStart": _field("reminderMinutesBeforeStart"),
    "iCalUId": lambda ev: ev.ical_uid, "transactionId": lambda ev: ev.transaction_id,
    "changeKey": lambda ev: ev.change_key,
    "createdDateTime": lambda ev: ev.created, "lastModifiedDateTime": lambda ev: ev.modified,
    "start/dateTime": lambda ev: ev.start_utc, "end/dateTime": lambda ev: ev.end_utc,
    "organizer/emailAddress/address": lambda ev: ev.fields["organizer"]["emailAddress"]["address"],
    "organizer/emailAddress/name": lambda ev: ev.fields["organizer"]["emailAddress"]["name"],
}
_DATETIME_PATHS = {"createdDateTime", "lastModifiedDateTime", "start/dateTime", "end/dateTime"}


@dataclass
class Query:
    select: frozenset[str] | None = None
    select_order: tuple[str, ...] | None = None      # $select as written (for @odata.context)
    top: int | None = None
    skip: int = 0
    order: list[tuple[str, bool]] | None = None     # (path, descending)
    predicate: Callable[[StoredEvent], bool] | None = None
    count: bool = False


def parse(request: Request) -> Query:
    q = Query()
    for key, value in request.query_params.multi_items():
        name = key if key.startswith("$") else key
        if name not in _SUPPORTED:
            if name in _KNOWN_UNSUPPORTED:
                raise GraphError(400, "ErrorInvalidUrlQuery",
                                 f"The query parameter '{name}' is not supported on this collection.")
            if name.startswith("$"):
                raise GraphError(400, "BadRequest", f"The query parameter '{name}' is not supported.")
            continue  # non-$ parameters (e.g. ones a feature route reads) are not OData options
        if name == "$select":
            props = [p.strip() for p in value.split(",") if p.strip()]
            for p in props:
                if p not in SELECTABLE:
                    raise _not_found(p)
            q.select = frozenset(props)
            q.select_order = tuple(dict.fromkeys(props))
        elif name in ("$top", "$skip"):
            if not value.isdigit():
                raise GraphError(400, "BadRequest",
                                 f"Invalid value '{value}' for query option {name}: expected a "
                                 f"non-negative integer.")
            n = int(value)
            if name == "$top":
                if n > MAX_TOP:
                    raise GraphError(400, "ErrorInvalidRequest",
                                     f"The value of $top must be at most {MAX_TOP}.")
                q.top = n
            else:
                q.skip = n
        elif name == "$orderby":
            q.order = _parse_orderby(value)
        elif name == "$filter":
            q.predicate = _FilterParser(value).parse()
        elif name == "$count":
            if value.lower() not in ("true", "false"):
                raise GraphError(400, "BadRequest", f"Invalid value '{value}' for $count.")
            q.count = value.lower() == "true"
    return q


def _parse_orderby(value: str) -> list[tuple[str, bool]]:
    order = []
    for part in value.split(","):
        bits = part.strip().split()
        if not bits or len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise _parse_error(f"Syntax error in $orderby: '{value}'.")
        if bits[0] not in _GETTERS:
            raise _not_found(bits[0])
        order.append((bits[0], len(bits) == 2 and bits[1].lower() == "desc"))
    return order


def apply(events: list[StoredEvent], q: Query) -> list[StoredEvent]:
    """Filter and sort (default order: creation order, a stable tie-breaker everywhere)."""
    out = [ev for ev in events if q.predicate(ev)] if q.predicate else list(events)
    out.sort(key=lambda ev: ev.seq)
    for path, desc in reversed(q.order or []):
        getter = _GETTERS[path]
        out.sort(key=lambda ev: _sort_key(getter(ev)), reverse=desc)
    return out


def collection_body(request: Request, q: Query, items: Sequence[T], context: str,
                    render: Callable[[T], dict[str, Any]],
                    max_page_size: int | None = None) -> dict[str, Any]:
    """A collection response: @odata.context, @odata.count ($count=true), the page of ``items``
    ($skip, then $top or odata.maxpagesize or the default 10) and @odata.nextLink when more
    remain. The next link repeats the request's query with the next $skip, as Graph does for
    event collections. ``items`` are already filtered and ordered (:func:`apply`)."""
    size = q.top if q.top is not None else (max_page_size or DEFAULT_PAGE)
    body: dict[str, Any] = {"@odata.context": context}
    if q.count:
        body["@odata.count"] = len(items)
    body["value"] = [render(item) for item in items[q.skip:q.skip + size]]
    if q.skip + size < len(items):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "$skip"]
        params.append(("$skip", str(q.skip + size)))
        body["@odata.nextLink"] = (str(request.base_url).rstrip("/") + request.url.path + "?"
                                   + urlencode(params, safe="$/,'():"))
    return body


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, value)


# -- $filter -------------------------------------------------------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>\(|\)|,)|"
                    r"(?P<word>[A-Za-z0-9_./:\-+]+))")
_COMPARE = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "gt": lambda a, b: a > b,
            "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b}
_FUNCS = {"contains": lambda a, b: b.lower() in a.lower(),
          "startswith": lambda a, b: a.lower().startswith(b.lower()),
          "endswith": lambda a, b: a.lower().endswith(b.lower())}


class _FilterParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise self.error()
            kind = m.lastgroup or "word"
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def error(self) -> GraphError:
        return GraphError(400, "BadRequest", f"Invalid filter clause: syntax error in '{self.text}'.")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise self.error()
        self.i += 1
        return tok

    def parse(self) -> Callable[[StoredEvent], bool]:
        pred = self.or_expr()
        if self.peek() is not None:
            raise self.error()
        return pred

    def or_expr(self) -> Callable[[StoredEvent], bool]:
        left = self.and_expr()
        while self.peek() == ("word", "or"):
            self.take()
            right = self.and_expr()
            left = (lambda l, r: lambda ev: l(ev) or r(ev))(left, right)
        return left

    def and_expr(self) -> Callable[[StoredEvent], bool]:
        left = self.unary()
        while self.peek() == ("word", "and"):
            self.take()
            right = self.unary()
            left = (lambda l, r: lambda ev: l(ev) and r(ev))(left, right)
        return left

    def unary(self) -> Callable[[StoredEvent], bool]:
        tok = self.take()
        if tok == ("word", "not"):
            inner = self.unary()
            return lambda ev: not inner(ev)
        if tok == ("op", "("):
            inner = self.or_expr()
            if self.take() != ("op", ")"):
                raise self.error()
            return inner
        if tok[0] != "word":
            raise self.error()
        if tok[1] in _FUNCS and self.peek() == ("op", "("):
            self.take()
            path = self.path()
            if self.take() != ("op", ","):
                raise self.error()
            lit = self.literal(path)
            if self.take() != ("op", ")") or not isinstance(lit, str):
                raise self.error()
            func, getter = _FUNCS[tok[1]], _GETTERS[path]
            return lambda ev: isinstance(getter(ev), str) and func(getter(ev), lit)
        path = self.path(tok)
        op = self.take()
        if op[0] != "word" or op[1] not in _COMPARE:
            raise self.error()
        lit, cmp, getter = self.literal(path), _COMPARE[op[1]], _GETTERS[path]

        def compare(ev: StoredEvent) -> bool:
            value = getter(ev)
            if value is None or lit is None:
                return cmp(value, lit) if op[1] in ("eq", "ne") else False
            try:
                return bool(cmp(value, lit))
            except TypeError:
                return False
        return compare

    def path(self, tok: tuple[str, str] | None = None) -> str:
        tok = tok or self.take()
        if tok[0] != "word":
            raise self.error()
        if tok[1] not in _GETTERS:
            raise _not_found(tok[1])
        return tok[1]

    def literal(self, path: str) -> Any:
        kind, text = self.take()
        if kind == "str":
            value = text[1:-1].replace("''", "'")
        elif kind == "word" and text in ("true", "false"):
            return text == "true"
        elif kind == "word" and text == "null":
            return None
        elif kind == "word" and re.fullmatch(r"-?\d+", text):
            return int(text)
        elif kind == "word":
            value = text  # an unquoted DateTimeOffset literal
        else:
            raise self.error()
        if path in _DATETIME_PATHS:
            try:
                dt = timezones.parse_local(value)
            except ValueError:
                raise GraphError(400, "BadRequest",
                                 f"Invalid filter clause: '{value}' is not a dateTime.") from None
            return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
        return value


__all__ = ["Query", "parse", "apply", "collection_body", "MAX_TOP", "DEFAULT_PAGE"]

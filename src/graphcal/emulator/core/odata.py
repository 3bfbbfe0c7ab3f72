"""OData query options on collections: $select, $top, $skip, $orderby, $filter, $count, $expand.

One parser for every collection: what a collection's options may name is a
:class:`Properties` table (its OData type, a getter per property path, which paths are
instants, what $select and $expand accept). :data:`EVENTS` is the event table; other
collections (scheduling's ``messages``) define their own. Unknown or unsupported options answer
400, as Graph does, never silently ignored. Bad property names in $select/$orderby/$filter
answer 400 ``RequestBroker--ParseUri`` (Graph's URI-parser code). $filter supports what the
walkthroughs use: comparisons (eq ne gt ge lt le) on scalar properties and instants
(start/dateTime, end/dateTime, receivedDateTime...: UTC, as Graph compares them),
contains/startswith/endswith on strings, and/or/not and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request

from graphcal import timezones
from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.core.faults import active
from graphcal.emulator.core.serialize import SELECTABLE
from graphcal.emulator.core.store import StoredEvent

T = TypeVar("T")
MAX_TOP = 1000
DEFAULT_PAGE = 10  # Graph's default page size for /events
_SUPPORTED = {"$select", "$top", "$skip", "$orderby", "$filter", "$count", "$expand"}
_KNOWN_UNSUPPORTED = {"$search", "$format", "$skiptoken", "$apply", "$compute"}
Getter = Callable[[Any], Any]


def _parse_error(message: str) -> GraphError:
    return GraphError(400, "RequestBroker--ParseUri", message)


@dataclass(frozen=True)
class Properties:
    """What a collection's query options may name."""

    type_name: str                      # "microsoft.graph.event": named in errors
    getters: Mapping[str, Getter]       # property path -> value on an item ($filter, $orderby)
    instants: frozenset[str]            # paths whose literals are DateTimeOffsets (UTC)
    selectable: frozenset[str]          # $select names
    expandable: frozenset[str] = frozenset()   # $expand values; none: $expand is unsupported
    cast: str = ""                      # a derived-type prefix paths may carry ("...eventMessage/")
    newest_first: bool = False          # default order: by seq, descending (else ascending)

    def not_found(self, name: str) -> GraphError:
        return _parse_error(f"Could not find a property named '{name}' on type '{self.type_name}'.")

    def path(self, name: str) -> str:
        """The getter path ``name`` names (a cast prefix dropped); 400 if there is none."""
        path = name[len(self.cast):] if self.cast and name.startswith(self.cast) else name
        if path not in self.getters:
            raise self.not_found(name)
        return path


# property path -> getter on a stored event
def _field(name: str) -> Callable[[StoredEvent], Any]:
    return lambda ev: ev.fields.get(name)


_EVENT_GETTERS: dict[str, Callable[[StoredEvent], Any]] = {
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
EVENTS = Properties(
    "microsoft.graph.event", _EVENT_GETTERS,
    frozenset({"createdDateTime", "lastModifiedDateTime", "start/dateTime", "end/dateTime"}),
    SELECTABLE)


@dataclass
class Query:
    select: frozenset[str] | None = None
    select_order: tuple[str, ...] | None = None      # $select as written (for @odata.context)
    top: int | None = None
    skip: int = 0
    order: list[tuple[str, bool]] | None = None     # (path, descending)
    predicate: Callable[[Any], bool] | None = None
    count: bool = False
    expand: frozenset[str] = frozenset()
    properties: Properties = EVENTS


def parse(request: Request, properties: Properties = EVENTS) -> Query:
    """The request's query options on a collection of ``properties``' type."""
    q = Query(properties=properties)
    for key, value in request.query_params.multi_items():
        name = key
        if name == "$expand" and not properties.expandable:
            raise GraphError(400, "ErrorInvalidUrlQuery",
                             f"The query parameter '{name}' is not supported on this collection.")
        if name not in _SUPPORTED:
            if name in _KNOWN_UNSUPPORTED:
                raise GraphError(400, "ErrorInvalidUrlQuery",
                                 f"The query parameter '{name}' is not supported on this collection.")
            if name.startswith("$"):
                raise GraphError(400, "BadRequest", f"The query parameter '{name}' is not supported.")
            continue  # non-$ parameters (e.g. ones a feature route reads) are not OData options
        if _ignored(request, name):
            continue  # a query-option fault (features/events): the option is dropped unread
        if name == "$select":
            props = [p.strip() for p in value.split(",") if p.strip()]
            for p in props:
                if p not in properties.selectable:
                    raise properties.not_found(p)
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
            q.order = _parse_orderby(value, properties)
            if active(request, "orderby-desc-ignored"):
                q.order = [(path, False) for path, _ in q.order]
        elif name == "$filter":
            q.predicate = _FilterParser(value, properties).parse()
        elif name == "$expand":
            if value.strip() not in properties.expandable:
                raise GraphError(400, "BadRequest",
                                 f"$expand supports only "
                                 f"{', '.join(repr(e) for e in sorted(properties.expandable))}, "
                                 f"got '{value}'.")
            q.expand = frozenset({value.strip()})
        elif name == "$count":
            if value.lower() not in ("true", "false"):
                raise GraphError(400, "BadRequest", f"Invalid value '{value}' for $count.")
            q.count = value.lower() == "true"
    return q


def _ignored(request: Request, option: str) -> bool:
    """Whether a query-option fault (declared by features/events) drops ``option``."""
    return ((option == "$select" and active(request, "ignore-select"))
            or (option == "$top" and active(request, "ignore-top"))
            or (option == "$filter" and active(request, "ignore-filter")))


def _parse_orderby(value: str, properties: Properties) -> list[tuple[str, bool]]:
    order = []
    for part in value.split(","):
        bits = part.strip().split()
        if not bits or len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise _parse_error(f"Syntax error in $orderby: '{value}'.")
        order.append((properties.path(bits[0]), len(bits) == 2 and bits[1].lower() == "desc"))
    return order


def apply(items: list[T], q: Query) -> list[T]:
    """Filter and sort (default order: by ``seq``, the items' creation or delivery order, a
    stable tie-breaker everywhere; newest first where the collection's properties say so)."""
    out = [item for item in items if q.predicate(item)] if q.predicate else list(items)
    out.sort(key=lambda item: item.seq, reverse=q.properties.newest_first)  # type: ignore[attr-defined]
    for path, desc in reversed(q.order or []):
        getter = q.properties.getters[path]
        out.sort(key=lambda item: _sort_key(getter(item)), reverse=desc)
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
    if q.count and not active(request, "ignore-count"):
        body["@odata.count"] = len(items)
    body["value"] = [render(item) for item in items[q.skip:q.skip + size]]
    if q.skip + size < len(items):
        dropped = {"$skip"}
        if active(request, "nextlink-drops-query"):
            dropped |= {"$select", "$filter", "$orderby", "$count"}
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in dropped]
        skip = q.skip + size + (1 if active(request, "nextlink-skips-item") else 0)
        params.append(("$skip", str(skip)))
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
    def __init__(self, text: str, properties: Properties) -> None:
        self.text = text
        self.properties = properties
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

    def parse(self) -> Callable[[Any], bool]:
        pred = self.or_expr()
        if self.peek() is not None:
            raise self.error()
        return pred

    def or_expr(self) -> Callable[[Any], bool]:
        return self._chain("or", self.and_expr, any)

    def and_expr(self) -> Callable[[Any], bool]:
        return self._chain("and", self.unary, all)

    def _chain(self, word: str, operand: Callable[[], Callable[[Any], bool]],
               combine: Callable[[Iterable[bool]], bool]) -> Callable[[Any], bool]:
        """``operand (word operand)*``: one predicate combining the operands' (short-circuit)."""
        parts = [operand()]
        while self.peek() == ("word", word):
            self.take()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else (lambda item: combine(p(item) for p in parts))

    def unary(self) -> Callable[[Any], bool]:
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
            func, getter = _FUNCS[tok[1]], self.properties.getters[path]
            return lambda ev: isinstance(getter(ev), str) and func(getter(ev), lit)
        path = self.path(tok)
        op = self.take()
        if op[0] != "word" or op[1] not in _COMPARE:
            raise self.error()
        lit, cmp, getter = self.literal(path), _COMPARE[op[1]], self.properties.getters[path]

        def compare(ev: Any) -> bool:
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
        return self.properties.path(tok[1])

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
        if path in self.properties.instants:
            try:
                dt = timezones.parse_local(value)
            except ValueError:
                raise GraphError(400, "BadRequest",
                                 f"Invalid filter clause: '{value}' is not a dateTime.") from None
            return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
        return value


__all__ = ["Properties", "EVENTS", "Query", "parse", "apply", "collection_body", "MAX_TOP",
           "DEFAULT_PAGE"]

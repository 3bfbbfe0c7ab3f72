"""Recurring series: instances, calendarView, occurrences, exceptions and cancellations.

Occurrences are never stored: they are computed from the series master (``expansion``) when a
request needs them. What a client changed is kept per master in ``store.extensions[__name__]``
(:class:`SeriesState`: exceptions by original date, cancelled dates). ``/events`` therefore keeps
listing masters and single instances only, and deleting the master deletes the whole series
with it (its state is dropped too).

Ids: an occurrence's ``id`` is the master's id bytes + a marker + the occurrence date, so it is
stable, needs no state, and resolves back to its master (``GET /events/{occurrence id}``
works, as in Graph). ``occurrenceId`` is ``OID.{masterId}.{yyyy-mm-dd}`` with the date in the
recurrence zone (event resource). Editing the master's recurrence, start or end regenerates the
series: its exceptions and cancellations are dropped (Outlook does the same; Graph is silent);
the state remembers which (recurrence, start, end) it belongs to, so no update hook is needed.

This module's routes come before ``routes_events`` and hand every id that is not an
occurrence (and every GET that does not ask for cancelledOccurrences/exceptionOccurrences) to
the core handlers unchanged; its event-collection routes only exist so that the fault switches
``rec-accept-invalid`` and ``rec-events-lists-occurrences`` can misbehave there.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal import timezones
from graphcal.emulator import events as event_writes
from graphcal.emulator import expansion, odata, routes_events
from graphcal.emulator.auth import mailbox
from graphcal.emulator.errors import GraphError, bad_request, not_found, request_ids
from graphcal.emulator.routes_calendars import find_calendar
from graphcal.emulator.routing import json_response, mailbox_routes
from graphcal.emulator.serialize import (GRAPH_ROOT, SELECTABLE, Prefs, event_context,
                                         event_payload, prefs)
from graphcal.emulator.store import Store, StoredEvent, User, encode_id, is_well_formed_id

STATE_KEY = __name__               # this module's entry in store.extensions
_MARK = b"\x03OCC"                 # separates the master's id bytes from the occurrence date
_ID_PREFIX_LEN = 4                 # store.encode_id's fixed prefix
_SPECIAL = {"cancelledOccurrences", "exceptionOccurrences"}
_WINDOW_MISSING = ("This request requires a time window specified by the query string "
                   "parameters StartDateTime and EndDateTime.")


# --- ids --------------------------------------------------------------------------------------

def _raw(event_id: str) -> bytes:
    return base64.urlsafe_b64decode(event_id.replace("+", "-").replace("/", "_").encode("ascii"))


def occurrence_id(master_id: str, day: date) -> str:
    return encode_id(_raw(master_id)[_ID_PREFIX_LEN:] + _MARK + day.toordinal().to_bytes(4, "big"))


def split_occurrence_id(event_id: str) -> tuple[str, date] | None:
    """(master id, occurrence date) for an id this module issued, else None."""
    if not is_well_formed_id(event_id):
        return None
    raw = _raw(event_id)[_ID_PREFIX_LEN:]
    if len(raw) <= len(_MARK) + 4 or raw[-4 - len(_MARK):-4] != _MARK:
        return None
    try:
        day = date.fromordinal(int.from_bytes(raw[-4:], "big"))
    except ValueError:
        return None
    return encode_id(raw[:-4 - len(_MARK)]), day


def occurrence_id_property(master_id: str, day: date) -> str:
    return f"OID.{master_id}.{day.isoformat()}"


# --- series state -----------------------------------------------------------------------------

@dataclass
class SeriesState:
    """What clients changed in one series: exceptions by original date, cancelled dates, and
    the (recurrence, start, end) of the master they were made against."""

    basis: Any
    exceptions: dict[str, dict[str, Any]] = field(default_factory=dict)  # iso date -> record
    cancelled: list[str] = field(default_factory=list)                   # iso dates


def _basis(fields: dict[str, Any]) -> Any:
    return copy.deepcopy((fields.get("recurrence"), fields.get("start"), fields.get("end")))


def _state(store: Store, master: StoredEvent) -> SeriesState:
    """The series' state in store.extensions; a fresh one when the master's recurrence, start
    or end changed since (the series was regenerated: exceptions and cancellations are gone)."""
    states: dict[tuple[str, str], SeriesState] = store.extension(STATE_KEY, dict)
    key = (master.owner_id, master.id)
    basis = _basis(master.fields)
    state = states.get(key)
    if state is None or state.basis != basis:
        state = states[key] = SeriesState(basis)
    return state


def _series(master: StoredEvent, faults: frozenset[str]) -> expansion.Series:
    return expansion.series_of(master.fields, faults)


def _ical_uid(master: StoredEvent, day: date) -> str:
    # Outlook's global object id carries an instance's date (year, month, day) in bytes 16-19.
    uid = master.ical_uid
    return uid[:32] + f"{day.year:04X}{day.month:02X}{day.day:02X}" + uid[40:]


def _occurrence(master: StoredEvent, slot: expansion.Slot) -> StoredEvent:
    """The occurrence the pattern places at ``slot``, as a record event_payload can render."""
    fields = dict(master.fields)
    zone_name = master.fields["start"]["timeZone"]
    fields.update({
        "type": "occurrence", "seriesMasterId": master.id, "recurrence": None,
        "start": {"dateTime": timezones.format_local(timezones.to_local(slot.start, zone_name)),
                  "timeZone": zone_name},
        "end": {"dateTime": timezones.format_local(
            timezones.to_local(slot.end, master.fields["end"]["timeZone"])),
            "timeZone": master.fields["end"]["timeZone"]},
        "occurrence_date": slot.date.isoformat(), "original_start": slot.start,
    })
    return StoredEvent(id=occurrence_id(master.id, slot.date), owner_id=master.owner_id,
                       calendar_id=master.calendar_id, fields=fields, start_utc=slot.start,
                       end_utc=slot.end, created=master.created, modified=master.modified,
                       change_key=master.change_key, ical_uid=_ical_uid(master, slot.date),
                       seq=master.seq)


def _exception(master: StoredEvent, iso: str, record: dict[str, Any]) -> StoredEvent:
    day = date.fromisoformat(iso)
    return StoredEvent(id=occurrence_id(master.id, day), owner_id=master.owner_id,
                       calendar_id=master.calendar_id, fields=record["fields"],
                       start_utc=record["start_utc"], end_utc=record["end_utc"],
                       created=master.created, modified=record["modified"],
                       change_key=record["change_key"], ical_uid=_ical_uid(master, day),
                       seq=master.seq)


def _member(store: Store, master: StoredEvent, day: date,
            faults: frozenset[str]) -> StoredEvent | None:
    """The occurrence or exception on ``day``; None if the series has none (or it is cancelled)."""
    iso = day.isoformat()
    state = _state(store, master)
    if iso in state.cancelled:
        return None
    record = state.exceptions.get(iso)
    if record is not None:
        return _exception(master, iso, record)
    slot = expansion.slot_on(_series(master, faults), day)
    return _occurrence(master, slot) if slot is not None else None


def _overlaps(start: datetime, end: datetime, w_start: datetime, w_end: datetime) -> bool:
    return start < w_end and (end > w_start or start == w_start)


def series_members(store: Store, master: StoredEvent, w_start: datetime, w_end: datetime,
                   faults: frozenset[str]) -> list[StoredEvent]:
    """Occurrences and exceptions of a master overlapping the window (cancelled ones left out)."""
    state = _state(store, master)
    exceptions = state.exceptions
    cancelled = set() if "rec-cancelled-listed" in faults else set(state.cancelled)
    out = [_occurrence(master, slot)
           for slot in expansion.slots(_series(master, faults), w_start, w_end)
           if slot.date.isoformat() not in cancelled and slot.date.isoformat() not in exceptions]
    out += [_exception(master, iso, rec) for iso, rec in exceptions.items()
            if iso not in cancelled and _overlaps(rec["start_utc"], rec["end_utc"], w_start, w_end)]
    return out


# --- payloads ---------------------------------------------------------------------------------

def _payload(ev: StoredEvent, store: Store, p: Prefs, faults: frozenset[str],
             select: frozenset[str] | None = None) -> dict[str, Any]:
    body = event_payload(ev, store, p, faults, select)
    day = ev.fields.get("occurrence_date")
    if day is None or select is not None:
        return body
    if "rec-oid-utc" in faults:
        day = ev.fields["original_start"].astimezone(timezone.utc).date().isoformat()
    extra = {"occurrenceId": occurrence_id_property(_master_id_of(ev), date.fromisoformat(day)),
             "originalStart": timezones.format_instant(ev.fields["original_start"])
             .replace(".0000000Z", "Z")}
    out: dict[str, Any] = {}
    for key, value in body.items():
        out[key] = value
        if key == "type":
            out.update(extra)
    return out


def _master_id_of(ev: StoredEvent) -> str:
    split = split_occurrence_id(ev.id)
    assert split is not None
    return split[0]


# --- request helpers --------------------------------------------------------------------------

def _window(request: Request) -> tuple[datetime, datetime]:
    """startDateTime/endDateTime (any case); without an offset they are UTC (calendarView docs)."""
    params = {k.lower(): v for k, v in request.query_params.items()}
    bounds = []
    for name in ("startdatetime", "enddatetime"):
        text = params.get(name)
        if not text:
            raise GraphError(400, "ErrorInvalidParameter", _WINDOW_MISSING)
        try:
            value = (datetime.combine(date.fromisoformat(text), datetime.min.time())
                     if len(text) == 10 else timezones.parse_local(text))  # a date: its midnight
        except ValueError:
            raise GraphError(400, "ErrorInvalidParameter",
                             f"The value '{text}' of parameter '{name}' is not a valid "
                             f"date and time.") from None
        bounds.append(value.replace(tzinfo=timezone.utc) if value.tzinfo is None
                      else value.astimezone(timezone.utc))
    return bounds[0], bounds[1]


def _page(request: Request, items: list[StoredEvent], context: str) -> Response:
    """An OData page of expanded events, ordered by start unless $orderby says otherwise."""
    p = prefs(request)
    q = odata.parse(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    ordered = sorted(items, key=lambda ev: (ev.start_utc, ev.seq, ev.id))
    ranked = [dataclasses.replace(ev, seq=i) for i, ev in enumerate(ordered)]  # copies: store untouched
    if q.select is not None:
        context += "(" + ",".join(sorted(q.select)) + ")"
    body = odata.collection_body(request, q, odata.apply(ranked, q), context,
                                 lambda ev: _payload(ev, store, p, faults, q.select),
                                 p.max_page_size)
    return json_response(request, body, 200, p)


# --- collections: instances and calendarView --------------------------------------------------

async def instances(request: Request) -> Response:
    owner = mailbox(request)
    w_start, w_end = _window(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        ev = _resolve(request, owner)
        items: list[StoredEvent] = []
        if ev.fields.get("type") == "seriesMaster":
            items = series_members(store, ev, w_start, w_end, faults)
            if "rec-instances-include-master" in faults:
                items.append(ev)
        context = (f"{GRAPH_ROOT}/$metadata#users('{owner.id}')/events"
                   f"('{quote(ev.id, safe='')}')/instances")
        return _page(request, items, context)


async def calendar_view(request: Request) -> Response:
    owner = mailbox(request)
    w_start, w_end = _window(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        scope = None
        if "calendar_id" in request.path_params or "/calendar/" in request.url.path:
            scope = find_calendar(request, owner).id
        items: list[StoredEvent] = []
        for ev in store.events_of(owner.id, scope):
            if ev.fields.get("type") == "seriesMaster":
                items += series_members(store, ev, w_start, w_end, faults)
            elif _overlaps(ev.start_utc, ev.end_utc, w_start, w_end):
                items.append(ev)
        return _page(request, items, f"{GRAPH_ROOT}/$metadata#users('{owner.id}')/calendarView")


# --- items: occurrences, exceptions, cancellations --------------------------------------------

def _resolve(request: Request, owner: User) -> StoredEvent:
    """The event the path names: a stored event, or an occurrence/exception of a stored master."""
    store: Store = request.app.state.store
    event_id = request.path_params["event_id"]
    split = split_occurrence_id(event_id) if store.event(owner.id, event_id) is None else None
    if split is None:
        return routes_events.find_event(request, owner)
    master = store.event(owner.id, split[0])
    if master is None or master.fields.get("type") != "seriesMaster":
        raise not_found()
    cal_id = request.path_params.get("calendar_id")
    if cal_id is not None and master.calendar_id != find_calendar(request, owner).id:
        raise not_found()
    member = _member(store, master, split[1], request.app.state.faults)
    if member is None:
        raise not_found()
    return member


def _is_member(ev: StoredEvent) -> bool:
    return "occurrence_date" in ev.fields


async def get_item(request: Request) -> Response:
    owner = mailbox(request)
    params = {k: v for k, v in request.query_params.items()}
    wanted = {s.strip() for s in params.get("$select", "").split(",") if s.strip()}
    expand = {s.strip() for s in params.get("$expand", "").split(",") if s.strip()}
    if not (wanted | expand) & _SPECIAL:
        store: Store = request.app.state.store
        with store.lock:
            ev = _resolve(request, owner)
        if not _is_member(ev):
            return await routes_events.get_event(request)
        return _member_response(request, owner, ev)
    return _master_with_series(request, owner, wanted, expand)


def _member_response(request: Request, owner: User, ev: StoredEvent) -> Response:
    p = prefs(request)
    q = odata.parse(request)
    if q.top is not None or q.skip or q.order or q.predicate or q.count:
        raise GraphError(400, "BadRequest", "Only $select applies to a single event.")
    store: Store = request.app.state.store
    with store.lock:
        body = {"@odata.context": event_context(owner.id),
                **_payload(ev, store, p, request.app.state.faults, q.select)}
    return json_response(request, body, 200, p)


def _master_with_series(request: Request, owner: User, wanted: set[str],
                        expand: set[str]) -> Response:
    """GET of a master with $select=cancelledOccurrences / $expand=exceptionOccurrences (event
    resource: returned only on $select/$expand of a GET that names the series master)."""
    unknown = (wanted - _SPECIAL - SELECTABLE) | (expand - {"exceptionOccurrences"})
    if unknown:
        raise GraphError(400, "RequestBroker--ParseUri",
                         f"Could not find a property named '{sorted(unknown)[0]}' on type "
                         f"'microsoft.graph.event'.")
    p = prefs(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    with store.lock:
        ev = _resolve(request, owner)
        plain = wanted - _SPECIAL
        select = frozenset(plain) if wanted else None
        body: dict[str, Any] = {"@odata.context": event_context(owner.id),
                                **_payload(ev, store, p, faults, select)}
        is_master = ev.fields.get("type") == "seriesMaster"
        if "cancelledOccurrences" in wanted:
            dates = [] if not is_master or "rec-no-cancelled-occurrences" in faults \
                else sorted(_state(store, ev).cancelled)
            body["cancelledOccurrences"] = [
                occurrence_id_property(ev.id, date.fromisoformat(d)) for d in dates]
        if "exceptionOccurrences" in wanted | expand:
            records = {} if not is_master or "rec-no-exception-occurrences" in faults \
                else _state(store, ev).exceptions
            members = sorted((_exception(ev, iso, rec) for iso, rec in records.items()),
                             key=lambda m: m.start_utc)
            body["exceptionOccurrences"] = [_payload(m, store, p, faults) for m in members]
    return json_response(request, body, 200, p)


async def update_item(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        ev = _resolve(request, owner)
    if not _is_member(ev):
        return await routes_events.update(request)
    p = prefs(request)
    payload = event_writes.parse_json(await request.body())
    if "recurrence" in payload and payload["recurrence"] is not None:
        raise bad_request("An occurrence or exception of a series cannot have a recurrence.")
    payload.pop("recurrence", None)
    faults = request.app.state.faults
    with store.lock:
        ev = _resolve(request, owner)  # again, under the lock that covers the write
        master = store.event(owner.id, _master_id_of(ev))
        assert master is not None
        draft = dataclasses.replace(ev, fields=copy.deepcopy(ev.fields))
        event_writes.update_event(store, draft, payload, faults)
        day = date.fromisoformat(ev.fields["occurrence_date"])
        if ("start" in payload or "end" in payload) and "rec-no-boundary-check" not in faults:
            _check_boundaries(store, master, day, draft, faults)
        draft.fields["type"] = ("occurrence" if "rec-exception-stays-occurrence" in faults
                                else "exception")
        draft.fields["seriesMasterId"] = (None if "rec-exception-loses-master" in faults
                                          else master.id)
        exceptions = _state(store, master).exceptions
        exceptions[day.isoformat()] = {
            "fields": draft.fields, "start_utc": draft.start_utc, "end_utc": draft.end_utc,
            "change_key": draft.change_key, "modified": draft.modified}
        body = {"@odata.context": event_context(owner.id),
                **_payload(_exception(master, day.isoformat(), exceptions[day.isoformat()]),
                           store, p, faults)}
    return json_response(request, body, 200, p)


def _check_boundaries(store: Store, master: StoredEvent, day: date, draft: StoredEvent,
                      faults: frozenset[str]) -> None:
    """event-update.md: an occurrence cannot move to or before the previous occurrence's day,
    nor to or after the next one's (days in the recurrence zone)."""
    series = _series(master, faults)
    before, after = expansion.neighbours(series, day)
    moved_to = draft.start_utc.astimezone(series.zone).date()

    def actual_day(neighbour: date | None) -> date | None:
        if neighbour is None:
            return None
        record = _state(store, master).exceptions.get(neighbour.isoformat())
        return record["start_utc"].astimezone(series.zone).date() if record else neighbour

    prev_day, next_day = actual_day(before), actual_day(after)
    if (prev_day is not None and moved_to <= prev_day) or (next_day is not None and moved_to >= next_day):
        raise bad_request("Modified occurrence is crossing or overlapping adjacent occurrence.",
                          code="ErrorOccurrenceCrossingBoundary")


async def delete_item(request: Request) -> Response:
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        ev = _resolve(request, owner)
        if _is_member(ev):
            master = store.event(owner.id, _master_id_of(ev))
            assert master is not None
            iso = ev.fields["occurrence_date"]
            state = _state(store, master)
            state.exceptions.pop(iso, None)
            if iso not in state.cancelled:
                state.cancelled.append(iso)
            store.touch(master)
    if not _is_member(ev):
        response = await routes_events.delete(request)
        with store.lock:  # the series is gone with its master
            store.extension(STATE_KEY, dict).pop((owner.id, ev.id), None)
        return response
    rid, crid = request_ids(request)
    return Response(status_code=204, headers={"request-id": rid, "client-request-id": crid})


# --- event collections: the core's handlers, unless a fault switch says otherwise ---------------

def _repaired(recurrence: Any, start: Any) -> Any:
    """Fault rec-accept-invalid: an invalid recurrence silently made valid instead of a 400."""
    if not isinstance(recurrence, dict):
        return recurrence
    pattern = dict(recurrence.get("pattern") or {})
    rng = dict(recurrence.get("range") or {})
    try:
        day = date.fromisoformat(str(rng.get("startDate") or str((start or {}).get("dateTime", ""))[:10]))
    except ValueError:
        return recurrence
    if not isinstance(pattern.get("interval"), int) or pattern["interval"] < 1:
        pattern["interval"] = 1
    if not pattern.get("daysOfWeek"):
        pattern["daysOfWeek"] = [day.strftime("%A").lower()]
    if not isinstance(pattern.get("dayOfMonth"), int) or not 1 <= pattern["dayOfMonth"] <= 31:
        pattern["dayOfMonth"] = day.day
    if not isinstance(pattern.get("month"), int) or not 1 <= pattern["month"] <= 12:
        pattern["month"] = day.month
    if rng.get("type") == "endDate" and str(rng.get("endDate")) < day.isoformat():
        rng["endDate"] = day.isoformat()
    if rng.get("type") == "numbered" and not (isinstance(rng.get("numberOfOccurrences"), int)
                                              and rng["numberOfOccurrences"] >= 1):
        rng["numberOfOccurrences"] = 1
    return {"pattern": pattern, "range": rng}


async def create(request: Request) -> Response:
    if "rec-accept-invalid" not in request.app.state.faults:
        return await routes_events.create(request)
    payload = event_writes.parse_json(await request.body())
    if "recurrence" in payload:
        payload["recurrence"] = _repaired(payload["recurrence"], payload.get("start"))
    raw = json.dumps(payload).encode()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": raw, "more_body": False}
    return await routes_events.create(Request(request.scope, receive))


async def list_events(request: Request) -> Response:
    response = await routes_events.list_events(request)
    if "rec-events-lists-occurrences" not in request.app.state.faults:
        return response
    # the fault: each listed master is followed by its first occurrences
    body = json.loads(bytes(response.body))
    owner = mailbox(request)
    store: Store = request.app.state.store
    with store.lock:
        extra = []
        for item in body["value"]:
            master = store.event(owner.id, item.get("id", ""))
            if master is not None and master.fields.get("type") == "seriesMaster":
                members = series_members(store, master, master.start_utc,
                                         master.start_utc + timedelta(days=31), frozenset())
                extra += [_payload(m, store, prefs(request), frozenset()) for m in members[:3]]
    body["value"] += extra
    return json_response(request, body, 200, prefs(request))


_COLLECTIONS = ("/events", "/calendar/events", "/calendars/{calendar_id}/events")
_ITEMS = ("/events/{event_id}", "/calendar/events/{event_id}",
          "/calendars/{calendar_id}/events/{event_id}")
_VIEWS = ("/calendarView", "/calendarview", "/calendar/calendarView", "/calendar/calendarview",
          "/calendars/{calendar_id}/calendarView", "/calendars/{calendar_id}/calendarview")

ROUTES: list[Route] = [
    *(r for path in _COLLECTIONS
      for r in mailbox_routes(path, {"GET": list_events, "POST": create})),
    *(r for item in _ITEMS
      for r in mailbox_routes(item, {"GET": get_item, "PATCH": update_item, "DELETE": delete_item})),
    *(r for item in _ITEMS for r in mailbox_routes(f"{item}/instances", {"GET": instances})),
    *(r for view in _VIEWS for r in mailbox_routes(view, {"GET": calendar_view})),
]

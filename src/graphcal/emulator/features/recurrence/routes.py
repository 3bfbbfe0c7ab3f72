"""Recurring series: instances, calendarView, occurrences, exceptions and cancellations.

Occurrences are never stored: they are computed from the series master (``expansion``) when a
request needs them. What a client changed is kept per master in ``store.extension(__name__)``
(:class:`SeriesState`: exceptions by original date, cancelled dates). ``/events`` therefore keeps
listing masters and single instances only, and deleting the master deletes the whole series
with it (its state is dropped too).

Ids: an occurrence's ``id`` is the master's id bytes + a marker + the occurrence date, so it is
stable, needs no state, and resolves back to its master (``GET /events/{occurrence id}``
works, as in Graph). ``occurrenceId`` is ``OID.{masterId}.{yyyy-mm-dd}`` with the date in the
recurrence zone (event resource). Editing the master's recurrence, start or end regenerates the
series: its exceptions and cancellations are dropped (Outlook does the same; Graph is silent);
the state remembers which (recurrence, start, end) it belongs to, so no update hook is needed.

This module owns the ``/instances`` and ``/calendarView`` routes. The event item and collection
routes are the events feature's (``features.events.routes``); :func:`install` plugs the series into them through
``app.state.event_hooks``: :class:`Occurrences` resolves, updates and deletes occurrence ids,
a master's GET renders ``cancelledOccurrences``/``exceptionOccurrences`` on request, and the
fault switches ``rec-accept-invalid`` and ``rec-events-lists-occurrences`` misbehave there.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal import timezones
from graphcal.emulator.core import events as event_writes
from graphcal.emulator.features.recurrence import expansion
from graphcal.emulator.core import odata
from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.errors import GraphError, bad_request
from graphcal.emulator.core.hooks import EventProperty
from graphcal.emulator.core.lookup import ITEMS, find_calendar, locate_event
from graphcal.emulator.core.routing import context_user, json_response, mailbox_routes
from graphcal.emulator.core.prefer import Prefs, prefs
from graphcal.emulator.core.serialize import event_payload, user_context
from graphcal.emulator.core.store import Store, StoredEvent, User, encode_id, is_well_formed_id
from graphcal.emulator.core.faults import active

STATE_KEY = __name__               # this module's entry in store.extensions
_MARK = b"\x03OCC"                 # separates the master's id bytes from the occurrence date
_ID_PREFIX_LEN = 4                 # store.encode_id's fixed prefix
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


def _position(master: StoredEvent, day: date, original_start: datetime,
              faults: frozenset[str]) -> dict[str, Any]:
    """occurrenceId and originalStart: the occurrence's place in its series (event resource)."""
    if active(faults, "rec-oid-utc"):
        day = original_start.astimezone(timezone.utc).date()
    return {"occurrenceId": occurrence_id_property(master.id, day),
            "originalStart": timezones.format_instant(original_start).replace(".0000000Z", "Z")}


def _occurrence(master: StoredEvent, slot: expansion.Slot, faults: frozenset[str]) -> StoredEvent:
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
        **_position(master, slot.date, slot.start, faults),
    })
    return StoredEvent(id=occurrence_id(master.id, slot.date), owner_id=master.owner_id,
                       calendar_id=master.calendar_id, fields=fields, start_utc=slot.start,
                       end_utc=slot.end, created=master.created, modified=master.modified,
                       change_key=master.change_key,
                       ical_uid=(master.ical_uid if active(faults, "series-same-icaluid")
                                 else _ical_uid(master, slot.date)),
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
    return _occurrence(master, slot, faults) if slot is not None else None


def _overlaps(start: datetime, end: datetime, w_start: datetime, w_end: datetime) -> bool:
    return start < w_end and (end > w_start or start == w_start)


def series_members(store: Store, master: StoredEvent, w_start: datetime, w_end: datetime,
                   faults: frozenset[str]) -> list[StoredEvent]:
    """Occurrences and exceptions of a master overlapping the window (cancelled ones left out)."""
    state = _state(store, master)
    exceptions = state.exceptions
    cancelled = set() if active(faults, "rec-cancelled-listed") else set(state.cancelled)
    out = [_occurrence(master, slot, faults)
           for slot in expansion.slots(_series(master, faults), w_start, w_end)
           if slot.date.isoformat() not in cancelled and slot.date.isoformat() not in exceptions]
    out += [_exception(master, iso, rec) for iso, rec in exceptions.items()
            if iso not in cancelled and _overlaps(rec["start_utc"], rec["end_utc"], w_start, w_end)]
    return out


# --- request helpers --------------------------------------------------------------------------

def _window(request: Request) -> tuple[datetime, datetime]:
    """startDateTime/endDateTime (any case); without an offset they are UTC (calendarView docs)."""
    params = {k.lower(): v for k, v in request.query_params.items()}
    bounds = []
    for name in ("startdatetime", "enddatetime"):
        text = params.get(name)
        if not text and active(request, "view-window-optional"):  # no bound: all of time
            text = "0001-01-01T00:00:00" if name == "startdatetime" else "9999-12-30T00:00:00"
        if not text:
            raise GraphError(400, "ErrorInvalidParameter", _WINDOW_MISSING)
        try:
            value = (datetime.combine(date.fromisoformat(text), datetime.min.time())
                     if len(text) == 10 else timezones.parse_local(text))  # a date: its midnight
        except ValueError:
            raise GraphError(400, "ErrorInvalidParameter",
                             f"The value '{text}' of parameter '{name}' is not a valid "
                             f"date and time.") from None
        bounds.append(_window_bound(request, value))
    return bounds[0], bounds[1]


def _window_bound(request: Request, value: datetime) -> datetime:
    """A bound as an instant: its offset if it has one, else UTC, whatever Prefer says."""
    if value.tzinfo is not None and active(request, "view-ignores-offset"):
        value = value.replace(tzinfo=None)  # the wall clock read as UTC, the offset dropped
    if value.tzinfo is None:
        zone_name = prefs(request).timezone
        if zone_name and active(request, "view-offsetless-in-prefer-zone"):
            return timezones.to_instant(value, zone_name)
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _page(request: Request, items: list[StoredEvent], user_key: str, path: str) -> Response:
    """An OData page of expanded events, ordered by start unless $orderby says otherwise."""
    p = prefs(request)
    q = odata.parse(request)
    store: Store = request.app.state.store
    faults = request.app.state.faults
    ordered = sorted(items, key=lambda ev: (ev.start_utc, ev.seq, ev.id))
    ranked = [dataclasses.replace(ev, seq=i) for i, ev in enumerate(ordered)]  # copies: store untouched
    context = user_context(user_key, path, select=q.select_order)
    body = odata.collection_body(request, q, odata.apply(ranked, q), context,
                                 lambda ev: event_payload(ev, store, p, faults, q.select),
                                 p.max_page_size)
    return json_response(request, body, 200, p)


# --- collections: instances and calendarView --------------------------------------------------

Members = tuple[list[StoredEvent], str]  # the events in the window, the context's path


def _view(request: Request, members: Callable[[Request, Store, User, datetime, datetime,
                                               frozenset[str]], Members]) -> Response:
    """A window's page: ``members`` (under the store lock) says which events and what path."""
    owner = mailbox(request)
    w_start, w_end = _window(request)
    store: Store = request.app.state.store
    with store.lock:
        items, path = members(request, store, owner, w_start, w_end, request.app.state.faults)
        if active(request, "view-starts-inside-only"):  # events begun before the window dropped
            items = [ev for ev in items if ev.start_utc >= w_start]
        return _page(request, items, context_user(request, owner), path)


def _instances(request: Request, store: Store, owner: User, w_start: datetime, w_end: datetime,
               faults: frozenset[str]) -> Members:
    ev, _ = locate_event(request, owner)
    items: list[StoredEvent] = []
    if ev.fields.get("type") == "seriesMaster":
        items = series_members(store, ev, w_start, w_end, faults)
        if active(faults, "rec-instances-include-master"):
            items.append(ev)
    return items, f"events('{quote(ev.id, safe='')}')/instances"


def _calendar_view(request: Request, store: Store, owner: User, w_start: datetime,
                   w_end: datetime, faults: frozenset[str]) -> Members:
    scope = None
    if "calendar_id" in request.path_params or "/calendar/" in request.url.path:
        scope = find_calendar(request, owner).id
    items: list[StoredEvent] = []
    if scope is not None and active(faults, "view-calendar-paths-empty"):
        return items, "calendarView"  # only the mailbox-level path answers
    for ev in store.events_of(owner.id, scope):
        if ev.fields.get("type") == "seriesMaster":
            items += series_members(store, ev, w_start, w_end, faults)
        elif _overlaps(ev.start_utc, ev.end_utc, w_start, w_end):
            items.append(ev)
    return items, "calendarView"


async def instances(request: Request) -> Response:
    return _view(request, _instances)


async def calendar_view(request: Request) -> Response:
    return _view(request, _calendar_view)


# --- occurrences and exceptions behind the core's item routes ----------------------------------

def _master_id_of(ev: StoredEvent) -> str:
    split = split_occurrence_id(ev.id)
    assert split is not None
    return split[0]


class Occurrences:
    """The series' members as virtual events (``hooks.VirtualEvents``): an occurrence id
    resolves to its occurrence or exception; PATCH makes an exception, DELETE a cancellation."""

    def find(self, store: Store, owner: User, event_id: str,
             faults: frozenset[str]) -> StoredEvent | None:
        split = split_occurrence_id(event_id)
        if split is None:
            return None
        master = store.event(owner.id, split[0])
        if master is None or master.fields.get("type") != "seriesMaster":
            return None
        return _member(store, master, split[1], faults)

    def update(self, store: Store, owner: User, event: StoredEvent, sent: dict[str, Any],
               faults: frozenset[str]) -> StoredEvent:
        if "recurrence" in sent and sent["recurrence"] is not None:
            raise bad_request("An occurrence or exception of a series cannot have a recurrence.")
        sent.pop("recurrence", None)
        master = store.event(owner.id, _master_id_of(event))
        assert master is not None
        draft = dataclasses.replace(event, fields=copy.deepcopy(event.fields))
        event_writes.update_event(store, draft, sent, faults)
        day = date.fromisoformat(event.fields["occurrence_date"])
        if ("start" in sent or "end" in sent) and not active(faults, "rec-no-boundary-check"):
            _check_boundaries(store, master, day, draft, faults)
        draft.fields["type"] = ("occurrence" if active(faults, "rec-exception-stays-occurrence")
                                else "exception")
        draft.fields["seriesMasterId"] = (None if active(faults, "rec-exception-loses-master")
                                          else master.id)
        if "subject" in sent and active(faults, "series-edit-renames-series"):
            master.fields["subject"] = draft.fields["subject"]  # the whole series renamed
        exceptions = _state(store, master).exceptions
        exceptions[day.isoformat()] = {
            "fields": draft.fields, "start_utc": draft.start_utc, "end_utc": draft.end_utc,
            "change_key": draft.change_key, "modified": draft.modified}
        return _exception(master, day.isoformat(), exceptions[day.isoformat()])

    def delete(self, store: Store, owner: User, event: StoredEvent) -> None:
        master = store.event(owner.id, _master_id_of(event))
        assert master is not None
        iso = event.fields["occurrence_date"]
        state = _state(store, master)
        state.exceptions.pop(iso, None)
        if iso not in state.cancelled:
            state.cancelled.append(iso)
        store.touch(master)

    def listed(self, store: Store, owner: User, shown: list[StoredEvent],
               faults: frozenset[str]) -> list[StoredEvent]:
        if not active(faults, "rec-events-lists-occurrences"):
            return []
        # the fault: a listing also shows each listed master's first occurrences
        extra: list[StoredEvent] = []
        for master in shown:
            if master.fields.get("type") == "seriesMaster":
                extra += series_members(store, master, master.start_utc,
                                        master.start_utc + timedelta(days=31), frozenset())[:3]
        return extra


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


# --- a master's series properties on GET ($select / $expand) ------------------------------------

def _cancelled_occurrences(store: Store, ev: StoredEvent, p: Prefs, faults: frozenset[str]) -> Any:
    is_master = ev.fields.get("type") == "seriesMaster"
    dates = ([] if not is_master or active(faults, "rec-no-cancelled-occurrences")
             else sorted(_state(store, ev).cancelled))
    return [occurrence_id_property(ev.id, date.fromisoformat(d)) for d in dates]


def _exception_occurrences(store: Store, ev: StoredEvent, p: Prefs, faults: frozenset[str]) -> Any:
    is_master = ev.fields.get("type") == "seriesMaster"
    records = ({} if not is_master or active(faults, "rec-no-exception-occurrences")
               else _state(store, ev).exceptions)
    members = sorted((_exception(ev, iso, rec) for iso, rec in records.items()),
                     key=lambda m: m.start_utc)
    return [event_payload(m, store, p, faults) for m in members]


# --- hooks ------------------------------------------------------------------------------------

def _drop_series(request: Request, store: Store, event: StoredEvent) -> None:
    """A deleted master takes its series' state with it."""
    store.extension(STATE_KEY, dict).pop((event.owner_id, event.id), None)


def _accept_invalid(request: Request, sent: dict[str, Any]) -> None:
    if active(request, "rec-accept-invalid") and "recurrence" in sent:
        sent["recurrence"] = _repaired(sent["recurrence"], sent.get("start"))


def install(app: Starlette) -> None:
    """Plug the series into the core's event routes (``app.state.event_hooks``)."""
    hooks = app.state.event_hooks
    hooks.virtual.append(Occurrences())
    hooks.on_delete.append(_drop_series)
    hooks.before_create.append(_accept_invalid)
    # event resource: returned only on $select/$expand of a GET that names the series master
    hooks.properties["cancelledOccurrences"] = EventProperty(_cancelled_occurrences)
    hooks.properties["exceptionOccurrences"] = EventProperty(_exception_occurrences, expandable=True)


_VIEWS = ("/calendarView", "/calendarview", "/calendar/calendarView", "/calendar/calendarview",
          "/calendars/{calendar_id}/calendarView", "/calendars/{calendar_id}/calendarview")

ROUTES: list[Route] = [
    *(r for item in ITEMS for r in mailbox_routes(f"{item}/instances", {"GET": instances})),
    *(r for view in _VIEWS for r in mailbox_routes(view, {"GET": calendar_view})),
]

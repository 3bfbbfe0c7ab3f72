"""Events: create, list, get, update and delete of events (the event item and collection routes).

The event resource itself (validation, defaults, writes, serialisation) is the core's
(``core.events``, ``core.serialize``): recurrence and scheduling write and render events too.
This feature owns the routes and the faults that bend the event resource.

The OData query options are the events feature's claims too (EVT-QRY-*: ``$select``, ``$top``,
``$filter``, ``$orderby``, ``$count`` and ``@odata.nextLink`` paging on ``/events``,
``/calendarView``, ``/instances`` and ``/messages``), so their faults are declared here
(:data:`QUERY_FAULTS`); the one OData parser that serves every collection
(``core.odata``) reads them with ``faults.active``.
"""

from __future__ import annotations

from typing import Any, Iterator

from starlette.requests import Request

from graphcal.emulator.core.faults import Fault, Output
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.events import routes


def _events_in(body: Any) -> Iterator[dict[str, Any]]:
    """Every object with an id in a response body: events, wherever they are nested (a
    collection's value, a message's expanded event, a master's exceptionOccurrences)."""
    if isinstance(body, dict):
        if "id" in body:
            yield body
        for value in body.values():
            yield from _events_in(value)
    elif isinstance(body, list):
        for value in body:
            yield from _events_in(value)


def _six_digits(request: Request, out: Output) -> None:
    for event in _events_in(out.body):
        for key in ("start", "end"):
            value = event.get(key)
            if isinstance(value, dict) and "dateTime" in value:
                value["dateTime"] = value["dateTime"][:-1]


def _drop_transaction_id(request: Request, out: Output) -> None:
    for event in _events_in(out.body):
        event.pop("transactionId", None)


def _body_type_not_confirmed(request: Request, out: Output) -> None:
    applied = [part for part in out.headers.get("Preference-Applied", "").split(",")
               if part.strip() and not part.strip().startswith("outlook.body-content-type")]
    out.headers.pop("Preference-Applied", None)
    if applied:
        out.headers["Preference-Applied"] = ",".join(applied)


FAULTS: tuple[Fault, ...] = (
    Fault("stale-changekey", "PATCH keeps the old changeKey and @odata.etag instead of issuing new ones",
          breaks=("EVT-UPD-2", "EVT-UPD-3")),
    Fault("ignore-prefer-timezone", "Prefer: outlook.timezone is ignored: times come back in UTC",
          breaks=("EVT-TZ-1", "EVT-TZ-4")),
    Fault("duplicate-transaction", "a retried create with the same transactionId creates a second event",
          breaks=("EVT-TXN-1",)),
    Fault("drop-transaction-id", "transactionId is not returned in event payloads",
          breaks=("EVT-CREATE-2", "EVT-DEF-4", "EVT-GOLD-1", "EVT-TXN-1", "EVT-TXN-2"),
          transform=_drop_transaction_id),
    Fault("six-digit-datetimes", "start/end dateTime carry 6 fractional digits instead of 7",
          breaks=("EVT-FMT-1", "REC-GOLD-1"), transform=_six_digits),
    Fault("location-not-mirrored", "location and locations are not kept in correspondence",
          breaks=("EVT-LOC-1", "EVT-LOC-2", "EVT-LOC-3", "EVT-GOLD-1", "EVT-GOLD-2", "EVT-GOLD-3", "EVT-GOLD-4", "EVT-GOLD-5", "PROP-8.1", "PROP-8.4")),
    Fault("no-online-meeting", "isOnlineMeeting true produces no onlineMeeting (joinUrl)",
          breaks=("EVT-ONLINE-1", "EVT-ONLINE-2", "EVT-GOLD-4")),
    Fault("recurrence-not-normalised", "recurrence comes back as sent instead of Graph's normalised form",
          breaks=("EVT-REC-3", "EVT-GOLD-3", "SCHEMA-1", "REC-EXP-1", "REC-EXP-2", "REC-EXP-3", "REC-SHAPE-2")),
    # --- body content type (issue 15) ---
    Fault("body-text-by-default", "without Prefer: outlook.body-content-type, bodies come back as text",
          breaks=("EVT-BODY-1",)),
    Fault("body-type-not-confirmed", "Preference-Applied leaves out outlook.body-content-type",
          breaks=("EVT-BODY-2",), transform=_body_type_not_confirmed),
)

# --- query options (issue 15): each drops or bends one OData option in core.odata -------------
QUERY_FAULTS: tuple[Fault, ...] = (
    Fault("ignore-select", "$select is ignored: items come back with every property",
          breaks=("EVT-QRY-SELECT-1",)),
    Fault("ignore-top", "$top is ignored: pages have the default size",
          breaks=("EVT-QRY-TOP-1",)),
    Fault("ignore-filter", "$filter is ignored: items that do not match come back too",
          breaks=("EVT-QRY-FILTER-1",)),
    Fault("orderby-desc-ignored", "$orderby ... desc sorts ascending",
          breaks=("EVT-QRY-ORDER-1",)),
    Fault("ignore-count", "$count=true gives no @odata.count",
          breaks=("EVT-QRY-COUNT-1",)),
    Fault("nextlink-skips-item", "each @odata.nextLink skips one item too many",
          breaks=("EVT-QRY-PAGE-1",)),
    Fault("nextlink-drops-query", "@odata.nextLink keeps $skip and $top but drops $select, $filter, "
          "$orderby and $count", breaks=("EVT-QRY-PAGE-2", "EVT-QRY-SELECT-1")),
)

# --- faults that prove each remaining events MUST invariant can fail (issue 15) -------------------
# Output-only where the claim is about one answer; they bend only the answers named, so each
# breaks its claim and as little else as it can.

def _creating(request: Request, out: Output) -> bool:
    """The answer to a create (POST .../events) that made an event."""
    return (request.method == "POST" and request.url.path.rstrip("/").endswith("/events")
            and out.status == 201 and isinstance(out.body, dict))


def _create_200(request: Request, out: Output) -> None:
    if _creating(request, out):
        out.status = 200


def _create_mangled(**changes: Any) -> Any:
    """A transform setting ``changes`` (name -> value, or fn(event) -> value) on a create's answer."""
    def transform(request: Request, out: Output) -> None:
        if _creating(request, out):
            for key, value in changes.items():
                out.body[key] = value(out.body) if callable(value) else value
    return transform


def _series_shape(event: dict[str, Any]) -> str:
    return "singleInstance" if event.get("recurrence") else "occurrence"


def _wider_interval(event: dict[str, Any]) -> Any:
    recurrence = event.get("recurrence")
    if isinstance(recurrence, dict) and isinstance(recurrence.get("pattern"), dict):
        recurrence["pattern"]["interval"] = recurrence["pattern"].get("interval", 1) + 1
    return recurrence


def _delete_200(request: Request, out: Output) -> None:
    if request.method == "DELETE" and out.status == 204:
        out.status, out.body = 200, {"deleted": True}


def _local_timestamps(request: Request, out: Output) -> None:
    for event in _events_in(out.body):
        for key in ("createdDateTime", "lastModifiedDateTime"):
            if isinstance(event.get(key), str):
                event[key] = event[key].rstrip("Z")


def _utc_mislabelled(request: Request, out: Output) -> None:
    # the UTC wall-clock labelled as Pacific time: another instant than the event's
    if "outlook.timezone" in request.headers.get("prefer", ""):
        return
    for event in _events_in(out.body):
        for key in ("start", "end"):
            if isinstance(event.get(key), dict) and event[key].get("timeZone") == "UTC":
                event[key]["timeZone"] = "Pacific Standard Time"


def _patch_answer_stale(request: Request, out: Output) -> None:
    if request.method == "PATCH" and out.status == 200 and isinstance(out.body, dict) and "subject" in out.body:
        out.body["subject"] = f"{out.body['subject']} (before the update)"


FAULTS += (
    Fault("create-200", "a create answers 200 OK instead of 201 Created",
          breaks=("EVT-CREATE-1",), transform=_create_200),
    Fault("create-not-single", "a plain create answers type occurrence; a recurring one singleInstance",
          breaks=("EVT-CREATE-3", "EVT-REC-1"), transform=_create_mangled(type=_series_shape)),
    Fault("create-recurrence-widened", "a recurring create answers its pattern with interval + 1",
          breaks=("EVT-REC-2",), transform=_create_mangled(recurrence=_wider_interval)),
    Fault("create-disallows-proposals", "a create answers allowNewTimeProposals false",
          breaks=("EVT-DEF-1",), transform=_create_mangled(allowNewTimeProposals=False)),
    Fault("create-online-by-default", "a create answers isOnlineMeeting true with a Teams provider",
          breaks=("EVT-DEF-2",), transform=_create_mangled(
              isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness",
              onlineMeeting={"joinUrl": "https://teams.example.invalid/l/meetup-join/fault"})),
    Fault("create-no-response-requested", "a create answers responseRequested false, hideAttendees true",
          breaks=("EVT-DEF-3",), transform=_create_mangled(responseRequested=False, hideAttendees=True)),
    Fault("create-not-organizer", "a create answers isOrganizer false: the creator is not the organizer",
          breaks=("EVT-ORG-1",), transform=_create_mangled(isOrganizer=False)),
    Fault("delete-200", "DELETE answers 200 OK with a JSON body instead of 204 No Content",
          breaks=("EVT-DEL-1",), transform=_delete_200),
    Fault("local-timestamps", "createdDateTime/lastModifiedDateTime come without the Z (not UTC)",
          breaks=("EVT-FMT-2",), transform=_local_timestamps),
    Fault("utc-mislabelled", "without Prefer, start/end carry the UTC wall-clock labelled Pacific time",
          breaks=("EVT-TZ-2", "EVT-TZ-3"), transform=_utc_mislabelled),
    Fault("patch-answer-stale", "a PATCH answers the subject as it was, not as patched",
          breaks=("EVT-UPD-1",), transform=_patch_answer_stale),
    Fault("online-meeting-turned-off", "a PATCH with isOnlineMeeting false turns the online meeting off",
          breaks=("EVT-ONLINE-3",)),
)

FEATURE = Feature(key="events", routes=tuple(routes.ROUTES), faults=FAULTS + QUERY_FAULTS)

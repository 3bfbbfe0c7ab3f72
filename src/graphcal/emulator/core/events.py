"""Event writes: read a client's event JSON, validate it as Graph does, apply it to the store.

Validation answers the way Graph's two layers do: the OData layer rejects unreadable bodies
(bad JSON, unknown property, wrong JSON type, bad enum) with 400 ``RequestBodyRead``; the
Outlook layer rejects an end before the start with 400 ``ErrorPropertyValidationFailure``
(reported in microsoft-graph-docs#7919), other semantically wrong events (all-day times not at
midnight, bad recurrence) with 400 ``ErrorInvalidRequest``, and unknown zones with 400
``TimeZoneNotSupportedException`` (the code users report Graph sending for an unsupported
timeZone; the docs name none).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from typing import Any, Callable

from graphcal import timezones
from graphcal.emulator.core import bodies
from graphcal.emulator.core.errors import GraphError, bad_request, body_read
from graphcal.emulator.core.store import Calendar, Store, StoredEvent, User
from graphcal.emulator.core.faults import active

NO_RESPONSE_TIME = "0001-01-01T00:00:00Z"

_ENUMS: dict[str, tuple[str, ...]] = {
    "importance": ("low", "normal", "high"),
    "sensitivity": ("normal", "personal", "private", "confidential"),
    "showAs": ("free", "tentative", "busy", "oof", "workingElsewhere", "unknown"),
    "onlineMeetingProvider": ("unknown", "teamsForBusiness", "skypeForBusiness", "skypeForConsumer"),
    "contentType": ("text", "html"),
    "attendeeType": ("required", "optional", "resource"),
    "locationType": ("default", "conferenceRoom", "homeAddress", "businessAddress", "geoCoordinates",
                     "streetAddress", "hotel", "restaurant", "localBusiness", "postalAddress"),
    "uniqueIdType": ("unknown", "locationStore", "directory", "private", "bing"),
    "patternType": ("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly",
                    "relativeYearly"),
    "rangeType": ("endDate", "noEnd", "numbered"),
    "dayOfWeek": ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"),
    "weekIndex": ("first", "second", "third", "fourth", "last"),
}

# Server-computed properties a client may send back (e.g. a GET payload re-POSTed): ignored.
_READ_ONLY = {"@odata.context", "@odata.etag", "@odata.type", "id", "createdDateTime",
              "lastModifiedDateTime", "changeKey", "iCalUId", "hasAttachments", "bodyPreview",
              "isCancelled", "isOrganizer", "seriesMasterId", "type", "webLink", "onlineMeetingUrl",
              "onlineMeeting", "organizer", "responseStatus", "originalStartTimeZone",
              "originalEndTimeZone", "isDraft", "originalStart", "occurrenceId", "uid"}


def _type_error(path: str, expected: str, value: Any) -> GraphError:
    return body_read(f"Cannot convert the literal '{_literal(value)}' to the expected type "
                     f"'{expected}' (property '{path}').")


def _literal(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _enum(kind: str, value: Any, path: str) -> str:
    if isinstance(value, str):
        for member in _ENUMS[kind]:
            if member.lower() == value.lower():  # Graph reads enum members case-insensitively
                return member
    raise body_read(f"Requested value '{_literal(value)}' was not found for property '{path}'.")


def _string(value: Any, path: str, *, nullable: bool = True) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise _type_error(path, "Edm.String", value)
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _type_error(path, "Edm.Boolean", value)
    return value


def _int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -2**31 <= value < 2**31:
        raise _type_error(path, "Edm.Int32", value)
    return value


def _number(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(path, "Edm.Double", value)
    return value


def _object(value: Any, path: str, type_name: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _type_error(path, f"microsoft.graph.{type_name}", value)
    for key in value:
        if key not in allowed and key != "@odata.type":
            raise body_read(f"The property '{key}' does not exist on type "
                            f"'microsoft.graph.{type_name}'. Make sure to only use property names "
                            f"that are defined by the type or mark the type as open type.")
    return value


def _list(value: Any, path: str, item: str) -> list[Any]:
    if not isinstance(value, list):
        raise _type_error(path, f"Collection({item})", value)
    return value


# -- complex types -------------------------------------------------------------------------
def date_time_time_zone(value: Any, path: str) -> dict[str, str]:
    """A validated dateTimeTimeZone (``path`` names it in errors), its dateTime in Graph's
    7-digit form; every write that takes one (events, respond's proposedNewTime) uses this."""
    obj = _object(value, path, "dateTimeTimeZone", {"dateTime", "timeZone"})
    dt = _string(obj.get("dateTime"), f"{path}/dateTime")
    tz = _string(obj.get("timeZone"), f"{path}/timeZone")
    if not tz or not timezones.is_known(tz):
        raise GraphError(400, "TimeZoneNotSupportedException",
                         f"A valid TimeZone value must be specified. The following TimeZone value "
                         f"is not supported: '{tz or ''}'.")
    if not dt:
        raise bad_request(f"The dateTime of '{path}' must be specified.")
    try:
        parsed = timezones.parse_local(dt)
    except ValueError:
        raise body_read(f"Cannot convert the literal '{_literal(dt)}' to the expected type "
                        f"'Edm.DateTime' (property '{path}/dateTime').") from None
    if parsed.tzinfo is not None:  # an offset or Z: the instant, shown in the given zone
        parsed = timezones.to_local(parsed, tz)
    return {"dateTime": timezones.format_local(parsed), "timeZone": tz}


def _item_body(value: Any, path: str) -> dict[str, str]:
    obj = _object(value, path, "itemBody", {"contentType", "content"})
    kind = _enum("contentType", obj.get("contentType", "text"), f"{path}/contentType")
    content = _string(obj.get("content"), f"{path}/content") or ""
    if kind == "html":
        content = bodies.normalise_html(content)
    return {"contentType": kind, "content": content}


_ADDRESS_KEYS = ("street", "city", "state", "countryOrRegion", "postalCode")
_COORD_KEYS = ("latitude", "longitude", "accuracy", "altitude", "altitudeAccuracy")


def _location_in(value: Any, path: str) -> dict[str, Any]:
    obj = _object(value, path, "location", {"displayName", "locationType", "uniqueId",
                                            "uniqueIdType", "address", "coordinates",
                                            "locationEmailAddress", "locationUri"})
    loc: dict[str, Any] = {"displayName": _string(obj.get("displayName"), f"{path}/displayName") or ""}
    loc["locationType"] = _enum("locationType", obj.get("locationType") or "default",
                                f"{path}/locationType")
    if obj.get("uniqueId") is not None:
        loc["uniqueId"] = _string(obj["uniqueId"], f"{path}/uniqueId")
    if obj.get("uniqueIdType") is not None:
        loc["uniqueIdType"] = _enum("uniqueIdType", obj["uniqueIdType"], f"{path}/uniqueIdType")
    if obj.get("address") is not None:
        addr = _object(obj["address"], f"{path}/address", "physicalAddress", set(_ADDRESS_KEYS))
        loc["address"] = {k: _string(addr[k], f"{path}/address/{k}") for k in _ADDRESS_KEYS if k in addr}
    if obj.get("coordinates") is not None:
        co = _object(obj["coordinates"], f"{path}/coordinates", "outlookGeoCoordinates", set(_COORD_KEYS))
        loc["coordinates"] = {k: _number(co[k], f"{path}/coordinates/{k}") for k in _COORD_KEYS if k in co}
    for key in ("locationEmailAddress", "locationUri"):
        if obj.get(key) is not None:
            loc[key] = _string(obj[key], f"{path}/{key}")
    return loc


def _emitted_location(loc: dict[str, Any], *, primary: bool) -> dict[str, Any]:
    """A location as Graph returns it (user-post-events.md examples 1 and 2).

    The single ``location`` gets uniqueId = displayName, uniqueIdType private; an entry of
    ``locations`` does so only when it carries an address or coordinates, otherwise it gets
    uniqueIdType unknown and no uniqueId. An empty location is Graph's empty shape.
    """
    if not loc.get("displayName") and primary:
        return {"displayName": "", "locationType": "default", "uniqueIdType": "unknown",
                "address": {}, "coordinates": {}}
    out: dict[str, Any] = {"displayName": loc["displayName"], "locationType": loc["locationType"]}
    detailed = primary or "address" in loc or "coordinates" in loc
    if "uniqueId" in loc or detailed:
        out["uniqueId"] = loc.get("uniqueId", loc["displayName"])
        out["uniqueIdType"] = loc.get("uniqueIdType", "private")
    else:
        out["uniqueIdType"] = loc.get("uniqueIdType", "unknown")
    for key in ("address", "coordinates", "locationEmailAddress", "locationUri"):
        if key in loc:
            out[key] = loc[key]
    return out


def _attendee(value: Any, path: str) -> dict[str, Any]:
    obj = _object(value, path, "attendee", {"emailAddress", "type", "status", "proposedNewTime"})
    email = _object(obj.get("emailAddress"), f"{path}/emailAddress", "emailAddress", {"address", "name"})
    address = _string(email.get("address"), f"{path}/emailAddress/address")
    if not address or "@" not in address:
        raise GraphError(400, "ErrorInvalidRecipients",
                         "At least one recipient isn't valid., A message can't be sent because it "
                         "contains no recipients." if not address else
                         f"At least one recipient isn't valid., Recipient '{address}' is not "
                         f"resolved. All recipients must be resolved before a message can be submitted.")
    name = _string(email.get("name"), f"{path}/emailAddress/name") or address
    kind = _enum("attendeeType", obj.get("type") or "required", f"{path}/type")
    return {"type": kind, "status": {"response": "none", "time": NO_RESPONSE_TIME},
            "emailAddress": {"name": name, "address": address}}


def _recurrence(value: Any, path: str, start_zone: str) -> dict[str, Any] | None:
    """patternedRecurrence in the normalised form Graph returns (user-post-events.md ex. 3)."""
    if value is None:
        return None
    obj = _object(value, path, "patternedRecurrence", {"pattern", "range"})
    pat = _object(obj.get("pattern"), f"{path}/pattern", "recurrencePattern",
                  {"type", "interval", "month", "dayOfMonth", "daysOfWeek", "firstDayOfWeek", "index"})
    rng = _object(obj.get("range"), f"{path}/range", "recurrenceRange",
                  {"type", "startDate", "endDate", "recurrenceTimeZone", "numberOfOccurrences"})
    ptype = _enum("patternType", pat.get("type"), f"{path}/pattern/type")
    interval = _int(pat.get("interval", 1), f"{path}/pattern/interval")
    month = _int(pat.get("month", 0), f"{path}/pattern/month")
    day = _int(pat.get("dayOfMonth", 0), f"{path}/pattern/dayOfMonth")
    days = [_enum("dayOfWeek", d, f"{path}/pattern/daysOfWeek")
            for d in _list(pat.get("daysOfWeek") or [], f"{path}/pattern/daysOfWeek", "dayOfWeek")]
    first = _enum("dayOfWeek", pat.get("firstDayOfWeek") or "sunday", f"{path}/pattern/firstDayOfWeek")
    index = _enum("weekIndex", pat.get("index") or "first", f"{path}/pattern/index")
    if interval < 1:
        raise bad_request("The recurrence pattern interval must be at least 1.")
    if ptype in ("weekly", "relativeMonthly", "relativeYearly") and not days:
        raise bad_request(f"A {ptype} recurrence pattern needs daysOfWeek.")
    if ptype in ("absoluteMonthly", "absoluteYearly") and not 1 <= day <= 31:
        raise bad_request(f"A {ptype} recurrence pattern needs dayOfMonth between 1 and 31.")
    if ptype in ("absoluteYearly", "relativeYearly") and not 1 <= month <= 12:
        raise bad_request(f"A {ptype} recurrence pattern needs month between 1 and 12.")
    rtype = _enum("rangeType", rng.get("type"), f"{path}/range/type")
    start_date = _date(rng.get("startDate"), f"{path}/range/startDate")
    if start_date is None:
        raise bad_request("The recurrence range needs a startDate.")
    end_date = _date(rng.get("endDate"), f"{path}/range/endDate")
    count = _int(rng.get("numberOfOccurrences", 0) or 0, f"{path}/range/numberOfOccurrences")
    if rtype == "endDate" and (end_date is None or end_date < start_date):
        raise bad_request("The recurrence range endDate must be on or after its startDate.")
    if rtype == "numbered" and count < 1:
        raise bad_request("A numbered recurrence range needs numberOfOccurrences of at least 1.")
    rtz = _string(rng.get("recurrenceTimeZone"), f"{path}/range/recurrenceTimeZone") or start_zone
    if not timezones.is_known(rtz):
        raise GraphError(400, "TimeZoneNotSupportedException",
                         f"A valid TimeZone value must be specified. The following TimeZone value "
                         f"is not supported: '{rtz}'.")
    return {
        "pattern": {"type": ptype, "interval": interval, "month": month, "dayOfMonth": day,
                    "daysOfWeek": days, "firstDayOfWeek": first, "index": index},
        "range": {"type": rtype, "startDate": start_date.isoformat(),
                  "endDate": end_date.isoformat() if rtype == "endDate" and end_date else "0001-01-01",
                  "recurrenceTimeZone": rtz,
                  "numberOfOccurrences": count if rtype == "numbered" else 0},
    }


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _type_error(path, "Edm.Date", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _type_error(path, "Edm.Date", value) from None


def _string_list(value: Any, path: str) -> list[str]:
    return [_string(v, path, nullable=False) for v in _list(value, path, "Edm.String")]  # type: ignore[misc]


_SIMPLE: dict[str, Callable[[Any, str], Any]] = {
    "subject": lambda v, p: _string(v, p) or "",
    "categories": _string_list,
    "importance": lambda v, p: _enum("importance", v, p),
    "sensitivity": lambda v, p: _enum("sensitivity", v, p),
    "showAs": lambda v, p: _enum("showAs", v, p),
    "isAllDay": _bool, "isReminderOn": _bool, "responseRequested": _bool, "hideAttendees": _bool,
    "allowNewTimeProposals": _bool,
    "reminderMinutesBeforeStart": _int,
    "body": _item_body,
    "start": date_time_time_zone, "end": date_time_time_zone,
    "attendees": lambda v, p: [_attendee(a, f"{p}/{i}") for i, a in enumerate(_list(v, p, "attendee"))],
}
_WRITABLE = set(_SIMPLE) | {"location", "locations", "isOnlineMeeting", "onlineMeetingProvider",
                            "transactionId", "recurrence"}


def parse_json(raw: bytes, what: str = "an event") -> dict[str, Any]:
    """The request body as a JSON object, or 400 RequestBodyRead naming ``what`` it should be."""
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise body_read(f"Invalid JSON. {exc}") from None
    if not isinstance(value, dict):
        raise body_read(f"Invalid JSON. The request body must be a JSON object ({what}).")
    return value


def _read(payload: dict[str, Any]) -> dict[str, Any]:
    """Validate every property the client sent; returns the normalised values it set."""
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if key in _SIMPLE:
            if value is None and key not in ("subject",):
                raise _type_error(key, "a non-null value", value)
            out[key] = _SIMPLE[key](value, key)
        elif key == "location":
            out[key] = None if value is None else _location_in(value, key)
        elif key == "locations":
            out[key] = [_location_in(v, f"locations/{i}")
                        for i, v in enumerate(_list(value, key, "location"))]
        elif key == "isOnlineMeeting":
            out[key] = _bool(value, key)
        elif key == "onlineMeetingProvider":
            out[key] = _enum("onlineMeetingProvider", value, key)
        elif key == "transactionId":
            out[key] = _string(value, key)
        elif key == "recurrence":
            out[key] = value  # validated once start's zone is known
        elif key in _READ_ONLY:
            continue
        else:
            raise body_read(f"The property '{key}' does not exist on type 'microsoft.graph.event'. "
                            f"Make sure to only use property names that are defined by the type or "
                            f"mark the type as open type.")
    return out


def _instants(fields: dict[str, Any]) -> tuple[datetime, datetime]:
    start, end = fields["start"], fields["end"]
    s = timezones.to_instant(start["dateTime"], start["timeZone"])
    e = timezones.to_instant(end["dateTime"], end["timeZone"])
    if fields["isAllDay"]:
        s_local, e_local = timezones.parse_local(start["dateTime"]), timezones.parse_local(end["dateTime"])
        if s_local.time() != datetime.min.time() or e_local.time() != datetime.min.time():
            raise bad_request("Your request can't be completed. If you're creating an all-day event, "
                              "the start and end time must be set to midnight.")
        if timezones.zone(start["timeZone"]) != timezones.zone(end["timeZone"]):
            raise bad_request("Your request can't be completed. The start and end of an all-day "
                              "event must be in the same time zone.")
        if e_local <= s_local:
            raise _validation_failure()
    elif e < s:
        raise _validation_failure()
    return s, e


def _validation_failure() -> GraphError:
    # What Graph answers for an end before the start (microsoft-graph-docs#7919): a generic
    # property validation error, not ErrorInvalidRequest.
    return GraphError(400, "ErrorPropertyValidationFailure", "At least one property failed validation.")


def _derive_locations(fields: dict[str, Any], sent: dict[str, Any]) -> None:
    """Keep ``location`` and ``locations`` in correspondence (user-post-events.md ex. 1 and 2)."""
    if "locations" in sent:
        locs = sent["locations"]
        fields["locations_in"] = locs
        if "location" in sent and sent["location"] is not None:
            fields["location_in"] = sent["location"]
        elif len(locs) == 1:
            fields["location_in"] = dict(locs[0])
        elif locs:
            joined = "; ".join(l["displayName"] for l in locs)
            fields["location_in"] = {"displayName": joined, "locationType": "default"}
        else:
            fields["location_in"] = None
    elif "location" in sent:
        loc = sent["location"]
        fields["location_in"] = loc
        fields["locations_in"] = [] if loc is None or not loc.get("displayName") else [
            {k: v for k, v in loc.items() if k not in ("uniqueId", "uniqueIdType")}]


def emitted_locations(fields: dict[str, Any], faults: frozenset[str]) -> tuple[dict, list]:
    loc_in = fields.get("location_in")
    location = _emitted_location(loc_in or {}, primary=True)
    if active(faults, "location-not-mirrored"):
        return location, []
    return location, [_emitted_location(l, primary=False) for l in fields.get("locations_in", [])]


def _online_meeting(store: Store, owner: User, event_id: str) -> dict[str, str]:
    thread = uuid.uuid5(uuid.NAMESPACE_URL, event_id)
    meeting = (f"19%3ameeting_{thread.hex[:8]}-{thread.hex[8:12]}%40thread.v2")
    context = (f"%7b%22Tid%22%3a%22{store.tenant}%22%2c%22Oid%22%3a%22{owner.id}%22%7d")
    return {"joinUrl": f"https://teams.microsoft.com/l/meetup-join/{meeting}/0?context={context}",
            "conferenceId": str(int(thread.hex[:8], 16) % 10**9).zfill(9),
            "tollNumber": "+1 425 555 0123"}


def _apply_online(store: Store, owner: User, calendar: Calendar, ev_id: str,
                  fields: dict[str, Any], sent: dict[str, Any], faults: frozenset[str]) -> None:
    # Once an event is an online meeting it stays one: isOnlineMeeting false is ignored later
    # (event.md: the meeting blob lives on; event-update.md warns against losing it).
    if fields.get("onlineMeeting") is not None:
        if sent.get("isOnlineMeeting") is False and active(faults, "online-meeting-turned-off"):
            fields.update(isOnlineMeeting=False, onlineMeetingProvider="unknown", onlineMeeting=None)
        return
    if sent.get("isOnlineMeeting") is True:
        provider = sent.get("onlineMeetingProvider")
        if provider in (None, "unknown"):
            provider = calendar.defaultOnlineMeetingProvider
        fields["isOnlineMeeting"] = True
        fields["onlineMeetingProvider"] = provider
        fields["onlineMeeting"] = None if active(faults, "no-online-meeting") else _online_meeting(
            store, owner, ev_id)
    elif "onlineMeetingProvider" in sent and not fields.get("isOnlineMeeting"):
        fields["onlineMeetingProvider"] = sent["onlineMeetingProvider"]


def _defaults(owner: User) -> dict[str, Any]:
    return {
        "categories": [], "reminderMinutesBeforeStart": 15, "isReminderOn": True,
        "hasAttachments": False, "hideAttendees": False, "subject": "", "importance": "normal",
        "sensitivity": "normal", "isAllDay": False, "isCancelled": False, "isDraft": False,
        "isOrganizer": True, "responseRequested": True, "seriesMasterId": None, "showAs": "busy",
        "type": "singleInstance", "onlineMeetingUrl": None, "isOnlineMeeting": False,
        "onlineMeetingProvider": "unknown", "onlineMeeting": None, "allowNewTimeProposals": True,
        "responseStatus": {"response": "organizer", "time": NO_RESPONSE_TIME},
        "body": {"contentType": "html", "content": ""},
        "recurrence": None, "attendees": [],
        "organizer": {"emailAddress": owner.email_address},
        "location_in": None, "locations_in": [],
    }


def create_event(store: Store, owner: User, calendar: Calendar, payload: dict[str, Any],
                 faults: frozenset[str]) -> tuple[StoredEvent, bool]:
    """Create (or, for a repeated transactionId, find) an event. Returns (event, created).

    The caller holds ``store.lock``.
    """
    sent = _read(payload)
    tid = sent.get("transactionId")
    if tid and not active(faults, "duplicate-transaction"):
        existing = store.event_by_transaction(owner.id, tid)
        if existing is not None:
            return existing, False
    if "start" not in sent or "end" not in sent:
        raise bad_request("Your request can't be completed. An event needs both start and end.")
    fields = _defaults(owner)
    fields.update({k: v for k, v in sent.items()
                   if k not in ("location", "locations", "isOnlineMeeting", "onlineMeetingProvider",
                                "transactionId", "recurrence")})
    fields["recurrence"] = _recurrence(sent.get("recurrence"), "recurrence", fields["start"]["timeZone"])
    if fields["recurrence"] is not None:
        fields["type"] = "seriesMaster"
        fields["recurrence_sent"] = sent["recurrence"]
    _derive_locations(fields, sent)
    start_utc, end_utc = _instants(fields)
    now = datetime.now(timezone.utc)
    ev_id = store.new_event_id(owner)
    _apply_online(store, owner, calendar, ev_id, fields, sent, faults)
    event = StoredEvent(id=ev_id, owner_id=owner.id, calendar_id=calendar.id, fields=fields,
                        start_utc=start_utc, end_utc=end_utc, created=now, modified=now,
                        change_key=store.new_change_key(owner), ical_uid=store.new_ical_uid(now),
                        transaction_id=tid or None)
    return store.add_event(event), True


def update_event(store: Store, event: StoredEvent, payload: dict[str, Any],
                 faults: frozenset[str]) -> StoredEvent:
    """PATCH semantics: only the sent properties change; new changeKey. Caller holds the lock."""
    sent = _read(payload)
    if "transactionId" in sent and sent["transactionId"] != event.transaction_id:
        raise bad_request("TransactionId is immutable once set.")
    owner = store.users[event.owner_id]
    fields = dict(event.fields)
    fields.update({k: v for k, v in sent.items()
                   if k not in ("location", "locations", "isOnlineMeeting", "onlineMeetingProvider",
                                "transactionId", "recurrence")})
    if "recurrence" in sent:
        fields["recurrence"] = _recurrence(sent["recurrence"], "recurrence", fields["start"]["timeZone"])
        fields["recurrence_sent"] = sent["recurrence"]
        if fields["type"] in ("seriesMaster", "singleInstance"):
            fields["type"] = "seriesMaster" if fields["recurrence"] else "singleInstance"
    _derive_locations(fields, sent)
    start_utc, end_utc = _instants(fields)
    _apply_online(store, owner, store.calendars[event.calendar_id], event.id, fields, sent, faults)
    event.fields, event.start_utc, event.end_utc = fields, start_utc, end_utc
    store.touch(event, keep_change_key=active(faults, "stale-changekey"))
    return event

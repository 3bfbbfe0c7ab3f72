"""Graph payloads from stored records: events and calendars, with the request's preferences.

Property order follows the documented create responses (user-post-events.md example 1).
"""

from __future__ import annotations

from functools import lru_cache
from datetime import timezone
from typing import Any, Sequence
from urllib.parse import quote

from graphcal import timezones
from graphcal.emulator.core import bodies
from graphcal.emulator.core.events import emitted_locations
from graphcal.emulator.core.prefer import Prefs
from graphcal.emulator.core.store import Calendar, Store, StoredEvent
from graphcal.emulator.core.faults import active

GRAPH_ROOT = "https://graph.microsoft.com/v1.0"

EVENT_PROPERTIES: tuple[str, ...] = (
    "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "originalStartTimeZone",
    "originalEndTimeZone", "iCalUId", "uid", "reminderMinutesBeforeStart", "isReminderOn",
    "hasAttachments", "hideAttendees", "subject", "bodyPreview", "importance", "sensitivity",
    "isAllDay", "isCancelled", "isDraft", "isOrganizer", "responseRequested", "seriesMasterId",
    "transactionId", "showAs", "type", "webLink", "onlineMeetingUrl", "isOnlineMeeting",
    "onlineMeetingProvider", "onlineMeeting", "allowNewTimeProposals", "responseStatus", "body",
    "start", "end", "location", "locations", "recurrence", "attendees", "organizer",
)
SELECTABLE = frozenset(EVENT_PROPERTIES) | {"id"}
# Rendered after "type" when an event's fields hold them (occurrences and exceptions).
SERIES_POSITION: tuple[str, ...] = ("occurrenceId", "originalStart")

def _stamp(dt: Any) -> str:
    # createdDateTime/lastModifiedDateTime: UTC, trailing zeros trimmed, Z (GRAPH-FACTS).
    text = dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return text + "Z"


def zoned(instant: Any, prefs_: Prefs) -> dict[str, str]:
    """An instant as dateTimeTimeZone in the Prefer zone (UTC without one)."""
    label = prefs_.timezone or "UTC"
    return {"dateTime": timezones.format_local(timezones.to_local(instant, label)), "timeZone": label}


def _zoned(ev: StoredEvent, which: str, prefs_: Prefs) -> dict[str, str]:
    # The preferred zone or UTC, on reads and writes alike (event.md; GRAPH-FACTS). Three doc
    # examples answer a POST without Prefer in the request's zone, and users report live Graph
    # doing so and ignoring Prefer on POST (microsoft-graph-docs-contrib#8645); the suite's
    # contract is the documented Prefer behaviour, so the emulator applies it everywhere.
    if ev.fields["isAllDay"]:
        # All-day events are not converted: midnight stays midnight, labelled with the zone asked for.
        local = timezones.parse_local(ev.fields[which]["dateTime"])
        value = {"dateTime": timezones.format_local(local), "timeZone": prefs_.timezone or "UTC"}
    else:
        value = zoned(ev.start_utc if which == "start" else ev.end_utc, prefs_)
    return value


def _series_uid(ev: StoredEvent, store: Store) -> str:
    """``uid``: one value for a whole series (live payloads carry it; the v1.0 metadata lacks
    it). iCalUId differs per occurrence; uid is the master's iCalUId."""
    if "uid" in ev.fields:
        return ev.fields["uid"]
    master_id = ev.fields.get("seriesMasterId")
    master = store.event(ev.owner_id, master_id) if master_id else None
    return master.ical_uid if master is not None else ev.ical_uid


@lru_cache(maxsize=65536)
def _web_link(event_id: str) -> str:
    return (f"https://outlook.office365.com/owa/?itemid={quote(event_id, safe='')}"
            f"&exvsurl=1&path=/calendar/item")


def user_context(user_key: str, path: str, *, select: Sequence[str] | None = None,
                 entity: bool = False) -> str:
    """``@odata.context`` of ``path`` under a user (``user_key`` from routing.context_user).

    The one rule for every route: $select names follow the path in the order the client wrote
    them (event-get.md example 2, event-list-instances.md), and a single item ends ``/$entity``.
    """
    context = f"{GRAPH_ROOT}/$metadata#users('{user_key}')/{path}"
    if select:
        context += "(" + ",".join(select) + ")"
    return context + "/$entity" if entity else context


def event_context(owner_id: str, calendar_id: str | None = None, *, collection: bool = False,
                  select: Sequence[str] | None = None) -> str:
    """``@odata.context`` of an event or event collection; $select names in the order given."""
    path = "events" if calendar_id is None else f"calendars('{quote(calendar_id, safe='')}')/events"
    return user_context(owner_id, path, select=select, entity=not collection)


def event_payload(ev: StoredEvent, store: Store, prefs_: Prefs, faults: frozenset[str],
                  select: frozenset[str] | None = None) -> dict[str, Any]:
    """The event as Graph returns it (without @odata.context, which depends on the route)."""
    f = ev.fields
    wanted = EVENT_PROPERTIES if select is None else [p for p in EVENT_PROPERTIES if p in select]
    out: dict[str, Any] = {"@odata.etag": f'W/"{ev.change_key}"', "id": ev.id}
    location = locations = None
    if "location" in wanted or "locations" in wanted:
        location, locations = emitted_locations(f, faults)
    for name in wanted:
        if name == "createdDateTime":
            out[name] = _stamp(ev.created)
        elif name == "lastModifiedDateTime":
            out[name] = _stamp(ev.modified)
        elif name == "changeKey":
            out[name] = ev.change_key
        elif name == "originalStartTimeZone":
            out[name] = f["start"]["timeZone"]
        elif name == "originalEndTimeZone":
            out[name] = f["end"]["timeZone"]
        elif name == "iCalUId":
            out[name] = ev.ical_uid
        elif name == "uid":
            out[name] = _series_uid(ev, store)
        elif name == "bodyPreview":
            out[name] = bodies.preview_of(f["body"])
        elif name == "transactionId":
            # Only returned when set (event.md).
            if ev.transaction_id is not None:
                out[name] = ev.transaction_id
        elif name == "webLink":
            out[name] = _web_link(ev.id)
        elif name == "body":
            out[name] = bodies.payload(f["body"], prefs_.body_type or (
                "text" if active(faults, "body-text-by-default") else None))
        elif name in ("start", "end"):
            out[name] = _zoned(ev, name, prefs_)
        elif name == "location":
            out[name] = location
        elif name == "locations":
            out[name] = locations
        elif name == "type":
            out[name] = f[name]
            if select is None:
                # An occurrence's or exception's place in its series (set by the recurrence feature).
                out.update((key, f[key]) for key in SERIES_POSITION if key in f)
        elif name == "recurrence":
            rec = f["recurrence"]
            out[name] = (f.get("recurrence_sent") if rec is not None
                         and active(faults, "recurrence-not-normalised") else rec)
        else:
            out[name] = f[name]
    return out


def calendar_payload(cal: Calendar, store: Store) -> dict[str, Any]:
    owner = store.users[cal.owner_id]
    # Property order of the documented calendar GET (outlook-share-or-delegate-calendar.md).
    return {"id": cal.id, "name": cal.name, "color": cal.color, "hexColor": cal.hexColor,
            "isDefaultCalendar": cal.isDefaultCalendar, "changeKey": cal.changeKey,
            "canShare": cal.canShare, "canViewPrivateItems": cal.canViewPrivateItems,
            "canEdit": cal.canEdit, "allowedOnlineMeetingProviders": list(cal.allowedOnlineMeetingProviders),
            "defaultOnlineMeetingProvider": cal.defaultOnlineMeetingProvider,
            "isTallyingResponses": cal.isTallyingResponses, "isRemovable": cal.isRemovable,
            "owner": {"name": owner.displayName, "address": owner.mail}}

"""Query options on the mailbox's collections (issue 15): ``$select``, ``$top``, ``$filter``,
``$orderby`` asc and desc, ``$count``, paging by ``@odata.nextLink`` and
``Prefer: odata.maxpagesize`` on ``/me/events``, ``/me/calendarView``,
``/me/events/{id}/instances`` and ``/me/messages``.

Each scenario creates its own items, tagged with a run marker (``graph.anchor``) so its
``$filter`` selects exactly them, plus one decoy that the filter must leave out, and deletes them
at the end. Where a page documents an option for the collection
(``graphcal.invariants.queries.DOCUMENTED``) the EVT-QRY invariant is checked; where none does,
what the target did is recorded as information (``Step.note``), never as a verdict.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable, Mapping
from urllib.parse import parse_qs, urlsplit

import pytest

from graphcal.client import GraphClient, eventually, prefer_max_page_size
from graphcal.invariants.common import obj
from graphcal.invariants.queries import CARRIED, documented, page_items
from graphcal.invariants.registry import get
from graphcal import probes
from graphcal.scenario import Graph, Step

DAY = "2031-05-05"  # far from any walkthrough's dates: a live calendar is unlikely to hold others
WINDOW = {"startDateTime": f"{DAY}T00:00:00Z", "endDateTime": "2031-05-06T00:00:00Z"}
ITEMS = 5  # items that match each scenario's filter; the $top values below are smaller
QUERY = "concepts/query-parameters.md"
API = "api-reference/v1.0/api"
QRY = ["EVT-QRY-SELECT-1", "EVT-QRY-TOP-1", "EVT-QRY-PAGE-1"]


def marker(graph: Graph) -> str:
    """This run's tag: every item the scenario creates carries it in its subject."""
    return graph.anchor("run_marker", lambda: f"gcq{uuid.uuid4().hex[:10]}")


def event_at(subject: str, hour: int) -> dict[str, Any]:
    return {"subject": subject,
            "start": {"dateTime": f"{DAY}T{hour:02d}:00:00", "timeZone": "UTC"},
            "end": {"dateTime": f"{DAY}T{hour:02d}:30:00", "timeZone": "UTC"}}


def create(s: Step, client: GraphClient, body: dict[str, Any], what: str) -> str:
    r = client.post("/me/events", json=body, effect=probes.created(client, "/me/events", body))
    s.response(r, schema="event")
    return s.field(s.require(r.body if r.status == 201 else None, what), "id", what=what)


def create_items(graph: Graph, tag: str, created: list[str], title: str,
                 extra: Callable[[dict[str, Any]], None] | None = None) -> tuple[list[str], str]:
    """Step 1: ITEMS events whose subjects start with ``<tag> item`` (one an hour from 09:00
    UTC) and a decoy (``decoy <tag>``, 08:00 UTC) that a filter on the prefix leaves out:
    (ids, decoy id); each id joins ``created`` (deleted at the end)."""
    organizer = graph.persona("organizer")
    with graph.step(f"1: {title}", source=f"{API}/user-post-events.md") as s:
        for n, subject, hour in [*((n, f"{tag} item {n}", 9 + n) for n in range(ITEMS)),
                                 (ITEMS, f"decoy {tag}", 8)]:
            body = event_at(subject, hour)
            if extra:
                extra(body)
            created.append(create(s, organizer, body, f"created item {n}" if n < ITEMS else "the created decoy"))
    return created[:ITEMS], created[ITEMS]


def prefix_filter(tag: str) -> str:
    return f"startswith(subject,'{tag} item')"


def read_pages(s: Step, client: GraphClient, path: str, params: Mapping[str, str],
               headers: Mapping[str, str] | None = None, schema: str = "collection:event") -> list[Any]:
    """Every page of ``path``, following @odata.nextLink; each page is evidence (SCHEMA-1) and
    must be a collection (else the step blocks)."""
    pages = []
    for page in client.pages(path, params=dict(params), headers=headers):
        s.response(page, schema=schema)
        body = s.require(page.body if page.ok else None, f"a page of {path}")
        s.items(body, what=f"a page of {path}")
        pages.append(body)
    return pages


def check_or_note(s: Step, option: str, collection: str, invariant_id: str, *args: Any) -> None:
    """Check ``invariant_id`` where a page documents ``option`` for ``collection``; else record
    what the invariant would have found, as information."""
    if documented(option, collection):
        s.check(invariant_id, *args)
        return
    outcome = get(invariant_id)(*args)
    s.note(f"{option} on {collection} (no page documents it): "
           + ("honoured" if outcome.passed else f"not honoured: {outcome.message}"))


def note_next_links(s: Step, collection: str, params: Mapping[str, str], pages: list[Any]) -> None:
    """Information: which of the request's options the nextLinks carry (documented for
    messages only, where EVT-QRY-PAGE-2 checks it)."""
    links = [obj(p).get("@odata.nextLink") for p in pages if isinstance(obj(p).get("@odata.nextLink"), str)]
    sent = sorted(k for k in params if k.lower() in CARRIED)
    kept = {k for link in links for k in parse_qs(urlsplit(link).query)}
    s.note(f"{collection}: {len(links)} nextLink(s); the request's {', '.join(sent)} "
           f"{'all carried' if set(sent) <= kept else 'not all carried: ' + ', '.join(sorted(set(sent) - kept))}")


def optional_pages(s: Step, client: GraphClient, path: str, params: Mapping[str, str],
                   headers: Mapping[str, str] | None = None, schema: str = "collection:event") -> list[Any] | None:
    """Every page of a request whose options no page documents for the collection: a refusal is
    recorded as information (None), not a blocked step."""
    pages = []
    for page in client.pages(path, params=dict(params), headers=headers):
        if not page.ok:
            s.response(page)
            s.note(f"{page.request.method} {path} with {', '.join(sorted({**params, **(headers or {})}))} "
                   f"answered {page.status}")
            return None
        s.response(page, schema=schema)
        s.items(page.body, what=f"a page of {path}")
        pages.append(page.body)
    return pages


def note_max_page_size(s: Step, client: GraphClient, collection: str, path: str,
                       params: Mapping[str, str], size: int, schema: str = "collection:event") -> None:
    """Information: Prefer: odata.maxpagesize is documented for delta only; what page sizes came."""
    pages = optional_pages(s, client, path, params, prefer_max_page_size(size), schema)
    if pages is not None:
        sizes = [len(obj(p).get("value") or []) for p in pages]
        s.note(f"Prefer: odata.maxpagesize={size} on {collection} (documented for delta only): page "
               f"sizes {sizes}" + (" (honoured)" if all(n <= size for n in sizes) else " (not honoured)"))


def delete_all(graph: Graph, ids: list[str]) -> None:
    with graph.step("last: organizer deletes what the scenario created",
                    source=f"{API}/event-delete.md") as s:
        organizer = graph.persona("organizer")
        for event_id in ids:
            r = organizer.delete(f"/me/events/{event_id}")
            if r.status != 204:
                s.note(f"cleanup: DELETE of {event_id} answered {r.status}")


# --- /me/events ---------------------------------------------------------------------------------

@pytest.mark.scenario(feature="events", invariants=[
    "SCHEMA-1", *QRY, "EVT-QRY-FILTER-1", "EVT-QRY-ORDER-1", "EVT-QRY-COUNT-1"])
def test_query_options_on_events(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    tag = marker(graph)
    created: list[str] = []
    try:
        ids, decoy = create_items(graph, tag, created, "organizer creates five tagged events and a decoy")
        with graph.step("2: $filter + $select + $orderby desc + $top=2 + $count=true, paged by nextLink",
                        source=f"{QUERY}#odata-system-query-options") as s:
            params = {"$filter": prefix_filter(tag), "$select": "subject,start",
                      "$orderby": "start/dateTime desc", "$top": "2", "$count": "true"}
            pages = read_pages(s, organizer, "/me/events", params)
            listed = page_items(pages)
            s.check("EVT-QRY-SELECT-1", listed, ["subject", "start"])
            s.check("EVT-QRY-TOP-1", pages, 2, ITEMS)
            s.check("EVT-QRY-PAGE-1", pages, ids)
            s.check("EVT-QRY-FILTER-1", pages, [decoy])
            s.check("EVT-QRY-ORDER-1", listed, "start/dateTime", True)
            s.check("EVT-QRY-COUNT-1", pages[0], ITEMS)
            note_next_links(s, "events", params, pages)
        with graph.step("3: the same filter, $orderby ascending (the default) and $top=3",
                        source=f"{QUERY}#orderby-parameter") as s:
            params = {"$filter": prefix_filter(tag), "$orderby": "start/dateTime", "$top": "3"}
            pages = read_pages(s, organizer, "/me/events", params)
            s.check("EVT-QRY-ORDER-1", page_items(pages), "start/dateTime", False)
            s.check("EVT-QRY-TOP-1", pages, 3, ITEMS)
            s.check("EVT-QRY-PAGE-1", pages, ids)
        with graph.step("4: Prefer: odata.maxpagesize=2 (information: documented for delta only)",
                        source=f"{API}/event-delta.md#request-headers") as s:
            note_max_page_size(s, organizer, "events", "/me/events", {"$filter": prefix_filter(tag)}, 2)
    finally:
        delete_all(graph, created)


# --- /me/calendarView ---------------------------------------------------------------------------

@pytest.mark.scenario(feature="events", invariants=["SCHEMA-1", *QRY])
def test_query_options_on_calendar_view(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    tag = marker(graph)
    created: list[str] = []
    try:
        ids, decoy = create_items(graph, tag, created, "organizer creates five tagged events and a decoy on one day")
        with graph.step("2: calendarView of that day with $select and $top=2, paged by nextLink",
                        source=f"{API}/user-list-calendarview.md#query-parameters") as s:
            # createdDateTime and lastModifiedDateTime cannot be selected on calendarView
            params = {**WINDOW, "$select": "subject,start,end", "$top": "2"}
            pages = read_pages(s, organizer, "/me/calendarView", params)
            s.check("EVT-QRY-SELECT-1", page_items(pages), ["subject", "start", "end"])
            # other events of a live calendar may share the day: ours are at least ITEMS + 1
            s.check("EVT-QRY-TOP-1", pages, 2, ITEMS + 1)
            s.check("EVT-QRY-PAGE-1", pages, [*ids, decoy])
            note_next_links(s, "calendarView", params, pages)
        with graph.step("3: $filter, $orderby desc and $count on calendarView (information: "
                        "its page documents only some options)",
                        source=f"{API}/user-list-calendarview.md#query-parameters") as s:
            params = {**WINDOW, "$filter": prefix_filter(tag), "$orderby": "start/dateTime desc",
                      "$count": "true", "$top": "2"}
            pages = optional_pages(s, organizer, "/me/calendarView", params)
            if pages is not None:
                check_or_note(s, "$filter", "calendarView", "EVT-QRY-FILTER-1", pages, [decoy])
                check_or_note(s, "$orderby", "calendarView", "EVT-QRY-ORDER-1", page_items(pages),
                              "start/dateTime", True)
                check_or_note(s, "$count", "calendarView", "EVT-QRY-COUNT-1", pages[0], ITEMS)
        with graph.step("4: Prefer: odata.maxpagesize=2 (information: documented for delta only)",
                        source=f"{API}/event-delta.md#request-headers") as s:
            note_max_page_size(s, organizer, "calendarView", "/me/calendarView", WINDOW, 2)
    finally:
        delete_all(graph, created)


# --- /me/events/{id}/instances ------------------------------------------------------------------

@pytest.mark.scenario(feature="events", invariants=[
    "SCHEMA-1", *QRY, "EVT-QRY-FILTER-1", "EVT-QRY-ORDER-1", "EVT-QRY-COUNT-1"])
def test_query_options_on_instances(graph: Graph) -> None:
    organizer = graph.persona("organizer")
    tag = marker(graph)
    created: list[str] = []
    window = {"startDateTime": f"{DAY}T00:00:00Z", "endDateTime": "2031-05-12T00:00:00Z"}
    try:
        with graph.step("1: organizer creates a daily series of five occurrences",
                        source=f"{API}/user-post-events.md") as s:
            body = {**event_at(f"{tag} daily", 9), "recurrence": {
                "pattern": {"type": "daily", "interval": 1},
                "range": {"type": "numbered", "startDate": DAY, "numberOfOccurrences": ITEMS}}}
            master = create(s, organizer, body, "the created series master")
            created.append(master)
            path = f"/me/events/{master}/instances"
        with graph.step("2: its instances in one page: the occurrences to page through",
                        source=f"{API}/event-list-instances.md") as s:
            whole = page_items(read_pages(s, organizer, path, {**window, "$top": "50"}))
            s.require(len(whole) == ITEMS or None, f"{ITEMS} occurrences (got {len(whole)})")
            starts = {s.field(e, "id", what="an occurrence"): str(s.field(e, "start", "dateTime",
                                                                        what="an occurrence"))
                      for e in whole}
        with graph.step("3: $select + $orderby desc + $top=2 + $count=true, paged by nextLink",
                        source=f"{API}/event-list-instances.md#query-parameters") as s:
            params = {**window, "$select": "subject,start,type", "$orderby": "start/dateTime desc",
                      "$top": "2", "$count": "true"}
            pages = read_pages(s, organizer, path, params)
            listed = page_items(pages)
            s.check("EVT-QRY-SELECT-1", listed, ["subject", "start", "type"])
            s.check("EVT-QRY-TOP-1", pages, 2, ITEMS)
            s.check("EVT-QRY-PAGE-1", pages, list(starts))
            s.check("EVT-QRY-ORDER-1", listed, "start/dateTime", True)
            s.check("EVT-QRY-COUNT-1", pages[0], ITEMS)
            note_next_links(s, "instances", params, pages)
        with graph.step("4: $filter on start: the last three occurrences, none of the first two",
                        source=f"{API}/event-list-instances.md#query-parameters") as s:
            cut = "2031-05-07T00:00:00"
            later = [i for i, start in starts.items() if start >= cut]
            earlier = [i for i in starts if i not in later]
            params = {**window, "$filter": f"start/dateTime ge '{cut}'", "$top": "2"}
            pages = read_pages(s, organizer, path, params)
            s.check("EVT-QRY-FILTER-1", pages, earlier)
            s.check("EVT-QRY-PAGE-1", pages, later)
        with graph.step("5: Prefer: odata.maxpagesize=2 (information: documented for delta only)",
                        source=f"{API}/event-delta.md#request-headers") as s:
            note_max_page_size(s, organizer, "instances", path, window, 2)
    finally:
        delete_all(graph, created)


# --- /me/messages -------------------------------------------------------------------------------

DELIVERY_DEADLINE_S = {"emulator": 5.0}  # live delivery takes longer; GRAPHCAL_DELIVERY_DEADLINE_S overrides


@pytest.mark.scenario(feature="events", invariants=[
    "SCHEMA-1", *QRY, "EVT-QRY-PAGE-2", "EVT-QRY-FILTER-1", "EVT-QRY-ORDER-1", "EVT-QRY-COUNT-1"])
def test_query_options_on_messages(graph: Graph) -> None:
    attendee = graph.persona("attendee")
    tag = marker(graph)
    deadline = graph.anchor("delivery_deadline_s", lambda: float(
        os.environ.get("GRAPHCAL_DELIVERY_DEADLINE_S") or DELIVERY_DEADLINE_S.get(graph.kind, 120.0)))
    created: list[str] = []

    def invite(body: dict[str, Any]) -> None:
        body["attendees"] = [{"emailAddress": graph.user("attendee").email_address(), "type": "required"}]

    try:
        _, decoy = create_items(graph, tag, created, "organizer invites the attendee to five "
                                "tagged meetings and a decoy", invite)
        with graph.step("2: the attendee's inbox holds the six invitations (delivery is eventual)",
                        source=f"{API}/user-list-messages.md") as s:
            def delivered(prefix: str, count: int) -> list[Any]:
                def probe() -> list[Any]:
                    r = attendee.get("/me/messages", params={
                        "$filter": f"startswith(subject,'{prefix}')", "$top": "50"})
                    s.response(r, schema="collection:message")
                    found = s.items(r.body, what="the attendee's inbox") if r.ok else []
                    return found if len(found) >= count else []
                return eventually(probe, deadline_s=deadline)
            items = s.require(delivered(f"{tag} item", ITEMS), f"{ITEMS} invitations in the attendee's inbox")
            decoys = s.require(delivered(f"decoy {tag}", 1), "the decoy invitation")
            messages = [s.field(m, "id", what="an invitation") for m in items]
            decoy_message = s.field(decoys[0], "id", what="the decoy invitation")
        with graph.step("3: $filter + $orderby desc + $select + $top=2 + $count=true, paged by nextLink",
                        source=f"{API}/user-list-messages.md#using-filter-and-orderby-in-the-same-query") as s:
            # the $orderby property is the $filter's (else Graph answers InefficientFilter)
            params = {"$filter": prefix_filter(tag), "$orderby": "subject desc",
                      "$select": "subject,sender", "$top": "2", "$count": "true"}
            pages = read_pages(s, attendee, "/me/messages", params, schema="collection:message")
            listed = page_items(pages)
            s.check("EVT-QRY-SELECT-1", listed, ["subject", "sender"])
            s.check("EVT-QRY-TOP-1", pages, 2, ITEMS)
            s.check("EVT-QRY-PAGE-1", pages, messages)
            if len(pages) > 1:
                s.check("EVT-QRY-PAGE-2", params, pages)
            s.check("EVT-QRY-FILTER-1", pages, [decoy_message])
            s.check("EVT-QRY-ORDER-1", listed, "subject", True)
            s.check("EVT-QRY-COUNT-1", pages[0], ITEMS)
        with graph.step("4: the same filter, $orderby ascending",
                        source=f"{QUERY}#orderby-parameter") as s:
            params = {"$filter": prefix_filter(tag), "$orderby": "subject asc", "$top": "3"}
            pages = read_pages(s, attendee, "/me/messages", params, schema="collection:message")
            s.check("EVT-QRY-ORDER-1", page_items(pages), "subject", False)
            s.check("EVT-QRY-PAGE-1", pages, messages)
            if len(pages) > 1:
                s.check("EVT-QRY-PAGE-2", params, pages)
        with graph.step("5: Prefer: odata.maxpagesize=2 (information: documented for delta only)",
                        source=f"{API}/event-delta.md#request-headers") as s:
            note_max_page_size(s, attendee, "messages", "/me/messages", {"$filter": prefix_filter(tag)},
                               2, schema="collection:message")
        with graph.step("6: the attendee deletes the invitations",
                        source="api-reference/v1.0/api/user-list-messages.md") as s:
            for message_id in [*messages, decoy_message]:
                r = attendee.delete(f"/me/messages/{message_id}")
                if r.status != 204:
                    s.note(f"cleanup: DELETE of message {message_id} answered {r.status}")
    finally:
        delete_all(graph, created)

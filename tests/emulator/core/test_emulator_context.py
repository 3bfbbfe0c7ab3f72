"""``@odata.context`` follows one rule on every route: the path's user key, then the path, then
the $select names as the client wrote them (event-get.md example 2, event-list-instances.md:
``.../instances(subject,bodyPreview,seriesMasterId,type,recurrence,start,end)``), and
``/$entity`` on a single item."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from graphcal.emulator.core.serialize import GRAPH_ROOT
from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import client, lunch
from tests.emulator.scheduling.meeting_helpers import ADELE, ALEX, create, messages

# Deliberately not alphabetical: a route that sorts the names answers "(start,subject,type)".
SELECT = "type,subject,start"
WINDOW = {"startDateTime": "2017-04-01", "endDateTime": "2017-05-01"}


def _context(client_: httpx.Client, path: str, **params: str) -> str:
    r = client_.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()["@odata.context"]


def _series(alex: httpx.Client) -> str:
    return alex.post("me/events", json=lunch(recurrence={
        "pattern": {"type": "daily", "interval": 1},
        "range": {"type": "numbered", "startDate": "2017-04-15", "numberOfOccurrences": 3}})).json()["id"]


def test_every_event_route_keeps_select_as_written(alex: httpx.Client) -> None:
    master = _series(alex)
    me = f"{GRAPH_ROOT}/$metadata#users('{alex.get('me').json()['id']}')"
    upn = f"{GRAPH_ROOT}/$metadata#users('{quote(ALEX, safe='')}')"
    occurrence = alex.get(f"me/events/{master}/instances", params=WINDOW).json()["value"][0]["id"]
    # suite: PROP-4.5 (context root); select spelling emulator-only
    assert _context(alex, "me/events", **{"$select": SELECT}) == f"{me}/events({SELECT})"
    assert _context(alex, f"me/events/{master}", **{"$select": SELECT}) == f"{me}/events({SELECT})/$entity"
    assert (_context(alex, f"me/events/{occurrence}", **{"$select": SELECT})
            == f"{me}/events({SELECT})/$entity")
    assert (_context(alex, f"me/events/{master}/instances", **WINDOW, **{"$select": SELECT})
            == f"{me}/events('{quote(master, safe='')}')/instances({SELECT})")
    assert _context(alex, "me/calendarView", **WINDOW, **{"$select": SELECT}) == f"{me}/calendarView({SELECT})"
    assert (_context(alex, f"users/{ALEX}/calendar/calendarView", **WINDOW, **{"$select": SELECT})
            == f"{upn}/calendarView({SELECT})")
    # a feature's property in $select (recurrence's cancelledOccurrences) keeps its place too
    assert (_context(alex, f"me/events/{master}", **{"$select": "subject,cancelledOccurrences,start"})
            == f"{me}/events(subject,cancelledOccurrences,start)/$entity")
    # without $select: no parentheses
    assert _context(alex, "me/calendarView", **WINDOW) == f"{me}/calendarView"


def test_messages_calendars_and_settings_follow_the_same_rule(server: EmulatorServer,
                                                               alex: httpx.Client) -> None:
    create(alex, ADELE)
    with client(server, ADELE) as adele:
        adele_id = adele.get("me").json()["id"]
        me = f"{GRAPH_ROOT}/$metadata#users('{adele_id}')"
        upn = f"{GRAPH_ROOT}/$metadata#users('{quote(ADELE, safe='')}')"
        # emulator-only: context spelling
        assert (_context(adele, "me/messages", **{"$select": "subject,isRead"})
                == f"{me}/messages(subject,isRead)")
        one = messages(adele)[0]["id"]
        assert (_context(adele, f"me/messages/{one}", **{"$select": "subject,isRead"})
                == f"{me}/messages(subject,isRead)/$entity")
        assert (_context(adele, f"me/messages/{one}", **{"$expand": "microsoft.graph.eventMessage/event"})
                == f"{me}/messages(microsoft.graph.eventMessage/event())/$entity")  # the docs' example
        assert _context(adele, "me/calendars") == f"{me}/calendars"
        assert _context(adele, f"users/{ADELE}/calendar") == f"{upn}/calendar/$entity"
        assert _context(adele, f"users/{ADELE}/mailboxSettings") == f"{upn}/mailboxSettings"
        assert _context(adele, "me/mailboxSettings") == f"{me}/mailboxSettings"

"""Helpers for the scheduling tests: a meeting between the seed's people, found the way a client must."""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import client

ALEX, ADELE, MEGAN = "AlexW@contoso.com", "AdeleV@contoso.com", "MeganB@contoso.com"
PST = {"Prefer": 'outlook.timezone="Pacific Standard Time"'}
EXPAND = {"$expand": "microsoft.graph.eventMessage/event"}
NEXT_DAY = {"start": {"dateTime": "2019-08-16T12:00:00", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2019-08-16T14:00:00", "timeZone": "Pacific Standard Time"}}


@pytest.fixture
def adele(server: EmulatorServer) -> Iterator[httpx.Client]:
    """Adele signed in to the test's fresh server (import the fixture into the test module)."""
    with client(server, ADELE) as c:
        yield c


@pytest.fixture
def megan(server: EmulatorServer) -> Iterator[httpx.Client]:
    with client(server, MEGAN) as c:
        yield c


def meeting(*attendees: str, **overrides: Any) -> dict[str, Any]:
    """The walkthrough's lunch (step 1) with these attendees."""
    body: dict[str, Any] = {
        "subject": "Let's go for lunch",
        "body": {"contentType": "HTML", "content": "Does noon work for you?"},
        "start": {"dateTime": "2019-08-15T12:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2019-08-15T14:00:00", "timeZone": "Pacific Standard Time"},
        "allowNewTimeProposals": True,
        "location": {"displayName": "Harry's Bar"},
        "attendees": [{"emailAddress": {"address": a}, "type": "required"} for a in attendees],
    }
    body.update(overrides)
    return body


def create(organizer: httpx.Client, *attendees: str, **overrides: Any) -> dict[str, Any]:
    r = organizer.post("me/events", json=meeting(*attendees, **overrides), headers=PST)
    assert r.status_code == 201, r.text
    return r.json()


def messages(client: httpx.Client, **params: str) -> list[dict[str, Any]]:
    r = client.get("me/messages", params={"$top": "50", **params}, headers=PST)
    assert r.status_code == 200, r.text
    return r.json()["value"]


def expanded(client: httpx.Client, message_id: str) -> dict[str, Any]:
    r = client.get(f"me/messages/{message_id}", params=EXPAND, headers=PST)
    assert r.status_code == 200, r.text
    return r.json()


def invitation(client: httpx.Client, event: dict[str, Any], kind: str = "newMeetingRequest") -> dict[str, Any]:
    """The newest request of ``kind`` for ``event`` (matched on iCalUId), with its event expanded."""
    for listed in messages(client):
        if listed.get("meetingRequestType") != kind:
            continue
        message = expanded(client, listed["id"])
        if (message.get("event") or {}).get("iCalUId") == event["iCalUId"]:
            return message
    raise AssertionError(f"no {kind} for {event['subject']!r} in the mailbox")


def reply(client: httpx.Client, event: dict[str, Any]) -> dict[str, Any]:
    """The newest eventMessageResponse about the organizer's ``event``."""
    for listed in messages(client):
        if listed["@odata.type"] != "#microsoft.graph.eventMessageResponse":
            continue
        message = expanded(client, listed["id"])
        if (message.get("event") or {}).get("id") == event["id"]:
            return message
    raise AssertionError(f"no reply about {event['subject']!r} in the mailbox")


def attendee_entry(event: dict[str, Any], address: str) -> dict[str, Any]:
    return next(a for a in event["attendees"] if a["emailAddress"]["address"].lower() == address.lower())


def get_event(client: httpx.Client, event_id: str) -> dict[str, Any]:
    r = client.get(f"me/events/{event_id}", headers=PST)
    assert r.status_code == 200, r.text
    return r.json()

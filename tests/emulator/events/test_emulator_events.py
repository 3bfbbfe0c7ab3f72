"""Events CRUD over HTTP: create on three collections, get, list, PATCH, DELETE; server fields."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer
from graphcal.schema import validate

from tests.emulator.support import assert_graph_error, client, lunch

ALEX_ID = "4f1c2b9e-6a3d-4e57-9b08-1c2d3e4f5a61"


def test_create_answers_201_with_location_and_context(alex: httpx.Client) -> None:
    r = alex.post("me/events", json=lunch())
    # suite: EVT-CREATE-1, PROP-4.5
    assert r.status_code == 201
    ev = r.json()
    assert ev["@odata.context"] == (f"https://graph.microsoft.com/v1.0/$metadata#users('{ALEX_ID}')"
                                    "/events/$entity")
    assert r.headers["location"] == (f"https://graph.microsoft.com/v1.0/users('{ALEX_ID}')/events"
                                     f"('{quote(ev['id'], safe='')}')")


def test_ids_are_opaque_base64_and_distinct(alex: httpx.Client) -> None:
    ids = {alex.post("me/events", json=lunch()).json()["id"] for _ in range(5)}
    # emulator-only: id encoding is the emulator's
    assert len(ids) == 5
    for i in ids:
        assert base64.urlsafe_b64decode(i).startswith(b"\x00\x03\x24")
        assert i.startswith("AAMk")


def test_server_defaults_as_graph_sets_them(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json={
        "start": {"dateTime": "2021-01-01T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2021-01-01T11:00:00", "timeZone": "UTC"}}).json()
    expected = {"allowNewTimeProposals": True, "isOrganizer": True, "type": "singleInstance",
                "showAs": "busy", "reminderMinutesBeforeStart": 15, "isReminderOn": True,
                "importance": "normal", "sensitivity": "normal", "isAllDay": False,
                "isCancelled": False, "isDraft": False, "responseRequested": True,
                "hasAttachments": False, "hideAttendees": False, "categories": [],
                "seriesMasterId": None, "onlineMeetingUrl": None, "isOnlineMeeting": False,
                "onlineMeetingProvider": "unknown", "onlineMeeting": None, "recurrence": None,
                "attendees": [], "locations": [], "subject": "", "bodyPreview": "",
                "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
                "organizer": {"emailAddress": {"name": "Alex Wilber", "address": "AlexW@contoso.com"}}}
    for key, value in expected.items():
        # suite: EVT-DEF-1/3/4
        assert ev[key] == value, key
    assert "transactionId" not in ev  # only returned when set
    assert ev["location"] == {"displayName": "", "locationType": "default", "uniqueIdType": "unknown",
                              "address": {}, "coordinates": {}}


def test_attendees_get_status_none_and_lower_case_type(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch(attendees=[
        {"emailAddress": {"address": "AdeleV@contoso.com", "name": "Adele Vance"}, "type": "Optional"},
        {"emailAddress": {"address": "room@contoso.com"}}])).json()
    # suite: PROP-1.4
    assert ev["attendees"] == [
        {"type": "optional", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
         "emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.com"}},
        {"type": "required", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
         "emailAddress": {"name": "room@contoso.com", "address": "room@contoso.com"}}]


def test_stamps_icaluid_weblink_and_etag_have_graphs_form(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch()).json()
    # suite: EVT-FMT-2, SCHEMA-1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z", ev["createdDateTime"])
    assert ev["createdDateTime"] == ev["lastModifiedDateTime"]
    assert re.fullmatch(r"040000008200E00074C5B7101A82E008[0-9A-F]{80}", ev["iCalUId"])
    assert ev["@odata.etag"] == f'W/"{ev["changeKey"]}"'
    assert base64.b64decode(ev["changeKey"])
    assert ev["uid"] == ev["iCalUId"]  # a single event: its own series of one
    assert ev["webLink"].startswith("https://outlook.office365.com/owa/?itemid=AAMk")


@pytest.mark.parametrize("collection", ["me/events", "me/calendar/events", "CAL"])
def test_create_on_each_collection_lands_in_the_primary_calendar(alex: httpx.Client, collection: str) -> None:
    cal_id = alex.get("me/calendar").json()["id"]
    path = f"me/calendars/{cal_id}/events" if collection == "CAL" else collection
    r = alex.post(path, json=lunch(subject=collection))
    # not yet a suite invariant: candidate (calendar-post-events.md)
    assert r.status_code == 201
    ev_id = r.json()["id"]
    for listing in ("me/events", "me/calendar/events", f"me/calendars/{cal_id}/events"):
        assert [e["id"] for e in alex.get(listing).json()["value"]] == [ev_id]
    assert alex.get(f"me/calendars/{cal_id}/events/{ev_id}").status_code == 200
    if collection == "CAL":
        assert f"/calendars('{quote(cal_id, safe='')}')/events/$entity" in r.json()["@odata.context"]


def test_users_path_and_me_path_are_the_same_mailbox(alex: httpx.Client) -> None:
    created = alex.post("users/alexw@contoso.com/events", json=lunch()).json()
    # @odata.context echoes the user key as the path wrote it
    # not yet a suite invariant: candidate
    assert "$metadata#users('alexw%40contoso.com')/events/$entity" in created["@odata.context"]
    assert alex.get("users/AlexW@contoso.com/calendars").json()["@odata.context"].endswith(
        "users('AlexW%40contoso.com')/calendars")
    assert alex.get(f"me/events/{created['id']}").json()["id"] == created["id"]
    assert alex.get(f"users/{ALEX_ID}/events/{created['id']}").status_code == 200


def test_get_by_id_returns_the_created_event(alex: httpx.Client) -> None:
    created = alex.post("me/events", json=lunch()).json()
    got = alex.get(f"me/events/{created['id']}")
    # suite: EVT-TZ-3 (read back)
    assert got.status_code == 200
    body = got.json()
    assert body == created


def test_ids_with_plus_for_dash_find_the_same_event(alex: httpx.Client) -> None:
    # Standard base64 spells "-" as "+"; "/" cannot round-trip through a path segment.
    created = next(ev for ev in (alex.post("me/events", json=lunch()).json() for _ in range(60))
                   if "-" in ev["id"])
    standard = created["id"].replace("-", "+")
    # emulator-only: id encoding
    assert alex.get(f"me/events/{quote(standard, safe='')}").json()["id"] == created["id"]


def test_patch_changes_only_what_was_sent_and_answers_200(alex: httpx.Client) -> None:
    created = alex.post("me/events", json=lunch(importance="high")).json()
    r = alex.patch(f"me/events/{created['id']}", json={"subject": "Moved", "showAs": "Tentative"})
    # suite: EVT-UPD-1
    assert r.status_code == 200
    updated = r.json()
    assert updated["subject"] == "Moved" and updated["showAs"] == "tentative"
    assert updated["importance"] == "high"
    assert updated["start"] == created["start"] and updated["createdDateTime"] == created["createdDateTime"]
    assert alex.get(f"me/events/{created['id']}").json() == updated


def test_changekey_and_etag_change_on_every_update(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch()).json()
    seen = {ev["changeKey"]}
    stamps = [ev["lastModifiedDateTime"]]
    for i in range(3):
        ev = alex.patch(f"me/events/{ev['id']}", json={"subject": f"v{i}"}).json()
        # suite: EVT-UPD-2, EVT-UPD-3
        assert ev["changeKey"] not in seen
        assert ev["@odata.etag"] == f'W/"{ev["changeKey"]}"'
        seen.add(ev["changeKey"])
        stamps.append(ev["lastModifiedDateTime"])
    assert stamps == sorted(stamps) and stamps[0] != stamps[-1]


def test_stale_changekey_fault_keeps_the_old_changekey() -> None:
    with EmulatorServer(faults={"stale-changekey"}) as srv, client(srv) as c:
        ev = c.post("me/events", json=lunch()).json()
        again = c.patch(f"me/events/{ev['id']}", json={"subject": "x"}).json()
        # emulator-only: fault switch
        assert again["changeKey"] == ev["changeKey"]


def test_delete_answers_204_and_the_event_is_gone(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch()).json()
    r = alex.delete(f"me/events/{ev['id']}")
    # suite: EVT-DEL-1, EVT-DEL-2
    assert r.status_code == 204 and r.content == b""
    assert_graph_error(alex.get(f"me/events/{ev['id']}"), 404, "ErrorItemNotFound")
    assert_graph_error(alex.delete(f"me/events/{ev['id']}"), 404, "ErrorItemNotFound")
    assert_graph_error(alex.patch(f"me/events/{ev['id']}", json={"subject": "x"}), 404,
                       "ErrorItemNotFound")
    assert alex.get("me/events").json()["value"] == []


def test_another_users_event_id_is_not_found_in_my_mailbox(server: EmulatorServer) -> None:
    with client(server, "AdeleV@contoso.com") as adele, client(server) as alex:
        ev = adele.post("me/events", json=lunch()).json()
        # not yet a suite invariant: no page states it
        assert_graph_error(alex.get(f"me/events/{ev['id']}"), 404, "ErrorItemNotFound")


def test_calendars_list_get_and_default(alex: httpx.Client) -> None:
    listing = alex.get("me/calendars").json()
    # not yet a suite invariant: calendars feature has no suite
    assert listing["@odata.context"].endswith(f"users('{ALEX_ID}')/calendars")
    [cal] = listing["value"]
    for key in ("id", "name", "color", "hexColor", "isDefaultCalendar", "changeKey", "canShare",
                "canViewPrivateItems", "canEdit", "owner", "allowedOnlineMeetingProviders",
                "defaultOnlineMeetingProvider", "isTallyingResponses", "isRemovable"):
        assert key in cal, key
    assert cal["canEdit"] is True and cal["canShare"] is True and cal["canViewPrivateItems"] is True
    assert cal["owner"] == {"name": "Alex Wilber", "address": "AlexW@contoso.com"}
    default = alex.get("me/calendar").json()
    assert default["id"] == cal["id"] and default["isDefaultCalendar"] is True
    assert default["@odata.context"].endswith(f"users('{ALEX_ID}')/calendar/$entity")
    by_id = alex.get(f"me/calendars/{cal['id']}").json()
    assert by_id["id"] == cal["id"] and by_id["@odata.context"].endswith("/calendars/$entity")
    assert list(by_id)[1:4] == ["id", "name", "color"]


def test_calendar_errors(alex: httpx.Client) -> None:
    # not yet a suite invariant: calendars feature has no suite
    assert_graph_error(alex.get("me/calendars/not-an-id"), 400, "ErrorInvalidIdMalformed")
    assert_graph_error(alex.get("me/calendars/AAMkAGI1AAAt9AHjAAA="), 404, "ErrorItemNotFound")
    assert_graph_error(alex.post("me/calendars/AAMkAGI1AAAt9AHjAAA=/events", json=lunch()), 404,
                       "ErrorItemNotFound")


def test_user_and_mailbox_settings(alex: httpx.Client) -> None:
    me = alex.get("me").json()
    # not yet a suite invariant: core/delegation, no suite
    assert me["id"] == ALEX_ID and me["userPrincipalName"] == "AlexW@contoso.com"
    settings = alex.get("me/mailboxSettings").json()
    assert settings["timeZone"] == "Pacific Standard Time"
    assert settings["delegateMeetingMessageDeliveryOptions"] == "sendToDelegateOnly"


def test_payloads_are_valid_against_the_graph_schemas(alex: httpx.Client) -> None:
    weekly = {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
              "range": {"type": "noEnd", "startDate": "2017-04-17"}}
    bodies = [lunch(), lunch(recurrence=weekly), lunch(isOnlineMeeting=True),
              lunch(isAllDay=True, start={"dateTime": "2017-04-15T00:00:00", "timeZone": "UTC"},
                    end={"dateTime": "2017-04-16T00:00:00", "timeZone": "UTC"}),
              lunch(locations=[{"displayName": "A", "address": {"city": "Redmond"},
                                "coordinates": {"latitude": 47.6, "longitude": -122.1}}],
                    attendees=[{"emailAddress": {"address": "a@b.com"}, "type": "resource"}])]
    for body in bodies:
        ev = alex.post("me/events", json=body).json()
        # suite: SCHEMA-1
        assert validate(ev, "event") == [], body
        assert validate(alex.patch(f"me/events/{ev['id']}", json={"subject": "x"}).json(), "event") == []
    assert validate(alex.get("me/events").json(), "collection:event") == []
    assert validate(alex.get("me/events", params={"$select": "subject,start"}).json(), "collection:event") == []
    assert validate(alex.get("me/calendar").json(), "calendar") == []
    assert validate(alex.get("me/calendars").json(), "collection:calendar") == []
    assert validate(alex.get("me/mailboxSettings").json(), "mailboxSettings") == []

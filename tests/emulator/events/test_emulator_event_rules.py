"""transactionId idempotency, location/locations correspondence, online meetings, recurrence."""

from __future__ import annotations

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import assert_graph_error, client, lunch


# -- transactionId ---------------------------------------------------------------------------
def test_retried_create_with_the_same_transaction_id_returns_the_same_event(alex: httpx.Client) -> None:
    first = alex.post("me/events", json=lunch(transactionId="tx-1"))
    second = alex.post("me/events", json=lunch(transactionId="tx-1", subject="retry"))
    # suite: EVT-TXN-1
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["subject"] == "Lunch"
    assert second.json()["transactionId"] == "tx-1"
    assert len(alex.get("me/events").json()["value"]) == 1
    assert alex.post("me/events", json=lunch(transactionId="tx-2")).json()["id"] != first.json()["id"]
    assert len(alex.get("me/events").json()["value"]) == 2


def test_transaction_ids_are_per_mailbox(server: EmulatorServer) -> None:
    with client(server) as alex, client(server, "AdeleV@contoso.com") as adele:
        a = alex.post("me/events", json=lunch(transactionId="shared")).json()
        b = adele.post("me/events", json=lunch(transactionId="shared")).json()
        # emulator-only: no page states the scope
        assert a["id"] != b["id"]


def test_changing_the_transaction_id_is_400(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch(transactionId="tx-a")).json()
    # suite: EVT-TXN-2
    err = assert_graph_error(alex.patch(f"me/events/{ev['id']}", json={"transactionId": "tx-b"}), 400,
                             "ErrorInvalidRequest")
    assert "TransactionId" in err["message"]
    plain = alex.post("me/events", json=lunch()).json()
    assert_graph_error(alex.patch(f"me/events/{plain['id']}", json={"transactionId": "late"}), 400,
                       "ErrorInvalidRequest")
    # sending the same value again is not a change
    assert alex.patch(f"me/events/{ev['id']}", json={"transactionId": "tx-a"}).status_code == 200


def test_deleting_frees_the_transaction_id(alex: httpx.Client) -> None:
    ev = alex.post("me/events", json=lunch(transactionId="tx-del")).json()
    alex.delete(f"me/events/{ev['id']}")
    # emulator-only: no page states it
    assert alex.post("me/events", json=lunch(transactionId="tx-del")).json()["id"] != ev["id"]


def test_duplicate_transaction_fault_creates_twice() -> None:
    with EmulatorServer(faults={"duplicate-transaction"}) as srv, client(srv) as c:
        c.post("me/events", json=lunch(transactionId="t"))
        c.post("me/events", json=lunch(transactionId="t"))
        # emulator-only: fault switch
        assert len(c.get("me/events").json()["value"]) == 2


# -- location / locations --------------------------------------------------------------------
def test_single_location_is_mirrored_into_locations(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(location={"displayName": "Harry's Bar"})).json()
    # suite: EVT-LOC-1
    assert ev["location"] == {"displayName": "Harry's Bar", "locationType": "default",
                              "uniqueId": "Harry's Bar", "uniqueIdType": "private"}
    assert ev["locations"] == [{"displayName": "Harry's Bar", "locationType": "default",
                                "uniqueIdType": "unknown"}]


def test_only_locations_gives_a_joined_location(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(locations=[{"displayName": "A"}, {"displayName": "B"}])).json()
    # suite: EVT-LOC-2
    assert ev["location"]["displayName"] == "A; B"
    assert [l["displayName"] for l in ev["locations"]] == ["A", "B"]


def test_patching_location_replaces_locations(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(locations=[{"displayName": "A"}, {"displayName": "B"}])).json()
    ev = alex_shared.patch(f"me/events/{ev['id']}", json={"location": {"displayName": "C"}}).json()
    # suite: EVT-LOC-3
    assert ev["location"]["displayName"] == "C"
    assert [l["displayName"] for l in ev["locations"]] == ["C"]
    ev = alex_shared.patch(f"me/events/{ev['id']}", json={"location": None}).json()
    assert ev["location"]["displayName"] == "" and ev["locations"] == []


def test_location_not_mirrored_fault(tmp_path) -> None:
    with EmulatorServer(faults={"location-not-mirrored"}) as srv, client(srv) as c:
        ev = c.post("me/events", json=lunch(location={"displayName": "X"})).json()
        # emulator-only: fault switch
        assert ev["locations"] == []


def test_location_with_wrong_types_is_400(alex_shared: httpx.Client) -> None:
    for loc in ({"displayName": 5}, {"displayName": "x", "locationType": "moon"},
                {"displayName": "x", "coordinates": {"latitude": "north"}}, ["x"]):
        # emulator-only: no page states Graph's answer (request validation)
        assert_graph_error(alex_shared.post("me/events", json=lunch(location=loc)), 400, "RequestBodyRead")


# -- online meetings -------------------------------------------------------------------------
def test_online_meeting_is_created_once_with_a_join_url(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")).json()
    # suite: EVT-ONLINE-1/2
    assert ev["isOnlineMeeting"] is True and ev["onlineMeetingProvider"] == "teamsForBusiness"
    join = ev["onlineMeeting"]["joinUrl"]
    assert join.startswith("https://teams.microsoft.com/l/meetup-join/")
    again = alex_shared.patch(f"me/events/{ev['id']}", json={"isOnlineMeeting": True, "subject": "x"}).json()
    assert again["onlineMeeting"]["joinUrl"] == join


def test_online_meeting_cannot_be_turned_off(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")).json()
    r = alex_shared.patch(f"me/events/{ev['id']}", json={"isOnlineMeeting": False})
    # suite: EVT-ONLINE-3
    assert r.status_code == 200
    assert r.json()["isOnlineMeeting"] is True and r.json()["onlineMeeting"] == ev["onlineMeeting"]


def test_online_meeting_can_be_turned_on_later_with_the_default_provider(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch()).json()
    # not yet a suite invariant: candidate (event.md)
    assert ev["onlineMeeting"] is None
    ev = alex_shared.patch(f"me/events/{ev['id']}", json={"isOnlineMeeting": True}).json()
    assert ev["onlineMeetingProvider"] == "teamsForBusiness" and ev["onlineMeeting"]["joinUrl"]


def test_no_online_meeting_fault() -> None:
    with EmulatorServer(faults={"no-online-meeting"}) as srv, client(srv) as c:
        ev = c.post("me/events", json=lunch(isOnlineMeeting=True)).json()
        # emulator-only: fault switch
        assert ev["isOnlineMeeting"] is True and ev["onlineMeeting"] is None


# -- recurrence ------------------------------------------------------------------------------
WEEKLY = {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["Monday"]},
          "range": {"type": "endDate", "startDate": "2017-09-04", "endDate": "2017-12-31"}}


def test_recurring_event_is_a_series_master_with_normalised_recurrence(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch(
        start={"dateTime": "2017-09-04T12:00:00", "timeZone": "Pacific Standard Time"},
        end={"dateTime": "2017-09-04T14:00:00", "timeZone": "Pacific Standard Time"},
        recurrence=WEEKLY)).json()
    # suite: EVT-REC-1/2/3
    assert ev["type"] == "seriesMaster" and ev["seriesMasterId"] is None
    assert ev["recurrence"] == {
        "pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0,
                    "daysOfWeek": ["monday"], "firstDayOfWeek": "sunday", "index": "first"},
        "range": {"type": "endDate", "startDate": "2017-09-04", "endDate": "2017-12-31",
                  "recurrenceTimeZone": "Pacific Standard Time", "numberOfOccurrences": 0}}
    assert alex_shared.get(f"me/events/{ev['id']}").json()["recurrence"] == ev["recurrence"]


@pytest.mark.parametrize("recurrence, expected_range", [
    ({"pattern": {"type": "daily", "interval": 2}, "range": {"type": "numbered", "startDate": "2024-01-01", "numberOfOccurrences": 5}},
     {"type": "numbered", "startDate": "2024-01-01", "endDate": "0001-01-01", "recurrenceTimeZone": "UTC", "numberOfOccurrences": 5}),
    ({"pattern": {"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 15}, "range": {"type": "noEnd", "startDate": "2024-01-15", "recurrenceTimeZone": "Tokyo Standard Time"}},
     {"type": "noEnd", "startDate": "2024-01-15", "endDate": "0001-01-01", "recurrenceTimeZone": "Tokyo Standard Time", "numberOfOccurrences": 0}),
])
def test_other_ranges_are_normalised(alex_shared: httpx.Client, recurrence: dict, expected_range: dict) -> None:
    ev = alex_shared.post("me/events", json=lunch(
        start={"dateTime": "2024-01-01T09:00:00", "timeZone": "UTC"},
        end={"dateTime": "2024-01-01T10:00:00", "timeZone": "UTC"}, recurrence=recurrence)).json()
    # suite: EVT-REC-2, EVT-GOLD-3
    assert ev["recurrence"]["range"] == expected_range


def test_relative_yearly_pattern_keeps_index_and_month(alex_shared: httpx.Client) -> None:
    rec = {"pattern": {"type": "relativeYearly", "interval": 1, "month": 11, "daysOfWeek": ["THURSDAY"], "index": "Fourth"},
           "range": {"type": "noEnd", "startDate": "2024-11-28"}}
    ev = alex_shared.post("me/events", json=lunch(recurrence=rec)).json()
    # suite: EVT-REC-2
    assert ev["recurrence"]["pattern"] == {"type": "relativeYearly", "interval": 1, "month": 11, "dayOfMonth": 0,
                                           "daysOfWeek": ["thursday"], "firstDayOfWeek": "sunday", "index": "fourth"}


def test_recurrence_can_be_added_and_removed_by_patch(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch()).json()
    ev = alex_shared.patch(f"me/events/{ev['id']}", json={"recurrence": WEEKLY}).json()
    # suite: REC-EXP-1 (test_weekly step 10); removal not yet
    assert ev["type"] == "seriesMaster"
    ev = alex_shared.patch(f"me/events/{ev['id']}", json={"recurrence": None}).json()
    assert ev["type"] == "singleInstance" and ev["recurrence"] is None


@pytest.mark.parametrize("recurrence, code", [
    ({"pattern": {"type": "weekly", "interval": 1}, "range": {"type": "noEnd", "startDate": "2024-01-01"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "daily", "interval": 0}, "range": {"type": "noEnd", "startDate": "2024-01-01"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "daily", "interval": 1}, "range": {"type": "endDate", "startDate": "2024-01-05", "endDate": "2024-01-01"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "daily", "interval": 1}, "range": {"type": "numbered", "startDate": "2024-01-01"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 3}, "range": {"type": "noEnd", "startDate": "2024-01-01"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd"}}, "ErrorInvalidRequest"),
    ({"pattern": {"type": "hourly", "interval": 1}, "range": {"type": "noEnd", "startDate": "2024-01-01"}}, "RequestBodyRead"),
    ({"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd", "startDate": "Jan 1"}}, "RequestBodyRead"),
    ({"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd", "startDate": "2024-01-01", "recurrenceTimeZone": "Nowhere"}}, "TimeZoneNotSupportedException"),
    ({"pattern": {"type": "daily"}, "range": {"type": "noEnd", "startDate": "2024-01-01"}, "extra": 1}, "RequestBodyRead"),
])
def test_invalid_recurrence_is_400(alex_shared: httpx.Client, recurrence: dict, code: str) -> None:
    # suite: REC-INVALID-1
    assert_graph_error(alex_shared.post("me/events", json=lunch(recurrence=recurrence)), 400, code)


def test_recurrence_not_normalised_fault() -> None:
    with EmulatorServer(faults={"recurrence-not-normalised"}) as srv, client(srv) as c:
        ev = c.post("me/events", json=lunch(recurrence=WEEKLY)).json()
        # emulator-only: fault switch
        assert ev["recurrence"] == WEEKLY

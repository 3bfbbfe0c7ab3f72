"""Client mistakes get Graph's JSON error body with Graph's codes: never HTML, never a 500."""

from __future__ import annotations

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import assert_graph_error, client, lunch


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"a string"', b"\xff\xfe", b'{"subject": "x",}'])
def test_malformed_json_is_400_request_body_read(alex_shared: httpx.Client, raw: bytes) -> None:
    r = alex_shared.post("me/events", content=raw, headers={"Content-Type": "application/json"})
    # emulator-only: no page states Graph's answer
    assert_graph_error(r, 400, "RequestBodyRead")


def test_malformed_json_on_patch_is_400(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch()).json()
    r = alex_shared.patch(f"me/events/{ev['id']}", content=b"{", headers={"Content-Type": "application/json"})
    # emulator-only: no page states Graph's answer
    assert_graph_error(r, 400, "RequestBodyRead")


@pytest.mark.parametrize("prop, value", [
    ("subject", 42), ("isAllDay", "true"), ("reminderMinutesBeforeStart", "15"),
    ("reminderMinutesBeforeStart", 1.5), ("reminderMinutesBeforeStart", True), ("categories", "Red"),
    ("categories", [1]), ("attendees", {"emailAddress": {}}), ("start", "2024-01-01T10:00:00"),
    ("importance", "urgent"), ("showAs", 3), ("allowNewTimeProposals", None), ("isOnlineMeeting", 1),
    ("onlineMeetingProvider", "zoom"), ("transactionId", 7), ("locations", {"displayName": "x"}),
])
def test_wrong_types_are_400_request_body_read(alex_shared: httpx.Client, prop: str, value: object) -> None:
    # emulator-only: no page states Graph's answer
    err = assert_graph_error(alex_shared.post("me/events", json=lunch(**{prop: value})), 400, "RequestBodyRead")
    assert prop in err["message"]


def test_unknown_property_is_400_naming_it(alex_shared: httpx.Client) -> None:
    # emulator-only: no page states Graph's answer (test_request_validation.py step 2)
    err = assert_graph_error(alex_shared.post("me/events", json=lunch(colour="blue")), 400, "RequestBodyRead")
    assert "'colour'" in err["message"] and "microsoft.graph.event" in err["message"]


def test_bad_datetime_is_400(alex_shared: httpx.Client) -> None:
    body = lunch(start={"dateTime": "tomorrow", "timeZone": "UTC"})
    # emulator-only: no page states Graph's answer
    assert_graph_error(alex_shared.post("me/events", json=body), 400, "RequestBodyRead")
    body = lunch(start={"dateTime": "2024-02-30T10:00:00", "timeZone": "UTC"})
    assert_graph_error(alex_shared.post("me/events", json=body), 400, "RequestBodyRead")


def test_missing_start_or_end_is_400(alex_shared: httpx.Client) -> None:
    body = lunch()
    del body["end"]
    # emulator-only: no page states Graph's answer
    assert_graph_error(alex_shared.post("me/events", json=body), 400, "ErrorInvalidRequest")


def test_attendee_without_address_is_400(alex_shared: httpx.Client) -> None:
    r = alex_shared.post("me/events", json=lunch(attendees=[{"emailAddress": {"name": "No Address"}}]))
    # emulator-only: no page states Graph's answer
    assert_graph_error(r, 400, "ErrorInvalidRecipients")


def test_read_only_properties_sent_back_are_ignored(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events", json=lunch()).json()
    copy = {k: v for k, v in ev.items()}
    copy["subject"] = "round trip"
    r = alex_shared.patch(f"me/events/{ev['id']}", json=copy)
    # emulator-only: no page states Graph's answer
    assert r.status_code == 200, r.text
    assert r.json()["id"] == ev["id"] and r.json()["subject"] == "round trip"


def test_malformed_id_is_400_and_unknown_id_is_404(alex_shared: httpx.Client) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        # suite: EVT-DEL-2 (404 + error body); malformed-id 400 no source
        assert_graph_error(alex_shared.request(method, "me/events/not-an-id!", json={}), 400, "ErrorInvalidIdMalformed")
        assert_graph_error(alex_shared.request(method, "me/events/AAMkAGI1AAAt9AHjAAA=", json={}), 404, "ErrorItemNotFound")


@pytest.mark.parametrize("path, segment", [
    ("me/foo", "foo"), ("me/events/AAMkAGI1AAAt9AHjAAA=/attachmentsx", "attachmentsx"),
    ("users/AlexW@contoso.com/nothing", "nothing"), ("groups", "groups"),
])
def test_unknown_route_under_v1_is_400_resource_not_found(alex_shared: httpx.Client, path: str, segment: str) -> None:
    # emulator-only: routing
    err = assert_graph_error(alex_shared.get(path), 400, "BadRequest")
    assert f"'{segment}'" in err["message"]


def test_other_versions_are_400_invalid_version(shared_server: EmulatorServer) -> None:
    for url in ("/beta/me/events", "/", "/favicon.ico"):
        r = httpx.get(shared_server.root_url + url)
        # emulator-only: routing
        assert_graph_error(r, 400, "BadRequest")


@pytest.mark.parametrize("method, path", [
    ("PUT", "me/events/AAMkAGI1AAAt9AHjAAA="), ("POST", "me/events/AAMkAGI1AAAt9AHjAAA="),
    ("DELETE", "me/events"), ("PATCH", "me/calendar"), ("POST", "me/calendars/AAMkAGI1AAAt9AHjAAA="),
])
def test_wrong_method_is_405_json(alex_shared: httpx.Client, method: str, path: str) -> None:
    r = alex_shared.request(method, path, json={})
    # emulator-only: routing
    assert_graph_error(r, 405, "ErrorInvalidRequest")
    assert "allow" in r.headers


def test_wrong_method_on_the_token_endpoint_is_405_json(shared_server: EmulatorServer) -> None:
    # emulator-only: sign-in
    assert_graph_error(httpx.get(shared_server.token_url), 405, "ErrorInvalidRequest")


def test_client_request_id_is_echoed(alex_shared: httpx.Client) -> None:
    r = alex_shared.get("me/events/AAMkAGI1AAAt9AHjAAA=", headers={"client-request-id": "my-id-1"})
    # not yet a suite invariant: candidate (no page in corpus)
    err = assert_graph_error(r, 404, "ErrorItemNotFound")
    assert err["innerError"]["client-request-id"] == "my-id-1" == r.headers["client-request-id"]


def test_error_body_plain_fault_breaks_the_shape() -> None:
    with EmulatorServer(faults={"error-body-plain"}) as srv, client(srv) as c:
        r = c.get("me/events/AAMkAGI1AAAt9AHjAAA=")
        # emulator-only: fault switch
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/plain")


def test_a_trailing_slash_is_the_same_resource_not_a_redirect(alex_shared: httpx.Client) -> None:
    ev = alex_shared.post("me/events/", json=lunch())
    # emulator-only: routing
    assert ev.status_code == 201
    assert alex_shared.get(f"me/events/{ev.json()['id']}/").json()["id"] == ev.json()["id"]
    assert alex_shared.get("me/calendar/").status_code == 200

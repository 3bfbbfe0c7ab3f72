"""Access tokens expire (issue 15): the emulator's token lifetime, its ``graphcal_expires_in``
request, the 401 for an expired token, and the client side that asks for one
(``TokenSource.expired_token``, ``Target.expired_token``)."""

from __future__ import annotations

import time
from typing import Iterator

import httpx
import pytest

from graphcal.emulator.core.auth import LIFETIME_FIELD, TOKEN_LIFETIME_S
from graphcal.emulator.server import EmulatorServer
from graphcal.personas import EXPIRES_IN_FIELD, TokenSource
from graphcal.targets import open_target, parse_target

ALEX = {"grant_type": "password", "username": "AlexW@contoso.com", "password": "alex-emulator-pw",
        "client_id": "graphcal-tests", "scope": "https://graph.microsoft.com/.default"}


@pytest.fixture(scope="module")
def srv() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:
        yield server


def events_with(srv: EmulatorServer, token: str) -> httpx.Response:
    return httpx.get(f"{srv.base_url}/me/events", headers={"Authorization": f"Bearer {token}"})


def test_the_field_names_agree() -> None:
    assert LIFETIME_FIELD == EXPIRES_IN_FIELD  # the client does not import the emulator


def test_a_token_asked_with_lifetime_0_is_issued_expired_and_refused(srv: EmulatorServer) -> None:
    answer = httpx.post(srv.token_url, data={**ALEX, LIFETIME_FIELD: "0"}).json()
    assert answer["expires_in"] == 0
    r = events_with(srv, answer["access_token"])
    assert r.status_code == 401 and r.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert "expired" in r.json()["error"]["message"]
    assert "Bearer" in r.headers["WWW-Authenticate"]


def test_a_token_lives_its_lifetime(srv: EmulatorServer) -> None:
    default = httpx.post(srv.token_url, data=ALEX).json()
    assert default["expires_in"] == TOKEN_LIFETIME_S and events_with(srv, default["access_token"]).status_code == 200
    short = httpx.post(srv.token_url, data={**ALEX, LIFETIME_FIELD: "1"}).json()
    assert events_with(srv, short["access_token"]).status_code == 200
    time.sleep(1.1)
    assert events_with(srv, short["access_token"]).status_code == 401
    # never longer than Entra's lifetime
    assert httpx.post(srv.token_url, data={**ALEX, LIFETIME_FIELD: "99999"}).json()["expires_in"] == TOKEN_LIFETIME_S


@pytest.mark.parametrize("value", ["-1", "soon", ""])
def test_a_bad_lifetime_is_an_oauth2_error(srv: EmulatorServer, value: str) -> None:
    r = httpx.post(srv.token_url, data={**ALEX, LIFETIME_FIELD: value})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_a_refreshed_token_is_fresh(srv: EmulatorServer) -> None:
    expired = httpx.post(srv.token_url, data={**ALEX, LIFETIME_FIELD: "0"}).json()
    fresh = httpx.post(srv.token_url, data={"grant_type": "refresh_token", "client_id": "graphcal-tests",
                                            "refresh_token": expired["refresh_token"]}).json()
    assert events_with(srv, fresh["access_token"]).status_code == 200


def test_token_source_asks_for_an_expired_token_and_tells_when_it_got_none(srv: EmulatorServer) -> None:
    source = TokenSource(endpoint=srv.token_url, form=tuple(sorted(ALEX.items())))
    token = source.expired_token()
    assert token is not None and events_with(srv, token).status_code == 401
    assert TokenSource(literal="abc").expired_token() is None

    def entra(request: httpx.Request) -> httpx.Response:  # ignores the field: a fresh token
        return httpx.Response(200, json={"access_token": "fresh", "expires_in": 3599})
    ignoring = TokenSource(endpoint="https://login.example/token", form=(("grant_type", "password"),))
    assert ignoring.expired_token(transport=httpx.MockTransport(entra)) is None
    refusing = httpx.MockTransport(lambda request: httpx.Response(400, json={"error": "invalid_request"}))
    assert ignoring.expired_token(transport=refusing) is None


def test_the_emulator_target_issues_an_expired_token_per_role() -> None:
    target = open_target(parse_target("emulator"))
    try:
        token = target.expired_token("organizer")
        assert token is not None and token in target.secrets
        client = target.client("organizer").with_token(token, persona="organizer:expired")
        assert client.get("/me/events").status == 401
        assert target.client("organizer").get("/me/events").status == 200
    finally:
        target.close()
    assert open_target(parse_target("replay")).expired_token("organizer")  # a placeholder

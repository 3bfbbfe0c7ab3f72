"""Fixtures for the emulator tests: real servers on loopback, signed-in httpx clients."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer
from graphcal.schema import validate

PASSWORDS = {"AlexW@contoso.com": "alex-emulator-pw", "AdeleV@contoso.com": "adele-emulator-pw",
             "ChristieC@contoso.com": "christie-emulator-pw", "MeganB@contoso.com": "megan-emulator-pw"}


def token(srv: EmulatorServer, upn: str) -> str:
    r = httpx.post(srv.token_url, data={"grant_type": "password", "username": upn,
                                        "password": PASSWORDS[upn], "client_id": "graphcal-tests",
                                        "scope": "https://graph.microsoft.com/.default"})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def client(srv: EmulatorServer, upn: str = "AlexW@contoso.com") -> httpx.Client:
    return httpx.Client(base_url=srv.base_url + "/",
                        headers={"Authorization": f"Bearer {token(srv, upn)}"}, timeout=10)


@pytest.fixture(scope="session")
def shared_server() -> Iterator[EmulatorServer]:
    """One server for tests that only look at what they create themselves."""
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def _resettable_server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture
def server(_resettable_server: EmulatorServer) -> EmulatorServer:
    """A server with empty mailboxes (reset before each test) for tests that count or list."""
    _resettable_server.reset()
    return _resettable_server


@pytest.fixture(scope="session")
def alex_shared(shared_server: EmulatorServer) -> Iterator[httpx.Client]:
    with client(shared_server) as c:
        yield c


@pytest.fixture(scope="session")
def _alex_resettable(_resettable_server: EmulatorServer) -> Iterator[httpx.Client]:
    with client(_resettable_server) as c:
        yield c


@pytest.fixture
def alex(server: EmulatorServer, _alex_resettable: httpx.Client) -> httpx.Client:
    """Alex signed in on ``server`` (empty mailboxes)."""
    return _alex_resettable


def lunch(**overrides: object) -> dict:
    """A minimal valid event body; overrides replace top-level properties."""
    body: dict = {
        "subject": "Lunch",
        "body": {"contentType": "HTML", "content": "Does noon work for you?"},
        "start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2017-04-15T14:00:00", "timeZone": "Pacific Standard Time"},
    }
    body.update(overrides)
    return body


def assert_graph_error(r: httpx.Response, status: int, code: str) -> dict:
    """The response is Graph's JSON error with this status and code; returns the error object."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    err = r.json()["error"]
    assert err["code"] == code, err
    assert isinstance(err["message"], str) and err["message"]
    inner = err["innerError"]
    assert set(inner) == {"date", "request-id", "client-request-id"}
    assert inner["request-id"] == r.headers["request-id"]
    assert validate(r.json(), "error") == []
    return err

"""Helpers shared by the emulator tests: signed-in httpx clients, a minimal event body, and the
Graph error-body assertion (``from tests.emulator.support import client``). The fixtures that
start servers are in the top-level conftest.py."""

from __future__ import annotations

import httpx

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

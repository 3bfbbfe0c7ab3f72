"""A signed-in HTTP client for one emulator user, shaped for the REC-* checks.

Used by tests/recurrence/test_recurrence_emulator_*.py (real HTTP on 127.0.0.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from graphcal.emulator.server import EmulatorServer


@dataclass
class Answer:
    """What the REC checks read from a response: status, parsed body, headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Mailbox:
    """The seed's first user (the organizer) talking to an emulator over HTTP."""

    def __init__(self, srv: EmulatorServer) -> None:
        user = srv.personas[0]
        token = httpx.post(srv.token_url, data={
            "grant_type": "password", "username": user["userPrincipalName"],
            "password": user["password"], "client_id": "graphcal-tests",
            "scope": "https://graph.microsoft.com/.default"}).json()["access_token"]
        self.http = httpx.Client(base_url=srv.base_url + "/", timeout=10,
                                 headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, path: str, **kwargs: Any) -> Answer:
        r = self.http.request(method, path.lstrip("/"), **kwargs)
        return Answer(r.status_code, r.json() if r.content else None, dict(r.headers))

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        r = self.send("POST", "/me/events", json=body)
        assert r.status == 201, r.body
        return r.body

    def listed(self, path: str, start: str, end: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Every item of instances/calendarView for the window, following nextLinks."""
        items: list[dict[str, Any]] = []
        r = self.http.get(path.lstrip("/"), params={"startDateTime": start, "endDateTime": end},
                          headers=headers)
        while True:
            assert r.status_code == 200, r.text
            items += r.json()["value"]
            link = r.json().get("@odata.nextLink")
            if not link:
                return items
            r = self.http.get(link, headers=headers)

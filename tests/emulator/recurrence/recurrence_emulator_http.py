"""The emulator's organizer as a signed-in graphcal client, shaped for the REC-* checks.

Used through the fixtures of the top-level conftest.py (real HTTP on 127.0.0.1). Answers are
``graphcal.client.GraphResponse`` objects: what the checks read (status, body, headers).
"""

from __future__ import annotations

from typing import Any

from graphcal.client import GraphClient, GraphResponse
from graphcal.emulator.server import EmulatorServer
from graphcal.personas import fetch_token


class Mailbox:
    """The seed's first user (the organizer) talking to an emulator over HTTP."""

    def __init__(self, srv: EmulatorServer) -> None:
        user = srv.personas[0]
        token = fetch_token(srv.token_url, {
            "grant_type": "password", "username": user["userPrincipalName"],
            "password": user["password"], "client_id": "graphcal-tests",
            "scope": "https://graph.microsoft.com/.default"})
        self.client = GraphClient(srv.base_url, token, persona="organizer", timeout_s=10)

    def close(self) -> None:
        self.client.close()

    def send(self, method: str, path: str, **kwargs: Any) -> GraphResponse:
        return self.client.request(method, path, **kwargs)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        r = self.send("POST", "/me/events", json=body)
        assert r.status == 201, r.body
        return r.body

    def listed(self, path: str, start: str, end: str, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """Every item of instances/calendarView for the window, following nextLinks."""
        items: list[dict[str, Any]] = []
        for page in self.client.pages(path, params={"startDateTime": start, "endDateTime": end},
                                      headers=headers):
            assert page.status == 200, page.text
            items += page.body["value"]
        return items

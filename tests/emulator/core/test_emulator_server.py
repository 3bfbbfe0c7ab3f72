"""EmulatorServer (in-process) and `graphcal emulator serve` (subprocess) start and stop cleanly."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer
from graphcal.emulator.core.seed import DEFAULT_SEED
from graphcal.errors import ConfigError

from tests.emulator.support import client


def test_server_serves_on_loopback_and_frees_the_port_on_exit() -> None:
    with EmulatorServer() as srv:
        assert srv.base_url == f"http://127.0.0.1:{srv.port}/v1.0"
        assert srv.token_url.endswith(f"/{DEFAULT_SEED['tenant']}/oauth2/v2.0/token")
        port = srv.port
        assert httpx.get(srv.base_url + "/me").status_code == 401
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/v1.0/me", timeout=2)


def test_personas_are_the_documented_users_with_stable_ids() -> None:
    with EmulatorServer() as a, EmulatorServer() as b:
        assert a.personas == b.personas
        names = {p["userPrincipalName"]: p["displayName"] for p in a.personas}
    assert names["AlexW@contoso.com"] == "Alex Wilber"
    assert names["AdeleV@contoso.com"] == "Adele Vance"
    assert names["ChristieC@contoso.com"] == "Christie Cline"
    assert names["MeganB@contoso.com"] == "Megan Bowen"
    assert any(p["role_hint"] == "room" for p in a.personas)
    # roles of people are the harness's table (graphcal.personas), never a seed hint
    assert [p["role_hint"] for p in a.personas if p["password"]] == [None] * 4
    assert set(a.personas[0]) == {"id", "displayName", "userPrincipalName", "mail", "password", "role_hint"}


def test_each_persona_has_a_mailbox_with_a_primary_calendar() -> None:
    with EmulatorServer() as srv:
        for persona in srv.personas:
            if persona["password"] is None:
                continue
            with client(srv, persona["userPrincipalName"]) as c:
                cal = c.get("me/calendar").json()
                assert cal["isDefaultCalendar"] is True
                assert cal["owner"]["address"] == persona["mail"]
        store = srv.app.state.store
        room = next(u for u in store.users.values() if u.type == "room")
        assert store.default_calendar(room.id).isDefaultCalendar
        assert all(u.mailboxSettings["timeZone"] for u in store.users.values())


def test_two_servers_do_not_share_state() -> None:
    with EmulatorServer() as a, EmulatorServer() as b:
        with client(a) as ca, client(b) as cb:
            assert ca.post("me/events", json={
                "subject": "only in a",
                "start": {"dateTime": "2020-01-01T10:00:00", "timeZone": "UTC"},
                "end": {"dateTime": "2020-01-01T11:00:00", "timeZone": "UTC"}}).status_code == 201
            assert len(ca.get("me/events").json()["value"]) == 1
            assert cb.get("me/events").json()["value"] == []


def test_seed_file_replaces_the_users(tmp_path) -> None:
    seed = {"users": [{"id": "11111111-2222-4333-8444-555555555555", "displayName": "Pat Tester",
                       "userPrincipalName": "pat@example.com", "password": "pw"}]}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    with EmulatorServer(seed=path) as srv:
        assert [p["userPrincipalName"] for p in srv.personas] == ["pat@example.com"]
        r = httpx.post(srv.token_url, data={"grant_type": "password", "username": "pat@example.com",
                                            "password": "pw"})
        assert r.status_code == 200


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ('{"users": []}', "non-empty 'users'"),
    ('{"users": [{"id": "x"}]}', "displayName"),
])
def test_a_bad_seed_file_is_one_clear_config_error(tmp_path, content: str, message: str) -> None:
    path = tmp_path / "seed.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        EmulatorServer(seed=path)


def test_an_unknown_fault_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        EmulatorServer(faults={"no-such-fault"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serve_runs_as_a_subprocess_and_stops_on_terminate() -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "graphcal.cli", "emulator", "serve",
                             "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()
        assert f"http://127.0.0.1:{port}/v1.0" in first
        deadline = time.monotonic() + 10
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1.0/me/events", timeout=2)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, "the served emulator never accepted"
                time.sleep(0.05)
        assert r.status_code == 401
        assert r.json()["error"]["code"] == "InvalidAuthenticationToken"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode is not None


def test_cli_serve_with_a_bad_seed_prints_one_line_and_exits_2(tmp_path) -> None:
    path = tmp_path / "seed.json"
    path.write_text("[]")
    r = subprocess.run([sys.executable, "-m", "graphcal.cli", "emulator", "serve", "--seed", str(path)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert r.stderr.startswith("graphcal: seed") and "Traceback" not in r.stderr


def test_cli_serve_with_an_unknown_fault_exits_2() -> None:
    r = subprocess.run([sys.executable, "-m", "graphcal.cli", "emulator", "serve", "--fault", "nope"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "unknown fault switch(es) nope" in r.stderr and "Traceback" not in r.stderr

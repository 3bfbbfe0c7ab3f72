"""The emulator's chaos mode (``graphcal.emulator.core.chaos``) on its own, over real HTTP:
seeded, every kind of misbehaviour as a client sees it, the token endpoint left alone, and a
lost answer whose write really happened."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from graphcal.emulator.core.chaos import KINDS
from graphcal.emulator.server import EmulatorServer
from graphcal.errors import ConfigError

UPN, PASSWORD = "AlexW@contoso.com", "alex-emulator-pw"
BODY = {"start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2017-04-15T13:00:00", "timeZone": "UTC"}}


def signed_in(srv: EmulatorServer) -> httpx.Client:
    r = httpx.post(srv.token_url, data={"grant_type": "password", "username": UPN, "password": PASSWORD,
                                        "client_id": "graphcal-tests", "scope": "https://graph.microsoft.com/.default"})
    assert r.status_code == 200, r.text  # at any rate: the token endpoint is exempt
    return httpx.Client(base_url=srv.base_url + "/", headers={"Authorization": f"Bearer {r.json()['access_token']}"},
                        timeout=10)


def seen(client: httpx.Client, method: str, path: str, **kw: object) -> str:
    """What the client saw: the status, or how the connection was lost."""
    try:
        r = client.request(method, path, **kw)
    except httpx.RemoteProtocolError as exc:
        # before any byte: "Server disconnected without sending a response";
        # after the headers: "peer closed connection without sending complete message body"
        return "closed" if "without sending a response" in str(exc) else "dropped"
    except httpx.ReadError:
        # the same abort, seen as a reset by a client still reading (timing: a loaded machine)
        return "reset"
    return f"{r.status_code} retry-after={r.headers.get('retry-after')}"


def sequence(seed: int, n: int = 30) -> list[str]:
    with EmulatorServer(chaos=0.5, chaos_seed=seed) as srv, signed_in(srv) as client:
        return [seen(client, "GET", "me/calendar") for _ in range(n)]


def test_the_same_seed_gives_the_same_chaos_and_another_seed_another():
    first = sequence(11)
    assert first == sequence(11)
    assert first != sequence(12)
    assert 5 <= sum(s != "200 retry-after=None" for s in first) <= 25  # about half, not all or none


def test_every_kind_as_the_client_sees_it_and_only_a_lost_answer_writes():
    by_kind: dict[str, set[str]] = {}
    written: dict[str, Counter[bool]] = {}
    with EmulatorServer(chaos=1.0, chaos_seed=3) as srv, signed_in(srv) as client:
        counts, store = srv.app.state.chaos.counts, srv.app.state.store
        owner = store.user(UPN).id
        for i in range(60):
            before = Counter(counts)
            outcome = seen(client, "POST", "me/events", json={**BODY, "subject": f"chaos {i}"})
            (kind,) = (counts - before).keys()
            by_kind.setdefault(kind, set()).add(outcome)
            there = any(e.fields.get("subject") == f"chaos {i}" for e in store.events_of(owner))
            written.setdefault(kind, Counter())[there] += 1
    assert set(by_kind) == set(KINDS)
    assert by_kind["throttle"] == {"429 retry-after=1"}
    assert by_kind["unavailable"] == {"503 retry-after=1"}
    assert by_kind["drop"] - {"reset"} == {"dropped"}
    assert by_kind["close"] - {"reset"} == {"closed"}
    assert by_kind["lost"] <= {"dropped", "closed", "reset", "503 retry-after=1"} and len(by_kind["lost"]) >= 2
    lost = written.pop("lost")
    assert lost == Counter({True: sum(lost.values())})  # processed, then its answer lost
    assert all(c == Counter({False: sum(c.values())}) for c in written.values())  # refused unprocessed


def test_a_bad_rate_is_one_clear_error():
    with pytest.raises(ConfigError, match="between 0 and 1"):
        EmulatorServer(chaos=1.5)

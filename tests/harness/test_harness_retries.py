"""GraphClient retries writes only when repeating them is safe, and says when it gave up.

Each test scripts the target's answers with httpx.MockTransport: 429/503 and dropped
connections (httpx.RemoteProtocolError, as uvicorn's abort shows to the client).
"""

from __future__ import annotations

import httpx
import pytest

from graphcal.client import (
    DEFAULT_MAX_RETRIES, GraphClient, TransientError, VirtualClock, use_clock,
)
from graphcal.errors import TargetError

BASE = "http://graph.test/v1.0"
CREATED = {"id": "AAMk1", "subject": "Lunch"}


def scripted(*answers, calls: list[str] | None = None):
    """A transport answering from ``answers`` in turn: a status, an httpx.Response, or an
    exception class to raise (the connection dropped)."""
    queue = list(answers)

    def handler(req: httpx.Request) -> httpx.Response:
        if calls is not None:
            calls.append(req.method)
        answer = queue.pop(0)
        if isinstance(answer, type) and issubclass(answer, Exception):
            raise answer("peer closed connection without sending complete message body", request=req)
        if isinstance(answer, int):
            return httpx.Response(answer, headers={"Retry-After": "1"} if answer == 429 else {})
        return answer

    return GraphClient(BASE, "t", persona="organizer", transport=httpx.MockTransport(handler))


def test_the_default_budget_is_five_retries():
    calls: list[str] = []
    client = scripted(*[503] * 6, calls=calls)
    with use_clock(VirtualClock()), pytest.raises(TransientError) as raised:
        client.patch("/me/events/x", json={"subject": "s"})
    assert DEFAULT_MAX_RETRIES == 5 and calls == ["PATCH"] * 6
    assert str(raised.value) == "transient: PATCH /v1.0/me/events/x: the target answered 503 6 times"


def test_a_post_without_probe_is_repeated_after_a_429_but_not_after_a_503():
    # a 429 is a refusal (concepts/throttling.md: wait, send again); a 503 may hide a write
    calls: list[str] = []
    client = scripted(429, httpx.Response(202), 503, calls=calls)
    with use_clock(VirtualClock()):
        r = client.post("/me/events/x/accept", json={"sendResponse": True})
        assert r.status == 202 and r.recovered is None and calls == ["POST", "POST"]
        with pytest.raises(TransientError, match="not safe to repeat"):
            client.post("/me/events/x/accept", json={"sendResponse": True})
    assert calls == ["POST"] * 3


def test_a_create_with_a_transaction_id_is_repeated_as_is_and_marked():
    calls: list[str] = []
    client = scripted(httpx.RemoteProtocolError, httpx.Response(201, json=CREATED), calls=calls)
    with use_clock(VirtualClock()):
        r = client.post("/me/events", json={"subject": "Lunch", "transactionId": "T1"})
    assert calls == ["POST", "POST"] and r.status == 201 and r.retries == 1
    assert r.attempts == ["connection lost (RemoteProtocolError)"]
    assert "transactionId" in r.recovered  # the answer is to the repeat, not to the create


def test_a_create_after_429_only_is_not_marked_recovered():
    # a 429 means the target refused the request: the repeat's answer is the create's answer
    client = scripted(429, httpx.Response(201, json=CREATED))
    with use_clock(VirtualClock()) as clock:
        r = client.post("/me/events", json={"transactionId": "T1"})
    assert r.status == 201 and r.recovered is None and clock.now == pytest.approx(1.0)


def test_a_create_without_transaction_id_reads_back_before_repeating():
    calls: list[str] = []
    probes: list[int] = []

    def probe():
        probes.append(1)
        return CREATED  # the lost create had happened

    client = scripted(503, calls=calls)
    with use_clock(VirtualClock()):
        r = client.post("/me/events", json={"subject": "Lunch"}, effect=probe)
    assert calls == ["POST"] and probes == [1]  # never sent twice
    assert r.status == 201 and r.body == CREATED and "lost" in r.recovered


def test_a_probe_that_finds_nothing_lets_the_create_be_repeated():
    calls: list[str] = []
    client = scripted(httpx.ReadError, httpx.Response(201, json=CREATED), calls=calls)
    with use_clock(VirtualClock()):
        r = client.post("/me/events", json={"subject": "Lunch"}, effect=lambda: None)
    assert calls == ["POST", "POST"] and r.status == 201 and r.recovered is None


def test_an_action_whose_effect_is_seen_is_not_repeated():
    client = scripted(httpx.RemoteProtocolError)
    with use_clock(VirtualClock()):
        r = client.post("/me/events/x/accept", json={"sendResponse": True}, effect=lambda: True)
    assert r.status == 202 and r.body is None and r.recovered


def test_a_repeated_delete_answered_404_counts_as_deleted():
    client = scripted(503, 404)
    with use_clock(VirtualClock()):
        r = client.delete("/me/events/x")
    assert r.status == 404 and "first attempt deleted it" in r.recovered and r.attempts == ["503"]


def test_a_plain_404_delete_is_the_target_answer():
    r = scripted(404).delete("/me/events/x")
    assert r.status == 404 and r.recovered is None


def test_retry_after_is_capped():
    answers = iter([httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json={})])
    client = GraphClient(BASE, "t", persona="o", max_retry_wait_s=5,
                         transport=httpx.MockTransport(lambda req: next(answers)))
    with use_clock(VirtualClock()) as clock:
        assert client.get("/me").status == 200
    assert clock.now == pytest.approx(5.0)


def test_a_refused_connection_before_any_answer_is_a_wrong_target():
    client = scripted(httpx.ConnectError)
    with pytest.raises(TargetError, match="cannot reach"):
        client.get("/me")


def test_a_refused_connection_mid_run_is_transient():
    client = scripted(httpx.Response(200, json={}), *[httpx.ConnectError] * 6)
    client.get("/me")
    with use_clock(VirtualClock()), pytest.raises(TransientError, match="ConnectError"):
        client.get("/me")

"""GraphClient: answers as data, paging, Retry-After, eventually() on a virtual clock."""

from __future__ import annotations

import json

import httpx
import pytest

from graphcal.client import (
    GraphClient, TransientError, VirtualClock, eventually, prefer, prefer_body_type, prefer_timezone,
    retry_after_seconds, use_clock,
)
from graphcal.errors import TargetError

BASE = "http://graph.test/v1.0"


def client_for(handler, **kwargs) -> GraphClient:
    return GraphClient(BASE, "secret-token", persona="organizer",
                       transport=httpx.MockTransport(handler), **kwargs)


def test_html_answer_is_data_with_a_reason_not_an_exception():
    c = client_for(lambda req: httpx.Response(404, text="<html><h1>Not Found</h1></html>",
                                              headers={"content-type": "text/html"}))
    r = c.get("/me/events/x")
    assert r.status == 404 and r.body is None and not r.ok
    assert "not JSON" in r.json_error and "text/html" in r.json_error and "Not Found" in r.json_error
    assert "404" in r.summary() and "text/html" in r.summary()


def test_an_html_error_page_is_described_by_its_words_not_its_markup():
    page = ("<!DOCTYPE HTML><html><head><title>Error response</title><style>p{x:1}</style></head>"
            "<body><h1>Error response</h1><p>Error code: 501</p><p>Message: Unsupported method</p></body></html>")
    c = client_for(lambda req: httpx.Response(501, text=page, headers={"content-type": "text/html"}))
    r = c.post("/me/events", json={})
    assert r.json_error.endswith("'Error response Error code: 501 Message: Unsupported method'")
    assert r.text == page  # the raw answer stays as evidence


def test_error_envelope_is_surfaced_as_data():
    c = client_for(lambda req: httpx.Response(404, json={"error": {"code": "ErrorItemNotFound",
                                                                   "message": "gone"}}))
    r = c.get("/me/events/x")
    assert r.error == {"code": "ErrorItemNotFound", "message": "gone"}
    assert "ErrorItemNotFound: gone" in r.summary()


def test_empty_body_is_no_json_error():
    r = client_for(lambda req: httpx.Response(204)).delete("/me/events/x")
    assert r.status == 204 and r.body is None and r.json_error is None


def test_token_is_sent_but_never_kept_as_evidence():
    seen = {}

    def handler(req: httpx.Request) -> httpx.Response:
        seen["auth"] = req.headers["authorization"]
        seen["prefer"] = req.headers.get("prefer")
        return httpx.Response(201, json={"id": "1"})

    r = client_for(handler).post("/me/events", json={"subject": "x"},
                                 headers=prefer_timezone("Pacific Standard Time"))
    assert seen["auth"] == "Bearer secret-token"
    assert seen["prefer"] == 'outlook.timezone="Pacific Standard Time"'
    assert "secret-token" not in json.dumps(r.request.to_json())
    assert r.request.url == f"{BASE}/me/events" and r.request.body == {"subject": "x"}
    assert "secret-token" not in repr(client_for(handler))


def test_pages_follow_next_links_to_the_end():
    def handler(req: httpx.Request) -> httpx.Response:
        page = int(req.url.params.get("page", "1"))
        body = {"value": [page]}
        if page < 3:
            body["@odata.nextLink"] = f"{BASE}/me/events?page={page + 1}"
        return httpx.Response(200, json=body)

    pages = list(client_for(handler).pages("/me/events"))
    assert [p.body["value"] for p in pages] == [[1], [2], [3]]


def test_pages_stop_at_a_page_that_is_not_a_json_collection():
    calls = []

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(str(req.url))
        if len(calls) == 1:
            return httpx.Response(200, json={"value": [], "@odata.nextLink": f"{BASE}/next"})
        return httpx.Response(500, text="boom")

    pages = list(client_for(handler).pages("/me/events"))
    assert [p.status for p in pages] == [200, 500] and len(calls) == 2


def test_pages_guard_against_endless_paging():
    c = client_for(lambda req: httpx.Response(200, json={"value": [], "@odata.nextLink": f"{BASE}/again"}))
    assert len(list(c.pages("/me/events", max_pages=5))) == 5


def test_retry_after_is_honoured_for_idempotent_requests():
    answers = iter([httpx.Response(429, headers={"Retry-After": "7"}),
                    httpx.Response(503, headers={"Retry-After": "2"}),
                    httpx.Response(200, json={"ok": True})])
    with use_clock(VirtualClock()) as clock:
        r = client_for(lambda req: next(answers)).get("/me/events")
    assert r.status == 200 and r.retries == 2
    assert clock.now == pytest.approx(9.0)


def always_throttled(calls: list[str]):
    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(req.method)
        return httpx.Response(429, headers={"Retry-After": "1"})

    return handler


def test_retries_are_bounded():
    calls: list[str] = []
    with use_clock(VirtualClock()), pytest.raises(TransientError, match="429 three times"):
        client_for(always_throttled(calls), max_retries=2).get("/me/events")
    assert calls == ["GET"] * 3


def test_a_throttled_post_is_repeated_within_the_budget_then_transient():
    # a 429 refuses the request unprocessed: even a POST that is not idempotent is sent again
    calls: list[str] = []
    with use_clock(VirtualClock()), pytest.raises(TransientError, match="429 6 times"):
        client_for(always_throttled(calls)).post("/me/events", json={})
    assert calls == ["POST"] * 6


def test_retry_after_forms():
    assert retry_after_seconds("12", default=1) == 12
    assert retry_after_seconds(None, default=3) == 3
    assert retry_after_seconds("soon", default=4) == 4
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", default=5) == 0  # in the past


def test_unreachable_server_is_one_clear_target_error():
    def handler(req: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=req)

    with pytest.raises(TargetError, match="cannot reach .*is the target server running"):
        client_for(handler).get("/me")


def test_eventually_returns_the_first_truthy_value_with_backoff():
    values = iter([None, [], 0, "here"])
    probes = []

    def probe():
        probes.append(1)
        return next(values)

    with use_clock(VirtualClock()) as clock:
        assert eventually(probe, deadline_s=60, initial_delay_s=1, max_delay_s=3) == "here"
    assert len(probes) == 4
    assert clock.now == pytest.approx(1 + 2 + 3)  # 1, 2, then capped at 3


def test_eventually_gives_the_last_falsy_value_at_the_deadline():
    probes = []

    def probe():
        probes.append(1)
        return []

    with use_clock(VirtualClock()) as clock:
        assert eventually(probe, deadline_s=10, initial_delay_s=1, max_delay_s=4) == []
    assert clock.now == pytest.approx(10)  # never sleeps past the deadline
    assert len(probes) == 5  # at 0, 1, 3, 7, 10


class NoMoreRecorded(Exception):
    pass


def test_eventually_on_replay_ends_where_the_recording_ran_out():
    answers = iter([[], []])

    def probe():
        try:
            return next(answers)
        except StopIteration:
            raise NoMoreRecorded from None

    with use_clock(VirtualClock(exhausted=(NoMoreRecorded,))):
        assert eventually(probe, deadline_s=3600, initial_delay_s=1) == []
    with use_clock(VirtualClock(exhausted=(NoMoreRecorded,))), pytest.raises(NoMoreRecorded):
        eventually(probe, deadline_s=10)  # nothing recorded at all: that is an error


def test_prefer_helpers_merge_into_one_header():
    merged = prefer(prefer_timezone("UTC"), prefer_body_type("text"), {"X-Other": "1"})
    assert merged == {"Prefer": 'outlook.timezone="UTC", outlook.body-content-type="text"', "X-Other": "1"}
    with pytest.raises(ValueError):
        prefer_body_type("markdown")

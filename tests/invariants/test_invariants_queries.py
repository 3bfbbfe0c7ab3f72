"""EVT-QRY (query options) and EVT-AUTH (authentication) checks on documented and hand-mutated
payloads."""

from __future__ import annotations

import copy
from typing import Any

from tests.invariants.invariants_support import Answer, check

from graphcal import golden
from graphcal.invariants.queries import DOCUMENTED, documented

INSTANCES = golden.load("recurrence/event-list-instances")  # the documented $select answer
SELECTED = ["subject", "bodyPreview", "seriesMasterId", "type", "recurrence", "start", "end"]


def listed() -> list[dict[str, Any]]:
    return copy.deepcopy(INSTANCES.response["body"]["value"])


def event(n: int, **extra: Any) -> dict[str, Any]:
    return {"@odata.etag": f'W/"{n}"', "id": f"id{n}", "subject": f"s{n}",
            "start": {"dateTime": f"2031-05-05T{9 + n:02d}:00:00.0000000", "timeZone": "UTC"}, **extra}


def pages(*sizes: int, link: str | None = "https://x/v1.0/me/events?$skip=2") -> list[dict[str, Any]]:
    out, n = [], 0
    for index, size in enumerate(sizes):
        page: dict[str, Any] = {"value": [event(n + k) for k in range(size)]}
        n += size
        if link and index < len(sizes) - 1:
            page["@odata.nextLink"] = link
        out.append(page)
    return out


# --- $select -------------------------------------------------------------------------------------

def test_select_passes_the_documented_answer() -> None:
    assert check("EVT-QRY-SELECT-1", listed(), SELECTED).passed


def test_select_fails_an_unselected_property_a_missing_one_and_a_missing_etag() -> None:
    extra = listed()
    extra[1]["createdDateTime"] = "2019-04-01T00:00:00Z"
    out = check("EVT-QRY-SELECT-1", extra, SELECTED)
    assert not out.passed and "not selected: createdDateTime" in out.message
    missing = listed()
    del missing[0]["type"]
    assert "missing: type" in check("EVT-QRY-SELECT-1", missing, SELECTED).message
    no_etag = listed()
    del no_etag[0]["@odata.etag"]
    assert "missing: @odata.etag" in check("EVT-QRY-SELECT-1", no_etag, SELECTED).message


def test_select_allows_annotations_and_null_values_and_fails_an_empty_answer() -> None:
    items = listed()
    items[0]["@odata.type"] = "#microsoft.graph.event"
    items[0]["recurrence"] = None
    assert check("EVT-QRY-SELECT-1", items, SELECTED).passed
    assert not check("EVT-QRY-SELECT-1", [], SELECTED).passed


# --- $top, paging, nextLink ------------------------------------------------------------------------

def test_top_sizes_the_first_page_and_no_page_is_larger() -> None:
    assert check("EVT-QRY-TOP-1", pages(2, 2, 1), 2, 5).passed
    assert check("EVT-QRY-TOP-1", pages(3), 5, 3).passed  # fewer match than $top
    assert "page 1 holds 5" in check("EVT-QRY-TOP-1", pages(5), 2, 5).message
    assert "first page holds 1" in check("EVT-QRY-TOP-1", pages(1, 2, 2), 2, 5).message


def test_paging_reaches_each_item_once() -> None:
    ids = [f"id{n}" for n in range(5)]
    assert check("EVT-QRY-PAGE-1", pages(2, 2, 1), ids).passed
    short = pages(2, 2, 1)
    del short[1]["value"][0]
    assert "never listed: ['id2']" in check("EVT-QRY-PAGE-1", short, ids).message
    twice = pages(2, 2, 1)
    twice[1]["value"][0] = event(1)
    assert "more than once" in check("EVT-QRY-PAGE-1", twice, ids).message


def test_next_link_keeps_the_query() -> None:
    params = {"$filter": "startswith(subject,'x')", "$select": "subject,sender", "$top": "2"}
    kept = pages(2, 1, link="https://x/v1.0/me/messages?%24filter=startswith(subject%2C%27x%27)"
                             "&$select=subject,sender&$top=2&$skip=2")
    assert check("EVT-QRY-PAGE-2", params, kept).passed
    lost = pages(2, 1, link="https://x/v1.0/me/messages?$top=2&$skip=2")
    out = check("EVT-QRY-PAGE-2", params, lost)
    assert not out.passed and "$filter, $select" in out.message
    assert not check("EVT-QRY-PAGE-2", params, pages(2)).passed  # no link: nothing observed


# --- $orderby, $filter, $count ---------------------------------------------------------------------

def test_order_ascending_and_descending_by_time_and_by_string() -> None:
    items = [event(n) for n in range(4)]
    assert check("EVT-QRY-ORDER-1", items, "start/dateTime", False).passed
    assert check("EVT-QRY-ORDER-1", items[::-1], "start/dateTime", True).passed
    out = check("EVT-QRY-ORDER-1", items, "start/dateTime", True)
    assert not out.passed and "desc" in out.message
    named = [{"subject": s} for s in ("b", "B", "a")]  # strings compare case-insensitively
    assert check("EVT-QRY-ORDER-1", named, "subject", True).passed
    assert not check("EVT-QRY-ORDER-1", [event(0)], "start/dateTime", True).passed


def test_filter_leaves_out_the_decoy() -> None:
    assert check("EVT-QRY-FILTER-1", pages(2, 1), ["decoy"]).passed
    leaked = pages(2, 1)
    leaked[1]["value"].append({"id": "decoy"})
    assert "do not match" in check("EVT-QRY-FILTER-1", leaked, ["decoy"]).message


def test_count_is_the_number_of_matching_items() -> None:
    assert check("EVT-QRY-COUNT-1", {"@odata.count": 5, "value": []}, 5).passed
    assert "is 4" in check("EVT-QRY-COUNT-1", {"@odata.count": 4}, 5).message
    assert "not an integer" in check("EVT-QRY-COUNT-1", {"value": []}, 5).message
    assert not check("EVT-QRY-COUNT-1", {"@odata.count": True}, 1).passed


def test_the_documentation_matrix_names_a_page_or_none_per_collection() -> None:
    for option, collections in DOCUMENTED.items():
        assert set(collections) == {"events", "calendarView", "instances", "messages"}, option
    assert documented("$select", "calendarView") and not documented("$filter", "calendarView")
    assert not any(DOCUMENTED["Prefer: odata.maxpagesize"].values())


# --- authentication --------------------------------------------------------------------------------

REFUSED = Answer(401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token is empty."}})


def test_a_401_with_graphs_error_body_passes_each_auth_check() -> None:
    for invariant_id in ("EVT-AUTH-1", "EVT-AUTH-2", "EVT-AUTH-3"):
        assert check(invariant_id, REFUSED).passed, invariant_id


def test_served_forbidden_or_bodiless_refusals_fail() -> None:
    served = check("EVT-AUTH-1", Answer(200, {"value": []}))
    assert not served.passed and "status 200" in served.message
    assert not check("EVT-AUTH-2", Answer(403, REFUSED.body)).passed
    plain = check("EVT-AUTH-3", Answer(401, None, json_error="not JSON: text/plain"))
    assert not plain.passed and "without a JSON error object" in plain.message


def test_me_and_own_id_are_the_same_user() -> None:
    me = Answer(200, {"id": "u1", "userPrincipalName": "AlexW@contoso.com"})
    assert check("EVT-AUTH-4", me, Answer(200, dict(me.body))).passed
    other = check("EVT-AUTH-4", me, Answer(200, {"id": "u2", "userPrincipalName": "AdeleV@contoso.com"}))
    assert not other.passed and "u2" in str(other.actual)
    assert not check("EVT-AUTH-4", me, Answer(404, {"error": {"code": "ErrorItemNotFound", "message": ""}})).passed

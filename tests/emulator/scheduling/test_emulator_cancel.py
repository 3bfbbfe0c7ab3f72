"""POST .../events/{id}/cancel (event-cancel.md): organizer only, optional comment, 202 with no
body; the event leaves the organizer's calendar, attendees' copies become cancelled and each
attendee gets a meetingCancelled message carrying the comment."""

from __future__ import annotations

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import assert_graph_error, client, lunch
from tests.emulator.scheduling.meeting_helpers import (  # noqa: F401 (adele, megan: fixtures)
    ADELE, ALEX, MEGAN, adele, create, get_event, invitation, megan, messages,
)

COMMENT = "Cancelling for this week due to all hands"   # event-cancel.md's example


def test_organizer_cancels_with_a_comment(alex: httpx.Client, adele: httpx.Client,
                                          megan: httpx.Client) -> None:
    event = create(alex, ADELE, MEGAN)
    copies = {who: invitation(c, event)["event"]["id"] for who, c in (("adele", adele), ("megan", megan))}
    r = alex.post(f"me/events/{event['id']}/cancel", json={"Comment": COMMENT})  # the docs' casing
    # not yet a suite invariant: no cancel scenario in suites
    assert r.status_code == 202, r.text
    assert r.content == b""
    assert_graph_error(alex.get(f"me/events/{event['id']}"), 404, "ErrorItemNotFound")
    for who, attendee in (("adele", adele), ("megan", megan)):
        copy_ = get_event(attendee, copies[who])
        assert copy_["isCancelled"] is True and copy_["subject"].startswith("Canceled: ")
        notices = [m for m in messages(attendee) if m.get("meetingMessageType") == "meetingCancelled"]
        assert len(notices) == 1, notices
        assert COMMENT in notices[0]["body"]["content"]
        assert notices[0]["from"]["emailAddress"]["address"] == ALEX
    assert [m for m in messages(alex) if m.get("meetingMessageType") == "meetingCancelled"] == []


def test_cancel_without_a_body_and_on_the_user_and_calendar_paths(alex: httpx.Client,
                                                                   adele: httpx.Client) -> None:
    for path in ("me/events", f"users/{ALEX}/calendar/events"):
        event = create(alex, ADELE)
        # not yet a suite invariant: cancel paths
        assert alex.post(f"{path}/{event['id']}/cancel").status_code == 202
        assert_graph_error(alex.get(f"me/events/{event['id']}"), 404, "ErrorItemNotFound")
    notices = [m for m in messages(adele) if m.get("meetingMessageType") == "meetingCancelled"]
    assert len(notices) == 2


def test_an_attendee_cannot_cancel(alex: httpx.Client, adele: httpx.Client) -> None:
    event = create(alex, ADELE)
    copy_id = invitation(adele, event)["event"]["id"]
    # not yet a suite invariant: attendee cannot cancel
    error = assert_graph_error(adele.post(f"me/events/{copy_id}/cancel", json={"comment": "no"}),
                               400, "ErrorInvalidRequest")
    assert "You need to be an organizer to cancel a meeting" in error["message"]
    assert get_event(adele, copy_id)["isCancelled"] is False
    assert alex.get(f"me/events/{event['id']}").status_code == 200


@pytest.mark.parametrize("body, status", [({"reason": "x"}, 400), ({"comment": 5}, 400)])
def test_bad_parameters_are_rejected_before_anything_changes(alex: httpx.Client, body: dict,
                                                             status: int) -> None:
    event = alex.post("me/events", json=lunch()).json()
    # emulator-only: no page states Graph's answer
    assert alex.post(f"me/events/{event['id']}/cancel", json=body).status_code == status
    assert alex.get(f"me/events/{event['id']}").status_code == 200


def test_unknown_event_is_404(alex: httpx.Client) -> None:
    missing = alex.post("me/events", json=lunch()).json()["id"]
    # suite: EVT-DEL-2 shape
    assert alex.delete(f"me/events/{missing}").status_code == 204
    assert_graph_error(alex.post(f"me/events/{missing}/cancel"), 404, "ErrorItemNotFound")


def test_fault_cancel_200() -> None:
    with EmulatorServer(faults=frozenset({"cancel-200"})) as srv, client(srv) as alex:
        event = alex.post("me/events", json=lunch()).json()
        # emulator-only: fault switch
        assert alex.post(f"me/events/{event['id']}/cancel").status_code == 200


def test_organizer_cancels_one_occurrence(alex: httpx.Client) -> None:
    master = alex.post("me/events", json=lunch(recurrence={
        "pattern": {"type": "daily", "interval": 1},
        "range": {"type": "numbered", "startDate": "2017-04-15", "numberOfOccurrences": 3}})).json()
    window = {"startDateTime": "2017-04-01", "endDateTime": "2017-05-01"}
    first = alex.get(f"me/events/{master['id']}/instances", params=window).json()["value"][0]["id"]
    # not yet a suite invariant: cancel one occurrence
    assert alex.post(f"me/events/{first}/cancel", json={"comment": COMMENT}).status_code == 202
    left = alex.get(f"me/events/{master['id']}/instances", params=window).json()["value"]
    assert len(left) == 2 and first not in [o["id"] for o in left]

"""accept / tentativelyAccept / decline over real HTTP: 202, the reply, the organizer's event, bad input."""

from __future__ import annotations

import pytest

from graphcal.emulator.server import EmulatorServer
from graphcal.invariants import get
from graphcal.schema import validate

from tests.emulator.support import assert_graph_error, client
from tests.emulator.scheduling.meeting_helpers import (  # noqa: F401 (adele, megan: fixtures)
    ADELE, ALEX, MEGAN, NEXT_DAY, adele, attendee_entry, create, get_event, invitation, megan, messages, reply,
)

WALKTHROUGH_BODY = {  # step 2 exactly as documented: PascalCase timeSlot, sendResponse as a string
    "comment": "Can you make the next day instead?", "sendResponse": "true",
    "proposedNewTime": {"Start": {"DateTime": "2019-08-16T12:00:00", "TimeZone": "Pacific Standard Time"},
                        "End": {"DateTime": "2019-08-16T14:00:00", "TimeZone": "Pacific Standard Time"}}}


def _copy_id(attendee, event) -> str:
    return invitation(attendee, event)["event"]["id"]


def test_walkthrough_tentative_reply_with_a_proposal(alex, adele, megan):
    event = create(alex, ADELE, MEGAN)
    copy_id = _copy_id(adele, event)
    r = adele.post(f"me/events/{copy_id}/tentativelyAccept", json=WALKTHROUGH_BODY)
    # suite: PROP-2.1, PROP-3.1..3.6, PROP-4.1..4.4
    assert (r.status_code, r.content) == (202, b"")
    message = reply(alex, event)
    assert message["@odata.type"] == "#microsoft.graph.eventMessageResponse"
    assert message["subject"] == "New Time Proposed: Let's go for lunch"
    assert message["responseType"] == "tentativelyAccepted"
    assert message["meetingMessageType"] == "meetingTenativelyAccepted"  # the v1.0 enum's spelling
    assert message["sender"]["emailAddress"]["address"] == ADELE
    assert message["toRecipients"] == [{"emailAddress": {"name": "Alex Wilber", "address": ALEX}}]
    assert message["bodyPreview"] == "Can you make the next day instead?"
    assert message["proposedNewTime"] == {
        "start": {"dateTime": "2019-08-16T12:00:00.0000000", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2019-08-16T14:00:00.0000000", "timeZone": "Pacific Standard Time"}}
    assert message["startDateTime"]["dateTime"] == "2019-08-15T12:00:00.0000000"
    assert validate(message, "eventMessageResponse") == []
    organizer_event = get_event(alex, event["id"])
    adele_entry = attendee_entry(organizer_event, ADELE)
    assert list(adele_entry) == ["type", "status", "proposedNewTime", "emailAddress"]
    assert adele_entry["status"]["response"] == "tentativelyAccepted"
    assert adele_entry["status"]["time"].endswith("Z") and not adele_entry["status"]["time"].startswith("0001")
    assert adele_entry["proposedNewTime"]["start"]["dateTime"] == "2019-08-16T12:00:00.0000000"
    assert "proposedNewTime" not in attendee_entry(organizer_event, MEGAN)  # absent, not null
    own = get_event(adele, copy_id)
    assert (own["responseStatus"]["response"], own["showAs"]) == ("tentativelyAccepted", "tentative")
    for invariant_id, args in [("PROP-3.6", (message, NEXT_DAY)), ("PROP-4.3", (organizer_event, ADELE, NEXT_DAY)),
                               ("PROP-4.4", (organizer_event, [ADELE])), ("PROP-2.3", (own, "tentativelyAccept"))]:
        assert get(invariant_id)(*args).passed, invariant_id


@pytest.mark.parametrize("action, response, message_type, subject, show_as", [
    ("accept", "accepted", "meetingAccepted", "Accepted: Let's go for lunch", "busy"),
    ("tentativelyAccept", "tentativelyAccepted", "meetingTenativelyAccepted", "Tentative: Let's go for lunch", "tentative"),
    ("decline", "declined", "meetingDeclined", "Declined: Let's go for lunch", "free"),
])
def test_replies_without_a_proposal(alex, adele, action, response, message_type, subject, show_as):
    event = create(alex, ADELE)
    copy_id = _copy_id(adele, event)
    # suite: PROP-3.4, PROP-3.7
    assert adele.post(f"me/events/{copy_id}/{action}", json={"comment": "ok"}).status_code == 202
    message = reply(alex, event)
    assert (message["responseType"], message["meetingMessageType"], message["subject"]) == (response, message_type, subject)
    assert "proposedNewTime" not in message
    entry = attendee_entry(get_event(alex, event["id"]), ADELE)
    assert entry["status"]["response"] == response and "proposedNewTime" not in entry
    assert get_event(adele, copy_id)["showAs"] == show_as


def test_decline_with_a_proposal_and_a_later_answer_replaces_it(alex, adele):
    event = create(alex, ADELE)
    copy_id = _copy_id(adele, event)
    body = {"comment": "Not this week.", "proposedNewTime": {
        "start": {"dateTime": "2019-08-22T19:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2019-08-22T21:00:00", "timeZone": "UTC"}}}
    # suite: PROP-3.6, PROP-4.3 (decline); a later answer: not yet
    assert adele.post(f"me/events/{copy_id}/decline", json=body).status_code == 202
    message = reply(alex, event)
    assert (message["subject"], message["responseType"]) == ("New Time Proposed: Let's go for lunch", "declined")
    assert message["proposedNewTime"]["start"] == {"dateTime": "2019-08-22T12:00:00.0000000",
                                                   "timeZone": "Pacific Standard Time"}  # Prefer zone
    assert attendee_entry(get_event(alex, event["id"]), ADELE)["proposedNewTime"]["start"]["timeZone"] == "UTC"
    assert adele.post(f"me/events/{copy_id}/accept", json={}).status_code == 202
    entry = attendee_entry(get_event(alex, event["id"]), ADELE)
    assert entry["status"]["response"] == "accepted" and "proposedNewTime" not in entry


def test_send_response_false_changes_only_the_attendees_copy(alex, adele):
    event = create(alex, ADELE)
    copy_id = _copy_id(adele, event)
    # suite: PROP-3.9
    assert adele.post(f"me/events/{copy_id}/accept", json={"sendResponse": False}).status_code == 202
    assert messages(alex) == []
    assert attendee_entry(get_event(alex, event["id"]), ADELE)["status"]["response"] == "none"
    assert get_event(adele, copy_id)["responseStatus"]["response"] == "accepted"
    assert adele.post(f"me/events/{copy_id}/accept", json={"SendResponse": "False"}).status_code == 202
    assert messages(alex) == []


def test_empty_body_means_send_response_true(alex, adele):
    event = create(alex, ADELE)
    r = adele.post(f"me/events/{_copy_id(adele, event)}/accept", content=b"")
    # not yet a suite invariant: empty body
    assert r.status_code == 202
    assert reply(alex, event)["responseType"] == "accepted"


def test_respond_through_the_calendar_and_users_paths(alex, adele):
    event = create(alex, ADELE)
    copy_id = _copy_id(adele, event)
    # not yet a suite invariant: paths
    assert adele.post(f"me/calendar/events/{copy_id}/accept", json={}).status_code == 202
    assert adele.post(f"users/{ADELE}/events/{copy_id}/decline", json={}).status_code == 202
    assert attendee_entry(get_event(alex, event["id"]), ADELE)["status"]["response"] == "declined"


def test_proposal_rules_from_the_respond_pages(alex, adele):
    event = create(alex, ADELE, allowNewTimeProposals=False)
    request = invitation(adele, event)
    # suite: PROP-6.1, PROP-6.2
    assert request["allowNewTimeProposals"] is False and request["event"]["allowNewTimeProposals"] is False
    copy_id = request["event"]["id"]
    proposal = {"proposedNewTime": NEXT_DAY}
    err = assert_graph_error(adele.post(f"me/events/{copy_id}/tentativelyAccept", json=proposal), 400,
                             "ErrorInvalidRequest")
    assert "allowNewTimeProposals" in err["message"]
    assert_graph_error(adele.post(f"me/events/{copy_id}/decline", json=proposal), 400, "ErrorInvalidRequest")
    entry = attendee_entry(get_event(alex, event["id"]), ADELE)
    assert entry["status"]["response"] == "none" and messages(alex) == []
    allowed = create(alex, ADELE, subject="Allowed")
    err = assert_graph_error(adele.post(f"me/events/{_copy_id(adele, allowed)}/tentativelyAccept",
                                        json={**proposal, "sendResponse": False}), 400, "ErrorInvalidRequest")
    assert "sendResponse" in err["message"]


@pytest.mark.parametrize("body, code, fragment", [
    ({"proposedNewTime": NEXT_DAY}, "RequestBodyRead", "not a valid parameter for the operation 'accept'"),
    ({"color": "red"}, "RequestBodyRead", "'color'"),
    ({"sendResponse": "yes"}, "RequestBodyRead", "Edm.Boolean"),
    ({"comment": 5}, "RequestBodyRead", "Edm.String"),
])
def test_malformed_accept_bodies(alex, adele, body, code, fragment):
    copy_id = _copy_id(adele, create(alex, ADELE))
    # emulator-only: no page states Graph's answer
    err = assert_graph_error(adele.post(f"me/events/{copy_id}/accept", json=body), 400, code)
    assert fragment in err["message"]


@pytest.mark.parametrize("slot, status, code", [
    ({"start": NEXT_DAY["start"]}, 400, "ErrorInvalidRequest"),
    ({"start": NEXT_DAY["end"], "end": NEXT_DAY["start"]}, 400, "ErrorInvalidRequest"),
    ({**NEXT_DAY, "middle": {}}, 400, "RequestBodyRead"),
    ({"start": {"dateTime": "soon", "timeZone": "UTC"}, "end": NEXT_DAY["end"]}, 400, "RequestBodyRead"),
    ({"start": {"dateTime": "2019-08-16T12:00:00", "timeZone": "Mars/Olympus"}, "end": NEXT_DAY["end"]}, 400,
     "TimeZoneNotSupportedException"),
    ("tomorrow", 400, "RequestBodyRead"),
])
def test_malformed_proposed_new_time(alex, adele, slot, status, code):
    copy_id = _copy_id(adele, create(alex, ADELE))
    # emulator-only: no page states Graph's answer
    assert_graph_error(adele.post(f"me/events/{copy_id}/tentativelyAccept", json={"proposedNewTime": slot}),
                       status, code)


def test_responding_as_organizer_to_a_cancelled_or_unknown_event(alex, adele):
    event = create(alex, ADELE)
    # not yet a suite invariant: organizer responds
    err = assert_graph_error(alex.post(f"me/events/{event['id']}/accept", json={}), 400, "ErrorInvalidRequest")
    assert "organizer" in err["message"]
    copy_id = _copy_id(adele, event)
    assert alex.delete(f"me/events/{event['id']}").status_code == 204
    err = assert_graph_error(adele.post(f"me/events/{copy_id}/accept", json={}), 400, "ErrorInvalidRequest")
    assert "canceled" in err["message"]
    assert_graph_error(adele.post(f"me/events/{event['id']}/accept", json={}), 404, "ErrorItemNotFound")
    assert_graph_error(adele.post("me/events/garbage/accept", json={}), 400, "ErrorInvalidIdMalformed")
    assert_graph_error(adele.get(f"me/events/{copy_id}/accept"), 405, "ErrorInvalidRequest")


def test_strict_fault_rejects_the_walkthrough_body():
    with EmulatorServer(faults={"strict-respond-body"}) as srv, client(srv) as alex, client(srv, ADELE) as adele:
        copy_id = _copy_id(adele, create(alex, ADELE))
        # emulator-only: fault switch
        assert_graph_error(adele.post(f"me/events/{copy_id}/tentativelyAccept", json=WALKTHROUGH_BODY),
                           400, "RequestBodyRead")
        normative = {"comment": "x", "sendResponse": True, "proposedNewTime": NEXT_DAY}
        assert adele.post(f"me/events/{copy_id}/tentativelyAccept", json=normative).status_code == 202

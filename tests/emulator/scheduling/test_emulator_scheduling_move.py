"""The organizer moves the meeting (walkthrough step 5) over real HTTP, and the move's fault switches."""

from __future__ import annotations

import pytest

from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import client
from tests.emulator.scheduling.meeting_helpers import ADELE, MEGAN, NEXT_DAY, PST, attendee_entry, create, get_event, invitation

MOVE = {"start": {"dateTime": "2019-08-16T12:00:00.0000000", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2019-08-16T14:00:00.0000000", "timeZone": "Pacific Standard Time"}}


def _proposed_then_moved(srv: EmulatorServer) -> tuple[dict, dict, str, dict]:
    """Alex invites Adele and Megan, Adele proposes the next day, Alex moves there.

    Returns (the PATCH answer, Adele's update request or None, Adele's copy id, Megan's copy
    before the move).
    """
    with client(srv) as alex, client(srv, ADELE) as adele, client(srv, MEGAN) as megan:
        event = create(alex, ADELE, MEGAN)
        copy_id = invitation(adele, event)["event"]["id"]
        megan_copy = invitation(megan, event)["event"]
        assert megan.post(f"me/events/{megan_copy['id']}/accept", json={}).status_code == 202
        body = {"comment": "Next day?", "proposedNewTime": NEXT_DAY}
        assert adele.post(f"me/events/{copy_id}/tentativelyAccept", json=body).status_code == 202
        r = alex.patch(f"me/events/{event['id']}", json=MOVE, headers=PST)
        assert r.status_code == 200, r.text
        try:
            update = invitation(adele, event, "fullUpdate")
        except AssertionError:
            update = None
        return r.json(), update, copy_id, megan_copy


def test_move_resets_statuses_moves_copies_and_sends_updates(server):
    moved, update, copy_id, _ = _proposed_then_moved(server)
    # suite: PROP-5.1, PROP-5.2, PROP-5.3, PROP-5.5, PROP-5.6
    assert update is not None
    assert (moved["start"], moved["end"]) == (MOVE["start"], MOVE["end"])
    for address in (ADELE, MEGAN):
        entry = attendee_entry(moved, address)
        assert entry["status"] == {"response": "notResponded", "time": "4501-01-01T00:00:00Z"}
        assert "proposedNewTime" not in entry
    assert update["meetingMessageType"] == "meetingRequest"
    assert update["startDateTime"] == MOVE["start"]
    assert update["previousStartDateTime"]["dateTime"] == "2019-08-15T12:00:00.0000000"
    assert update["event"]["id"] == copy_id
    with client(server, ADELE) as adele:
        copy = get_event(adele, copy_id)
    assert (copy["start"], copy["end"]) == (MOVE["start"], MOVE["end"])
    assert (copy["responseStatus"]["response"], copy["showAs"]) == ("notResponded", "tentative")


def test_a_patch_that_does_not_move_keeps_statuses(server):
    with client(server) as alex, client(server, ADELE) as adele:
        event = create(alex, ADELE)
        copy_id = invitation(adele, event)["event"]["id"]
        # not yet a suite invariant: no move keeps statuses
        assert adele.post(f"me/events/{copy_id}/accept", json={}).status_code == 202
        same_time = {"start": event["start"], "end": event["end"], "subject": "Lunch at noon"}
        r = alex.patch(f"me/events/{event['id']}", json=same_time, headers=PST)
        assert attendee_entry(r.json(), ADELE)["status"]["response"] == "accepted"
        assert get_event(adele, copy_id)["responseStatus"]["response"] == "accepted"


@pytest.mark.parametrize("fault", ["move-keeps-status", "move-resets-time-now", "move-keeps-proposal",
                                   "move-leaves-copies", "move-sends-no-update", "move-reverted"])
def test_move_fault_switches(fault):
    with EmulatorServer(faults={fault}) as srv:
        moved, update, copy_id, _ = _proposed_then_moved(srv)
        adele_entry = attendee_entry(moved, ADELE)
        with client(srv, ADELE) as adele:
            copy = get_event(adele, copy_id)
    if fault == "move-keeps-status":
        # emulator-only: fault switch
        assert adele_entry["status"]["response"] == "tentativelyAccepted"
    elif fault == "move-resets-time-now":
        assert adele_entry["status"]["response"] == "notResponded"
        assert not adele_entry["status"]["time"].startswith("4501")
    elif fault == "move-keeps-proposal":
        assert "proposedNewTime" in adele_entry
    elif fault == "move-leaves-copies":
        assert copy["start"]["dateTime"] == "2019-08-15T12:00:00.0000000"
        assert update["startDateTime"] == MOVE["start"]
    elif fault == "move-sends-no-update":
        assert update is None and copy["start"] == MOVE["start"]
    elif fault == "move-reverted":
        assert moved["start"]["dateTime"] == "2019-08-15T12:00:00.0000000"
        assert update is None and adele_entry["status"]["response"] == "tentativelyAccepted"

"""PROP-* invariants: each passes on the documented payloads and fails on hand-mutated ones."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from tests.invariants.invariants_support import Answer, check

from graphcal.invariants import CATALOG, MUST, SHOULD, load_catalog

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "scheduling"
ALEX, ADELE = "AlexW@contoso.OnMicrosoft.com", "AdeleV@contoso.OnMicrosoft.com"


def golden(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


CREATE = golden("walkthrough-1-create-event")
REPLY = golden("walkthrough-2-tentatively-accept")
MESSAGES = golden("walkthrough-3-list-messages")
PROPOSED = golden("walkthrough-4-get-event")
MOVED = golden("walkthrough-5-move-event")
INVITATION = golden("eventmessage-get-expand-event")

CREATED = CREATE["response"]["body"]
PROPOSAL = REPLY["request"]["body"]["proposedNewTime"]          # PascalCase, as documented
MESSAGE = MESSAGES["response"]["body"]["value"][0]
EVENT_WITH_PROPOSAL = PROPOSED["response"]["body"]
MOVED_EVENT = MOVED["response"]["body"]
NEW_TIME = MOVED["request"]["body"]
INVITE = INVITATION["response"]["body"]


def mutated(payload: dict, mutate) -> dict:
    clone = copy.deepcopy(payload)
    mutate(clone)
    return clone


def assert_fails(outcome, *fragments: str) -> None:
    assert not outcome.passed, "expected the check to fail"
    for fragment in fragments:
        assert fragment in outcome.message, f"{fragment!r} not in {outcome.message!r}"


def test_catalog_lists_the_proposal_invariants_with_metadata():
    catalog = load_catalog()
    ids = sorted(k for k in catalog if k.startswith("PROP-"))
    assert len(ids) >= 38
    for invariant_id in ids:
        inv = CATALOG[invariant_id]
        assert inv.feature == "scheduling" and inv.source and inv.explanation
        assert inv.severity in (MUST, SHOULD)
    # the docs' oddities are explained where they are handled
    assert "PascalCase" in CATALOG["PROP-2.4"].explanation and '"true"' in CATALOG["PROP-2.4"].explanation
    assert "4501-01-01" in CATALOG["PROP-5.3"].explanation
    assert "testexchangev1.0" in CATALOG["PROP-4.5"].explanation
    assert "meetingTenativelyAccepted" in CATALOG["PROP-3.5"].explanation
    assert "`declined`" in CATALOG["PROP-3.4"].explanation


# PROP-1 ------------------------------------------------------------------------------------

def test_prop_1_allow_new_time_proposals():
    assert check("PROP-1.1", CREATED, True).passed
    assert_fails(check("PROP-1.1", CREATED, False), "allowNewTimeProposals is True", "set False")
    assert check("PROP-1.2", CREATED).passed
    absent = mutated(CREATED, lambda e: e.pop("allowNewTimeProposals"))
    assert_fails(check("PROP-1.2", absent), "documented default is true")
    assert_fails(check("PROP-1.1", mutated(CREATED, lambda e: e.update(allowNewTimeProposals="true")), True),
                 "'true'")


def test_prop_1_organizer_and_unanswered_attendees():
    assert check("PROP-1.3", CREATED).passed
    assert_fails(check("PROP-1.3", mutated(CREATED, lambda e: e.update(isOrganizer=False))), "isOrganizer")
    assert_fails(check("PROP-1.3", mutated(CREATED, lambda e: e["responseStatus"].update(response="none"))),
                 "'organizer'")
    assert check("PROP-1.4", CREATED).passed
    answered = mutated(CREATED, lambda e: e["attendees"][0]["status"].update(response="accepted"))
    assert_fails(check("PROP-1.4", answered), ADELE, "accepted")
    assert_fails(check("PROP-1.4", mutated(CREATED, lambda e: e.update(attendees=[]))), "no attendees")


# PROP-2 ------------------------------------------------------------------------------------

def test_prop_2_respond_answers_202_without_body():
    documented = Answer(REPLY["response"]["status"])
    assert documented.status == 202
    assert check("PROP-2.1", documented).passed
    assert_fails(check("PROP-2.1", Answer(200)), "answered 200", "202")
    assert check("PROP-2.2", documented).passed
    assert_fails(check("PROP-2.2", Answer(202, {"id": "x"}, text='{"id": "x"}')), "returned a body")
    assert check("PROP-2.4", documented).passed
    assert_fails(check("PROP-2.4", Answer(400, {"error": {"code": "x", "message": "y"}})), "answered 400")


def test_prop_2_3_own_copy_records_response():
    # eventmessage-get example 2: the attendee answered tentatively, the copy says so
    own_copy = INVITE["event"]
    assert check("PROP-2.3", own_copy, "tentativelyAccept").passed
    assert check("PROP-2.3", own_copy, "tentativelyAccepted").passed
    assert_fails(check("PROP-2.3", own_copy, "accept"), "'tentativelyAccepted'", "expected 'accepted'")


# PROP-3 ------------------------------------------------------------------------------------

def test_prop_3_the_reply_message():
    assert check("PROP-3.1", MESSAGE).passed
    assert_fails(check("PROP-3.1", None), "no such message was found")  # polling ended without one
    as_request = mutated(MESSAGE, lambda m: m.update({"@odata.type": "#microsoft.graph.eventMessageRequest"}))
    assert_fails(check("PROP-3.1", as_request), "eventMessageResponse")
    assert check("PROP-3.2", MESSAGE, CREATED["subject"]).passed
    assert_fails(check("PROP-3.2", mutated(MESSAGE, lambda m: m.update(subject="Tentative: Let's go for lunch")),
                       CREATED["subject"]), "New Time Proposed: Let's go for lunch")
    assert check("PROP-3.3", MESSAGE, ADELE).passed
    assert check("PROP-3.3", MESSAGE, ADELE.lower()).passed  # addresses are case-insensitive
    assert_fails(check("PROP-3.3", MESSAGE, ALEX), "sender", "from")
    assert check("PROP-3.4", MESSAGE, "tentativelyAccept").passed
    assert_fails(check("PROP-3.4", MESSAGE, "decline"), "expected 'declined'")


def test_prop_3_5_meeting_message_type_accepts_both_documented_spellings():
    assert check("PROP-3.5", MESSAGE, "tentativelyAccepted").passed        # walkthrough spelling
    metadata_spelling = mutated(MESSAGE, lambda m: m.update(meetingMessageType="meetingTenativelyAccepted"))
    assert check("PROP-3.5", metadata_spelling, "tentativelyAccepted").passed
    assert_fails(check("PROP-3.5", MESSAGE, "accepted"), "meetingAccepted")
    declined = mutated(MESSAGE, lambda m: m.update(meetingMessageType="meetingDeclined"))
    assert check("PROP-3.5", declined, "decline").passed


def test_prop_3_6_and_3_7_proposal_on_the_reply():
    assert check("PROP-3.6", MESSAGE, PROPOSAL).passed  # documented PascalCase proposal vs camelCase reply
    other_day = mutated(MESSAGE, lambda m: m["proposedNewTime"]["start"].update(dateTime="2019-08-17T12:00:00"))
    assert_fails(check("PROP-3.6", other_day, PROPOSAL), "2019-08-17T19:00:00+00:00", "compared as UTC instants")
    same_instant_utc = mutated(MESSAGE, lambda m: m.update(proposedNewTime={
        "start": {"dateTime": "2019-08-16T19:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2019-08-16T21:00:00.0000000", "timeZone": "UTC"}}))
    assert check("PROP-3.6", same_instant_utc, PROPOSAL).passed
    dropped = mutated(MESSAGE, lambda m: m.pop("proposedNewTime"))
    assert_fails(check("PROP-3.6", dropped, PROPOSAL), "has no proposedNewTime")
    bad_zone = mutated(MESSAGE, lambda m: m["proposedNewTime"]["start"].update(timeZone="Mars/Olympus"))
    assert_fails(check("PROP-3.6", bad_zone, PROPOSAL), "not a valid timeSlot")

    assert check("PROP-3.7", dropped).passed
    assert_fails(check("PROP-3.7", MESSAGE), "has a proposedNewTime property")
    assert_fails(check("PROP-3.7", mutated(MESSAGE, lambda m: m.update(proposedNewTime=None))),
                 "has a proposedNewTime property")


def test_prop_3_8_reply_times_and_3_9_no_reply():
    assert check("PROP-3.8", MESSAGE, CREATED).passed
    assert_fails(check("PROP-3.8", MESSAGE, MOVED_EVENT), "the reply's start/end")
    subject = CREATED["subject"]
    assert check("PROP-3.9", [], ADELE, subject).passed
    assert check("PROP-3.9", [INVITE], ADELE, subject).passed
    assert_fails(check("PROP-3.9", [MESSAGE], ADELE, subject), "1 eventMessageResponse", "sendResponse was false")


# PROP-4 ------------------------------------------------------------------------------------

def test_prop_4_status_and_proposal_on_the_organizers_event():
    assert check("PROP-4.1", EVENT_WITH_PROPOSAL, ADELE, "tentativelyAccept").passed
    assert_fails(check("PROP-4.1", CREATED, ADELE, "tentativelyAccept"), "is 'none'")
    assert_fails(check("PROP-4.1", EVENT_WITH_PROPOSAL, "nobody@contoso.com", "accept"), "no attendee nobody")
    assert check("PROP-4.2", EVENT_WITH_PROPOSAL, ADELE).passed
    assert_fails(check("PROP-4.2", CREATED, ADELE), "placeholder '0001-01-01T00:00:00Z'")
    assert_fails(check("PROP-4.2", MOVED_EVENT, ADELE), "placeholder '4501-01-01T00:00:00Z'")
    no_time = mutated(EVENT_WITH_PROPOSAL, lambda e: e["attendees"][0]["status"].update(time="yesterday"))
    assert_fails(check("PROP-4.2", no_time, ADELE), "not a DateTimeOffset")

    assert check("PROP-4.3", EVENT_WITH_PROPOSAL, ADELE, PROPOSAL).passed
    dropped = mutated(EVENT_WITH_PROPOSAL, lambda e: e["attendees"][0].pop("proposedNewTime"))
    assert_fails(check("PROP-4.3", dropped, ADELE, PROPOSAL), "has no proposedNewTime")


def test_prop_4_4_proposal_only_on_proposers():
    assert check("PROP-4.4", EVENT_WITH_PROPOSAL, [ADELE]).passed
    assert check("PROP-4.4", CREATED).passed
    assert_fails(check("PROP-4.4", EVENT_WITH_PROPOSAL), ADELE)  # nobody proposed, yet Adele carries one

    def add_megan(event: dict, proposed: Any) -> None:
        megan = {"type": "required", "status": {"response": "accepted", "time": "2019-08-01T07:00:00Z"},
                 "emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.OnMicrosoft.com"}}
        if proposed is not ...:
            megan["proposedNewTime"] = proposed
        event["attendees"].append(megan)

    with_megan = mutated(EVENT_WITH_PROPOSAL, lambda e: add_megan(e, ...))
    assert check("PROP-4.4", with_megan, [ADELE]).passed
    null_on_megan = mutated(EVENT_WITH_PROPOSAL, lambda e: add_megan(e, None))
    assert_fails(check("PROP-4.4", null_on_megan, [ADELE]), "MeganB@contoso.OnMicrosoft.com")
    copied_to_megan = mutated(EVENT_WITH_PROPOSAL, lambda e: add_megan(e, e["attendees"][0]["proposedNewTime"]))
    assert_fails(check("PROP-4.4", copied_to_megan, [ADELE]), "who proposed nothing")


def test_prop_4_5_odata_context_names_the_service_root():
    root = "https://graph.microsoft.com/v1.0"
    assert check("PROP-4.5", CREATED, root).passed
    assert_fails(check("PROP-4.5", EVENT_WITH_PROPOSAL, root), "testexchangev1.0")  # the documented defect


# PROP-5 ------------------------------------------------------------------------------------

def test_prop_5_the_move():
    assert check("PROP-5.1", MOVED_EVENT, NEW_TIME).passed
    assert_fails(check("PROP-5.1", CREATED, NEW_TIME), "the event's start/end")
    assert check("PROP-5.2", MOVED_EVENT).passed
    assert_fails(check("PROP-5.2", EVENT_WITH_PROPOSAL), "tentativelyAccepted")
    assert check("PROP-5.3", MOVED_EVENT).passed
    with_digits = mutated(MOVED_EVENT, lambda e: e["attendees"][0]["status"].update(time="4501-01-01T00:00:00.0000000Z"))
    assert check("PROP-5.3", with_digits).passed
    assert_fails(check("PROP-5.3", EVENT_WITH_PROPOSAL), "is not 4501-01-01T00:00:00Z")
    assert check("PROP-5.4", MOVED_EVENT).passed
    assert_fails(check("PROP-5.4", EVENT_WITH_PROPOSAL), "still carry proposedNewTime")


def test_prop_5_5_and_5_6_the_attendee_side_of_the_move():
    attendee_copy = mutated(MOVED_EVENT, lambda e: e.update(isOrganizer=False))
    assert check("PROP-5.5", attendee_copy, MOVED_EVENT).passed
    assert_fails(check("PROP-5.5", CREATED, MOVED_EVENT), "the attendee's copy start/end")

    update = mutated(INVITE, lambda m: m.update(startDateTime=MOVED_EVENT["start"], endDateTime=MOVED_EVENT["end"]))
    assert check("PROP-5.6", update, MOVED_EVENT).passed
    assert_fails(check("PROP-5.6", INVITE, MOVED_EVENT), "the update's start/end")
    assert_fails(check("PROP-5.6", mutated(update, lambda m: m.update(meetingMessageType="meetingCancelled")),
                       MOVED_EVENT), "meetingCancelled")


# PROP-6 ------------------------------------------------------------------------------------

def test_prop_6_rejected_proposals():
    error = {"error": {"code": "ErrorInvalidRequest", "message": "Proposals are not allowed."}}
    for invariant_id in ("PROP-6.1", "PROP-6.2"):
        assert check(invariant_id, Answer(400, error)).passed
        assert_fails(check(invariant_id, Answer(202)), "answered 202", "400")
    assert check("PROP-6.3", Answer(400, error)).passed
    assert_fails(check("PROP-6.3", Answer(400, None, text="Bad Request")), "no Graph error object")
    assert_fails(check("PROP-6.3", Answer(400, {"error": {"code": "x"}})), "no Graph error object")
    assert check("PROP-6.4", CREATED, ADELE).passed
    assert_fails(check("PROP-6.4", EVENT_WITH_PROPOSAL, ADELE), "entry changed")


# PROP-7 ------------------------------------------------------------------------------------

def test_prop_7_the_invitation():
    assert check("PROP-7.1", INVITE).passed
    plain = mutated(INVITE, lambda m: m.update({"@odata.type": "#microsoft.graph.eventMessage"}))
    assert_fails(check("PROP-7.1", plain), "eventMessageRequest")
    assert_fails(check("PROP-7.1", mutated(INVITE, lambda m: m.update(meetingMessageType="none"))), "'none'")
    assert check("PROP-7.3", INVITE).passed
    assert_fails(check("PROP-7.3", mutated(INVITE, lambda m: m.pop("event"))), "has no event")


def test_prop_7_2_invitation_shows_allow_new_time_proposals():
    allowing = mutated(INVITE, lambda m: m.update(allowNewTimeProposals=True))
    assert check("PROP-7.2", allowing, CREATED).passed
    assert_fails(check("PROP-7.2", INVITE, CREATED), "neither the invitation nor its expanded event")
    disallowing = mutated(CREATED, lambda e: e.update(allowNewTimeProposals=False))
    assert_fails(check("PROP-7.2", allowing, disallowing), "differs from the organizer's False")


def test_prop_7_the_attendees_copy():
    attendee_copy = INVITE["event"]
    organizer_event = mutated(attendee_copy, lambda e: e.update(isOrganizer=True, showAs="busy"))
    assert check("PROP-7.4", attendee_copy).passed
    assert_fails(check("PROP-7.4", CREATED), "isOrganizer on the attendee's copy is True")
    fresh = mutated(attendee_copy, lambda e: e["responseStatus"].update(response="none"))
    assert check("PROP-7.5", fresh).passed
    assert_fails(check("PROP-7.5", attendee_copy), "'tentativelyAccepted'")  # already answered: not fresh
    assert check("PROP-7.6", attendee_copy).passed
    assert_fails(check("PROP-7.6", CREATED), "'busy'")
    assert check("PROP-7.7", attendee_copy, organizer_event).passed
    assert_fails(check("PROP-7.7", mutated(attendee_copy, lambda e: e.update(iCalUId="other")), organizer_event),
                 "'other'")
    assert_fails(check("PROP-7.7", mutated(attendee_copy, lambda e: e.pop("iCalUId")), organizer_event), "None")
    assert check("PROP-7.8", attendee_copy, organizer_event).passed
    assert_fails(check("PROP-7.8", attendee_copy, CREATED), "subject")
    moved = mutated(attendee_copy, lambda e: e["start"].update(dateTime="2018-02-02T21:00:00.0000000"))
    assert_fails(check("PROP-7.8", moved, organizer_event), "start/end")


@pytest.mark.parametrize("invariant_id", ["PROP-1.3", "PROP-3.1", "PROP-4.1", "PROP-7.1"])
def test_checks_answer_wrong_shapes_with_an_outcome_not_an_exception(invariant_id):
    args = {"PROP-1.3": ({},), "PROP-3.1": (None,), "PROP-4.1": ([], ADELE, "accept"), "PROP-7.1": ("text",)}
    assert not check(invariant_id, *args[invariant_id]).passed


# PROP-8 ------------------------------------------------------------------------------------

def test_prop_8_golden_comparisons():
    from graphcal import golden as goldens

    roles = {"alexw@contoso.com": "organizer", "adelev@contoso.com": "attendee"}

    def as_target(payload: dict) -> dict:
        """The documented payload as a target with other addresses, ids and stamps would send it."""
        text = json.dumps(payload).replace("@contoso.OnMicrosoft.com", "@contoso.com")
        clone = json.loads(text)
        clone["id"] = "AAMkAGZhbmN5"
        return clone

    create = goldens.load("scheduling/walkthrough-1-create-event")
    target = as_target(CREATED)
    assert check("PROP-8.1", target, create, roles).passed
    assert_fails(check("PROP-8.1", mutated(target, lambda e: e.update(showAs="free")), create, roles),
                 "showAs")
    # the documented body defect ('late morning' vs 'noon') is not held against the target
    noon = mutated(target, lambda e: e["body"].update(content="<html><body>Does noon work for you?</body></html>"))
    assert check("PROP-8.1", noon, create, roles).passed

    reply = goldens.load("scheduling/walkthrough-3-list-messages")
    message = as_target(MESSAGE)
    message.update(meetingMessageType="meetingTenativelyAccepted", receivedDateTime="2026-11-21T05:00:00Z")
    for key in ("unsubscribeData", "unsubscribeEnabled"):
        message.pop(key)
    assert check("PROP-8.2", message, reply, roles).passed
    assert_fails(check("PROP-8.2", mutated(message, lambda m: m.update(isDelegated=True)), reply, roles),
                 "isDelegated")

    proposed = goldens.load("scheduling/walkthrough-4-get-event")
    event = as_target(EVENT_WITH_PROPOSAL)
    event["@odata.context"] = event["@odata.context"].replace("testexchangev1.0", "v1.0")
    event["attendees"][0]["status"]["time"] = "2026-11-21T05:00:00.1234567Z"
    assert check("PROP-8.3", event, proposed, roles).passed
    dropped = mutated(event, lambda e: e["attendees"][0].pop("proposedNewTime"))
    assert_fails(check("PROP-8.3", dropped, proposed, roles), "proposedNewTime")

    moved = goldens.load("scheduling/walkthrough-5-move-event")
    assert check("PROP-8.4", as_target(MOVED_EVENT), moved, roles).passed
    kept = mutated(as_target(MOVED_EVENT), lambda e: e["attendees"][0]["status"].update(response="tentativelyAccepted"))
    assert_fails(check("PROP-8.4", kept, moved, roles), "attendees[0].status.response")
    with pytest.raises(ValueError, match="compares with golden"):
        check("PROP-8.4", MOVED_EVENT, create, roles)

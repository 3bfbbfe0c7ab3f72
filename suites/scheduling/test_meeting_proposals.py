"""Propose new meeting times (seed 003, concepts/outlook-calendar-meeting-proposals.md), step by step,
with the respond actions of seed 002 (event-accept/tentativelyAccept/decline.md).

The organizer invites the attendee to lunch; the attendee finds the invitation in their inbox,
answers tentatively with a proposal for the next day; the organizer finds the reply in their inbox,
sees the proposal on the event and moves the meeting there; the attendee's copy moves, an update
arrives, statuses reset. Variants: decline with a proposal, tentative without one, accept, and an
organizer who disallows proposals (plus sendResponse false).

Mailboxes are searched the way a live client must: by polling the inbox with a deadline (Graph
delivers meeting messages eventually) and matching the message's expanded event to the meeting
(iCalUId for the attendee's copy, the event id for the organizer's own event), never by knowing a
message id. People are roles: organizer (Alex), attendee (Adele), attendee2 (Christie).
"""

from __future__ import annotations

import copy
import os
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest

from graphcal import golden, probes
from graphcal.client import eventually, prefer_timezone
from graphcal.invariants.common import address, find_attendee, same_address, slot_instants
from graphcal.scenario import Graph, Step

PST = "Pacific Standard Time"
WALKTHROUGH = "concepts/outlook-calendar-meeting-proposals.md"
GRAPH_ROOT = "https://graph.microsoft.com/v1.0"  # what @odata.context names on every target (PROP-4.5)
EXPAND = {"$expand": "microsoft.graph.eventMessage/event"}
# How long meeting messages may take to arrive, and how long to wait to be sure one does not;
# GRAPHCAL_DELIVERY_DEADLINE_S overrides the first (e.g. short, against a deliberately faulty server).
DELIVERY_DEADLINE_S = {"live": 180.0, "url": 20.0, "emulator": 10.0}
SETTLE_S = {"live": 60.0, "url": 1.0, "emulator": 1.0}

CREATE = golden.load("scheduling/walkthrough-1-create-event")
REPLY = golden.load("scheduling/walkthrough-2-tentatively-accept")
MESSAGES = golden.load("scheduling/walkthrough-3-list-messages")
PROPOSED = golden.load("scheduling/walkthrough-4-get-event")
MOVED = golden.load("scheduling/walkthrough-5-move-event")

INVITATION_CHECKS = ["PROP-7.1", "PROP-7.2", "PROP-7.3", "PROP-7.4", "PROP-7.5", "PROP-7.6", "PROP-7.7",
                     "PROP-7.8"]
REPLY_CHECKS = ["PROP-3.1", "PROP-3.3", "PROP-3.4", "PROP-3.5", "PROP-3.8"]
ORGANIZER_SIDE = ["PROP-4.1", "PROP-4.2", "PROP-4.4"]


# --- the documented requests, played by the target's users --------------------------------------

def camel_case(value: Any) -> Any:
    """The walkthrough's PascalCase timeSlot keys (Start/DateTime/TimeZone) as the type defines them."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: camel_case(v) for k, v in value.items()}
    return value


def meeting_body(graph: Graph, *attendee_roles: str, variant: str = "", **changes: Any) -> dict[str, Any]:
    """Step 1's request with the target's users for the documented attendee (and any others);
    a variant's subject says which variant it is, so each scenario finds its own messages."""
    body = copy.deepcopy(CREATE.request["body"])
    if variant:
        body["subject"] += f" ({variant})"
    body["attendees"] = [{"emailAddress": graph.user(role).email_address(), "type": "required"}
                         for role in attendee_roles or ("attendee",)]
    body.update(changes)
    return body


def proposal() -> dict[str, Any]:
    """Step 2's proposal (the next day, same time) in the timeSlot's own camelCase."""
    return camel_case(REPLY.request["body"]["proposedNewTime"])


def roles(graph: Graph) -> dict[str, str]:
    return {graph.user(role).address: role for role in ("organizer", "attendee", "attendee2")}


def anchors(graph: Graph) -> tuple[str, float, float]:
    """(receivedDateTime lower bound, delivery deadline, settle time): made when recording or
    live, read back from the cassette on replay so the same requests are made."""
    since = graph.anchor("mail_since", lambda: (datetime.now(timezone.utc) - timedelta(minutes=10))
                         .strftime("%Y-%m-%dT%H:%M:%SZ"))
    deadline = graph.anchor("delivery_deadline_s", lambda: float(
        os.environ.get("GRAPHCAL_DELIVERY_DEADLINE_S") or DELIVERY_DEADLINE_S.get(graph.kind, 20.0)))
    settle = graph.anchor("settle_s", lambda: SETTLE_S.get(graph.kind, 1.0))
    return since, deadline, settle


# --- mailboxes, searched as a live client must ---------------------------------------------------

def find_message(graph: Graph, s: Step, role: str, subject: str, matches: Callable[[dict[str, Any]], bool],
                 *, deadline_s: float, fallback: Callable[[dict[str, Any]], bool] | None = None
                 ) -> dict[str, Any] | None:
    """Poll ``role``'s inbox until a message about ``subject`` matches (read with its event
    expanded), or the deadline passes; then, if given, take the newest one ``fallback`` accepts
    (None if none does)."""
    client = graph.persona(role)
    since, _, _ = anchors(graph)
    listing = {"$filter": f"receivedDateTime ge {since}", "$orderby": "receivedDateTime desc", "$top": "50"}

    def probe(accept: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        r = client.get("/me/messages", params=listing, headers=prefer_timezone(PST))
        s.response(r, schema="collection:message")
        inbox = s.items(r.body, what=f"the {role}'s inbox") if r.ok else []
        for listed in inbox:
            if subject not in str(listed.get("subject") or ""):
                continue
            message_id = s.field(listed, "id", what=f"a message in the {role}'s inbox")
            full = client.get(f"/me/messages/{message_id}", params=EXPAND, headers=prefer_timezone(PST))
            if full.ok and isinstance(full.body, dict) and accept(full.body):
                s.response(full, schema="message")
                return full.body
        return None

    found = eventually(lambda: probe(matches), deadline_s=deadline_s)
    return found if found is not None or fallback is None else probe(fallback)


def read_until(graph: Graph, s: Step, role: str, path: str, done: Callable[[dict[str, Any]], bool],
               params: dict[str, str] | None = None) -> dict[str, Any] | None:
    """GET ``path`` as ``role`` until ``done(body)`` or the delivery deadline (the respond
    actions answer 202: their effects show eventually); the last body read, or None."""
    client = graph.persona(role)
    _, deadline, _ = anchors(graph)
    last: list[dict[str, Any] | None] = [None]

    def probe() -> bool:
        r = client.get(path, params=params, headers=prefer_timezone(PST))
        s.response(r, schema="event")
        last[0] = r.body if r.ok and isinstance(r.body, dict) else None
        return last[0] is not None and done(last[0])

    eventually(probe, deadline_s=deadline)
    return last[0]


def _linked(message: dict[str, Any]) -> dict[str, Any]:
    """The event a meeting message links to ({} when it links none, or not as an object)."""
    linked = message.get("event")
    return linked if isinstance(linked, dict) else {}


def _same_slot(event: dict[str, Any], slot: tuple[datetime, datetime]) -> bool:
    """``event`` (a target's answer) has a start and an end, at ``slot``."""
    if event.get("start") is None or event.get("end") is None:
        return False
    try:
        return slot_instants({"start": event["start"], "end": event["end"]}) == slot
    except ValueError:  # a start or end that is no instant is not the slot
        return False


def _attendee_status(event: dict[str, Any], attendee_address: str) -> str | None:
    return ((find_attendee(event, attendee_address) or {}).get("status") or {}).get("response")


def invitation_for(event: dict[str, Any], *, organizer: str) -> tuple[Callable[[dict[str, Any]], bool],
                                                                      Callable[[dict[str, Any]], bool]]:
    """(match, fallback) for the invitation to the organizer's ``event``: a message whose
    expanded event has the meeting's iCalUId; failing that, the newest message from the
    organizer with the meeting's subject, so a target that breaks the link still shows what it
    sent (whether it is the right kind of message with the right event is for the invariants)."""
    def from_organizer(message: dict[str, Any]) -> bool:
        return (message.get("subject") == event.get("subject") and same_address(address(message.get("from")), organizer)
                and message.get("meetingMessageType") != "meetingCancelled")

    def same_meeting(message: dict[str, Any]) -> bool:
        return from_organizer(message) and _linked(message).get("iCalUId") == event.get("iCalUId")

    return same_meeting, from_organizer


def update_for(copy_id: str, new_start: datetime) -> Callable[[dict[str, Any]], bool]:
    """The update of the attendee's copy of the meeting (id ``copy_id``): linked to that copy,
    starting at ``new_start``."""
    def matches(message: dict[str, Any]) -> bool:
        if _linked(message).get("id") != copy_id:
            return False
        try:
            return slot_instants({"start": message.get("startDateTime"), "end": message.get("endDateTime")})[0] \
                == new_start
        except ValueError:
            return False
    return matches


def reply_for(event_id: str) -> Callable[[dict[str, Any]], bool]:
    """A reply about the organizer's own event (id ``event_id``): its expanded event is that event."""
    return lambda message: _linked(message).get("id") == event_id \
        and message.get("meetingMessageType") not in ("meetingRequest", "meetingCancelled")


# --- the walkthrough's steps -------------------------------------------------------------------

def step_create(graph: Graph, title: str, body: dict[str, Any], *, requested: bool | None) -> dict[str, Any]:
    with graph.step(title, source=f"{WALKTHROUGH}, step 1") as s:
        organizer = graph.persona("organizer")
        r = organizer.post("/me/events", json=body, headers=prefer_timezone(PST),
                           effect=probes.created(organizer, "/me/events", body, prefer_timezone(PST)))
        s.response(r, schema="event")
        event = s.require(r.body if r.status == 201 else None, "the created meeting")
        if requested is None:
            s.check("PROP-1.2", event)
        else:
            s.check("PROP-1.1", event, requested)
        s.check("PROP-1.3", event)
        s.check("PROP-1.4", event)
        return event


def step_invitation(graph: Graph, title: str, event: dict[str, Any], role: str = "attendee") -> dict[str, Any]:
    """The attendee finds the invitation and reads their copy of the meeting through it."""
    _, deadline, _ = anchors(graph)
    with graph.step(title, source=f"{WALKTHROUGH}, step 2; api-reference/v1.0/api/eventmessage-get.md") as s:
        subject = s.field(event, "subject", what="the created meeting")
        same_meeting, from_organizer = invitation_for(event, organizer=graph.user("organizer").address)
        message = find_message(graph, s, role, subject, same_meeting, deadline_s=deadline,
                               fallback=from_organizer)
        s.check("PROP-7.1", message)
        message = s.require(message, f"the invitation in the {role}'s inbox")
        s.check("PROP-7.2", message, event)
        s.check("PROP-7.3", message)
        copy_event = s.field(message, "event", what=f"the invitation in the {role}'s inbox")
        for invariant_id in ("PROP-7.4", "PROP-7.5", "PROP-7.6"):
            s.check(invariant_id, copy_event)
        s.check("PROP-7.7", copy_event, event)
        s.check("PROP-7.8", copy_event, event)
        return message


def step_respond(graph: Graph, title: str, invitation: dict[str, Any], action: str, body: dict[str, Any],
                 role: str = "attendee", *, source: str) -> None:
    """The ``role`` answers the ``invitation`` (step_invitation's message) on their copy of the meeting."""
    with graph.step(title, source=source) as s:
        copy_id = s.field(invitation, "event", "id", what="the invitation's event")
        client = graph.persona(role)
        r = client.post(f"/me/events/{copy_id}/{action}", json=body,
                        effect=probes.responded(client, copy_id, action))
        s.response(r)
        s.check("PROP-2.1", r)
        s.check("PROP-2.2", r)
        s.require_status(r, 202, what="the response's documented 202 Accepted")  # the rest reads its effect
        if action != "decline":  # a declined meeting may leave the attendee's calendar (docs silent)
            own = read_until(graph, s, role, f"/me/events/{copy_id}",
                             lambda e: (e.get("responseStatus") or {}).get("response") not in (None, "none"))
            s.check("PROP-2.3", s.require(own, "the attendee's copy after responding"), action)


def step_reply(graph: Graph, title: str, event: dict[str, Any], action: str, proposed: dict[str, Any] | None,
               *, golden_shape: bool = False) -> dict[str, Any]:
    """The organizer finds the attendee's reply and reads it."""
    _, deadline, _ = anchors(graph)
    with graph.step(title, source=f"{WALKTHROUGH}, step 3") as s:
        subject = s.field(event, "subject", what="the created meeting")
        message = find_message(graph, s, "organizer", subject,
                               reply_for(s.field(event, "id", what="the created meeting")), deadline_s=deadline)
        s.check("PROP-3.1", message)
        message = s.require(message, "the attendee's reply in the organizer's inbox")
        s.check("PROP-3.3", message, graph.user("attendee").address)
        s.check("PROP-3.4", message, action)
        s.check("PROP-3.5", message, action)
        s.check("PROP-3.8", message, event)
        if proposed is not None:
            s.check("PROP-3.2", message, subject)
            s.check("PROP-3.6", message, proposed)
        else:
            s.check("PROP-3.7", message)
        if golden_shape:
            s.check("PROP-8.2", message, MESSAGES, roles(graph))
            s.doc_deviations(MESSAGES)
        return message


def step_organizer_event(graph: Graph, title: str, event: dict[str, Any], action: str,
                         proposers: dict[str, dict[str, Any]], *, golden_shape: bool = False) -> dict[str, Any]:
    """The organizer reads the event as step 4 does; ``proposers`` maps role -> proposal."""
    with graph.step(title, source=f"{WALKTHROUGH}, step 4") as s:
        params = {"$select": "subject,allowNewTimeProposals,start,end,attendees,organizer"}
        attendee = graph.user("attendee").address
        event_id = s.field(event, "id", what="the created meeting")
        seen = s.require(read_until(graph, s, "organizer", f"/me/events/{event_id}",
                                    lambda e: _attendee_status(e, attendee) not in (None, "none"), params),
                         "the organizer's event")
        s.check("PROP-4.1", seen, attendee, action)
        s.check("PROP-4.2", seen, attendee)
        for role, proposed in proposers.items():
            s.check("PROP-4.3", seen, graph.user(role).address, proposed)
        s.check("PROP-4.4", seen, [graph.user(role).address for role in proposers])
        s.check("PROP-4.5", seen, GRAPH_ROOT)
        if golden_shape:
            s.check("PROP-8.3", seen, PROPOSED, roles(graph))
            s.doc_deviations(PROPOSED)
        return seen


def step_refused_proposal(graph: Graph, title: str, event: dict[str, Any], invitation: dict[str, Any],
                          body: dict[str, Any], invariant_id: str) -> None:
    """A proposal the respond pages say is answered 400; the organizer's event is unchanged."""
    with graph.step(title, source="api-reference/v1.0/api/event-tentativelyaccept.md#response") as s:
        copy_id = s.field(invitation, "event", "id", what="the invitation's event")
        attendee = graph.persona("attendee")
        r = attendee.post(f"/me/events/{copy_id}/tentativelyAccept", json=body,
                          effect=probes.responded(attendee, copy_id, "tentativelyAccept"))
        s.response(r, schema="error")
        s.check(invariant_id, r)
        s.check("PROP-6.3", r)
        # an answer that is no answer (429, 5xx) leaves the event unchanged and proves nothing
        s.require_status(r, 400, 200, 202, what="an answer to the proposal")
        event_id = s.field(event, "id", what="the created meeting")
        r = graph.persona("organizer").get(f"/me/events/{event_id}", headers=prefer_timezone(PST))
        s.response(r, schema="event")
        s.check("PROP-6.4", s.require(r.body if r.ok else None, "the organizer's event"),
                graph.user("attendee").address)


def step_cleanup(graph: Graph, event: dict[str, Any]) -> None:
    """The organizer deletes the meeting (a live tenant keeps only what a run needs)."""
    with graph.step("cleanup: the organizer deletes the meeting", source="api-reference/v1.0/api/event-delete.md") as s:
        event_id = s.field(event, "id", what="the created meeting")
        s.response(graph.persona("organizer").delete(f"/me/events/{event_id}"))


# --- the walkthrough ---------------------------------------------------------------------------------

@pytest.mark.scenario(feature="scheduling", invariants=[
    "SCHEMA-1", "PROP-1.1", "PROP-1.3", "PROP-1.4", "PROP-8.1", *INVITATION_CHECKS, "PROP-2.1", "PROP-2.2",
    "PROP-2.3", *REPLY_CHECKS, "PROP-3.2", "PROP-3.6", "PROP-8.2", *ORGANIZER_SIDE, "PROP-4.3", "PROP-4.5",
    "PROP-8.3", "PROP-5.1", "PROP-5.2", "PROP-5.3", "PROP-5.4", "PROP-8.4", "PROP-5.5", "PROP-5.6"])
def test_tentative_with_a_new_time_proposal(graph: Graph) -> None:
    body = meeting_body(graph)
    event = step_create(graph, "1: the organizer invites the attendee to lunch, allowing new time proposals",
                        body, requested=True)
    with graph.step("1b: the created meeting has the documented shape", source=f"{WALKTHROUGH}, step 1") as s:
        s.check("PROP-8.1", event, CREATE, roles(graph))
        s.doc_deviations(CREATE)
    request = step_invitation(graph, "2a: the attendee finds the eventMessageRequest and the event behind it", event)
    proposed = proposal()
    reply_body = {"comment": REPLY.request["body"]["comment"], "sendResponse": True, "proposedNewTime": proposed}
    step_respond(graph, "2b: the attendee answers tentatively and proposes the next day, same time",
                 request, "tentativelyAccept", reply_body, source=f"{WALKTHROUGH}, step 2")
    with graph.step("2c: the documented request body is not the API's own form", source=f"{WALKTHROUGH}, step 2") as s:
        s.doc_deviations(REPLY)
    step_reply(graph, "3: the organizer finds the reply: 'New Time Proposed', tentativelyAccepted, the proposal",
               event, "tentativelyAccept", proposed, golden_shape=True)
    step_organizer_event(graph, "4: the organizer sees the proposal on the attendee in the event", event,
                         "tentativelyAccept", {"attendee": proposed}, golden_shape=True)
    new_time = MOVED.request["body"]
    with graph.step("5: the organizer moves the meeting to the proposed time", source=f"{WALKTHROUGH}, step 5") as s:
        event_id = s.field(event, "id", what="the created meeting")
        r = graph.persona("organizer").patch(f"/me/events/{event_id}", json=new_time, headers=prefer_timezone(PST))
        s.response(r, schema="event")
        moved = s.require(r.body if r.ok else None, "the moved meeting")
        s.check("PROP-5.1", moved, new_time)
        s.check("PROP-5.2", moved)
        s.check("PROP-5.3", moved)
        s.check("PROP-5.4", moved)
        s.check("PROP-8.4", moved, MOVED, roles(graph))
    _, deadline, _ = anchors(graph)
    with graph.step("5b: the attendee gets the updated request and their copy moves",
                    source="api-reference/v1.0/api/event-update.md#notes-for-updating-specific-properties") as s:
        copy_id = s.field(request, "event", "id", what="the invitation's event")
        update = find_message(graph, s, "attendee", s.field(event, "subject", what="the created meeting"),
                              update_for(copy_id, slot_instants(new_time)[0]), deadline_s=deadline)
        s.check("PROP-5.6", update, moved)
        moved_copy = read_until(graph, s, "attendee", f"/me/events/{copy_id}",
                                lambda e: _same_slot(e, slot_instants(new_time)))
        s.check("PROP-5.5", s.require(moved_copy, "the attendee's copy after the move"), moved)
    step_cleanup(graph, event)


@pytest.mark.scenario(feature="scheduling", invariants=["SCHEMA-1", "PROP-1.1", "PROP-1.3", "PROP-1.4",
                                                       *INVITATION_CHECKS, "PROP-2.4"])
def test_tentative_with_the_literal_documented_body(graph: Graph) -> None:
    event = step_create(graph, "1: the organizer invites the attendee, allowing new time proposals",
                        meeting_body(graph, variant="documented body"), requested=True)
    request = step_invitation(graph, "2a: the attendee finds the invitation", event)
    with graph.step("2b: the attendee sends step 2's body exactly as documented (PascalCase, \"true\")",
                    source=f"{WALKTHROUGH}, step 2") as s:
        copy_id = s.field(request, "event", "id", what="the invitation's event")
        attendee = graph.persona("attendee")
        r = attendee.post(f"/me/events/{copy_id}/tentativelyAccept", json=REPLY.request["body"],
                          effect=probes.responded(attendee, copy_id, "tentativelyAccept"))
        s.response(r)
        s.check("PROP-2.4", r)
        s.doc_deviations(REPLY)
    step_cleanup(graph, event)


# --- variants -----------------------------------------------------------------------------------------

@pytest.mark.scenario(feature="scheduling", invariants=[
    "SCHEMA-1", "PROP-1.1", "PROP-1.3", "PROP-1.4", *INVITATION_CHECKS, "PROP-2.1", "PROP-2.2", *REPLY_CHECKS,
    "PROP-3.2", "PROP-3.6", *ORGANIZER_SIDE, "PROP-4.3", "PROP-4.5"])
def test_decline_with_a_new_time_proposal(graph: Graph) -> None:
    event = step_create(graph, "1: the organizer invites two attendees, allowing new time proposals",
                        meeting_body(graph, "attendee", "attendee2", variant="decline"), requested=True)
    request = step_invitation(graph, "2a: the attendee finds the invitation", event)
    proposed = proposal()
    step_respond(graph, "2b: the attendee declines and proposes the next day", request, "decline",
                 {"comment": "I can't make it; the next day?", "sendResponse": True, "proposedNewTime": proposed},
                 source="api-reference/v1.0/api/event-decline.md")
    step_reply(graph, "3: the organizer finds the reply: 'New Time Proposed', declined, the proposal",
               event, "decline", proposed)
    step_organizer_event(graph, "4: the proposal is on the attendee who made it, and on no one else", event,
                         "decline", {"attendee": proposed})
    step_cleanup(graph, event)


@pytest.mark.scenario(feature="scheduling", invariants=[
    "SCHEMA-1", "PROP-1.1", "PROP-1.3", "PROP-1.4", *INVITATION_CHECKS, "PROP-2.1", "PROP-2.2", "PROP-2.3",
    *REPLY_CHECKS, "PROP-3.7", *ORGANIZER_SIDE, "PROP-4.5"])
def test_tentative_without_a_proposal(graph: Graph) -> None:
    event = step_create(graph, "1: the organizer invites two attendees, allowing new time proposals",
                        meeting_body(graph, "attendee", "attendee2", variant="tentative"), requested=True)
    request = step_invitation(graph, "2a: the attendee finds the invitation", event)
    step_respond(graph, "2b: the attendee answers tentatively and proposes nothing", request,
                 "tentativelyAccept", {"comment": "Probably.", "sendResponse": True},
                 source=f"{WALKTHROUGH}#no-attendee-proposes-alternative-time")
    step_reply(graph, "3: the reply is tentativelyAccepted with no proposedNewTime", event, "tentativelyAccept", None)
    step_organizer_event(graph, "4: no proposedNewTime anywhere on the organizer's event", event,
                         "tentativelyAccept", {})
    step_cleanup(graph, event)


@pytest.mark.scenario(feature="scheduling", invariants=[
    "SCHEMA-1", "PROP-1.2", "PROP-1.3", "PROP-1.4", *INVITATION_CHECKS, "PROP-6.2", "PROP-6.3", "PROP-6.4",
    "PROP-2.1", "PROP-2.2", "PROP-2.3", *REPLY_CHECKS, "PROP-3.7", *ORGANIZER_SIDE, "PROP-4.5"])
def test_accept(graph: Graph) -> None:
    body = meeting_body(graph, variant="accept")
    del body["allowNewTimeProposals"]  # the documented default (true) applies
    event = step_create(graph, "1: the organizer invites the attendee without setting allowNewTimeProposals",
                        body, requested=None)
    request = step_invitation(graph, "2a: the attendee finds the invitation", event)
    step_refused_proposal(graph, "2b: a proposal with sendResponse false is refused with 400", event, request,
                          {"sendResponse": False, "proposedNewTime": proposal()}, "PROP-6.2")
    step_respond(graph, "2c: the attendee accepts", request, "accept",
                 {"comment": "See you there.", "sendResponse": True}, source="api-reference/v1.0/api/event-accept.md")
    step_reply(graph, "3: the reply is accepted with no proposedNewTime", event, "accept", None)
    step_organizer_event(graph, "4: the organizer's event shows the acceptance", event, "accept", {})
    step_cleanup(graph, event)


@pytest.mark.scenario(feature="scheduling", invariants=[
    "SCHEMA-1", "PROP-1.1", "PROP-1.3", "PROP-1.4", *INVITATION_CHECKS, "PROP-6.1", "PROP-6.3", "PROP-6.4",
    "PROP-2.1", "PROP-2.2", "PROP-2.3", "PROP-3.9"])
def test_organizer_disallows_proposals(graph: Graph) -> None:
    event = step_create(graph, "1: the organizer invites the attendee and disallows new time proposals",
                        meeting_body(graph, variant="no proposals", allowNewTimeProposals=False), requested=False)
    request = step_invitation(graph, "2a: the attendee finds the invitation: proposals not allowed", event)
    step_refused_proposal(graph, "2b: a tentative answer with a proposal is refused with 400", event, request,
                          {"comment": "Next day?", "sendResponse": True, "proposedNewTime": proposal()}, "PROP-6.1")
    step_respond(graph, "2c: the attendee accepts without telling the organizer (sendResponse false)",
                 request, "accept", {"sendResponse": False}, source="api-reference/v1.0/api/event-accept.md")
    _, _, settle = anchors(graph)
    with graph.step("3: no reply reaches the organizer", source="api-reference/v1.0/api/event-accept.md#request-body") as s:
        subject = s.field(event, "subject", what="the created meeting")
        found = find_message(graph, s, "organizer", subject,
                             reply_for(s.field(event, "id", what="the created meeting")), deadline_s=settle)
        s.check("PROP-3.9", [found] if found else [], graph.user("attendee").address, subject)
    step_cleanup(graph, event)

"""Normalisation rules: each on its own, then the default pipeline on a documented payload."""

from __future__ import annotations

import copy

from graphcal import golden
from graphcal.invariants import normalise as n


def test_mask_volatile_keeps_presence_and_nulls_but_not_values():
    payload = {"id": "AAMk1", "changeKey": "x", "seriesMasterId": None, "subject": "s",
               "onlineMeeting": {"joinUrl": "https://t/1", "conferenceId": "9"}}
    assert n.mask_volatile(payload) == {
        "id": n.VOLATILE, "changeKey": n.VOLATILE, "seriesMasterId": None, "subject": "s",
        "onlineMeeting": {"joinUrl": n.VOLATILE, "conferenceId": n.VOLATILE}}


def test_rules_do_not_mutate_their_input():
    payload = golden.load("events/user-post-events-4").payload
    before = copy.deepcopy(payload)
    n.normalise(payload, {"danas@contoso.onmicrosoft.com": "organizer"})
    assert payload == before


def test_odata_context_drops_host_and_ids_but_keeps_shape():
    tenant = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('cd209b0b')/events/$entity"}
    local = {"@odata.context": "http://127.0.0.1:5123/v1.0/$metadata#users('AlexW%40contoso.com')/events/$entity"}
    calendar = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('1')/calendars('A%3D')/events/$entity"}
    assert n.odata_context_without_ids(tenant) == n.odata_context_without_ids(local) == {
        "@odata.context": "$metadata#users(<id>)/events/$entity"}
    assert n.odata_context_without_ids(calendar) != n.odata_context_without_ids(tenant)


def test_personas_by_role_replaces_known_addresses_any_case_and_lowercases_the_rest():
    rule = n.personas_by_role({"AlexW@contoso.com": "organizer"})
    payload = {"organizer": {"emailAddress": {"name": "Alex Wilber", "address": "alexw@CONTOSO.com"}},
               "attendees": [{"type": "required",
                              "emailAddress": {"name": "Sam", "address": "SamB@Contoso.com"}}]}
    assert rule(payload) == {
        "organizer": {"emailAddress": {"address": "<role:organizer>", "name": "<role:organizer>"}},
        "attendees": [{"type": "required", "emailAddress": {"name": "Sam", "address": "samb@contoso.com"}}]}


def test_times_as_instants_converts_with_real_zone_data_across_dst():
    pst_summer = {"start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "Pacific Standard Time"}}
    utc = {"start": {"dateTime": "2017-04-15T19:00:00.0000000", "timeZone": "UTC"}}
    iana = {"start": {"dateTime": "2017-04-15T12:00:00.0000000", "timeZone": "America/Los_Angeles"}}
    assert n.times_as_instants(pst_summer) == n.times_as_instants(utc) == n.times_as_instants(iana) \
        == {"start": "2017-04-15T19:00:00.0000000Z"}
    winter = {"start": {"dateTime": "2017-12-15T12:00:00", "timeZone": "Pacific Standard Time"}}
    assert n.times_as_instants(winter) == {"start": "2017-12-15T20:00:00.0000000Z"}


def test_times_as_instants_keeps_unreadable_values_for_the_diff_to_show():
    odd = {"start": {"dateTime": "2017-04-15T12:00:00", "timeZone": "Mars Standard Time"}}
    assert n.times_as_instants(odd) == odd


def test_enums_casefolded_only_under_enum_keys():
    payload = {"body": {"contentType": "HTML", "content": "Keep Case"},
               "recurrence": {"pattern": {"daysOfWeek": ["Monday"], "type": "Weekly"}},
               "subject": "Mixed Case"}
    assert n.enums_casefolded(payload) == {
        "body": {"contentType": "html", "content": "Keep Case"},
        "recurrence": {"pattern": {"daysOfWeek": ["monday"], "type": "weekly"}},
        "subject": "Mixed Case"}


def test_html_body_as_text_ignores_exchange_markup_and_line_breaks():
    sent = {"body": {"contentType": "HTML", "content": "Let's kick-start this event planning!"}}
    returned = golden.load("events/user-post-events-2").payload["body"]
    assert "<html>" in returned["content"]
    assert n.html_body_as_text(sent) == n.html_body_as_text({"body": returned}) == {
        "body": {"text": "Let's kick-start this event planning!"}}
    assert n.html_body_as_text({"body": {"contentType": "text", "content": " a \r\n b "}}) == {"body": {"text": "a b"}}


def test_html_text_skips_head_content():
    html = golden.load("events/user-post-events-3").payload["body"]["content"]
    assert n.html_text(html) == "Does late morning work for you?"


def test_pipeline_applies_rules_left_to_right():
    first_mask_then_fold = n.pipeline(n.mask_volatile, n.enums_casefolded)
    assert first_mask_then_fold({"id": "A", "type": "Required"}) == {"id": n.VOLATILE, "type": "required"}


def test_normalise_makes_two_creates_of_the_same_event_equal():
    doc = golden.load("events/user-post-events-2")
    other = copy.deepcopy(doc.payload)
    other.update(id="XYZ", changeKey="new", createdDateTime="2026-01-01T00:00:00Z",
                 webLink="http://127.0.0.1:1/owa/?itemid=XYZ")
    other["@odata.context"] = "http://127.0.0.1:1/v1.0/$metadata#users('alex')/events/$entity"
    other["start"] = {"dateTime": "2017-08-30T18:00:00.0000000", "timeZone": "UTC"}
    other["body"]["contentType"] = "HTML"
    assert n.normalise(other, doc.roles) == n.normalise(doc.payload, doc.roles)
    other["start"] = {"dateTime": "2017-08-30T18:30:00.0000000", "timeZone": "UTC"}
    assert n.normalise(other, doc.roles) != n.normalise(doc.payload, doc.roles)

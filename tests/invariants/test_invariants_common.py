"""The readers and outcome builders the feature modules' checks share (graphcal.invariants.common)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from tests.invariants.invariants_support import Answer

from graphcal.invariants import common


def test_status_body_and_text_from_a_response_a_mapping_or_a_bare_status():
    assert common.status_of(Answer(202)) == common.status_of({"status": 202}) == common.status_of(202) == 202
    assert common.status_of(object()) is None
    assert common.body_of(Answer(200, {"id": "x"})) == common.body_of({"body": {"id": "x"}}) == {"id": "x"}
    assert common.text_of(Answer(204)) == common.text_of({}) == ""


def test_header_is_case_insensitive_over_mappings_and_pair_lists():
    assert common.header(Answer(200, headers={"Preference-Applied": "x"}), "preference-applied") == "x"
    response = Answer(200)
    response.headers = [("Content-Type", "application/json")]  # type: ignore[assignment]
    assert common.header(response, "content-type") == "application/json"
    assert common.header(Answer(200), "content-type") is None


def test_what_came_back_names_non_json_graph_errors_and_objects():
    assert common.what_came_back(Answer(502, json_error="text/html body")) == "a non-JSON answer (text/html body)"
    err = Answer(400, {"error": {"code": "ErrorInvalidRequest", "message": "m"}})
    assert common.what_came_back(err) == "error 'ErrorInvalidRequest': 'm'"
    assert common.what_came_back(Answer(200, [])) == "no event object"
    assert common.graph_error({"error": "text"}) is None and common.graph_error(None) is None


def test_unexpected_status_passes_the_wanted_one_and_says_what_came_back_otherwise():
    assert common.unexpected_status(Answer(201, {"id": "x"}), 201) is None
    wrong = common.unexpected_status(Answer(200, {"id": "x"}), 201, "201 Created")
    assert wrong is not None and not wrong.passed
    assert wrong.message == "status 200, expected 201 Created; got an event object"
    assert (wrong.expected, wrong.actual) == (201, 200)


def test_attendees_are_found_by_address_case_insensitively():
    event = {"attendees": [{"emailAddress": {"address": "AdeleV@contoso.com"}}, "not an attendee", {}]}
    assert common.find_attendee(event, " adelev@CONTOSO.com") is event["attendees"][0]
    assert common.find_attendee(event, "alexw@contoso.com") is None
    assert common.address({"emailAddress": "x"}) is None
    assert not common.same_address(None, None) and not common.same_address("", "")


def test_not_an_event_and_problems_outcome():
    assert common.not_an_event({"id": "x"}) is None
    assert common.not_an_event({"error": {}}, "the answer").message == "the answer is not an event object"
    assert common.not_an_event([]) is not None
    assert common.problems_outcome([]).passed
    failed = common.problems_outcome(["a", "b"], actual=1)
    assert (failed.passed, failed.message, failed.actual) == (False, "a; b", 1)


def test_instants_from_date_time_time_zone_and_time_slots():
    pacific_noon = {"dateTime": "2019-08-16T12:00:00.0000000", "timeZone": "Pacific Standard Time"}
    at = datetime(2019, 8, 16, 19, tzinfo=timezone.utc)
    assert common.instant_of(pacific_noon) == at
    assert common.instant({"start": pacific_noon}, "start") == at
    assert common.slot_instants({"Start": {"DateTime": "2019-08-16T12:00:00", "TimeZone": "Pacific Standard Time"},
                                 "End": pacific_noon}, lenient_keys=True) == (at, at)
    with pytest.raises(ValueError, match="start is not a dateTimeTimeZone"):
        common.instant({"start": {"dateTime": 1, "timeZone": "UTC"}}, "start")
    with pytest.raises(ValueError):
        common.instant_of({"dateTime": "2019-08-16T12:00:00", "timeZone": "Mars/Olympus"})
    with pytest.raises(ValueError, match="timeSlot"):
        common.slot_instants(None)
    with pytest.raises(ValueError):  # PascalCase keys are read only when asked for
        common.slot_instants({"Start": pacific_noon, "End": pacific_noon})


def test_timestamp_reads_only_offset_date_times():
    assert common.timestamp("4501-01-01T00:00:00Z") == datetime(4501, 1, 1, tzinfo=timezone.utc)
    assert common.timestamp("2019-08-01T07:06:24.5046431Z") is not None
    assert common.timestamp("2019-08-01T07:06:24") is None  # no offset: not a DateTimeOffset
    assert common.timestamp("soon") is None and common.timestamp(None) is None


def test_seven_digit_date_times_are_the_documented_form_only():
    assert common.is_seven_digit_date_time("2017-08-29T04:00:00.0000000")
    for other in ("2017-08-29T04:00:00.000000", "2017-08-29T04:00:00.0000000Z", "2017-08-29T04:00:00",
                  "2017-08-29T04:00:00.0000000\n", None, 20170829):
        assert not common.is_seven_digit_date_time(other), other

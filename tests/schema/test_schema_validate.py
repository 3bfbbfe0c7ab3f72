"""graphcal.schema.validate on documented payloads and hand-mutated ones.

Every payload these tests validate is also a differential case: ``validate`` here checks first
that jsonschema-rs and jsonschema give it the same verdict (see test_schema_differential.py).
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from graphcal.errors import GraphcalError
from graphcal.schema import Violation, known_types, validate, validator
from tests.schema.schema_support import checked_validate

EXAMPLES = {
    e["key"]: e
    for e in json.loads((Path(__file__).parent / "data/doc_examples.json").read_text(encoding="utf-8"))["examples"]
}


@pytest.fixture(autouse=True)
def both_validators_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "validate", checked_validate)


def documented(key: str) -> dict[str, Any]:
    example = EXAMPLES[key]
    body = copy.deepcopy(example["body"])
    assert validate(body, example["type"]) == [], "the starting point must be a valid documented body"
    return body


@pytest.fixture
def event() -> dict[str, Any]:
    return documented("current:013")  # user-post-events example 2: a full created event


def only(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, [str(v) for v in violations]
    return violations[0]


def test_unknown_enum_value(event: dict[str, Any]) -> None:
    event["showAs"] = "bussy"
    v = only(validate(event, "event"))
    assert (v.path, v.rule, v.value) == ("$.showAs", "enum", "bussy")


def test_string_for_boolean(event: dict[str, Any]) -> None:
    event["isAllDay"] = "false"
    v = only(validate(event, "event"))
    assert (v.path, v.rule, v.value) == ("$.isAllDay", "type", "false")


def test_object_for_collection(event: dict[str, Any]) -> None:
    event["attendees"] = event["attendees"][0]
    v = only(validate(event, "event"))
    assert (v.path, v.rule) == ("$.attendees", "type") and "array" in v.message


def test_bad_nested_enum_names_the_nested_path(event: dict[str, Any]) -> None:
    event["attendees"][1]["status"]["response"] = "maybe"
    v = only(validate(event, "event"))
    assert (v.path, v.rule, v.value) == ("$.attendees[1].status.response", "enum", "maybe")


@pytest.mark.parametrize("bad", ["2017-04-31T12:00:00.0000000", "2017-04-15 12:00", "tomorrow", "2017-04-15T12:00:00Z"])
def test_bad_local_date_time(event: dict[str, Any], bad: str) -> None:
    # dateTimeTimeZone.dateTime is a local date-time: a real calendar date, no offset
    event["start"]["dateTime"] = bad
    violations = validate(event, "event")
    assert violations and {v.path for v in violations} == {"$.start.dateTime"}
    assert {v.rule for v in violations} <= {"format", "pattern"}


@pytest.mark.parametrize("bad", ["2017-04-15T25:00:00Z", "2017-02-30T10:00:00Z", "datetime-value", "2017-04-15T10:00:00"])
def test_bad_date_time_offset(event: dict[str, Any], bad: str) -> None:
    event["createdDateTime"] = bad
    v = only(validate(event, "event"))
    assert (v.path, v.rule, v.value) == ("$.createdDateTime", "format", bad)


def test_graph_date_time_forms_are_valid(event: dict[str, Any]) -> None:
    event["start"]["dateTime"] = "2019-12-26T02:00:00.0000000"
    event["end"]["dateTime"] = "2019-12-26T03:00:00"
    event["createdDateTime"] = "2017-10-07T04:59:12.9698856Z"
    event["originalStart"] = "2017-10-07T04:59:12-07:00"
    assert validate(event, "event") == []


def test_wrong_odata_type_hierarchy(event: dict[str, Any]) -> None:
    event["@odata.type"] = "#microsoft.graph.message"  # a sibling, not an event
    v = only(validate(event, "event"))
    assert (v.path, v.rule, v.value) == ('$["@odata.type"]', "enum", "#microsoft.graph.message")


def test_base_type_is_not_valid_as_derived() -> None:
    message = {"@odata.type": "#microsoft.graph.message", "subject": "hi"}
    assert validate(message, "message") == []
    v = only(validate(message, "eventMessage"))
    assert (v.path, v.rule) == ('$["@odata.type"]', "enum")


def test_abstract_type_cannot_be_an_instance() -> None:
    v = only(validate({"@odata.type": "#microsoft.graph.outlookItem"}, "outlookItem"))
    assert v.rule == "enum"
    assert validate({"@odata.type": "#microsoft.graph.event", "showAs": "busy"}, "outlookItem") == []


def test_derived_type_validates_as_base_and_its_own_properties_are_checked() -> None:
    request = documented("2023:029")  # eventmessage-get: an eventMessageRequest typed as message
    assert request["@odata.type"] == "#microsoft.graph.eventMessageRequest"
    for type_name in ("message", "eventMessage", "eventMessageRequest", "outlookItem"):
        assert validate(request, type_name) == []
    request["meetingRequestType"] = "bigMeeting"  # declared on eventMessageRequest only
    for type_name in ("message", "eventMessage", "eventMessageRequest"):
        v = only(validate(request, type_name))
        assert (v.path, v.rule, v.value) == ("$.meetingRequestType", "enum", "bigMeeting")
    assert [v.path for v in validate(request, "eventMessageResponse")] == ['$["@odata.type"]']


def test_derived_complex_type_is_dispatched() -> None:
    slot = {"@odata.type": "#microsoft.graph.locationConstraintItem", "displayName": "Room", "resolveAvailability": "yes"}
    v = only(validate({"location": slot}, "event"))
    assert (v.path, v.rule) == ("$.location.resolveAvailability", "type")


def test_unknown_properties_and_annotations_are_allowed(event: dict[str, Any]) -> None:
    event["occurrenceId"] = "OID.AAMk.2020-01-01"
    event["uid"] = "040000008200E00074C5B7101A82E008"
    event["calendar@odata.navigationLink"] = "https://graph.microsoft.com/v1.0/me/calendar"
    event["start"]["x-extra"] = 1
    assert validate(event, "event") == []


def test_nullable_is_honoured(event: dict[str, Any]) -> None:
    event["recurrence"] = None  # nullable complex
    event["isAllDay"] = None  # nullable primitive
    event["showAs"] = None  # nullable enum
    assert validate(event, "event") == []
    event["start"]["dateTime"] = None  # Nullable="false"
    event["cancelledOccurrences"] = [None]  # Collection(Edm.String) Nullable="false": items
    event["attachments"] = [None]  # a navigation collection never holds nulls
    violations = validate(event, "event")
    assert [(v.path, v.rule) for v in violations] == [
        ("$.attachments[0]", "type"),
        ("$.cancelledOccurrences[0]", "type"),
        ("$.start.dateTime", "type"),
    ]


def test_edm_primitive_mappings() -> None:
    assert validate({"reminderMinutesBeforeStart": 15}, "event") == []
    cases = {
        "reminderMinutesBeforeStart": ("15", "type"),  # Int32
        "hasAttachments": (1, "type"),  # Boolean
    }
    for name, (bad, rule) in cases.items():
        assert [(v.path, v.rule) for v in validate({name: bad}, "event")] == [(f"$.{name}", rule)]
    assert only(validate({"reminderMinutesBeforeStart": 2**31}, "event")).rule == "maximum"
    assert only(validate({"range": {"startDate": "2017-02-30"}}, "patternedRecurrence")).rule == "format"  # Date
    assert validate({"range": {"startDate": "2017-02-28", "numberOfOccurrences": 3}}, "patternedRecurrence") == []
    assert only(validate({"startTime": "25:00:00.0000000"}, "workingHours")).rule == "pattern"  # TimeOfDay
    assert validate({"startTime": "08:00:00.0000000"}, "workingHours") == []
    assert validate({"coordinates": {"latitude": 47.6, "longitude": -122.1}}, "location") == []  # Double
    assert only(validate({"coordinates": {"latitude": "47.6"}}, "location")).path == "$.coordinates.latitude"
    assert only(validate({"role": "owner"}, "calendarPermission")).rule == "enum"
    assert validate({"classId": "0006f0b7-0000-0000-c000-000000000046"}, "calendarGroup") == []  # Guid
    assert only(validate({"classId": "not-a-guid"}, "calendarGroup")).rule == "format"
    assert validate({"conversationIndex": "AQHSJ1Z8vQ=="}, "message") == []  # Binary (base64)
    assert only(validate({"conversationIndex": "not base64!"}, "message")).rule == "pattern"


@pytest.mark.parametrize(
    ("value", "valid"),
    [("PT1H", True), ("P1DT2H30M", True), ("PT0.5S", True), ("-P3D", True), ("P", False), ("PT", False),
     ("1 hour", False), ("P1Y", False)],
)  # fmt: skip
def test_duration_mapping(value: str, valid: bool) -> None:
    # no calendar type has an Edm.Duration property; the mapping is checked on its own
    from jsonschema import Draft202012Validator

    from graphcal.schemagen.emit import primitive_schema

    assert Draft202012Validator(primitive_schema("Edm.Duration")).is_valid(value) is valid


def test_collection_envelope() -> None:
    page = documented("2023:015")  # user-list-events
    assert validate(page, "collection:event") == []
    page["value"][0]["showAs"] = "bussy"
    assert [v.path for v in validate(page, "collection:event")] == ["$.value[0].showAs"]
    assert [(v.path, v.rule) for v in validate({"value": {}}, "collection:event")] == [("$.value", "type")]
    assert [(v.path, v.rule) for v in validate({"@odata.context": "x"}, "collection:event")] == [("$", "required")]


def test_delta_envelope() -> None:
    page = documented("current:035")  # delta-query-events: a round's first page
    assert validate(page, "delta:event") == []
    removed = {"id": "AAMkADNkNAAAgfkBAAA=", "@removed": {"reason": "deleted"}}
    occurrence = {"@odata.type": "#microsoft.graph.event", "id": "AAMk=", "seriesMasterId": "AAMkM=",
                  "type": "occurrence", "start": {"dateTime": "2020-01-06T09:00:00.0000000", "timeZone": "UTC"},
                  "end": {"dateTime": "2020-01-06T10:00:00.0000000", "timeZone": "UTC"}}  # fmt: skip
    good = {"value": [removed, occurrence], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x"}
    assert validate(good, "delta:event") == []
    bad_reason = {**good, "value": [{"id": "x", "@removed": {"reason": "gone"}}]}
    assert [(v.path, v.rule) for v in validate(bad_reason, "delta:event")] == [('$.value[0]["@removed"].reason', "enum")]
    no_link = {"value": []}
    v = only(validate(no_link, "delta:event"))
    assert (v.path, v.rule) == ("$", "required") and "@odata.deltaLink" in v.message
    assert [v.path for v in validate({**good, "value": [{**occurrence, "type": "sometimes"}]}, "delta:event")] == ["$.value[0].type"]


def test_error_envelope() -> None:
    body = {"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store.",
                      "innerError": {"date": "2024-01-01T00:00:00", "request-id": "x"}}}  # fmt: skip
    assert validate(body, "error") == []
    assert [(v.path, v.rule) for v in validate({"error": {"code": 404}}, "error")] == [("$.error", "required"), ("$.error.code", "type")]


def test_violation_is_one_readable_line(event: dict[str, Any]) -> None:
    event["showAs"] = "bussy"
    line = str(only(validate(event, "event")))
    assert "\n" not in line
    assert line.startswith("$.showAs: enum") and '"bussy"' in line


def test_unknown_type_names_the_known_ones() -> None:
    with pytest.raises(GraphcalError) as excinfo:
        validate({}, "evnt")
    assert isinstance(excinfo.value, KeyError)
    assert "'evnt'" in str(excinfo.value) and "eventMessageRequest" in str(excinfo.value)
    with pytest.raises(KeyError):
        validate({}, "page:event")
    with pytest.raises(KeyError):
        validate({}, "collection:evnt")


def test_known_types_and_cached_validators() -> None:
    names = known_types()
    for wanted in ("event", "eventMessage", "eventMessageRequest", "calendar", "calendarPermission", "message",
                   "scheduleInformation", "meetingTimeSuggestionsResult", "mailboxSettings", "outlookItem"):  # fmt: skip
        assert wanted in names
    assert validator("event") is validator("event")
    assert validate({"subject": "x"}, "microsoft.graph.event") == []

"""Diff rendering: one readable line per difference, documented value first."""

from __future__ import annotations

import copy

from graphcal import golden
from graphcal.invariants.diffing import MISSING, Difference, compare, differences, render


def _doc():
    return golden.load("events/user-post-events-2")


def test_identical_after_normalisation_passes():
    doc = _doc()
    outcome = compare(copy.deepcopy(doc.payload), doc.payload, target_roles=doc.roles, documented_roles=doc.roles)
    assert outcome.passed, outcome.diff
    assert outcome.diff is None


def test_each_difference_is_one_line_with_path_documented_and_target():
    doc = _doc()
    target = copy.deepcopy(doc.payload)
    target["importance"] = "high"
    target["locations"][1]["address"]["city"] = "Seattle"
    outcome = compare(target, doc.payload, what="example 2",
                      target_roles=doc.roles, documented_roles=doc.roles)
    assert not outcome.passed
    assert outcome.message == '2 difference(s) from example 2: importance: documented "normal", target "high" (+1 more)'
    assert outcome.diff.splitlines() == [
        'importance: documented "normal", target "high"',
        'locations[1].address.city: documented "Redmond", target "Seattle"',
    ]


def test_missing_keys_and_extra_items_are_reported_extra_keys_are_not_by_default():
    doc = _doc()
    target = copy.deepcopy(doc.payload)
    del target["hideAttendees"]
    target["uid"] = "only the target has this"
    target["attendees"].append({"type": "optional", "emailAddress": {"address": "x@y.z", "name": "X"}})
    diffs = differences(target, doc.payload, target_roles=doc.roles, documented_roles=doc.roles)
    assert [d.path for d in diffs] == ["attendees[2]", "hideAttendees"]
    assert diffs[1] == Difference("hideAttendees", False, MISSING)
    assert str(diffs[1]) == "hideAttendees: documented false, target <missing>"
    strict = differences(target, doc.payload, target_roles=doc.roles, documented_roles=doc.roles,
                         allow_extra=False)
    assert "uid" in [d.path for d in strict]


def test_excluded_paths_and_their_children_are_not_compared():
    doc = golden.load("events/user-post-events-1")
    request = doc.request["body"]
    target = copy.deepcopy(doc.payload)
    target["subject"], target["start"] = request["subject"], request["start"]
    outcome = compare(target, doc.payload, target_roles=doc.roles, documented_roles=doc.roles,
                      exclude=["subject", "start"])
    assert outcome.passed, outcome.diff
    assert outcome.message.endswith("; not compared (documented defects): subject, start")
    assert not compare(target, doc.payload, target_roles=doc.roles, documented_roles=doc.roles,
                       exclude=["sub"]).passed  # a prefix of a key name is not a path prefix


def test_times_are_compared_as_instants_and_rendered_as_such():
    doc = _doc()
    target = copy.deepcopy(doc.payload)
    target["end"] = {"dateTime": "2017-08-30T20:00:00.0000000", "timeZone": "UTC"}  # 13:00 PDT, not 12:00
    assert render(differences(target, doc.payload, target_roles=doc.roles, documented_roles=doc.roles)) == \
        'end: documented "2017-08-30T19:00:00.0000000Z", target "2017-08-30T20:00:00.0000000Z"'


def test_personas_compare_by_role_not_address():
    doc = _doc()
    target = copy.deepcopy(doc.payload)
    target["organizer"]["emailAddress"] = {"name": "Alex Wilber", "address": "AlexW@contoso.com"}
    assert compare(target, doc.payload, target_roles={"alexw@contoso.com": "organizer",
                                                      **{a: r for a, r in doc.roles.items() if r != "organizer"}},
                   documented_roles=doc.roles).passed
    outcome = compare(target, doc.payload, target_roles={"alexw@contoso.com": "attendee"},
                      documented_roles=doc.roles)
    assert 'organizer.emailAddress.address: documented "<role:organizer>", target "<role:attendee>"' \
        in outcome.diff.splitlines()


def test_long_values_are_cut_short():
    diffs = differences({"content": "x" * 500}, {"content": "y"})
    line = render(diffs)
    assert line.startswith('content: documented "y", target "xxx') and line.endswith("...")
    assert len(line) < 250


def test_keys_only_the_target_has_inside_a_nested_object_are_not_a_whole_value_change():
    # deepdiff would by default report the parent as changed when most of its keys are new
    documented = {"location": {"displayName": "Conf Room 4"}}
    target = {"location": {"displayName": "Conf Room 4", "locationType": "default",
                           "uniqueId": "Conf Room 4", "uniqueIdType": "private"}}
    assert differences(target, documented) == []
    assert [d.path for d in differences(target, documented, allow_extra=False)] == [
        "location.locationType", "location.uniqueId", "location.uniqueIdType"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["dateTime", "timeZone", "contentType", "content", "emailAddress", "address",
                         "id", "type", "@odata.context", "x"]), inner, max_size=4),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(target=_json, documented=_json)
def test_any_two_json_payloads_compare_without_raising_and_a_payload_equals_itself(target, documented):
    outcome = compare(target, documented, target_roles={"a@b.c": "organizer"})
    assert outcome.passed == (differences(target, documented, target_roles={"a@b.c": "organizer"}) == [])
    assert compare(documented, documented, allow_extra=False).passed

"""Differential test: jsonschema-rs (the fast path) and jsonschema (the reference) give the same
valid/invalid verdict on every payload graphcal has.

Sources: the documented examples (tests/schema/data/, each as its own type); the golden response
bodies and every JSON response body recorded in cassettes/ (neither names a schema type, so each
is checked as every type in PLAUSIBLE_TYPES, valid or not); the hand-mutated payloads of
test_schema_validate.py (its ``validate`` checks both verdicts first, see schema_support.py); a
corpus of tricky strings put where the schemas have a format or a pattern; and a hypothesis set.

Generation: hypothesis-jsonschema only takes drafts 4/6/7 with local references, so instead of
bundling our 2020-12 schemas this test mutates real payloads (``mutated_payloads``): it starts
from a documented body and drops keys, swaps a value's type, puts bad enum values, bad or tricky
date-times, dates, GUIDs and base64 strings in. Only JSON values are generated (no NaN/Infinity,
see graphcal.schema_fast on values outside JSON).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphcal.golden import GOLDEN_DIR
from tests.schema.schema_support import assert_same_verdict

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = json.loads((ROOT / "tests/schema/data/doc_examples.json").read_text(encoding="utf-8"))["examples"]
CASSETTES = sorted((ROOT / "cassettes").rglob("*.yaml"))
GOLDENS = sorted(GOLDEN_DIR.rglob("*.json"))
PLAUSIBLE_TYPES = (
    "event", "collection:event", "delta:event", "calendar", "collection:calendar", "message", "collection:message",
    "eventMessage", "eventMessageRequest", "eventMessageResponse", "collection:eventMessage", "error",
)  # fmt: skip

# Strings at the edges of the checks whose Python and Rust forms differ: formats (rfc3339-validator,
# fromisoformat, date, UUID) and patterns (re: Unicode \d, "$" before a final newline).
TRICKY_STRINGS = (
    "2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "1900-02-29T10:00:00Z", "2000-02-29T10:00:00Z",
    "0000-01-01T00:00:00Z", "2024-01-01t10:00:00z", "2024-01-01T23:59:60Z", "2024-01-01T24:00:00Z",
    "2024-01-01T10:00:00Z\n", "2024-01-01T10:00:00Z\n\n", "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+24:00",
    "2024-01-01T10:00:00-00:00", "2024-01-01T10:00:00.1234567+05:30", "2024-01-01 10:00:00Z", "2024-01-01",
    "2024-01-01T10:00:00", "2024-01-01T10:00", "2024-01-01T10:00\n", "2024-01-01T10:00:00.12345678",
    "2024-02-30T10:00:00", "\u0662024-01-01T10:00:00", "2024-01-01T1\u0669:00:00", "\uff12024-01-01T10:00:00Z",
    "2024-13-01", "2024-02-29", "2023-02-29", "2024-1-01", "2024-01-01\n",
    "0006f0b7-0000-0000-c000-000000000046", "{0006f0b7-0000-0000-c000-000000000046}",
    "urn:uuid:0006f0b7-0000-0000-c000-000000000046", "0006f0b70000-0000-c000-000000000046",
    "0006F0B7-0000-0000-C000-000000000046", "0006f0b7-0000-0000-c000-00000000004g",
    "AQHSJ1Z8vQ==", "AQHSJ1Z8vQ==\n", "not base64!", "AQ=HS", "", "08:00:00.0000000", "08:00\n", "0\u0668:00",
    "24:00", "#microsoft.graph.event", "#microsoft.graph.event\n", "microsoft.graph.event",
)  # fmt: skip
# Where the schemas check a format or a pattern: (type, documented body key, path, value kind)
CHECKED_PLACES = (
    ("event", "current:013", ("createdDateTime",)),
    ("event", "current:013", ("start", "dateTime")),
    ("event", "current:013", ("@odata.type",)),
    ("event", "current:013", ("responseStatus", "time")),
    ("patternedRecurrence", None, ("range", "startDate")),
    ("calendarGroup", None, ("classId",)),
    ("message", None, ("conversationIndex",)),
    ("message", None, ("changeKey",)),
    ("workingHours", None, ("startTime",)),
)
BAD_VALUES = (None, True, 0, -1, 2**31, 1.5, "", "x", "bussy", [], [None], {}, {"@odata.type": "#x"})


def documented(key: str) -> Any:
    return copy.deepcopy(next(e["body"] for e in EXAMPLES if e["key"] == key))


def cassette_bodies(path: Path) -> list[Any]:
    bodies = []
    for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
        text = interaction["response"]["body"].get("string")
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if text:
            bodies.append(json.loads(text))
    return bodies


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["key"] for e in EXAMPLES])
def test_documented_examples(example: dict[str, Any]) -> None:
    assert_same_verdict(example["body"], example["type"], f"documented {example['key']}")


@pytest.mark.parametrize("path", GOLDENS, ids=[str(p.relative_to(GOLDEN_DIR)) for p in GOLDENS])
def test_golden_bodies_as_every_plausible_type(path: Path) -> None:
    golden = json.loads(path.read_text(encoding="utf-8"))
    for section in ("response", "request"):
        body = golden[section].get("body")
        if isinstance(body, (dict, list)):
            for type_name in PLAUSIBLE_TYPES:
                assert_same_verdict(body, type_name, f"golden {path.name} {section}")


@pytest.mark.parametrize("path", CASSETTES, ids=[str(p.relative_to(ROOT / "cassettes")) for p in CASSETTES])
def test_cassette_bodies_as_every_plausible_type(path: Path) -> None:
    bodies = cassette_bodies(path)
    assert bodies, f"{path} has no JSON response body"
    verdicts = {(i, t): assert_same_verdict(b, t, f"{path.name} response {i}")
                for i, b in enumerate(bodies) for t in PLAUSIBLE_TYPES}  # fmt: skip
    assert any(verdicts.values()), "a recorded response validates as some plausible type"


def _put(payload: Any, path: tuple[str | int, ...], value: Any) -> Any:
    target = payload
    for part in path[:-1]:
        target = target.setdefault(part, {}) if isinstance(target, dict) else target[part]
    target[path[-1]] = value
    return payload


@pytest.mark.parametrize(("type_name", "key", "path"), CHECKED_PLACES, ids=[".".join(p[2]) for p in CHECKED_PLACES])
def test_tricky_strings_where_formats_and_patterns_apply(type_name: str, key: str | None, path: tuple[str, ...]) -> None:
    for text in TRICKY_STRINGS:
        payload = _put(documented(key) if key else {}, path, text)
        assert_same_verdict(payload, type_name, f"{'.'.join(path)} = {text!r}")


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every location in a JSON value, parents before children."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _get(payload: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        payload = payload[part]
    return payload


def _mutate(payload: Any, path: tuple[str | int, ...], how: str, value: Any) -> Any:
    if not path:
        return value if how != "drop" else {}
    parent = _get(payload, path[:-1])
    if how == "drop":
        del parent[path[-1]]
    elif how == "misspell" and isinstance(parent[path[-1]], str):
        parent[path[-1]] = parent[path[-1]] + str(value)[:3]
    else:
        parent[path[-1]] = value
    return payload


@st.composite
def mutated_payloads(draw: st.DrawFn) -> tuple[Any, str]:
    """A documented body with one to three mutations: drop a key or an item, replace a value by one
    of another type or by a tricky string, misspell a string (a bad enum value), or change one digit
    of a string (bad date-times, dates, times of day)."""
    example = draw(st.sampled_from(EXAMPLES))
    payload = copy.deepcopy(example["body"])
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(("drop", "replace", "tricky", "misspell", "digit", "digit")))
        paths = _paths(payload)
        strings = [p for p in paths if isinstance(_get(payload, p), str)]  # where formats and patterns apply
        path = draw(st.sampled_from(strings if how != "drop" and strings else paths))
        if how == "digit":  # a bad date-time, date or time of day: one digit changed, maybe to a non-ASCII one
            text = _get(payload, path)
            where = [i for i, char in enumerate(text) if char.isdigit()] if isinstance(text, str) else []
            if where:
                i = draw(st.sampled_from(where))
                value = text[:i] + draw(st.sampled_from("01234567899\u0669\uff13")) + text[i + 1 :]
                payload = _mutate(payload, path, "replace", value)
            continue
        value = draw(st.sampled_from(TRICKY_STRINGS if how in ("tricky", "misspell") else BAD_VALUES))
        payload = _mutate(payload, path, "replace" if how == "tricky" else how, copy.deepcopy(value))
    return payload, example["type"]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_payloads())
def test_mutated_documented_bodies(case: tuple[Any, str]) -> None:
    payload, type_name = case
    assert_same_verdict(payload, type_name, "hypothesis mutation")

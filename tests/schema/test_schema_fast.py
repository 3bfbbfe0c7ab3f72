"""graphcal.schema_fast: the rewrites that make jsonschema-rs agree with jsonschema, and the
fallback to jsonschema alone when jsonschema-rs cannot be imported."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import FormatChecker
from rfc3339_validator import validate_rfc3339

from graphcal import schema, schema_fast
from graphcal.schema_fast import (
    DIGIT_PLANES_END, DRAFT_2020_12, PY_PATTERN, RFC3339_PATTERN, FastSchemas, UntranslatablePattern, characters,
    translate_pattern,
)  # fmt: skip

from tests.schema.schema_support import needs_jsonschema_rs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = json.loads((ROOT / "tests/schema/data/doc_examples.json").read_text(encoding="utf-8"))["examples"]
SCHEMA_PATTERNS = sorted({m for p in (ROOT / "schemas").glob("*.json")
                          for m in re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', p.read_text(encoding="utf-8"))})  # fmt: skip
EDGE_ALPHABET = "0123456789\u0669\uff13\U0001d7ce:.-+/=_#TtZzAb \n"


def rs_search(pattern: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for({"$schema": DRAFT_2020_12, "pattern": pattern}).is_valid


@needs_jsonschema_rs
@pytest.mark.parametrize("pattern", [json.loads(p) for p in SCHEMA_PATTERNS])
def test_every_schema_pattern_is_translated_and_means_what_python_means(pattern: str) -> None:
    fast = rs_search(translate_pattern(pattern))  # no schema pattern needs the slower Python callback

    @settings(max_examples=150, deadline=None, database=None)
    @given(st.from_regex(pattern) | st.text(EDGE_ALPHABET, max_size=40))
    def agrees(text: str) -> None:
        assert fast(text) == bool(re.search(pattern, text)), repr(text)

    agrees()


@needs_jsonschema_rs
@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [(r"^[\d_]+$", "1\u0669_\n", True), (r"^a$|^b", "a\n", True), (r"^a$|^b", "a\n\n", False), (r"x\$", "x$", True),
     (r"^(?:ab){2,}$", "abab", True), (r"^[^\d]$", "\u0669", False), (r"^[-a]$", "-", True)],
)  # fmt: skip
def test_translation_details(pattern: str, text: str, matches: bool) -> None:
    assert bool(re.search(pattern, text)) is matches
    assert rs_search(translate_pattern(pattern))(text) is matches


@needs_jsonschema_rs
@pytest.mark.parametrize("pattern", [r"^\w+$", "a.b", "(?i)x", "(?=a)", "[a&b]", "[!-~]", "x{", r"\s", r"\D"])
def test_untranslatable_patterns_are_checked_by_python(pattern: str) -> None:
    with pytest.raises(UntranslatablePattern):
        translate_pattern(pattern)
    uri = "https://graphcal.invalid/schemas/t.json"
    fast = FastSchemas({uri: {"$schema": DRAFT_2020_12, "$id": uri, "properties": {"s": {"pattern": pattern}}}},
                       FormatChecker())  # fmt: skip
    validator = fast.validator({"$ref": uri})
    for text in ("ab", "a\nb", "x{", "\u00e9\u00e9", "a", " ", "[ab"):
        assert validator.is_valid({"s": text}) == bool(re.search(pattern, text)), (pattern, text)
    assert PY_PATTERN in json.dumps(schema_fast._walk({"pattern": pattern}, fast._rewrite))


def test_python_decimal_digits_are_all_below_plane_2() -> None:
    assert re.search(r"\d", characters(DIGIT_PLANES_END, 0x110000)) is None


@needs_jsonschema_rs
@pytest.mark.parametrize("year", ["0000", "0001", "0004", "0100", "0400", "1900", "2000", "2023", "2024", "2100", "9996"])
def test_rfc3339_pattern_is_rfc3339_validator(year: str) -> None:
    fast = rs_search(RFC3339_PATTERN)
    for month in ("00", "01", "02", "04", "12", "13"):
        for day in ("00", "01", "28", "29", "30", "31", "32"):
            for time in ("T00:00:00Z", "t23:59:59.5z", "T23:59:60Z", "T24:00:00Z", "T12:00:00+23:59", "T12:00:00-24:00",
                         "T12:00:00Z\n", "T12:00:00Z\n\n", "T12:00:00.Z", " 12:00:00Z", "T12:00Z", "T1\u0662:00:00Z"):  # fmt: skip
                text = f"{year}-{month}-{day}{time}"
                assert fast(text) == validate_rfc3339(text.upper()), repr(text)


@needs_jsonschema_rs
def test_formats_jsonschema_does_not_check_are_not_checked_fast() -> None:
    uri = "https://graphcal.invalid/schemas/t.json"
    document = {"$schema": DRAFT_2020_12, "$id": uri, "properties": {"at": {"format": "date-time"}}}
    without = FastSchemas({uri: document}, FormatChecker(formats=("date",))).validator({"$ref": uri})
    assert without.is_valid({"at": "yesterday"})
    checked = FastSchemas({uri: document}, schema.format_checker()).validator({"$ref": uri})
    assert not checked.is_valid({"at": "yesterday"}) and checked.is_valid({"at": "2024-01-01T00:00:00Z"})


@needs_jsonschema_rs
def test_violations_are_the_same_with_and_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "FAST_AFTER_SECONDS", 0.0)  # compiled from the first validation
    with_fast = [schema.validate(e["body"], e["type"]) for e in EXAMPLES]
    assert all(schema._compiled.get(e["type"]) for e in EXAMPLES)
    monkeypatch.setattr(schema, "FAST_PATH", False)
    assert [schema.validate(e["body"], e["type"]) for e in EXAMPLES] == with_fast
    assert any(with_fast), "some documented examples are listed deviations: violations are compared too"


@needs_jsonschema_rs
def test_a_type_is_compiled_once_jsonschema_has_spent_the_budget_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "_compiled", {})
    monkeypatch.setattr(schema, "_jsonschema_seconds", {})
    monkeypatch.setattr(schema, "FAST_AFTER_SECONDS", 0.01)
    event = next(e["body"] for e in EXAMPLES if e["key"] == "current:013")
    assert schema.validate(event, "event") == [] and "event" not in schema._compiled  # jsonschema answered
    while schema._jsonschema_seconds["event"] < 0.01:
        assert schema.is_valid(event, "event")
    assert schema.validate(event, "event") == [] and schema._compiled["event"] is not None
    spent = schema._jsonschema_seconds["event"]
    assert schema.validate(event, "event") == [] and schema._jsonschema_seconds["event"] == spent  # compiled answered
    assert [v.path for v in schema.validate({**event, "showAs": "bussy"}, "event")] == ["$.showAs"]


def test_without_jsonschema_rs_jsonschema_validates_alone() -> None:
    script = (
        "import sys; sys.modules['jsonschema_rs'] = None  # as if no wheel: import fails\n"
        "from graphcal import schema, schema_fast\n"
        "assert not schema_fast.AVAILABLE and schema.fast_validator('event') is None\n"
        "assert schema.validate({'subject': 'x'}, 'event') == [] and schema.is_valid({'subject': 'x'}, 'event')\n"
        "print(';'.join(str(v) for v in schema.validate({'showAs': 'bussy', 'isAllDay': 1}, 'event')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ";".join(str(v) for v in schema.validate({"showAs": "bussy", "isAllDay": 1}, "event"))
    assert out.count("$.") == 2


@needs_jsonschema_rs
def test_fast_validators_are_cached_and_not_json_values_fall_back_to_jsonschema() -> None:
    assert schema.fast_validator("event") is schema.fast_validator("event")  # compiles it, once
    odd = {1: "x", "showAs": "bussy"}  # jsonschema-rs refuses non-str keys (ValueError); jsonschema answers
    assert not schema.is_valid(odd, "event") and [v.path for v in schema.validate(odd, "event")] == ["$.showAs"]
    assert schema.is_valid({1: "x"}, "event")

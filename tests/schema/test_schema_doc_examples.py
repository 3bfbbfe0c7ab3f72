"""Every documented calendar response body validates, or is listed in schemas/deviations.json
with exactly the violations it has. Checked both ways, per example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphcal.schema import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = json.loads((ROOT / "tests/schema/data/doc_examples.json").read_text(encoding="utf-8"))["examples"]
DEVIATIONS = json.loads((ROOT / "schemas/deviations.json").read_text(encoding="utf-8"))["deviations"]
LISTED = {d["key"]: d for d in DEVIATIONS}


def observed(example: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """What is wrong with a documented body: schema violations and JSON syntax the docs broke."""
    found = [(v.path, v.rule, v.value) for v in validate(example["body"], example["type"])]
    found += [("$", "json-syntax", repair) for repair in example["parse_repairs"]]
    return sorted(found, key=json.dumps)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["key"] for e in EXAMPLES])
def test_documented_body_validates_or_is_listed(example: dict[str, Any]) -> None:
    listing = LISTED.get(example["key"])
    actual = observed(example)
    if listing is None:
        assert actual == [], f"{example['key']} ({example['source_path']}) fails but is not in deviations.json: {actual}"
        return
    expected = sorted(((v["path"], v["rule"], v["value"]) for v in listing["violations"]), key=json.dumps)
    assert actual == expected, f"{example['key']}: deviations.json is out of date (listed {expected}, now {actual})"
    assert listing["type"] == example["type"] and listing["source_path"] == example["source_path"]
    assert all(v["why"].strip() for v in listing["violations"]), "every listed violation says why the docs are wrong"


def test_every_listing_names_an_extracted_example() -> None:
    keys = {e["key"] for e in EXAMPLES}
    assert sorted(set(LISTED) - keys) == []
    assert len(LISTED) == len(DEVIATIONS), "one listing per example"


def test_examples_carry_provenance_and_cover_the_calendar_families() -> None:
    for example in EXAMPLES:
        assert example["source_path"].endswith(".md") and len(example["source_commit"]) == 40
        assert example["example_title"] and example["source_file"].startswith("examples-")
    kinds = {e["type"] for e in EXAMPLES}
    for wanted in ("event", "collection:event", "delta:event", "message", "collection:message", "calendar",
                   "collection:calendar", "calendarPermission", "collection:calendarPermission",
                   "collection:scheduleInformation", "meetingTimeSuggestionsResult", "mailboxSettings"):  # fmt: skip
        assert wanted in kinds

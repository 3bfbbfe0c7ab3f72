"""Validate Graph payloads against the JSON Schemas generated from Graph's v1.0 metadata.

``validate(payload, "event")`` -> ``[]`` when valid, else one Violation per problem. The
schemas in ``schemas/`` are loaded into one ``referencing.Registry`` and each validator is
built once per process (``functools.cache``), so the harness can validate every response.

Two validators per type: a compiled one (jsonschema-rs, ``graphcal.schema_fast``) answers
valid/invalid; jsonschema, the reference, renders the Violations of a payload the compiled one
rejects. A type is compiled once jsonschema has spent ``FAST_AFTER_SECONDS`` on it; without
jsonschema-rs (no wheel for the platform) jsonschema does everything.

Type names: a Graph type (``"event"``, ``"eventMessageRequest"``, ``"microsoft.graph.calendar"``)
or an envelope: ``"collection:<type>"``, ``"delta:<type>"``, ``"error"``.
"""

from __future__ import annotations

import functools
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from graphcal import schema_fast
from graphcal.errors import GraphcalError

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
INDEX_FILE = "index.json"
LOCAL_DATE_TIME_FORMAT = "graphcal-local-date-time"  # see graphcal.schemagen.emit.OVERLAYS
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ENVELOPES = ("collection", "delta")
# The fast path (graphcal.schema_fast): False runs jsonschema alone (tests, bench/bench_schema.py).
FAST_PATH = schema_fast.AVAILABLE
# Compiling a type costs 30 ms (event) to 0.5 s (message: its attachments reach every outlookItem
# type), 20 to 300 jsonschema validations: jsonschema answers a type until it has spent this long
# on it in the process, then the compiled validator does (so a short run does not pay compiles).
FAST_AFTER_SECONDS = 0.15
_compiled: dict[str, Any] = {}  # type name -> compiled validator (None: no jsonschema-rs)
_jsonschema_seconds: dict[str, float] = {}  # type name -> time jsonschema spent validating it


class UnknownSchemaType(GraphcalError, KeyError):
    """``validate`` was asked for a type the generated schemas do not have."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


@dataclass(frozen=True)
class Violation:
    """One reason a payload does not match its schema."""

    path: str  # JSON path of the offending value, e.g. "$.attendees[0].status.response"
    rule: str  # the JSON Schema keyword that failed: "enum", "type", "format", "required"...
    value: Any  # the offending value
    message: str  # what the validator says, in one line

    def __str__(self) -> str:
        return f"{self.path}: {self.rule} violated by {_short(self.value)}: {self.message}"


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += "[" + json.dumps(part) + "]"
    return path


def _is_local_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is None


def format_checker() -> FormatChecker:
    """The formats the generated schemas use; "date-time" needs rfc3339-validator installed."""
    checker = FormatChecker(formats=("date-time", "date", "uuid"))
    checker.checks(LOCAL_DATE_TIME_FORMAT)(_is_local_date_time)
    return checker


@functools.cache
def _documents() -> tuple[dict[str, dict[str, Any]], dict[str, str], str]:
    """The schema documents by ``$id``, the type index (name -> file) and the base URI."""
    index_path = SCHEMAS_DIR / INDEX_FILE
    if not index_path.is_file():
        raise GraphcalError(
            f"no generated schemas at {SCHEMAS_DIR}; run "
            "`graphcal schemas build --metadata metadata/cleanMetadata.xml --out schemas/`"
        )
    index = json.loads(index_path.read_text(encoding="utf-8"))
    documents = {}
    for file_name in [*index["types"].values(), *index["envelopes"]]:
        contents = json.loads((SCHEMAS_DIR / file_name).read_text(encoding="utf-8"))
        documents[contents["$id"]] = contents
    return documents, dict(index["types"]), index["base_uri"]


@functools.cache
def _catalog() -> tuple[Registry, dict[str, str], str]:
    documents, types, base_uri = _documents()
    resources = [(uri, Resource.from_contents(c, default_specification=DRAFT202012)) for uri, c in documents.items()]
    registry: Registry = Registry().with_resources(resources).crawl()
    return registry, types, base_uri


def known_types() -> list[str]:
    """Every type name ``validate`` accepts (envelopes take any of the type names)."""
    return sorted(_catalog()[1])


def _resolve_file(name: str) -> str:
    types = _catalog()[1]
    short = name.removeprefix("#").removeprefix("microsoft.graph.")
    if short in types:
        return types[short]
    raise UnknownSchemaType(
        f"no schema for type {name!r}; known types: {', '.join(sorted(types))} "
        "(or an envelope: collection:<type>, delta:<type>, error)"
    )


def _root_schema(type_name: str) -> dict[str, Any]:
    base_uri = _catalog()[2]
    kind, sep, item = type_name.partition(":")
    if type_name == "error":
        return {"$ref": base_uri + "odata.error.json"}
    if sep and kind == "collection":
        items: dict[str, Any] = {"type": "object", "$ref": base_uri + _resolve_file(item)}
        return {"$ref": base_uri + "odata.collection.json", "properties": {"value": {"items": items}}}
    if sep and kind == "delta":
        items = {
            "if": {"type": "object", "required": ["@removed"]},
            "then": {"$ref": base_uri + "odata.delta.json#/$defs/removedItem"},
            "else": {"type": "object", "$ref": base_uri + _resolve_file(item)},
        }
        return {"$ref": base_uri + "odata.delta.json", "properties": {"value": {"items": items}}}
    if sep:
        raise UnknownSchemaType(
            f"unknown envelope {kind!r} in {type_name!r}; use one of {', '.join(_ENVELOPES)} (or 'error')"
        )
    return {"type": "object", "$ref": base_uri + _resolve_file(type_name)}


@functools.cache
def validator(type_name: str) -> Draft202012Validator:
    """The (cached) validator for ``type_name``."""
    registry = _catalog()[0]
    return Draft202012Validator(_root_schema(type_name), registry=registry, format_checker=format_checker())


def _violation(error: ValidationError) -> Violation:
    message = " ".join(error.message.split())
    if len(message) > 300:
        message = message[:297] + "..."
    return Violation(json_path(error.absolute_path), str(error.validator), error.instance, message)


@functools.cache
def _fast_schemas() -> schema_fast.FastSchemas | None:
    if not schema_fast.AVAILABLE:
        return None
    return schema_fast.FastSchemas(_documents()[0], format_checker())


def fast_validator(type_name: str) -> Any | None:
    """The compiled validator for ``type_name``, built now if it is not yet (once per process),
    or None without jsonschema-rs."""
    if type_name not in _compiled:
        fast = _fast_schemas()
        _compiled[type_name] = None if fast is None else fast.validator(_root_schema(type_name))
    return _compiled[type_name]


def _fast_verdict(payload: Any, type_name: str) -> bool | None:
    """The compiled validator's verdict; None where jsonschema answers: without the fast path,
    before the type is worth compiling, or for a value outside JSON that jsonschema-rs refuses
    (e.g. a dict with a non-str key)."""
    if not FAST_PATH:
        return None
    fast = _compiled.get(type_name)
    if fast is None:
        if type_name in _compiled or _jsonschema_seconds.get(type_name, 0.0) < FAST_AFTER_SECONDS:
            return None
        fast = fast_validator(type_name)
    try:
        return bool(fast.is_valid(payload))
    except ValueError:
        return None


def _reference(type_name: str, check: Any) -> Any:
    """``check(the jsonschema validator of type_name)``, its time counted against the type."""
    jsonschema_validator = validator(type_name)
    start = time.perf_counter()
    result = check(jsonschema_validator)
    _jsonschema_seconds[type_name] = _jsonschema_seconds.get(type_name, 0.0) + time.perf_counter() - start
    return result


def is_valid(payload: Any, type_name: str) -> bool:
    """The verdict alone: the compiled validator's, else jsonschema's (tests/schema/test_schema_differential.py
    keeps the two equal)."""
    verdict = _fast_verdict(payload, type_name)
    return bool(_reference(type_name, lambda v: v.is_valid(payload))) if verdict is None else verdict


def validate(payload: Any, type_name: str) -> list[Violation]:
    """Check ``payload`` against the schema of ``type_name``; ``[]`` when it is valid."""
    if _fast_verdict(payload, type_name):
        return []
    errors = _reference(type_name, lambda v: list(v.iter_errors(payload)))
    return sorted((_violation(e) for e in errors), key=lambda v: (v.path, v.rule, v.message))


# --- for generators of valid payloads (graphcal.emulator.core.random_valid) ---------------------

def documents() -> dict[str, dict[str, Any]]:
    """Every schema document by its ``$id`` (the ``$ref``s of one resolve against its ``$id``)."""
    return _documents()[0]


def root_schema(type_name: str) -> dict[str, Any]:
    """The schema ``validate(payload, type_name)`` checks against (absolute ``$ref``s)."""
    return _root_schema(type_name)

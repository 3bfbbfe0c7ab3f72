"""CSDL -> JSON Schema (draft 2020-12) generator behind ``graphcal schemas build``.

``build(metadata)`` returns the generated files as bytes (deterministic: sorted keys where
order carries no meaning, fixed indentation, trailing newline), ``write(files, out)`` writes
them, and ``build_command`` is what the CLI calls.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from graphcal.errors import GraphcalError
from graphcal.schemagen import csdl, emit, envelopes

GRAPH_NAMESPACE = "microsoft.graph"

# The calendar types the suite sees in responses; everything they reference follows.
CALENDAR_TYPES: tuple[str, ...] = (
    "event", "calendar", "calendarGroup", "calendarPermission", "message", "eventMessage",
    "eventMessageRequest", "eventMessageResponse", "outlookItem", "attendee", "attendeeBase",
    "recipient", "emailAddress", "dateTimeTimeZone", "itemBody", "location", "physicalAddress",
    "outlookGeoCoordinates", "onlineMeetingInfo", "patternedRecurrence", "recurrencePattern",
    "recurrenceRange", "responseStatus", "timeSlot", "reminder", "mailboxSettings",
    "meetingTimeSuggestionsResult", "scheduleInformation",
)  # fmt: skip

INDEX_FILE = "index.json"


def short_name(full_name: str) -> str:
    """``microsoft.graph.event`` -> ``event``; other namespaces keep their full name."""
    prefix = GRAPH_NAMESPACE + "."
    if full_name.startswith(prefix) and "." not in full_name[len(prefix) :]:
        return full_name[len(prefix) :]
    return full_name


def _qualify(name: str, model: csdl.Model) -> str:
    full = name if "." in name else f"{GRAPH_NAMESPACE}.{name}"
    if full not in model.structured:
        hint = " (enum types are validated as properties, not on their own)" if full in model.enums else ""
        raise GraphcalError(
            f"type {name!r} does not exist in the metadata{hint}; "
            f"name an EntityType or ComplexType, e.g. {', '.join(CALENDAR_TYPES[:3])}"
        )
    return full


def _dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(metadata: str | Path, types: list[str] | None = None) -> dict[str, bytes]:
    """Generate every schema file for ``types`` (default: the calendar types) -> {name: bytes}."""
    model = csdl.load(metadata)
    roots = [_qualify(name, model) for name in (types or CALENDAR_TYPES)]
    names = emit.closure(model, roots)
    emitted = set(names)
    files = {emit.file_name(name): _dump(emit.type_schema(model, name, emitted)) for name in names}
    for file_name, document in envelopes.all_envelopes().items():
        files[file_name] = _dump(document)
    index = {
        "generator": "graphcal schemas build",
        "metadata_sha256": hashlib.sha256(Path(metadata).read_bytes()).hexdigest(),
        "roots": sorted(short_name(r) for r in roots),
        "types": {short_name(name): emit.file_name(name) for name in names},
        "envelopes": sorted(envelopes.all_envelopes()),
        "base_uri": emit.BASE_URI,
    }
    files[INDEX_FILE] = _dump(index)
    return dict(sorted(files.items()))


def write(files: dict[str, bytes], out: str | Path) -> None:
    """Write the generated files; stale generated files from an earlier run are removed."""
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise GraphcalError(f"--out {target} exists and is not a folder")
    target.mkdir(parents=True, exist_ok=True)
    previous = target / INDEX_FILE
    if previous.is_file():
        try:
            old = json.loads(previous.read_text(encoding="utf-8"))
            stale = set(old.get("types", {}).values()) | set(old.get("envelopes", []))
        except (ValueError, AttributeError):
            stale = set()
        for name in stale - set(files):
            (target / name).unlink(missing_ok=True)
    for name, content in files.items():
        (target / name).write_bytes(content)


def build_command(metadata: str, out: str, types: str | None = None) -> int:
    """``graphcal schemas build``: generate and write; GraphcalError on bad input."""
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    files = build(metadata, wanted)
    write(files, out)
    print(f"wrote {len(files)} schema files to {out} from {metadata}")
    return 0

"""Regenerate golden/events/*.json from the extracted documentation examples.

    .venv/bin/python tools/extract_golden.py [--docs ../shared/graph-docs]

Reads ``examples-current.jsonl`` (one documented request/response pair a line, with
provenance and extraction notes) and writes one golden file per create-event example, plus the
documented read-back of example 2's event from ``examples-2023.jsonl`` (event-get, missing from
the current pages). The documentation's own defects are *found*, not hand-listed: the file
records the extraction's anomalies and JSON repairs, every event invariant that the documented
response fails against its own documented request (graphcal.invariants.events), and, for a
read-back, whether it shows the same instants as the create that made the event.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from graphcal.invariants import events
from graphcal.invariants.common import instant
from graphcal.invariants.registry import CATALOG

ROOT = Path(__file__).resolve().parents[1]

REPOS = {  # extraction file -> the repository its pages come from
    "examples-current.jsonl": "microsoftgraph/microsoft-graph-docs-contrib",
    "examples-2023.jsonl": "microsoftgraph/microsoft-graph-docs.zh-CN",  # its code blocks are English
}
SOURCES = {  # golden name prefix -> documentation page
    "user-post-events": "api-reference/v1.0/api/user-post-events.md",
    "calendar-post-events": "api-reference/v1.0/api/calendar-post-events.md",
}
# documented reads of a created event: the request block's name -> golden name
READ_BACKS = {"get_event_multiple_locations": "event-get-2"}

# Where an invariant's failure shows in the payload (paths the golden comparison leaves out).
INVARIANT_PATHS = {
    "EVT-ONLINE-2": ("isOnlineMeeting",),
    "EVT-DEF-2": ("isOnlineMeeting",),
    "EVT-DEF-4": ("transactionId",),
    "EVT-LOC-1": ("location",),
    "EVT-TZ-1": ("start", "end"),
}


def _prefer_zone(headers: list[list[str]]) -> str | None:
    for name, value in headers:
        if name.casefold() == "prefer" and "outlook.timezone" in value:
            return value.split("=", 1)[1].strip().strip('"')
    return None


def _checks(request_body: dict[str, Any], request_headers: list[list[str]], event: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """The event invariants that apply to a documented create, with their arguments."""
    checks: list[tuple[str, tuple[Any, ...]]] = [
        ("EVT-FMT-1", (event,)), ("EVT-FMT-2", (event,)), ("EVT-LOC-1", (event,)),
        ("EVT-LOC-2", (request_body, event)), ("EVT-ONLINE-2", (event,)),
        ("EVT-DEF-1", (request_body, event)), ("EVT-DEF-2", (request_body, event)),
        ("EVT-DEF-3", (request_body, event)), ("EVT-DEF-4", (request_body, event)),
    ]
    zone = _prefer_zone(request_headers)
    checks.append(("EVT-TZ-1", (event, zone)) if zone else ("EVT-TZ-2", (event,)))
    if "recurrence" in request_body:
        checks += [("EVT-REC-1", (event,)), ("EVT-REC-2", (request_body, event)),
                   ("EVT-REC-3", (request_body, event))]
    else:
        checks.append(("EVT-CREATE-3", (event,)))
    if request_body.get("isOnlineMeeting") is True:
        checks.append(("EVT-ONLINE-1", (request_body, event)))
    return checks


def _failures(checks: list[tuple[str, tuple[Any, ...]]]) -> list[dict[str, Any]]:
    defects = []
    for inv_id, args in checks:
        outcome = CATALOG[inv_id](*args)
        if not outcome.passed:
            if isinstance(outcome.actual, dict) and outcome.actual and \
                    all(v == "<missing>" for v in outcome.actual.values()):
                continue  # the docs shorten responses: a key they leave out is not a defect
            for path in INVARIANT_PATHS.get(inv_id, (None,)):
                defects.append({"path": path, "found_by": inv_id,
                                "message": f"documented response breaks {inv_id} "
                                           f"({CATALOG[inv_id].title}): {outcome.message}"})
    return defects


def find_defects(record: dict[str, Any], created_by: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The example's contradictions, each with the payload path it affects (or None).

    ``created_by`` is the documented create of the event a read-back example reads.
    """
    request, response = record["request"], record["response"]
    event = response["body"]
    defects: list[dict[str, Any]] = []
    for repair in (response.get("body_parse") or {}).get("repairs", []):
        defects.append({"path": None, "found_by": f"extraction: {repair}",
                        "message": f"the documented response body is not valid JSON ({repair} had to be "
                                   f"repaired: {response['body_parse'].get('error')})"})
    if created_by is None:
        for path, requested, returned in events.echo_mismatches(request["body"], event):
            defects.append({"path": path, "found_by": "EVT-CREATE-2",
                            "message": f"documented response has {returned!r} where the documented request "
                                       f"asked for {requested!r}"})
        defects += _failures(_checks(request["body"], request["headers"], event))
    else:
        created = created_by["request"]["body"]
        for key in ("start", "end"):  # EVT-TZ-3, field by field so each defect names its path
            if key in event and instant(event, key) != instant(created, key):
                defects.append({"path": key, "found_by": "EVT-TZ-3",
                                "message": f"documented read-back shows {key} {event[key]}, another instant "
                                           f"than the documented create of this event asked for "
                                           f"({created[key]}, {created_by['example_title']!r})"})
        defects += _failures([("EVT-TZ-2" if not _prefer_zone(request["headers"]) else "EVT-TZ-1",
                               (event,) if not _prefer_zone(request["headers"])
                               else (event, _prefer_zone(request["headers"])))])
    link = event.get("webLink")
    if isinstance(link, str) and event.get("id"):
        item = parse_qs(urlsplit(link).query).get("itemid", [""])[0]
        if item and item != event["id"]:
            defects.append({"path": "webLink", "found_by": "webLink vs id",
                            "message": f"webLink opens item {item!r} but the event id is {event['id']!r} "
                                       f"(the event resource: webLink carries the URL-encoded id, "
                                       f"{quote(event['id'], safe='')!r})"})
    covered = {d["path"] for d in defects}
    for anomaly in record.get("anomalies", []):
        kind, _, path = anomaly.partition(":")
        if path not in covered:
            defects.append({"path": path or None, "found_by": f"extraction anomaly: {kind}",
                            "message": f"the extraction flagged {anomaly}"})
    return defects


def roles_of(record: dict[str, Any]) -> dict[str, str]:
    """The example's people as roles: its organizer, then its attendees in request order (in
    response order for a read, which has no request body)."""
    roles: dict[str, str] = {}
    response = record["response"]["body"]
    organizer = ((response.get("organizer") or {}).get("emailAddress") or {}).get("address")
    if organizer:
        roles[organizer.casefold()] = "organizer"
    attendees = (record["request"]["body"] or response).get("attendees") or []
    for i, attendee in enumerate(attendees, start=1):
        address = (attendee.get("emailAddress") or {}).get("address")
        if address and address.casefold() not in roles:
            roles[address.casefold()] = "attendee" if i == 1 else f"attendee{i}"  # the seeds' role names
    return roles


def golden_of(record: dict[str, Any], source_file: str, name: str,
              created_by: dict[str, Any] | None = None) -> dict[str, Any]:
    request, response = record["request"], record["response"]
    return {
        "name": name,
        "provenance": {
            "repo": REPOS[source_file],
            "source_path": record["source_path"],
            "source_commit": record["source_commit"],
            "example_title": record["example_title"],
            "heading_path": record["heading_path"],
            "extracted_from": source_file,
            "written_by": "tools/extract_golden.py",
        },
        "request": {"method": request["method"], "url": request["url"],
                    "headers": request["headers"], "body": request["body"]},
        "response": {"status": response["status"], "headers": response["headers"],
                     "body": response["body"]},
        "roles": roles_of(record),
        "doc_defects": find_defects(record, created_by),
    }


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(out: Path, name: str, golden: dict[str, Any]) -> None:
    target = out / f"{name}.json"
    target.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{target}: {len(golden['doc_defects'])} doc defect(s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared" / "graph-docs",
                        help="directory holding examples-current.jsonl (default: ../shared/graph-docs)")
    parser.add_argument("--out", type=Path, default=ROOT / "golden" / "events")
    args = parser.parse_args(argv)
    source = args.docs / "examples-current.jsonl"
    if not source.is_file():
        print(f"error: {source} not found; pass --docs <dir with examples-current.jsonl>", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    creates: list[dict[str, Any]] = []
    for record in _records(source):
        prefix = next((p for p, page in SOURCES.items() if record["source_path"] == page), None)
        title = record["example_title"]
        if prefix is None or not title.startswith("Example ") or record["request"]["method"] != "POST":
            continue
        number = title.split(":", 1)[0].removeprefix("Example ").strip()
        _write(args.out, f"{prefix}-{number}", golden_of(record, source.name, f"events/{prefix}-{number}"))
        creates.append(record)
    if not creates:
        print(f"error: no create-event examples found in {source}", file=sys.stderr)
        return 1
    older = args.docs / "examples-2023.jsonl"
    for record in _records(older) if older.is_file() else []:
        name = READ_BACKS.get((record["request"].get("meta") or {}).get("name"))
        event_id = ((record.get("response") or {}).get("body") or {}).get("id")
        created_by = next((c for c in creates if c["response"]["body"].get("id") == event_id), None)
        if name and created_by:
            _write(args.out, name, golden_of(record, older.name, f"events/{name}", created_by))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

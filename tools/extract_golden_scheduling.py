"""Re-extract the documented payloads of the meeting-proposals walkthrough into golden/scheduling/.

Reads ../shared/graph-docs/examples-{current,2023}.jsonl (present on the maintainers' machines,
not on a user's) and writes one JSON file per documented request/response pair, with its
provenance and the documentation's own defects, which a scenario reports as documentation
deviations (``s.doc_deviation``) and the golden comparisons leave out.

    .venv/bin/python tools/extract_golden_scheduling.py [--docs ../shared/graph-docs]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "golden" / "scheduling"
REPO = "microsoftgraph/microsoft-graph-docs-contrib"
SNAPSHOT_REPO = {"current": REPO, "2023": "microsoftgraph/microsoft-graph-docs.zh-CN"}
SOURCES = {"current": "examples-current.jsonl", "2023": "examples-2023.jsonl"}
WALKTHROUGH = "concepts/outlook-calendar-meeting-proposals.md"

# Where the documented create answers disagree with each other on the mirrored location:
# user-post-events example 1 shows locations[0] without uniqueId (uniqueIdType unknown), this
# walkthrough and calendar-post-events show uniqueId = displayName, uniqueIdType private.
LOCATION_DISAGREEMENT = [
    {"path": f"locations[0].{key}", "found_by": "PROP-8.1",
     "message": f"locations[0].{key} as shown here disagrees with user-post-events example 1 (no uniqueId, "
                "uniqueIdType unknown for a location given as 'location'); the pages contradict each other"}
    for key in ("uniqueId", "uniqueIdType")]

# The documented personas, by role (addresses as the current page spells them).
# Keys are casefolded, as graphcal.golden's other features write them.
WALKTHROUGH_ROLES = {"alexw@contoso.onmicrosoft.com": "organizer", "adelev@contoso.onmicrosoft.com": "attendee"}

# name -> (snapshot, source_path, request method, a regex the request URL matches, roles, defects)
# Each defect (graphcal.golden.DocDefect): path (readable path in the response body as
# graphcal.invariants.diffing prints it, "request.…" for the documented request, None for the
# whole example), found_by (the invariant or step that found it), message.
PICKS: dict[str, tuple[str, str, str, str, dict[str, str], list[dict[str, str | None]]]] = {
    "walkthrough-1-create-event": ("current", WALKTHROUGH, "POST", r"/me/events$", WALKTHROUGH_ROLES, [
        {"path": "body", "found_by": "PROP-8.1",
         "message": "the 201 body's content says 'Does late morning work for you?' while the request "
                    "and the answer's own bodyPreview say 'Does noon work for you?'"},
        *LOCATION_DISAGREEMENT,
    ]),
    "walkthrough-2-tentatively-accept": ("current", WALKTHROUGH, "POST", r"/tentativelyAccept$", WALKTHROUGH_ROLES, [
        {"path": "request.body.proposedNewTime", "found_by": "PROP-2.4",
         "message": "the timeSlot keys are Start/End/DateTime/TimeZone; the timeSlot type has "
                    "start/end/dateTime/timeZone (inherited from the old Outlook REST API)"},
        {"path": "request.body.sendResponse", "found_by": "PROP-2.4",
         "message": "sendResponse is the string \"true\"; the parameter is a Boolean"},
        {"path": None, "found_by": "extraction",
         "message": "the response block's metadata comment is malformed (the extractor repaired it)"},
    ]),
    "walkthrough-3-list-messages": ("current", WALKTHROUGH, "GET", r"/me/messages\?\$top=1$", WALKTHROUGH_ROLES, [
        {"path": "@odata.nextLink", "found_by": "extraction",
         "message": "the documented nextLink ends in a doubled quote (\"\"), which is not JSON; "
                    "the extractor repaired it. It also says $skip=4 for a $top=1 page"},
        {"path": "value[0].meetingMessageType", "found_by": "PROP-3.5",
         "message": "'meetingTentativelyAccepted' is not a member of the v1.0 meetingMessageType enum, "
                    "which spells it 'meetingTenativelyAccepted' (as the delegated-calendar walkthrough does)"},
        {"path": "value[0].unsubscribeData", "found_by": "PROP-8.2",
         "message": "unsubscribeData is not a property of message in the v1.0 metadata (beta only)"},
        {"path": "value[0].unsubscribeEnabled", "found_by": "PROP-8.2",
         "message": "unsubscribeEnabled is not a property of message in the v1.0 metadata (beta only)"},
        {"path": None, "found_by": "PROP-3.6",
         "message": "the reply's proposedNewTime dateTimes have no fractional digits while every other "
                    "dateTime in the answer has seven"},
    ]),
    "walkthrough-4-get-event": ("current", WALKTHROUGH, "GET", r"/me/events/[^/?]+\?\$select=", WALKTHROUGH_ROLES, [
        {"path": "@odata.context", "found_by": "PROP-4.5",
         "message": "@odata.context points at https://graph.microsoft.com/testexchangev1.0/, a test "
                    "environment, not the v1.0 service root"},
    ]),
    # Step 5's 4501-01-01T00:00:00Z status time is odd but documented behaviour (PROP-5.3), not a defect.
    "walkthrough-5-move-event": ("current", WALKTHROUGH, "PATCH", r"/me/events/[^/?]+$", WALKTHROUGH_ROLES,
                                 LOCATION_DISAGREEMENT),
    "event-accept": ("current", "api-reference/v1.0/api/event-accept.md", "POST", r"/accept$", {}, []),
    "event-tentativelyaccept": ("current", "api-reference/v1.0/api/event-tentativelyaccept.md", "POST",
                                r"/tentativelyAccept$", {}, []),
    "event-decline": ("current", "api-reference/v1.0/api/event-decline.md", "POST", r"/decline$", {}, []),
    "eventmessage-get-expand-event": ("2023", "api-reference/v1.0/api/eventmessage-get.md", "GET",
                                      r"\$expand=microsoft\.graph\.eventMessage/event$",
                                      {"admin@contoso.onmicrosoft.com": "organizer",
                                       "alexw@contoso.onmicrosoft.com": "attendee"}, [
        {"path": "event.responseStatus", "found_by": "PROP-7.5",
         "message": "the attendee had already answered tentatively, so the copy shows "
                    "tentativelyAccepted, not the none of a fresh invitation"},
    ]),
}


def _records(docs: Path, snapshot: str) -> list[dict]:
    lines = (docs / SOURCES[snapshot]).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _pick(records: list[dict], source_path: str, method: str, url_pattern: str) -> dict:
    found = [r for r in records if r["source_path"] == source_path
             and r["request"]["method"] == method and re.search(url_pattern, r["request"]["url"] or "")]
    if len(found) != 1:
        raise SystemExit(f"expected one {method} {url_pattern} example in {source_path}, found {len(found)}")
    return found[0]


def golden_record(name: str, record: dict, snapshot: str, roles: dict[str, str],
                  defects: list[dict[str, str | None]]) -> dict:
    request, response = record["request"], record["response"]
    return {
        "name": f"scheduling/{name}",
        "provenance": {
            "repo": SNAPSHOT_REPO[snapshot],
            "source_path": record["source_path"],
            "source_commit": record["source_commit"],
            "example_title": record["example_title"],
            "heading_path": record.get("heading_path", []),
            "extracted_from": SOURCES[snapshot],
            "extraction_anomalies": record.get("anomalies", []),
            "written_by": "tools/extract_golden_scheduling.py",
        },
        "roles": roles,
        "request": {"method": request["method"], "url": request["url"],
                    "headers": dict(request.get("headers") or []), "body": request.get("body")},
        "response": {"status": response.get("status"), "headers": dict(response.get("headers") or []),
                     "body": response.get("body")},
        "doc_defects": defects,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared" / "graph-docs")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    cache: dict[str, list[dict]] = {}
    for name, (snapshot, source_path, method, url_pattern, roles, defects) in PICKS.items():
        records = cache.setdefault(snapshot, _records(args.docs, snapshot))
        golden = golden_record(name, _pick(records, source_path, method, url_pattern), snapshot, roles, defects)
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Re-extract the documented calendar response bodies used as schema test data.

Reads ../shared/graph-docs/examples-{current,2023}.jsonl (present on the maintainers'
machines, not on a user's) and writes tests/schema/data/doc_examples.json: every response
that has a JSON body, with its provenance and the schema type it is documented as.

    .venv/bin/python tools/extract_doc_examples.py [--docs ../shared/graph-docs]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "schema" / "data" / "doc_examples.json"
SOURCES = {"current": "examples-current.jsonl", "2023": "examples-2023.jsonl"}

# (@odata.context tail pattern, schema type), first match wins. The context is what the
# documented response says it is; examples without one are typed by their request URL below.
CONTEXT_RULES: list[tuple[str, str]] = [
    (r"#Collection\(event\)$", "delta:event"),
    (r"#Collection\(microsoft\.graph\.(\w+)\)$", r"collection:\1"),
    (r"#microsoft\.graph\.(\w+)$", r"\1"),
    (r"/messages\(microsoft\.graph\.eventMessage/event\(\)\)/\$entity$", "message"),  # message + $expand=event
    (r"/(events|instances|calendarView)(\([^)]*\))?/\$entity$", "event"),
    (r"/(events|instances|calendarView)(\([^)]*\))?$", "collection:event"),
    (r"/messages/\$entity$", "message"),
    (r"/messages$", "collection:message"),
    (r"/(calendar|calendars(\('[^']*'\))?)/\$entity$", "calendar"),
    (r"/calendars$", "collection:calendar"),
    (r"/calendarPermissions/\$entity$", "calendarPermission"),
    (r"/calendarPermissions$", "collection:calendarPermission"),
    (r"/mailboxSettings$", "mailboxSettings"),
]
URL_RULES: list[tuple[str, str]] = [
    (r"/delta(\?|$)", "delta:event"),
    (r"/(calendarView|events|instances)(\?|$)", "collection:event"),
    (r"/events/\{?[^/?]+\}?$", "event"),
    (r"/calendarPermissions/\{?[^/?]+\}?$", "calendarPermission"),
]
# Documented responses that are not calendar payloads (no schema is generated for them).
OUT_OF_SCOPE = {"translateExchangeIds": "a collection of convertIdResult, not a calendar type"}


def schema_type(record: dict) -> str | None:
    body = record["response"]["body"]
    context = body.get("@odata.context", "") if isinstance(body, dict) else ""
    for pattern, replacement in CONTEXT_RULES:
        match = re.search(pattern, context)
        if match:
            return match.expand(replacement)
    url = record["request"]["url"] or ""
    if any(name in url for name in OUT_OF_SCOPE):
        return None
    for pattern, replacement in URL_RULES:
        if re.search(pattern, url.split("?")[0] if "delta" not in pattern else url):
            return replacement
    raise SystemExit(f"no schema type for {record['source_path']} {record['example_title']!r} ({context or url})")


def extract(docs: Path) -> list[dict]:
    examples = []
    for snapshot, file_name in SOURCES.items():
        lines = (docs / file_name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            record = json.loads(line)
            response = record.get("response") or {}
            if not isinstance(response.get("body"), dict):
                continue  # 202/204 and blocks without a JSON body
            type_name = schema_type(record)
            if type_name is None:
                continue
            examples.append(
                {
                    "key": f"{snapshot}:{number:03d}",
                    "type": type_name,
                    "source_file": file_name,
                    "source_line": number + 1,
                    "source_path": record["source_path"],
                    "source_commit": record["source_commit"],
                    "example_title": record["example_title"],
                    "status": response.get("status"),
                    "parse_repairs": (response.get("body_parse") or {}).get("repairs", []),
                    "body": response["body"],
                }
            )
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared" / "graph-docs")
    args = parser.parse_args(argv)
    if not (args.docs / SOURCES["current"]).is_file():
        print(f"extract_doc_examples: no {SOURCES['current']} under {args.docs}", file=sys.stderr)
        return 2
    document = {
        "about": "Documented Graph response bodies (JSON payloads as facts), from "
        "microsoftgraph/microsoft-graph-docs-contrib (examples-current) and "
        "microsoftgraph/microsoft-graph-docs.zh-CN (examples-2023); regenerate with "
        "tools/extract_doc_examples.py",
        "examples": extract(args.docs),
    }
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(document['examples'])} examples to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Golden payloads: documented request/response pairs, copied as data, with provenance.

A golden file ``golden/<feature>/<name>.json`` holds one documented example:
``provenance`` (repo, source_path, source_commit, example_title, heading_path, extracted_from),
``request`` (method, url, headers, body), ``response`` (status, headers, body), ``roles`` (the
example's addresses -> persona roles, so comparisons go by role) and ``doc_defects`` (where the
documentation contradicts itself; those paths are reported as documentation deviations and not
compared). Files are written by ``tools/extract_golden.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphcal.errors import GraphcalError

__all__ = ["GOLDEN_DIR", "DocDefect", "Golden", "load", "names"]

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "golden"


@dataclass(frozen=True)
class DocDefect:
    path: str | None  # readable payload path (``subject``, ``start``) or None for the whole example
    message: str
    found_by: str     # invariant id or extraction note that found it

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.message} [{self.found_by}]"


@dataclass(frozen=True)
class Golden:
    name: str                 # e.g. "events/user-post-events-1"
    request: dict[str, Any]
    response: dict[str, Any]
    provenance: dict[str, Any]
    roles: dict[str, str]
    doc_defects: tuple[DocDefect, ...]

    @property
    def payload(self) -> Any:
        """The documented response body."""
        return self.response.get("body")

    @property
    def defect_paths(self) -> tuple[str, ...]:
        """Response payload paths the documentation gets wrong, each once, in file order
        (defects of the documented request, ``request.…``, are not payload paths)."""
        return tuple(dict.fromkeys(d.path for d in self.doc_defects
                                   if d.path and not d.path.startswith("request.")))

    def cite(self) -> str:
        p = self.provenance
        return f"{p.get('source_path')} @ {str(p.get('source_commit'))[:10]}, {p.get('example_title')!r}"


def _defect(entry: dict[str, Any]) -> DocDefect:
    # "found_by" is this module's key; golden files of other features name it "kind".
    path = entry.get("path") or None
    if path and path.startswith("response.body."):
        path = path.removeprefix("response.body.")
    return DocDefect(path, entry["message"], entry.get("found_by") or entry["kind"])


def names(feature: str | None = None) -> list[str]:
    """The golden names available, e.g. ``["events/user-post-events-1", ...]``."""
    root = GOLDEN_DIR / feature if feature else GOLDEN_DIR
    return sorted(str(p.relative_to(GOLDEN_DIR).with_suffix("")) for p in root.rglob("*.json"))


def load(name: str) -> Golden:
    """The golden payload ``name`` (``"events/user-post-events-1"``)."""
    path = GOLDEN_DIR / f"{name}.json"
    if not path.is_file():
        raise GraphcalError(f"no golden payload {name!r} ({path} does not exist); "
                            f"known: {', '.join(names()) or 'none'}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Golden(
            name=name,
            request=data["request"],
            response=data["response"],
            provenance=data["provenance"],
            roles=dict(data.get("roles") or {}),
            doc_defects=tuple(_defect(d) for d in data.get("doc_defects", data.get("defects")) or ()),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphcalError(f"golden payload {path} is malformed ({exc}); "
                            f"regenerate it with tools/extract_golden.py") from None

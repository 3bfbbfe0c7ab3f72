"""What the invariant unit tests share: a stand-in for a target's answer and a catalog lookup.

Imported by the tests beside it by its package path (``tests.invariants.invariants_support``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphcal.invariants import Outcome, get


@dataclass
class Answer:
    """The shape of graphcal.client.GraphResponse that the checks read."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""
    json_error: str | None = None


def check(invariant_id: str, *args: Any) -> Outcome:
    """Run the catalog's check for ``invariant_id`` (loading the catalog first)."""
    return get(invariant_id)(*args)

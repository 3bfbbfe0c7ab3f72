"""Payload invariants: every documented response body has the shape of its v1.0 type."""

from __future__ import annotations

from typing import Any

from graphcal.invariants.registry import MUST, Outcome, invariant

MAX_SHOWN = 8


@invariant("SCHEMA-1", "A response body validates against the v1.0 schema of its type",
           source="Graph v1.0 metadata (CSDL), via schemas/", feature="schema", severity=MUST,
           explanation="Checked on every response a scenario names with step.response(r, schema=...). "
                       "Type names are Graph types ('event') or envelopes ('collection:event', "
                       "'delta:event', 'error').")
def body_matches_schema(payload: Any, type_name: str) -> Outcome:
    from graphcal.schema import validate

    if payload is None:
        return Outcome.fail(f"expected a JSON {type_name} payload, got no JSON body")
    violations = validate(payload, type_name)
    if not violations:
        return Outcome.ok()
    shown = "; ".join(str(v) for v in violations[:MAX_SHOWN])
    more = f" (and {len(violations) - MAX_SHOWN} more)" if len(violations) > MAX_SHOWN else ""
    return Outcome.fail(f"{len(violations)} violation(s) of the {type_name} schema: {shown}{more}",
                        actual=[str(v) for v in violations])

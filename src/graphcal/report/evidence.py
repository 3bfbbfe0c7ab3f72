"""The evidence behind one invariant verdict, found in the canonical results JSON."""

from __future__ import annotations

import json
from typing import Any


def deciding_check(scenario: dict[str, Any], inv: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(step, check) that decided ``inv``'s verdict, or (None, None) when it was never checked."""
    for step in scenario["steps"]:
        if inv.get("step") is not None and step["index"] != inv["step"]:
            continue
        for check in step["checks"]:
            if check["invariant"] == inv["id"] and check["verdict"] == inv["verdict"]:
                return step, check
    return None, None


def exchange_of(step: dict[str, Any] | None, check: dict[str, Any] | None) -> dict[str, Any] | None:
    if step is None or check is None or check.get("exchange") is None:
        return None
    exchanges = step["exchanges"]
    index = check["exchange"]
    return exchanges[index] if 0 <= index < len(exchanges) else None


def exchange_line(exchange: dict[str, Any]) -> str:
    request, response = exchange["request"], exchange["response"]
    line = f"{exchange['persona']}: {request['method']} {request['url']} -> {response['status']}"
    return f"{line} ({response['json_error']})" if response.get("json_error") else line


def render(value: Any, limit: int = 4000) -> str:
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + f"\n… ({len(text) - limit} more characters)"


def evidence_text(scenario: dict[str, Any], inv: dict[str, Any], *, bodies: bool = True) -> str:
    """Readable evidence: message, expected/actual, rendered diff, the exchange."""
    step, check = deciding_check(scenario, inv)
    parts = [inv["message"] or inv["verdict"]]
    if step is not None:
        parts.append(f"step {step['index']}: {step['title']}" + (f" [{step['source']}]" if step.get("source") else ""))
    if check is not None:
        if check.get("diff"):
            parts.append("diff:\n" + render(check["diff"]))
        else:
            if check.get("expected") is not None:
                parts.append("expected: " + render(check["expected"], 1500))
            if check.get("actual") is not None:
                parts.append("actual: " + render(check["actual"], 1500))
    exchange = exchange_of(step, check)
    if exchange is not None:
        parts.append(exchange_line(exchange))
        if bodies:
            response = exchange["response"]
            shown = response["body"] if response["body"] is not None else response.get("text")
            if shown is not None:
                parts.append("response body: " + render(shown, 2000))
    if inv.get("expected_failure"):
        parts.append(f"expected by the target profile: {inv['expected_failure']}")
    if inv.get("unexpected_pass"):
        parts.append(f"unexpected pass: the target profile expects it to fail "
                     f"({inv['unexpected_pass']['reason']})"
                     + ("" if inv["unexpected_pass"]["strict"] else "; not strict, reported only"))
    return "\n".join(parts)

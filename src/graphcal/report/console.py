"""The console summary: counts, then every failed invariant by id with where and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

ORDER = ("pass", "fail", "error", "blocked", "quirk", "unsupported", "skipped")


def failed_invariants(results: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(scenario, invariant) for each fail/error verdict, in run order."""
    return [(s, v) for s in results["scenarios"] for v in s["invariants"]
            if v["verdict"] in ("fail", "error")]


def summary_lines(results: dict[str, Any], written: Iterable[Path] = ()) -> list[str]:
    target = results["target"]
    scenarios = results["scenarios"]
    statuses: dict[str, int] = {}
    for s in scenarios:
        statuses[s["status"]] = statuses.get(s["status"], 0) + 1
    totals = results["totals"]
    lines = [
        f"target {target.get('name', target.get('kind'))}"
        + (f" (profile {target['profile']})" if target.get("profile") else "")
        + (f" (recorded from {', '.join(target['recorded_from'])})" if target.get("recorded_from") else "")
        + f": {len(scenarios)} scenarios, "
        + ", ".join(f"{n} {k}" for k, n in sorted(statuses.items())),
        "invariant verdicts: " + ", ".join(f"{totals.get(k, 0)} {k}" for k in ORDER if totals.get(k)),
    ]
    failed = failed_invariants(results)
    if failed:
        lines.append("failed invariants:")
        for scenario, inv in failed:
            where = f" step {inv['step']}" if inv.get("step") else ""
            expected = " [expected by profile]" if inv.get("expected_failure") else ""
            lines.append(f"  {inv['id']} ({inv['severity']}) {inv['verdict']}{expected} in "
                         f"{scenario['name']}{where}: {first_line(inv['message'])}")
    deviations = sum(len(s["doc_deviations"]) for s in scenarios)
    if deviations:
        lines.append(f"documentation deviations: {deviations} (see summary.md)")
    for path in written:
        lines.append(f"wrote {path}")
    return lines


def first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"

"""The console summary: counts, then each failed invariant by id (where and why), the
scenarios that could not run, and where the full report is."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

ORDER = ("pass", "fail", "error", "transient", "blocked", "quirk", "unsupported", "skipped")
SHOWN_PER_INVARIANT = 3  # scenarios listed under one failed invariant; the report has the rest
SHOWN_STOPPED = 5


def failed_invariants(results: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(scenario, invariant) for each fail/error verdict, in run order."""
    return [(s, v) for s in results["scenarios"] for v in s["invariants"]
            if v["verdict"] in ("fail", "error")]


def by_invariant(results: dict[str, Any]) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """The failed (scenario, invariant) pairs grouped by invariant id: MUST first, then by id."""
    groups: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for scenario, inv in failed_invariants(results):
        groups.setdefault(inv["id"], []).append((scenario, inv))
    rank = {"MUST": 0, "SHOULD": 1, "QUIRK": 2}
    return dict(sorted(groups.items(), key=lambda kv: (rank.get(kv[1][0][1]["severity"], 3), kv[0])))


def unexpected_passes(results: dict[str, Any]) -> list[str]:
    """One line per invariant the profile expected to fail that passed, with its scenario."""
    return [f"{inv['id']} in {s['name']}: expected to fail ({inv['unexpected_pass']['reason']})"
            + ("" if inv["unexpected_pass"]["strict"] else " [not strict: reported only]")
            for s in results["scenarios"] for inv in s["invariants"] if inv.get("unexpected_pass")]


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
    transient = [s["name"] for s in scenarios if s["status"] == "transient"
                 or any(v["verdict"] == "transient" for v in s["invariants"])]
    if transient:
        lines.append(f"transient (the target throttled or dropped connections; not failures): "
                     f"{totals.get('transient', 0)} verdicts in {len(transient)} scenarios: "
                     + ", ".join(transient[:5]) + (" ..." if len(transient) > 5 else ""))
    written = list(written)
    report = next((p for p in written if p.name == "report.html"), None)
    more = f"; all in {report}" if report else ""
    groups = by_invariant(results)
    if groups:
        lines.append(f"failed invariants ({len(groups)}):")
    for inv_id, entries in groups.items():
        first = entries[0][1]
        expected = sum(1 for _, inv in entries if inv.get("expected_failure"))
        tag = (" [expected by profile]" if expected == len(entries)
               else f" [{expected} expected by profile]" if expected else "")
        title = results.get("catalog", {}).get(inv_id, {}).get("title", "")
        count = f"in {len(entries)} scenarios" if len(entries) > 1 else "in 1 scenario"
        lines.append(f"  {inv_id} ({first['severity']}) {first['verdict']}{tag} {count}"
                     + (f": {title}" if title else ""))
        for scenario, inv in entries[:SHOWN_PER_INVARIANT]:
            where = f" step {inv['step']}" if inv.get("step") else ""
            lines.append(f"    {scenario['name']}{where}: {first_line(inv['message'], 140)}")
        if len(entries) > SHOWN_PER_INVARIANT:
            lines.append(f"    … and {len(entries) - SHOWN_PER_INVARIANT} more{more}")
    if passes := unexpected_passes(results):
        lines.append(f"unexpected passes ({len(passes)}; update the target profile):")
        lines += [f"  {line}" for line in passes]
    # a blocked step follows from a failed check (listed above); an error step or scenario
    # means the scenario itself could not go on: say why
    stopped = [s for s in scenarios
               if s["status"] == "error" or any(st["status"] == "error" for st in s["steps"])]
    if stopped:
        lines.append(f"scenarios that could not run to the end ({len(stopped)}):")
        for s in stopped[:SHOWN_STOPPED]:
            step = next((st for st in s["steps"] if st["status"] == "error"), None)
            reason = s.get("error") or (f"step {step['index']}: {step['reason']}" if step else "")
            lines.append(f"  {s['name']}: {first_line(reason, 200)}")
        if len(stopped) > SHOWN_STOPPED:
            lines.append(f"  … and {len(stopped) - SHOWN_STOPPED} more{more}")
    hint = non_json_hint(results)
    if hint:
        lines.append(hint)
    deviations = sum(len(s["doc_deviations"]) for s in scenarios)
    if deviations:
        where = ("listed in summary.md and report.html" if written
                 else "--report-dir DIR writes them to DIR/summary.md")
        lines.append(f"documentation deviations (defects of the documented examples, not of the "
                     f"target): {deviations}, {where}")
    for path in written:
        lines.append(f"wrote {path}")
    return lines


def non_json_hint(results: dict[str, Any]) -> str | None:
    """When no answer at all was JSON, the URL is the likelier culprit than the server."""
    answers = [x["response"] for s in results["scenarios"] for st in s["steps"] for x in st["exchanges"]]
    if not answers or any(a.get("json_error") is None for a in answers):
        return None
    kinds = sorted({a["json_error"].split(",")[0].removeprefix("not JSON: ") for a in answers})
    return (f"hint: none of the {len(answers)} answers was JSON ({', '.join(kinds)}); check that "
            "--target url:<base> is the server's Graph root, e.g. http://127.0.0.1:8765/v1.0")


def first_line(text: str, limit: int = 160) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"

"""``graphcal diff``: what changed between two runs (tonight vs last night, mock vs tenant).

- new failures: an invariant of a scenario that did not fail before and fails (or errors) now;
- fixes: one that failed before and passes now;
- lost coverage: one that passed and now did not run to its check (blocked, skipped, or absent
  from the later run): a regression too, since a check that stopped running reads as green;
- transient: one that became ``transient`` (the later run's target throttled or dropped
  connections past the retry budget): listed apart, never a regression;
- other verdict changes (e.g. blocked -> pass, quirk -> pass);
- changed payload shapes: for each step's exchanges, the set of JSON paths and value types of
  the response body, compared position by position.
"""

from __future__ import annotations

import json
from typing import Any

from graphcal.report import load_results

BAD = ("fail", "error")
# a check that passed and now did not observe anything: coverage lost, not a target failure
NOT_OBSERVED = ("blocked", "skipped", "absent")


def verdicts(results: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["nodeid"], v["id"]): v for s in results["scenarios"] for v in s["invariants"]}


def shape(value: Any, path: str = "$") -> set[str]:
    """``path: type`` for every node of a JSON value; array items share one ``[]`` path."""
    kind = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")
    out = {f"{path}: {kind}"}
    if isinstance(value, dict):
        for key, item in value.items():
            out |= shape(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            out |= shape(item, f"{path}[]")
    return out


def shapes(results: dict[str, Any]) -> dict[tuple[str, int, int], tuple[str, set[str]]]:
    """(scenario, step, exchange) -> (request line, body shape), for JSON bodies."""
    out = {}
    for s in results["scenarios"]:
        for step in s["steps"]:
            for i, ex in enumerate(step["exchanges"]):
                body = ex["response"]["body"]
                if body is not None:
                    line = f"{ex['request']['method']} {ex['request']['url']} -> {ex['response']['status']}"
                    out[(s["nodeid"], step["index"], i)] = (line, shape(body))
    return out


def diff_runs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    a, b = verdicts(before), verdicts(after)
    new_failures, fixes, lost, transient, changed = [], [], [], [], []
    for key in sorted(set(a) | set(b)):
        old = a.get(key, {}).get("verdict", "absent")
        new = b.get(key, {}).get("verdict", "absent")
        if old == new:
            continue
        row = {"scenario": key[0], "invariant": key[1], "before": old, "after": new,
               "message": b.get(key, {}).get("message", "")}
        if new in BAD and old not in BAD:
            new_failures.append(row)
        elif old in BAD and new == "pass":
            fixes.append(row)
        elif new == "transient":  # undecided tonight: throttling, not the target's regression
            transient.append(row)
        elif old == "pass" and new in NOT_OBSERVED:
            lost.append(row)
        else:
            changed.append(row)
    sa, sb = shapes(before), shapes(after)
    shape_changes = []
    for key in sorted(set(sa) & set(sb)):
        (line, old_shape), (_, new_shape) = sa[key], sb[key]
        if old_shape != new_shape:
            shape_changes.append({"scenario": key[0], "step": key[1], "exchange": key[2], "request": line,
                                  "added": sorted(new_shape - old_shape),
                                  "removed": sorted(old_shape - new_shape)})
    return {"before": {"run_id": before["run_id"], "target": before["target"]},
            "after": {"run_id": after["run_id"], "target": after["target"]},
            "new_failures": new_failures, "fixes": fixes, "lost_coverage": lost, "transient": transient,
            "changed": changed,
            "shape_changes": shape_changes}


def render(diff: dict[str, Any]) -> str:
    def run_name(r: dict[str, Any]) -> str:
        return f"{r['target'].get('name', r['target'].get('kind'))} ({r['run_id']})"

    lines = [f"graphcal diff: {run_name(diff['before'])} -> {run_name(diff['after'])}"]
    for title, key in (("new failures", "new_failures"), ("fixes", "fixes")):
        rows = diff[key]
        lines.append(f"{title}: {len(rows)}")
        lines += [f"  {r['invariant']} in {r['scenario']}: {r['before']} -> {r['after']}"
                  + (f" ({r['message']})" if r["message"] and r["after"] in BAD else "") for r in rows]
    lines += _grouped("lost coverage (passed before, not checked now)", diff["lost_coverage"])
    lines += _grouped("transient now (the target throttled or dropped connections; not a regression)",
                      diff["transient"])
    lines += _grouped("other verdict changes", diff["changed"])
    lines.append(f"changed payload shapes: {len(diff['shape_changes'])}")
    for c in diff["shape_changes"]:
        lines.append(f"  {c['scenario']} step {c['step']} {c['request']}")
        lines += [f"    + {p}" for p in c["added"]] + [f"    - {p}" for p in c["removed"]]
    return "\n".join(lines)


def _grouped(title: str, rows: list[dict[str, Any]]) -> list[str]:
    """``title: N`` then one line per scenario and change: these rows often move together (a
    scenario blocked early: all its invariants pass -> blocked)."""
    together: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        together.setdefault((r["scenario"], r["before"], r["after"]), []).append(r["invariant"])
    lines = [f"{title}: {len(rows)}"]
    for (scenario, old, new), ids in together.items():
        lines.append(f"  {', '.join(ids)} in {scenario}: {old} -> {new}" if len(ids) <= 3 else
                     f"  {len(ids)} invariants in {scenario}: {old} -> {new} ({', '.join(ids)})")
    return lines


def regressed(diff: dict[str, Any]) -> bool:
    """New failures or lost coverage: what makes ``graphcal diff`` exit 1."""
    return bool(diff["new_failures"] or diff["lost_coverage"])


def diff_command(before: str, after: str, as_json: bool) -> int:
    """Exit 1 when the later run has new failures or lost coverage, else 0."""
    diff = diff_runs(load_results(before), load_results(after))
    print(json.dumps(diff, indent=2) if as_json else render(diff))
    return 1 if regressed(diff) else 0

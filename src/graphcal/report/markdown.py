"""A Markdown summary of one run: totals, failures with evidence, documentation deviations,
information (steps' notes)."""

from __future__ import annotations

from typing import Any

from graphcal.report.console import ORDER, by_invariant, unexpected_passes
from graphcal.report.evidence import evidence_text


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def to_markdown(results: dict[str, Any]) -> str:
    target = results["target"]
    out = [f"# graphcal run {results['run_id']}", "",
           f"- target: **{target.get('name', target.get('kind'))}**"
           + (f" (profile `{target['profile']}`)" if target.get("profile") else ""),
           f"- started {results['started']}, finished {results['finished']}, graphcal {results['graphcal_version']}, "
           f"record mode {results['record_mode']}",
           "- verdicts: " + ", ".join(f"{results['totals'].get(k, 0)} {k}" for k in ORDER), "",
           "## Scenarios", "", "| scenario | status | invariants |", "|---|---|---|"]
    for s in results["scenarios"]:
        counts: dict[str, int] = {}
        for inv in s["invariants"]:
            counts[inv["verdict"]] = counts.get(inv["verdict"], 0) + 1
        out.append(f"| `{_cell(s['nodeid'])}` | {s['status']} | "
                   + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + " |")
    if passes := unexpected_passes(results):
        out += ["", "## Unexpected passes", "",
                "The target profile expects these to fail; they passed (update the profile).", ""]
        out += [f"- {_cell(line)}" for line in passes]
    groups = by_invariant(results)
    if groups:
        out += ["", "## Failed invariants", ""]
        out += [f"- **{inv_id}** ({entries[0][1]['severity']}) {_cell(entries[0][1]['title'])}: "
                f"{len(entries)} scenario(s)"
                + (" (expected by the target profile)" if all(i.get("expected_failure") for _, i in entries) else "")
                for inv_id, entries in groups.items()]
        for inv_id, entries in groups.items():
            first = entries[0][1]
            out += ["", f"### {inv_id} ({first['severity']}): {_cell(first['title'])}", "",
                    f"Source: `{first['source']}`. Failed in {len(entries)} scenario(s).", ""]
            for scenario, inv in entries:
                out += [f"#### in `{scenario['name']}`", "", "```",
                        evidence_text(scenario, inv, bodies=False), "```", ""]
    stopped = [(s, st) for s in results["scenarios"] for st in s["steps"] if st["status"] in ("blocked", "error")]
    errored = [s for s in results["scenarios"] if s["status"] == "error" and s.get("error")]
    if stopped or errored:
        out += ["", "## Stopped scenarios", ""]
        out += [f"- `{s['name']}` step {st['index']} ({_cell(st['title'])}) {st['status']}: {_cell(st['reason'])}"
                for s, st in stopped]
        out += [f"- `{s['name']}`: {_cell(s['error'])}" for s in errored if not s["steps"]]
    deviations = [(s, d) for s in results["scenarios"] for d in s["doc_deviations"]]
    if deviations:
        out += ["", "## Documentation deviations", "",
                "Defects of the documented examples themselves; not target failures.", ""]
        seen: dict[tuple[str, str], list[str]] = {}  # (example, message) -> where it was seen
        for s, d in deviations:
            seen.setdefault((d["golden"], d["message"]), []).append(f"`{s['name']}` step {d['step']}")
        out += [f"- `{golden}`: {_cell(message)} (in {', '.join(where)})"
                for (golden, message), where in seen.items()]
    notes = [(s, st, n) for s in results["scenarios"] for st in s["steps"] for n in st.get("notes", ())]
    if notes:
        out += ["", "## Information", "",
                "What targets did where no page states what they must do; not verdicts.", ""]
        out += [f"- `{s['name']}` step {st['index']}: {_cell(note)}" for s, st, note in notes]
    return "\n".join(out) + "\n"

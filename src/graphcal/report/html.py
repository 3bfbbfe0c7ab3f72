"""A single-file HTML conformance report: the runs at a glance, then the matrix invariants x
runs (targets) with failing rows first, documentation deviations apart from target failures,
and the evidence one click away.

Each matrix cell shows the invariant's worst verdict in that run and links to its evidence
(message, expected/actual, rendered diff, the request line) further down the page; from there
one more link leads to the full request and response, each rendered once per run.
"""

from __future__ import annotations

import html
import re
from typing import Any

from graphcal.report.console import ORDER
from graphcal.report.evidence import deciding_check, evidence_text, exchange_line, exchange_of, render
from graphcal.results import Verdict
from graphcal.verdicts import worst

COLOURS = {"pass": "#cfe8cf", "fail": "#f4b6b6", "error": "#f7d08a", "blocked": "#ddd",
           "quirk": "#d9d2f0", "unsupported": "#eee", "skipped": "#f5f5f5",
           "transient": "#cde3f5"}
# Row groups of the matrix, in page order: (title, verdicts that put a row there).
GROUPS = (("Failing: fail or error on some target", {"fail", "error"}),
          ("Transient: the target throttled or dropped connections (not failures)", {"transient"}),
          ("Not run to a verdict: blocked, quirk, unsupported or skipped", {"blocked", "quirk", "unsupported", "skipped"}),
          ("Passing on every target", {"pass"}))
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}h1{margin:0 0 .3em}
table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .55em;vertical-align:top}
th{background:#f0f0f0;text-align:left}small{color:#555}nav a{margin-right:1.2em}
table.matrix thead th{position:sticky;top:0;z-index:1}tr.group th{background:#e4e8ef;font-size:15px}
td.v{white-space:nowrap;font-weight:600}td.v a{color:inherit;text-decoration:none;display:block}
td.v small{font-weight:400}.chip{display:inline-block;padding:0 .45em;margin:0 .2em .2em 0;border-radius:.3em}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:.5em;max-height:30em;overflow:auto}
details{margin:.3em 0}summary{cursor:pointer}section.dev{border-left:4px solid #9ab;padding-left:.8em}
""" + "".join(f".{k}{{background:{c}}}" for k, c in COLOURS.items())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)


def _exchange_anchor(col: int, scenario: dict[str, Any], step: int, exchange: int) -> str:
    return f"x-{col}-{_slug(scenario['nodeid'])}-{step}-{exchange}"


def _target_name(results: dict[str, Any]) -> str:
    target = results["target"]
    return str(target.get("name") or target.get("kind"))


def _column_name(results: dict[str, Any]) -> str:
    return f"{_target_name(results)} ({results['run_id']})"


def _chips(counts: dict[str, int]) -> str:
    return "".join(f"<span class='chip {k}'>{counts[k]} {k}</span>" for k in ORDER if counts.get(k))


def _runs_table(runs: list[dict[str, Any]]) -> list[str]:
    e = html.escape
    out = ["<table class='runs'><tr><th>run</th><th>target</th><th>scenarios</th><th>invariant verdicts</th></tr>"]
    for run in runs:
        target = run["target"]
        statuses: dict[str, int] = {}
        for s in run["scenarios"]:
            statuses[s["status"]] = statuses.get(s["status"], 0) + 1
        about = [f"profile {target['profile']}"] if target.get("profile") else []
        if target.get("recorded_from"):
            about.append(f"recorded from {', '.join(target['recorded_from'])}")
        if target.get("description"):
            about.append(target["description"])
        out.append(f"<tr><td>{e(run['run_id'])}<br><small>{e(run['started'])}</small></td>"
                   f"<td><b>{e(_target_name(run))}</b><br><small>{e('; '.join(about))}</small></td>"
                   f"<td>{len(run['scenarios'])}: {e(', '.join(f'{n} {k}' for k, n in sorted(statuses.items())))}</td>"
                   f"<td>{_chips(run.get('totals', {}))}</td></tr>")
    out.append("</table>")
    return out


def _cell(col: int, inv_id: str, entries: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    verdict = worst(Verdict(inv["verdict"]) for _, inv in entries)
    assert verdict is not None
    same = sum(1 for _, inv in entries if inv["verdict"] == verdict.value)
    count = f" <small>{same}/{len(entries)}</small>" if len(entries) > 1 else ""
    expected = " <small>(expected)</small>" if any(inv.get("expected_failure") for _, inv in entries
                                                    if inv["verdict"] == verdict.value) else ""
    return (f"<td class='v {verdict.value}' title='{verdict.value} in {same} of {len(entries)} scenarios'>"
            f"<a href='#ev-{col}-{_slug(inv_id)}'>{verdict.value}</a>{count}{expected}</td>")


def _deviations(runs: list[dict[str, Any]]) -> list[str]:
    """Documentation deviations of every run, once per (documented example, message)."""
    e = html.escape
    by_golden: dict[str, dict[str, Any]] = {}
    for run in runs:
        for s in run["scenarios"]:
            for d in s["doc_deviations"]:
                entry = by_golden.setdefault(d["golden"], {"provenance": d.get("provenance") or {}, "messages": {}})
                entry["messages"].setdefault(d["message"], set()).add(s["name"])
    if not by_golden:
        return []
    total = sum(len(g["messages"]) for g in by_golden.values())
    out = [f"<h2 id='deviations'>Documentation deviations ({total})</h2>",
           "<p>Defects of the documented examples themselves, found while comparing targets with "
           "them. They are <b>not target failures</b> and never fail a run.</p>"]
    for golden, entry in sorted(by_golden.items()):
        prov = entry["provenance"]
        where = prov.get("source_path", "")
        if prov.get("source_commit"):
            where += f" @ {str(prov['source_commit'])[:10]}"
        out.append(f"<section class='dev'><h3>{e(golden)}</h3><small>{e(where)}</small><ul>")
        out += [f"<li>{e(message)} <small>(seen in {e(', '.join(sorted(names)))})</small></li>"
                for message, names in entry["messages"].items()]
        out.append("</ul></section>")
    return out


def to_html(runs: list[dict[str, Any]]) -> str:
    e = html.escape
    catalog: dict[str, dict[str, Any]] = {}
    cells: dict[tuple[int, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    row_verdicts: dict[str, set[str]] = {}  # invariant id -> every verdict it got in any run
    for col, run in enumerate(runs):
        catalog.update(run.get("catalog", {}))
        for scenario in run["scenarios"]:
            for inv in scenario["invariants"]:
                catalog.setdefault(inv["id"], {k: inv[k] for k in ("title", "severity", "feature", "source")})
                cells.setdefault((col, inv["id"]), []).append((scenario, inv))
                row_verdicts.setdefault(inv["id"], set()).add(inv["verdict"])
    grouped: list[tuple[str, list[str]]] = []
    placed: set[str] = set()
    for title, verdicts in GROUPS:
        ids = sorted(i for i, seen in row_verdicts.items() if i not in placed and seen & verdicts)
        placed.update(ids)
        grouped.append((title, ids))
    ordered = [inv_id for _, ids in grouped for inv_id in ids]
    deviations = _deviations(runs)

    out = ["<!doctype html><html><head><meta charset='utf-8'><title>graphcal conformance</title>",
           f"<style>{STYLE}</style></head><body><h1>graphcal conformance report</h1>"]
    out += _runs_table(runs)
    out.append("<nav><p><a href='#matrix'>Invariants × targets</a>"
               + ("<a href='#deviations'>Documentation deviations</a>" if deviations else "")
               + "<a href='#evidence-0'>Evidence</a><a href='#exchanges-0'>Requests and responses</a></p></nav>")
    out.append("<h2 id='matrix'>Invariants × targets</h2><p>One row per invariant, one column per "
               "run; failing rows first. A cell is the worst verdict of the scenarios that checked "
               "it (<small>n/m</small>: in n of m scenarios). Click a verdict for its evidence.</p>")
    out.append("<table class='matrix'><thead><tr><th>invariant</th><th>severity</th><th>feature</th>"
               + "".join(f"<th>{e(_target_name(run))}<br><small>{e(run['run_id'])}</small></th>" for run in runs)
               + "</tr></thead><tbody>")
    for title, ids in grouped:
        if not ids:
            continue
        out.append(f"<tr class='group'><th colspan='{3 + len(runs)}'>{e(title)} ({len(ids)})</th></tr>")
        for inv_id in ids:
            meta = catalog.get(inv_id, {})
            out.append(f"<tr><td><b>{e(inv_id)}</b> {e(meta.get('title', ''))}<br>"
                       f"<small>{e(meta.get('source', ''))}</small></td>"
                       f"<td>{e(meta.get('severity', ''))}</td><td>{e(meta.get('feature', ''))}</td>")
            for col in range(len(runs)):
                entries = cells.get((col, inv_id))
                out.append(_cell(col, inv_id, entries) if entries else "<td></td>")
            out.append("</tr>")
    out.append("</tbody></table>")
    out += deviations
    for col, run in enumerate(runs):
        out.append(f"<h2 id='evidence-{col}'>Evidence: {e(_column_name(run))}</h2>")
        for inv_id in ordered:
            entries = cells.get((col, inv_id))
            if not entries:
                continue
            meta = catalog.get(inv_id, {})
            out.append(f"<section id='ev-{col}-{_slug(inv_id)}'><h3>{e(inv_id)} "
                       f"<small>{e(meta.get('title', ''))}</small></h3>")
            for scenario, inv in entries:
                step, check = deciding_check(scenario, inv)
                link = ""
                if exchange_of(step, check) is not None:
                    anchor = _exchange_anchor(col, scenario, step["index"], check["exchange"])
                    link = f" <a href='#{anchor}'>request and response</a>"
                out.append(f"<details{' open' if inv['verdict'] in ('fail', 'error') else ''}>"
                           f"<summary class='{inv['verdict']}'>{e(inv['verdict'])} in {e(scenario['nodeid'])}</summary>"
                           f"<pre>{e(evidence_text(scenario, inv, bodies=False))}</pre>{link}</details>")
            out.append("</section>")
        out.append(f"<h2 id='exchanges-{col}'>Requests and responses: {e(_column_name(run))}</h2>")
        for scenario in run["scenarios"]:
            out.append(f"<details><summary>{e(scenario['nodeid'])} ({e(scenario['status'])})</summary>")
            if scenario.get("error"):
                out.append(f"<pre>{e(scenario['error'])}</pre>")
            for step in scenario["steps"]:
                reason = f": {step['reason']}" if step.get("reason") else ""
                out.append(f"<h4>step {step['index']}: {e(step['title'])} ({e(step['status'])}{e(reason)})</h4>")
                out += [f"<p class='note'>information: {e(note)}</p>" for note in step.get("notes", ())]
                for i, exchange in enumerate(step["exchanges"]):
                    out.append(f"<div id='{_exchange_anchor(col, scenario, step['index'], i)}'>"
                               f"<b>{e(exchange_line(exchange))}</b><pre>{e(render(exchange, 20000))}</pre></div>")
            out.append("</details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"

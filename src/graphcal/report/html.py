"""A single-file HTML conformance matrix: invariants x runs (targets), evidence one click away.

Each cell shows the invariant's worst verdict in that run and links to its evidence (message,
expected/actual, rendered diff, the request line) further down the page; from there one more
link leads to the full request and response, each rendered once per run.
"""

from __future__ import annotations

import html
import re
from typing import Any

from graphcal.report.evidence import deciding_check, evidence_text, exchange_line, exchange_of, render
from graphcal.results import Verdict, worst

COLOURS = {"pass": "#cfe8cf", "fail": "#f4b6b6", "error": "#f7d08a", "blocked": "#ddd",
           "quirk": "#d9d2f0", "unsupported": "#eee", "skipped": "#f5f5f5"}
STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}th{background:#f0f0f0}
td.v a{color:inherit;text-decoration:none;display:block}pre{white-space:pre-wrap;background:#fafafa;
border:1px solid #ddd;padding:.5em;max-height:30em;overflow:auto}details{margin:.3em 0}
""" + "".join(f".{k}{{background:{c}}}" for k, c in COLOURS.items())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text)


def _exchange_anchor(col: int, scenario: dict[str, Any], step: int, exchange: int) -> str:
    return f"x-{col}-{_slug(scenario['nodeid'])}-{step}-{exchange}"


def _column_name(results: dict[str, Any]) -> str:
    target = results["target"]
    return f"{target.get('name') or target.get('kind')} ({results['run_id']})"


def to_html(runs: list[dict[str, Any]]) -> str:
    e = html.escape
    catalog: dict[str, dict[str, Any]] = {}
    cells: dict[tuple[int, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for col, run in enumerate(runs):
        catalog.update(run.get("catalog", {}))
        for scenario in run["scenarios"]:
            for inv in scenario["invariants"]:
                catalog.setdefault(inv["id"], {k: inv[k] for k in ("title", "severity", "feature", "source")})
                cells.setdefault((col, inv["id"]), []).append((scenario, inv))
    ids = sorted({inv_id for (_, inv_id) in cells})
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>graphcal conformance</title>",
           f"<style>{STYLE}</style></head><body><h1>graphcal conformance matrix</h1>",
           "<p>Rows are invariants, columns are runs. Click a verdict for its evidence.</p>",
           "<table><tr><th>invariant</th><th>severity</th><th>feature</th>"]
    out += [f"<th>{e(_column_name(run))}</th>" for run in runs]
    out.append("</tr>")
    for inv_id in ids:
        meta = catalog.get(inv_id, {})
        out.append(f"<tr><td><b>{e(inv_id)}</b> {e(meta.get('title', ''))}<br><small>{e(meta.get('source', ''))}</small></td>"
                   f"<td>{e(meta.get('severity', ''))}</td><td>{e(meta.get('feature', ''))}</td>")
        for col in range(len(runs)):
            entries = cells.get((col, inv_id))
            if not entries:
                out.append("<td></td>")
                continue
            verdict = worst(Verdict(inv["verdict"]) for _, inv in entries)
            assert verdict is not None
            out.append(f"<td class='v {verdict.value}'><a href='#ev-{col}-{_slug(inv_id)}'>{verdict.value}</a></td>")
        out.append("</tr>")
    out.append("</table>")
    for col, run in enumerate(runs):
        out.append(f"<h2>Evidence: {e(_column_name(run))}</h2>")
        for inv_id in ids:
            entries = cells.get((col, inv_id))
            if not entries:
                continue
            out.append(f"<section id='ev-{col}-{_slug(inv_id)}'><h3>{e(inv_id)}</h3>")
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
        deviations = [(s, d) for s in run["scenarios"] for d in s["doc_deviations"]]
        if deviations:
            out.append("<h3>Documentation deviations (not target failures)</h3><ul>")
            out += [f"<li><b>{e(d['golden'])}</b> in {e(s['name'])}: {e(d['message'])}</li>" for s, d in deviations]
            out.append("</ul>")
        out.append(f"<h2>Exchanges: {e(_column_name(run))}</h2>")
        for scenario in run["scenarios"]:
            out.append(f"<details><summary>{e(scenario['nodeid'])}</summary>")
            for step in scenario["steps"]:
                out.append(f"<h4>step {step['index']}: {e(step['title'])} ({e(step['status'])})</h4>")
                for i, exchange in enumerate(step["exchanges"]):
                    out.append(f"<div id='{_exchange_anchor(col, scenario, step['index'], i)}'>"
                               f"<b>{e(exchange_line(exchange))}</b><pre>{e(render(exchange, 20000))}</pre></div>")
            out.append("</details>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"

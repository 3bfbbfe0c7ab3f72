"""Run results -> files: the canonical JSON (results.json, see results.schema.json), JUnit XML
for CI, a Markdown summary and a single-file HTML conformance matrix.

Every renderer reads the canonical JSON form, so ``graphcal report results.json`` re-renders a
saved run exactly as the run itself did.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphcal.errors import ConfigError

RESULTS_NAME = "results.json"
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


def load_results(path: str | Path) -> dict[str, Any]:
    """A results.json, or the one inside a run folder; a clear error when it is neither."""
    file = Path(path)
    if file.is_dir():
        file = file / RESULTS_NAME
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file} does not exist; pass a results.json or the folder of a run "
                          "(graphcal run writes reports/latest/results.json)") from None
    except ValueError as exc:
        raise ConfigError(f"{file} is not JSON ({exc}); pass a graphcal results.json") from None
    if not isinstance(data, dict) or not str(data.get("format", "")).startswith("graphcal-results/"):
        raise ConfigError(f"{file} is not a graphcal results file (no 'format': 'graphcal-results/1')")
    return data


def write_reports(results: dict[str, Any], out: Path) -> list[Path]:
    """Write results.json, junit.xml, summary.md and report.html into ``out``."""
    from graphcal.report.html import to_html
    from graphcal.report.junit import to_junit
    from graphcal.report.markdown import to_markdown

    out.mkdir(parents=True, exist_ok=True)
    files = {
        # compact: json's C encoder only runs without indent (10x faster on big runs)
        RESULTS_NAME: json.dumps(results, ensure_ascii=False, separators=(",", ":")) + "\n",
        "junit.xml": to_junit(results),
        "summary.md": to_markdown(results),
        "report.html": to_html([results]),
    }
    written = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def report_command(results: str, out: str | None) -> int:
    """``graphcal report``: re-render a results.json (or a folder of runs: one matrix)."""
    source = Path(results)
    runs = sorted(source.rglob(RESULTS_NAME)) if source.is_dir() and not (source / RESULTS_NAME).exists() else []
    if runs:  # a folder of several runs: the matrix across targets
        from graphcal.report.html import to_html

        out_dir = Path(out) if out else source
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / "matrix.html"
        path.write_text(to_html([load_results(r) for r in runs]), encoding="utf-8")
        print(f"wrote {path} ({len(runs)} runs)")
        return 0
    data = load_results(source)
    out_dir = Path(out) if out else (source if source.is_dir() else source.parent)
    for path in write_reports(data, out_dir):
        print(f"wrote {path}")
    return 0

"""Run scenario suites in-process against an emulator served as a ``url:`` target, with faults
switched on, and read back their verdicts: the one way graphcal's own tests prove that a fault
fails the invariants it declares (``Fault.breaks``) by id, and that the run exits 1.

In-process because a subprocess per fault costs seconds each. Every feature's fault-proof test
calls :func:`run_suites`, so the pytest options it passes are written in one place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphcal.emulator.server import EmulatorServer

PROJECT = Path(__file__).resolve().parents[1]

# (scenario name, invariant id) -> that invariant's entry in results.json
Verdicts = dict[tuple[str, str], dict[str, Any]]


def run_suites(report_dir: Path, monkeypatch: pytest.MonkeyPatch, target: tuple[EmulatorServer, Path],
               faults: frozenset[str], *paths: str | Path, deadline_s: float = 2) -> tuple[int, Verdicts]:
    """Run ``paths`` (test files or node ids; none: every suite) against the emulator of
    ``target`` (the ``emulator_url_target`` fixture) with ``faults`` on.

    Returns the run's exit code and its verdicts. ``deadline_s`` bounds the wait for a meeting
    message that a fault keeps from coming."""
    srv, config = target
    srv.app.state.faults = faults  # the app reads the switches on every request
    monkeypatch.setenv("GRAPHCAL_DELIVERY_DEADLINE_S", str(deadline_s))
    selected = [str(p) for p in paths] or [str(PROJECT / "suites")]
    code = pytest.main([*selected, f"--rootdir={PROJECT}", "--target", f"url:{srv.base_url}",
                        "--persona-config", str(config), "--report-dir", str(report_dir),
                        "-p", "no:cacheprovider", "-q", "-p", "no:randomly"])
    results = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    return int(code), {(s["name"], inv["id"]): inv for s in results["scenarios"] for inv in s["invariants"]}

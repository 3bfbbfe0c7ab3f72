"""Under the emulator's chaos mode (20%, one seed) a run reaches the clean run's verdicts or
says ``transient``: never a pass turned fail (or back), and the exit code tells throttling (3)
from failure (1). A representative slice: the events suite and one scheduling scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLICE = ["suites/events", "suites/scheduling/test_meeting_proposals.py::test_accept"]


def run(tmp: Path, *chaos: str) -> tuple[int, dict]:
    out = tmp / ("chaos" if chaos else "clean")
    code = subprocess.run([str(Path(sys.executable).with_name("graphcal")), "run", "--target", "emulator", *chaos,
                           "--report-dir", str(out), "--", *SLICE, "-p", "no:randomly"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600).returncode
    return code, json.loads((out / "results.json").read_text())


def verdicts(results: dict) -> dict[tuple[str, str], str]:
    return {(s["nodeid"], v["id"]): v["verdict"] for s in results["scenarios"] for v in s["invariants"]}


def test_chaos_flips_no_verdict_and_reports_transients_apart(tmp_path):
    clean_code, clean = run(tmp_path)
    code, chaos = run(tmp_path, "--chaos", "0.2", "--chaos-seed", "7")
    assert clean_code == 0
    before, after = verdicts(clean), verdicts(chaos)
    assert before.keys() == after.keys()
    flips = {k: (before[k], after[k]) for k in before
             if {before[k], after[k]} == {"pass", "fail"}}
    assert flips == {}
    changed = {k: after[k] for k in before if before[k] != after[k]}
    assert set(changed.values()) <= {"transient"}
    assert code == (3 if changed else 0)
    # measured, not yet asserted: 78% on seed 7 (the 95% needs probes for the
    # respond/cancel actions and fewer whole-scenario stops)
    print(f"{sum(before[k] == after[k] for k in before) / len(before):.1%} reached the clean verdict")

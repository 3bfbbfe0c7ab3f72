"""The suites against the emulator's random-but-schema-valid mode, one run per seed (issue 15).

Each seed serves ``EmulatorServer(random_valid=seed)`` on a free loopback port, runs the
scenario suites against it as a ``url:`` target (a fresh ``python -m pytest``) and counts, from
its ``results.json``: invariant verdicts ``error``, step and scenario errors, tracebacks in the
output (all of them graphcal's own bugs: must be 0), and which invariants passed on random data
("pass by luck": a claim random data met).

    .venv/bin/python bench/random_valid.py --seeds 20          # seeds 0..19
    .venv/bin/python bench/random_valid.py --seed 7 --seed 11  # these seeds
    .venv/bin/python bench/random_valid.py --seeds 20 --json   # machine-readable

Exit 1 when some seed had an error, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITES = ("suites/events", "suites/recurrence", "suites/scheduling")


@dataclass
class SeedRun:
    seed: int
    exit_code: int
    scenarios: int
    errors: list[str] = field(default_factory=list)  # one line per error: verdict, step, scenario, traceback
    passed: list[str] = field(default_factory=list)  # invariant ids with a pass verdict
    verdicts: Counter = field(default_factory=Counter)


def run_seed(seed: int, work: Path, *suites: str) -> SeedRun:
    """Run ``suites`` (default: all) against the random-valid emulator seeded ``seed``."""
    sys.path.insert(0, str(ROOT / "src"))
    from graphcal.emulator.server import EmulatorServer
    from graphcal.personas import write_persona_config

    out = work / f"seed-{seed}"
    with EmulatorServer(random_valid=seed) as server:
        config = write_persona_config(work / f"personas-{seed}.toml", server.personas, server.token_url)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(suites or SUITES),
             "--target", f"url:{server.base_url}", "--persona-config", str(config), "--report-dir", str(out)],
            cwd=ROOT, capture_output=True, text=True, timeout=900,
            # a message random data never delivers is not worth the 20 s poll
            env={**os.environ, "PYTEST_ADDOPTS": "", "COLUMNS": "200", "GRAPHCAL_DELIVERY_DEADLINE_S": "1"})
    output = done.stdout + done.stderr
    results_file = out / "results.json"
    if not results_file.is_file():
        return SeedRun(seed, done.returncode, 0, [f"no results.json (exit {done.returncode}): {output[-2000:]}"])
    results = json.loads(results_file.read_text(encoding="utf-8"))
    run = SeedRun(seed, done.returncode, len(results["scenarios"]))
    for scenario in results["scenarios"]:
        if scenario["status"] == "error":
            run.errors.append(f"scenario error: {scenario['nodeid']}")
        run.errors += [f"step error: {scenario['nodeid']} / {step['title']}: {step.get('reason')}"
                       for step in scenario["steps"] if step["status"] == "error"]
        for verdict in scenario["invariants"]:
            run.verdicts[verdict["verdict"]] += 1
            if verdict["verdict"] == "error":
                run.errors.append(f"verdict error: {scenario['nodeid']} {verdict['id']}: {verdict['message']}")
            if verdict["verdict"] == "pass":
                run.passed.append(verdict["id"])
    for marker in ("Traceback", "INTERNALERROR"):
        if marker in output:
            run.errors.append(f"{marker} in the output: {output[output.index(marker):][:1500]}")
    if done.returncode not in (0, 1):
        run.errors.append(f"pytest exit {done.returncode} (0 or 1 expected): {output[-1500:]}")
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=None, help="run seeds 0..N-1 (default 20)")
    parser.add_argument("--seed", type=int, action="append", default=[], help="run this seed (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the runs as JSON")
    parser.add_argument("suites", nargs="*", help=f"suite paths (default: {' '.join(SUITES)})")
    args = parser.parse_args(argv)
    seeds = args.seed + list(range(args.seeds if args.seeds is not None else (0 if args.seed else 20)))
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for seed in seeds:
            run = run_seed(seed, Path(work), *args.suites)
            runs.append(run)
            if not args.json:
                counts = " ".join(f"{k}={v}" for k, v in sorted(run.verdicts.items()))
                print(f"seed {seed:>3}: {len(run.errors)} errors  {run.scenarios} scenarios  exit {run.exit_code}  {counts}",
                      flush=True)
                for line in run.errors:
                    print(f"    {line}")
    lucky = Counter(i for run in runs for i in set(run.passed))
    if args.json:
        print(json.dumps({"runs": [{"seed": r.seed, "exit_code": r.exit_code, "scenarios": r.scenarios,
                                    "errors": r.errors, "verdicts": dict(r.verdicts), "passed": sorted(set(r.passed))}
                                   for r in runs],
                          "passed_on_random_data": dict(lucky.most_common())}, indent=2))
    else:
        print(f"total: {sum(len(r.errors) for r in runs)} errors over {len(runs)} seeds")
        print("passed on random data (invariant: seeds): " +
              ", ".join(f"{i}: {n}" for i, n in sorted(lucky.items())) if lucky else "nothing passed on random data")
    return 1 if any(r.errors for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

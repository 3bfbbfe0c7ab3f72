"""Benchmark: the scenario suites under the emulator's chaos mode, against a clean run.

One clean emulator run, then one run per seed with chaos at ``--rate``, each against its own
emulator served by this process (``graphcal run --target url:...``, judged by the emulator's
profile), so the emulator's store can be read afterwards. Per run it prints: the share of
checks (scenario x invariant) reaching the clean run's verdict, pass<->fail flips, transient
verdicts, duplicate events (created more often than on the clean run), events left behind
(more than the clean run leaves), run time and exit code; then whether issue 15's thresholds
hold (>= 95% reached, no flip, no duplicate, no leftover, the rest transient).

    .venv/bin/python bench/chaos.py [--seeds 1 2 3] [--rate 0.2] [-- pytest selection...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "docs" / "emulator-personas.toml"
PERSONAS_PORT = "127.0.0.1:8765"
REACH_THRESHOLD = 0.95


@dataclass
class Run:
    code: int
    seconds: float
    verdicts: dict[tuple[str, str], str]
    created: Counter  # (owner, subject, start) -> events created during the run
    left: Counter     # (owner, subject, start) -> events in the store at the end
    chaos: dict[str, int]
    output: str       # what graphcal run printed


# A run marker in a subject ("graphcal ed343bdc: ...", "gcq2e6dcbd44a item 0"): new on every run,
# so the clean run and a chaos run are compared with it masked.
_RUN_MARKER = re.compile(r"\b(?:gc[a-z]?)?[0-9a-f]{8,}\b")


def _key(event: Any) -> tuple[str, str, str]:
    subject = _RUN_MARKER.sub("<run>", str(event.fields.get("subject")))
    return event.owner_id, subject, event.start_utc.isoformat()


def run(selection: list[str], rate: float = 0.0, seed: int | None = None, report_dir: Path | None = None) -> Run:
    """One ``graphcal run`` against an emulator served here (chaos ``rate`` from ``seed``);
    its reports go to ``report_dir`` (default: a temporary folder)."""
    from graphcal.emulator.server import EmulatorServer

    with EmulatorServer(chaos=rate, chaos_seed=seed) as server, tempfile.TemporaryDirectory() as tmp:
        store = server.app.state.store
        created: Counter = Counter()
        add_event = store.add_event

        def counted(event: Any) -> Any:  # every event the emulator creates, by its marker
            created[_key(event)] += 1
            return add_event(event)

        store.add_event = counted
        personas = Path(tmp) / "personas.toml"
        personas.write_text(PERSONAS.read_text(encoding="utf-8").replace(PERSONAS_PORT, f"127.0.0.1:{server.port}"),
                            encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).with_name("graphcal")), "run", "--target", f"url:{server.base_url}",
             "--persona-config", str(personas), "--profile", str(ROOT / "profiles" / "emulator.toml"),
             "--report-dir", str(report_dir or tmp), "--", *selection, "-p", "no:randomly", "-p", "no:cacheprovider", "-q"],
            cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        try:
            results = json.loads((Path(report_dir or tmp) / "results.json").read_text(encoding="utf-8"))
        except OSError:
            sys.exit(f"graphcal run wrote no results (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        with store.lock:
            left = Counter(_key(e) for events in store.events.values() for e in events.values())
        return Run(done.returncode, seconds,
                   {(s["nodeid"], v["id"]): v["verdict"] for s in results["scenarios"] for v in s["invariants"]},
                   created, left, dict(server.app.state.chaos.counts), done.stdout)


def compare(clean: Run, chaos: Run) -> dict[str, Any]:
    """The figures of one chaos run against the clean one."""
    keys = clean.verdicts.keys() | chaos.verdicts.keys()
    reached = sum(clean.verdicts.get(k) == chaos.verdicts.get(k) for k in keys)
    flips = sorted(k for k in keys if {clean.verdicts.get(k), chaos.verdicts.get(k)} == {"pass", "fail"})
    other = sorted(k for k in keys if clean.verdicts.get(k) != chaos.verdicts.get(k)
                   and chaos.verdicts.get(k) != "transient")
    return {"checks": len(keys), "reached": reached / len(keys) if keys else 1.0, "flips": flips,
            "transient": sum(v == "transient" for v in chaos.verdicts.values()), "other_changes": other,
            "duplicates": dict(chaos.created - clean.created), "leftovers": dict(chaos.left - clean.left),
            "seconds": chaos.seconds, "exit": chaos.code, "chaos": chaos.chaos}


def holds(figures: dict[str, Any]) -> bool:
    return (figures["reached"] >= REACH_THRESHOLD and not figures["flips"] and not figures["other_changes"]
            and not figures["duplicates"] and not figures["leftovers"] and figures["exit"] in (0, 3))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("selection", nargs="*", default=["suites"], help="what to run (default: suites)")
    args = parser.parse_args(argv)
    clean = run(args.selection)
    print(f"clean: {len(clean.verdicts)} checks, exit {clean.code}, {clean.seconds:.1f} s")
    if clean.code != 0:
        print("the clean run does not pass: nothing to compare with")
        return 2
    every = True
    for seed in args.seeds:
        f = compare(clean, run(args.selection, args.rate, seed))
        every &= holds(f)
        print(f"seed {seed}: {f['reached']:.1%} reached the clean verdict, {len(f['flips'])} pass<->fail flips, "
              f"{f['transient']} transient, {len(f['other_changes'])} other changes, "
              f"{sum(f['duplicates'].values())} duplicates, {sum(f['leftovers'].values())} leftovers, "
              f"{f['seconds']:.1f} s, exit {f['exit']}; chaos {f['chaos']}")
        for name in ("flips", "other_changes"):
            for k in f[name][:5]:
                print(f"  {name}: {k}")
    print(f"thresholds (>= {REACH_THRESHOLD:.0%} reached, no flip, no duplicate, no leftover, exit 0 or 3) at "
          f"{args.rate:.0%}: {'HOLD' if every else 'DO NOT HOLD'}")
    return 0 if every else 1


if __name__ == "__main__":
    sys.exit(main())

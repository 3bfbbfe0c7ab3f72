"""Schema validation benchmark, the fast path (jsonschema-rs verdict, jsonschema renders what it
rejects) beside jsonschema alone, in one run: cold load of the validators in a fresh interpreter,
and throughput of ``graphcal.schema.validate`` over the documented payloads
(tests/schema/data/doc_examples.json). Medians of several runs, the two paths interleaved.

    .venv/bin/python bench/bench_schema.py [--runs 7] [--seconds 0.3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "schema" / "data" / "doc_examples.json"
PATHS = ("fast", "jsonschema")

# A fresh interpreter, so nothing is cached: import, then the first validation of an event (reads
# schemas/, builds the registry and the event validator), then one of each other documented type.
# "fast": compiled from the first validation (FAST_AFTER_SECONDS = 0, the cost a long run pays);
# "jsonschema": jsonschema-rs cannot be imported, as on a platform without its wheel.
COLD = """
import json, sys, time
if sys.argv[2] == "jsonschema":
    sys.modules["jsonschema_rs"] = None
t0 = time.perf_counter()
from graphcal import schema
t1 = time.perf_counter()
schema.FAST_AFTER_SECONDS = 0.0
examples = json.loads(open(sys.argv[1], encoding="utf-8").read())["examples"]
first = {}
for e in examples:
    first.setdefault(e["type"], e["body"])
t2 = time.perf_counter()
schema.validate(first.pop("event"), "event")
t3 = time.perf_counter()
for type_name, body in first.items():
    schema.validate(body, type_name)
t4 = time.perf_counter()
assert sum(map(bool, schema._compiled.values())) == (len(first) + 1 if sys.argv[2] == "fast" else 0)
print(json.dumps({"import_s": t1 - t0, "event_s": t3 - t2, "others_s": t4 - t3, "types": len(first) + 1}))
"""


def cold_load(path: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", COLD, str(EXAMPLES), path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def rate(validate: Callable[[Any, str], Any], payloads: list[tuple[Any, str]], seconds: float) -> float:
    """Payloads per second: whole passes over ``payloads`` until ``seconds`` have gone by."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or not done:
        for body, type_name in payloads:
            validate(body, type_name)
        done += len(payloads)
    return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="graphcal.schema benchmark: fast path beside jsonschema")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=0.3, help="time per path per payload set per run")
    args = parser.parse_args()

    from graphcal import schema

    if schema.fast_validator("event") is None:
        sys.exit("jsonschema-rs cannot be imported here: there is no fast path to compare")
    schema.FAST_AFTER_SECONDS = 0.0  # the steady state of a long run: every type compiled

    load_before = os.getloadavg()
    documented = [(e["body"], e["type"]) for e in json.loads(EXAMPLES.read_text(encoding="utf-8"))["examples"]]
    events = [(b, t) for b, t in documented if t == "event"]
    sets = {
        "event": events,
        "event, valid only": [(b, t) for b, t in events if not schema.validate(b, t)],
        "all documented": documented,
    }
    invalid = {name: sum(1 for b, t in payloads if schema.validate(b, t)) for name, payloads in sets.items()}
    colds: dict[str, list[dict[str, float]]] = {path: [] for path in PATHS}
    rates: dict[tuple[str, str], list[float]] = {(name, path): [] for name in sets for path in PATHS}
    for _ in range(args.runs):
        for path in PATHS:
            colds[path].append(cold_load(path))
            schema.FAST_PATH = path == "fast"
            for name, payloads in sets.items():
                rates[name, path].append(rate(schema.validate, payloads, args.seconds))
    schema.FAST_PATH = True
    load_after = os.getloadavg()

    print(f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"before, {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after")  # fmt: skip
    print(f"medians of {args.runs} runs, the two paths interleaved; fast = jsonschema-rs verdict, "
          "jsonschema renders the violations of what it rejects")  # fmt: skip
    print(f"\ncold load (fresh interpreter)  {'fast':>12} {'jsonschema':>12}")
    for key, label in (("import_s", "import graphcal.schema"), ("event_s", "first event validation"),
                       ("others_s", f"first of {colds['fast'][0]['types'] - 1:.0f} other types")):  # fmt: skip
        fast, slow = (statistics.median(c[key] for c in colds[path]) * 1000 for path in PATHS)
        print(f"  {label:<28} {fast:>9.1f} ms {slow:>9.1f} ms")
    print(f"\nthroughput ({args.seconds:g} s per path per run)"
          f"{'fast payloads/s':>21} {'us':>7} {'jsonschema payloads/s':>22} {'us':>7} {'speed-up':>9}")  # fmt: skip
    for name, payloads in sets.items():
        fast, slow = (statistics.median(rates[name, path]) for path in PATHS)
        label = f"{name} ({len(payloads)}, {invalid[name]} invalid)"
        print(f"  {label:<36}{fast:>15,.0f} {1e6 / fast:>7.1f} {slow:>22,.0f} {1e6 / slow:>7.1f} {fast / slow:>8.0f}x")


if __name__ == "__main__":
    main()

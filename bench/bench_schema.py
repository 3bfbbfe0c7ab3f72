"""Schema validation benchmark: cold load of the validators and throughput over the documented
payloads (tests/schema/data/doc_examples.json). Prints medians of several runs.

    .venv/bin/python bench/bench_schema.py [--runs 7] [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "schema" / "data" / "doc_examples.json"

# Run in a fresh interpreter so nothing is cached: import, read schemas/, build the registry and
# one validator per documented type, validate one payload each (first use compiles lazily).
COLD = """
import json, sys, time
t0 = time.perf_counter()
from graphcal import schema
examples = json.loads(open(sys.argv[1], encoding="utf-8").read())["examples"]
first = {}
for e in examples:
    first.setdefault(e["type"], e["body"])
t1 = time.perf_counter()
for type_name, body in first.items():
    schema.validate(body, type_name)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "build_s": t2 - t1, "validators": len(first)}))
"""


def cold_load() -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", COLD, str(EXAMPLES)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def throughput(rounds: int) -> tuple[float, int]:
    from graphcal.schema import validate

    examples = [(e["body"], e["type"]) for e in json.loads(EXAMPLES.read_text(encoding="utf-8"))["examples"]]
    for body, type_name in examples:  # warm: validators built, as in a harness run
        validate(body, type_name)
    start = time.perf_counter()
    for _ in range(rounds):
        for body, type_name in examples:
            validate(body, type_name)
    elapsed = time.perf_counter() - start
    return rounds * len(examples) / elapsed, len(examples)


def main() -> None:
    parser = argparse.ArgumentParser(description="graphcal.schema benchmark")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the payloads per run")
    args = parser.parse_args()

    colds = [cold_load() for _ in range(args.runs)]
    rates = []
    count = 0
    for _ in range(args.runs):
        rate, count = throughput(args.rounds)
        rates.append(rate)
    import_s = statistics.median(c["import_s"] for c in colds)
    build_s = statistics.median(c["build_s"] for c in colds)
    print(f"payloads: {count} documented response bodies, {colds[0]['validators']:.0f} schema types")
    print(f"cold load (median of {args.runs}): import {import_s * 1000:.1f} ms, "
          f"registry + validators + first validation {build_s * 1000:.1f} ms")  # fmt: skip
    print(f"throughput (median of {args.runs} runs x {args.rounds} passes): {statistics.median(rates):,.0f} payloads/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f})")  # fmt: skip
    print(f"per payload: {1e6 / statistics.median(rates):.0f} us median")


if __name__ == "__main__":
    main()

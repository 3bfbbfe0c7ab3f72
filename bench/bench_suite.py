"""Benchmark: the whole scenario suite replayed from cassettes vs run against the emulator.

Prints medians of several runs side by side (each run a fresh `python -m pytest`, as a user
or CI would run it), the harness overhead per recorded interaction on replay, and ratios.

    .venv/bin/python bench/bench_suite.py [--runs 5]

Overhead per interaction = (replay run - collection-only run) / recorded interactions: what
the harness (vcrpy matching and playback, evidence, checks, reports) costs per request once
pytest has started and collected the suite.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def timed(*args: str) -> float:
    with tempfile.TemporaryDirectory() as reports:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "suites", "-q", "-p", "no:cacheprovider",
                               "--report-dir", reports, *args], cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"pytest {' '.join(args)} failed (exit {done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def interactions() -> int:
    total = 0
    for cassette in sorted((ROOT / "cassettes").rglob("*.yaml")):
        total += len(yaml.safe_load(cassette.read_text(encoding="utf-8")).get("interactions", []))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    n = interactions()
    series = {
        "collect only": [timed("--collect-only") for _ in range(runs)],
        "replay (cassettes)": [timed() for _ in range(runs)],
        "emulator": [timed("--target", "emulator") for _ in range(runs)],
    }
    med = {name: statistics.median(times) for name, times in series.items()}
    print(f"suite: {len(list((ROOT / 'cassettes').rglob('*.yaml')))} cassettes, {n} recorded interactions; "
          f"{runs} runs each, wall time of `python -m pytest suites`")
    print(f"{'run':<20} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, times in series.items():
        print(f"{name:<20} {med[name]:>9.3f} {min(times):>7.3f} {max(times):>7.3f}")
    overhead_ms = (med["replay (cassettes)"] - med["collect only"]) / max(n, 1) * 1000
    emulator_ms = (med["emulator"] - med["collect only"]) / max(n, 1) * 1000
    print(f"harness overhead per recorded interaction on replay: {overhead_ms:.2f} ms "
          f"(emulator run: {emulator_ms:.2f} ms per interaction)")
    print(f"emulator / replay wall time: {med['emulator'] / med['replay (cassettes)']:.2f}x")


if __name__ == "__main__":
    main()

"""The fault matrix: the scenario suites run once per declared emulator fault.

Each run turns one fault switch on in the reference emulator and runs the real scenarios
against it as a ``url:`` target, exactly as against any Graph-compatible server. A fault is
*caught* when every invariant it declares (``Fault.breaks``) fails in that run and the run
exits 1 when a MUST invariant failed (always, for a fault that declares one), 0 when only
SHOULD ones did (reported, never failed); the matrix is the proof that each claim can fail.

``graphcal emulator fault-matrix [--feature F] [--fault NAME...] [--json]`` prints it;
``tests/test_every_must_can_fail.py`` asserts it on a slice.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pytest

from graphcal.errors import ConfigError

PROJECT = Path(__file__).resolve().parents[2]  # src/graphcal/faultmatrix.py -> the checkout


@dataclass
class FaultRun:
    fault: str
    feature: str
    declared: list[str]
    failed: list[str] = field(default_factory=list)    # invariants whose verdict was fail
    missed: list[str] = field(default_factory=list)    # declared but not failed
    exit_code: int = 0
    expected_exit: int = 1  # 1 when a MUST invariant failed; SHOULD failures alone exit 0
    seconds: float = 0.0

    @property
    def caught(self) -> bool:
        return not self.missed and self.exit_code == self.expected_exit

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "caught": self.caught}


def declared_faults(feature: str | None = None, names: Sequence[str] = ()) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, owning feature, breaks) of the declared faults with invariants to break."""
    from graphcal.emulator.app import FAULTS

    unknown = sorted(set(names) - FAULTS.keys())
    if unknown:
        raise ConfigError(f"unknown fault(s) {', '.join(unknown)}; `graphcal emulator faults` lists them")
    features = {d.feature for d in FAULTS.values()}
    if feature is not None and feature not in features:
        raise ConfigError(f"no faults of feature {feature!r}; the features are {', '.join(sorted(features))}")
    return [(name, d.feature, d.fault.breaks) for name, d in FAULTS.items()
            if d.fault.breaks and (feature is None or d.feature == feature) and (not names or name in names)]


@contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_faults(faults: Iterable[tuple[str, str, tuple[str, ...]]], *, suites: Sequence[str] = (),
               quiet: bool = True) -> list[FaultRun]:
    """Run ``suites`` (default: all of them) once per fault, one emulator reset between runs."""
    from graphcal.emulator.server import EmulatorServer
    from graphcal.invariants.registry import MUST, load_catalog
    from graphcal.personas import write_persona_config

    catalog = load_catalog()

    runs = []
    with tempfile.TemporaryDirectory(prefix="graphcal-faults-") as tmp, EmulatorServer() as srv, \
            _env(GRAPHCAL_DELIVERY_DEADLINE_S="1"):  # a message that never comes: stop soon
        config = write_persona_config(Path(tmp) / "personas.toml", srv.personas, srv.token_url)
        for name, feature, breaks in faults:
            srv.reset()
            srv.app.state.faults = frozenset({name})  # the app reads its switches per request
            report = Path(tmp) / name
            started = time.monotonic()
            # the per-run pytest output is not the matrix: kept out of the way when quiet
            with contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext():
                code = pytest.main([*(suites or [str(PROJECT / "suites")]), f"--rootdir={PROJECT}",
                                    "--target", f"url:{srv.base_url}", "--persona-config", str(config),
                                    "--report-dir", str(report), "-p", "no:cacheprovider", "-p", "no:randomly",
                                    "-W", "ignore::pytest.PytestAssertRewriteWarning", "-q"])
            results = json.loads((report / "results.json").read_text(encoding="utf-8"))
            failed = sorted({inv["id"] for s in results["scenarios"] for inv in s["invariants"]
                             if inv["verdict"] == "fail"})
            must = any(i in catalog and catalog[i].severity is MUST for i in failed)
            runs.append(FaultRun(name, feature, list(breaks), failed,
                                 [i for i in breaks if i not in failed], int(code), int(must),
                                 round(time.monotonic() - started, 2)))
    return runs


def fault_matrix_command(feature: str | None = None, names: Sequence[str] = (), as_json: bool = False) -> int:
    """Print the matrix; exit 0 when every fault was caught by its declared ids, else 1."""
    runs = run_faults(declared_faults(feature, names))
    if as_json:
        print(json.dumps([r.to_json() for r in runs], indent=2))
    else:
        for r in runs:
            print(f"{'caught' if r.caught else 'MISSED':6}  {r.fault:32} exit {r.exit_code} "
                  f"(expected {r.expected_exit})  {r.seconds:6.1f}s  "
                  f"failed: {', '.join(r.failed) or '-'}"
                  + (f"\n        declared but not failed: {', '.join(r.missed)}" if r.missed else ""))
        caught = sum(r.caught for r in runs)
        print(f"{caught}/{len(runs)} faults caught by their declared invariants "
              f"({sum(r.seconds for r in runs):.0f}s)")
    return 0 if all(r.caught for r in runs) else 1

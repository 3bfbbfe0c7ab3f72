"""Every MUST invariant can fail: a check no fault can break is not done (issue 15).

(a) Statically, from the catalog and the fault declarations (whoever adds them): every MUST id is
    in some declared fault's ``breaks``, but for the few listed in NO_FAULT with the reason.
(b) Dynamically, the real suites run against the emulator with a fault on
    (graphcal.faultmatrix, as ``graphcal emulator fault-matrix`` does): every id the fault
    declares fails, by that id, and the run exits 1. CI runs a slice (SLICE, the events faults
    added with this check); ``GRAPHCAL_FAULT_SLICE=all`` runs every declared fault, a comma list
    names faults.
"""

from __future__ import annotations

import os

import pytest

from graphcal.emulator.app import FAULTS
from graphcal.faultmatrix import declared_faults, run_faults
from graphcal.invariants.registry import MUST, load_catalog

# MUST invariants no emulator fault breaks, with the reason. Keep it short.
NO_FAULT: dict[str, str] = {}

# the slice CI runs: faults that declare MUST invariants (so the run must exit 1)
SLICE = ("create-200", "create-not-single", "create-disallows-proposals", "delete-200",
         "utc-mislabelled", "online-meeting-turned-off", "reply-plain-message")


def test_every_must_invariant_is_declared_broken_by_some_fault():
    broken = {i for d in FAULTS.values() for i in d.fault.breaks}
    musts = {i for i, inv in load_catalog().items() if inv.severity is MUST}
    assert sorted(musts - broken - NO_FAULT.keys()) == [], "MUST invariants no fault can fail"
    assert sorted(NO_FAULT.keys() - musts) == [], "NO_FAULT names ids that are not MUST invariants"
    assert sorted(NO_FAULT.keys() & broken) == [], "NO_FAULT names ids a fault now breaks"


def test_every_declared_id_is_in_the_catalog():
    catalog = load_catalog()
    unknown = {name: [i for i in d.fault.breaks if i not in catalog] for name, d in FAULTS.items()}
    assert {k: v for k, v in unknown.items() if v} == {}


def _slice() -> list[str]:
    chosen = os.environ.get("GRAPHCAL_FAULT_SLICE", "")
    if chosen == "all":
        return [name for name, _, _ in declared_faults()]
    return [n.strip() for n in chosen.split(",") if n.strip()] or list(SLICE)


@pytest.mark.parametrize("fault", _slice())
def test_the_fault_fails_its_declared_invariants_in_a_real_run(fault):
    [run] = run_faults(declared_faults(names=[fault]))
    assert run.missed == [], f"{fault}: declared but did not fail: {run.missed} (failed: {run.failed})"
    assert run.exit_code == run.expected_exit == 1, f"{fault}: the run exited {run.exit_code}"

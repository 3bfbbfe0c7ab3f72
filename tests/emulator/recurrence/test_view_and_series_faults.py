"""The window, series-detail and body-type faults fail their invariants in a real run (issue 15).

Each fault that declares EVT-VIEW-*, SERIES-* or EVT-BODY-* ids is switched on in
an emulator served on a free loopback port, and ``graphcal run`` (in-process, as a user runs it
against a ``url:`` target) runs the scenarios that check those ids: the run exits 1 and
results.json has each declared id as ``fail`` with a message. Without faults the same run
exits 0 with those ids passing, so it is the fault that fails them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from graphcal.cli import main
from graphcal.emulator.app import FAULTS
from graphcal.emulator.server import EmulatorServer
from graphcal.personas import write_persona_config

PROJECT = Path(__file__).resolve().parents[3]
WINDOW = "suites/events/test_calendar_view_window.py::test_calendar_view_window"
SERIES = "suites/recurrence/test_recurrence_details.py::test_series_window_uid_and_single_edit"
FIRST_DAY = "suites/recurrence/test_recurrence_details.py::test_first_day_of_week"
BODY = "suites/events/test_body_content_type.py::test_body_content_type"

# fault -> the scenarios that check what it breaks
SCENARIOS: dict[str, tuple[str, ...]] = {
    "view-starts-inside-only": (WINDOW, SERIES),
    "view-offsetless-in-prefer-zone": (WINDOW,),
    "view-ignores-offset": (WINDOW,),
    "view-calendar-paths-empty": (WINDOW,),
    "view-window-optional": (WINDOW,),
    "body-text-by-default": (BODY,),
    "body-type-not-confirmed": (BODY,),
    "series-first-day-sunday": (FIRST_DAY,),
    "series-same-icaluid": (SERIES,),
    "series-edit-renames-series": (SERIES,),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorServer, Path]]:
    with EmulatorServer() as srv:
        config = write_persona_config(tmp_path_factory.mktemp("personas") / "personas.toml",
                                      srv.personas, srv.token_url)
        yield srv, config


def graphcal_run(served: tuple[EmulatorServer, Path], report: Path, faults: frozenset[str],
                 *scenarios: str) -> tuple[int, dict[str, str]]:
    """``graphcal run`` of ``scenarios`` with ``faults`` on: (exit code, id -> worst verdict;
    a failed id maps to 'fail' with its message appended)."""
    srv, config = served
    srv.app.state.faults = faults  # read on every request
    code = main(["run", "--target", f"url:{srv.base_url}", "--persona-config", str(config),
                 "--report-dir", str(report), "--",
                 *(str(PROJECT / s) for s in scenarios), "-q", "-p", "no:randomly", "-p", "no:cacheprovider"])
    results: dict[str, Any] = json.loads((report / "results.json").read_text(encoding="utf-8"))
    verdicts: dict[str, str] = {}
    for scenario in results["scenarios"]:
        for inv in scenario["invariants"]:
            if inv["verdict"] == "fail":
                verdicts[inv["id"]] = f"fail: {inv['message']}"
            else:
                verdicts.setdefault(inv["id"], inv["verdict"])
    return code, verdicts


def test_every_fault_of_the_new_ids_is_here() -> None:
    declared = {name for name, d in FAULTS.items() if any(
        i.startswith(("EVT-VIEW-", "SERIES-", "EVT-BODY-")) for i in d.fault.breaks)}
    assert declared == set(SCENARIOS)
    # calendarView and instances are the recurrence feature's routes; bodies the event resource's
    assert {name: FAULTS[name].feature for name in declared} == {
        name: "events" if name.startswith("body-") else "recurrence" for name in declared}


def test_without_faults_the_run_passes_them(served, tmp_path) -> None:
    code, verdicts = graphcal_run(served, tmp_path, frozenset(), WINDOW, SERIES, FIRST_DAY, BODY)
    claimed = {i for name in SCENARIOS for i in FAULTS[name].fault.breaks}
    assert code == 0, verdicts
    assert {i: verdicts.get(i) for i in claimed} == {i: "pass" for i in claimed}


@pytest.mark.parametrize("fault", sorted(SCENARIOS))
def test_a_fault_fails_its_invariants_and_the_run(served, tmp_path, fault: str) -> None:
    code, verdicts = graphcal_run(served, tmp_path, frozenset({fault}), *SCENARIOS[fault])
    assert code == 1, verdicts
    for invariant_id in FAULTS[fault].fault.breaks:
        assert verdicts.get(invariant_id, "").startswith("fail: ") and len(verdicts[invariant_id]) > 6, \
            (fault, invariant_id, verdicts.get(invariant_id))

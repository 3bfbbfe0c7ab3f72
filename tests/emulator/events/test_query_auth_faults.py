"""Each query-option and authentication fault makes its EVT-QRY / EVT-AUTH invariants fail, by
id, in a real run of the scenarios, and the run exits 1 (issue 15).

The scenarios (suites/events/test_query_options.py, test_authentication.py) run in-process
against the emulator as a ``url:`` target, as against any Graph-compatible server. Without
faults every invariant a fault declares (``Fault.breaks``) passes and the run exits 0; with the
fault on, the invariant fails in every scenario where it passed without it (so each collection
that checks it catches the fault), with a message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphcal.emulator.app import FAULTS
from graphcal.emulator.server import EmulatorServer
from graphcal.personas import write_persona_config
from tests.fault_proof import run_suites

PROJECT = Path(__file__).resolve().parents[3]
QUERIES = PROJECT / "suites" / "events" / "test_query_options.py"
AUTH = PROJECT / "suites" / "events" / "test_authentication.py"
SUITE = {"ignore-select": QUERIES, "ignore-top": QUERIES, "ignore-filter": QUERIES,
         "orderby-desc-ignored": QUERIES, "ignore-count": QUERIES, "nextlink-skips-item": QUERIES,
         "nextlink-drops-query": QUERIES, "no-token-required": AUTH, "accept-any-token": AUTH,
         "accept-expired-token": AUTH, "own-id-other-mailbox": AUTH}

from tests.fault_proof import Verdicts  # noqa: E402  (re-exported for the tests below)


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator_url_target: tuple[EmulatorServer, Path],
        faults: frozenset[str], suite: Path) -> tuple[int, Verdicts]:
    """The suite's exit code and (scenario, invariant id) -> its entry in results.json."""
    return run_suites(tmp_path / "report", monkeypatch, emulator_url_target, faults, suite)


def test_every_query_and_auth_fault_is_proven_here() -> None:
    ours = {name for name, d in FAULTS.items()
            if any(i.startswith(("EVT-QRY-", "EVT-AUTH-")) for i in d.fault.breaks)}
    assert ours == set(SUITE)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, emulator_url_target: tuple[EmulatorServer, Path]
             ) -> dict[Path, tuple[int, Verdicts]]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return {suite: run(tmp_path_factory.mktemp("baseline"), monkeypatch, emulator_url_target, frozenset(), suite)
                for suite in (QUERIES, AUTH)}


def test_without_faults_the_claims_hold_and_the_run_passes(baseline: dict[Path, tuple[int, Verdicts]]) -> None:
    for suite, (code, verdicts) in baseline.items():
        assert code == 0, suite
        ids = {i for (_, i) in verdicts}
        assert {i for f in SUITE for i in FAULTS[f].fault.breaks if SUITE[f] == suite} <= ids
        assert all(v["verdict"] == "pass" for (_, i), v in verdicts.items()
                   if i.startswith(("EVT-QRY-", "EVT-AUTH-"))), verdicts


@pytest.mark.parametrize("fault", sorted(SUITE))
def test_a_fault_fails_its_invariants_and_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  emulator_url_target: tuple[EmulatorServer, Path],
                                                  baseline: dict[Path, tuple[int, Verdicts]], fault: str) -> None:
    suite = SUITE[fault]
    code, verdicts = run(tmp_path, monkeypatch, emulator_url_target, frozenset({fault}), suite)
    assert code == pytest.ExitCode.TESTS_FAILED, (fault, code)
    for invariant_id in FAULTS[fault].fault.breaks:
        passed_before = [name for (name, i), v in baseline[suite][1].items()
                         if i == invariant_id and v["verdict"] == "pass"]
        assert passed_before, (fault, invariant_id)
        for name in passed_before:
            entry = verdicts[(name, invariant_id)]
            assert entry["verdict"] == "fail" and entry["message"], (fault, name, invariant_id, entry)


class RefusesUndocumentedOptions:
    """The emulator behind a server that answers 400 to $orderby on calendarView and to
    Prefer: odata.maxpagesize anywhere: options no page documents for those requests."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        query = scope.get("query_string", b"").decode()
        headers = dict(scope.get("headers", []))
        if scope["type"] == "http" and (("calendarView" in scope["path"] and "orderby" in query)
                                        or b"odata.maxpagesize" in headers.get(b"prefer", b"")):
            body = json.dumps({"error": {"code": "BadRequest", "message": "not supported"}}).encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def test_refusing_undocumented_options_is_information_not_a_failure(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    srv = EmulatorServer()
    srv.app = RefusesUndocumentedOptions(srv.app)  # served instead of the bare emulator
    with srv:
        emulator_url_target = (srv, write_persona_config(tmp_path / "personas.toml", srv.personas, srv.token_url))
        code, verdicts = run(tmp_path, monkeypatch, emulator_url_target, frozenset(),
                             Path(f"{QUERIES}::test_query_options_on_calendar_view"))
    assert code == 0 and {v["verdict"] for v in verdicts.values()} == {"pass"}
    results = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    notes = [n for s in results["scenarios"] for step in s["steps"] for n in step.get("notes", ())]
    assert any("answered 400" in n and "$orderby" in n for n in notes), notes
    assert any("Prefer" in n and "answered 400" in n for n in notes), notes

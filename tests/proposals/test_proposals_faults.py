"""Against a target that breaks one documented claim at a time, the suite fails that claim, by id.

The target is the emulator with one fault switch on (graphcal.emulator.app.FAULTS); the suite
runs against it as a ``url:`` target, exactly as it would against any Graph-compatible server,
and its results.json must show the invariant the fault breaks as failed. A baseline run without
faults shows the same invariants passing, so it is the fault that fails them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from graphcal.emulator.app import FAULTS
from graphcal.emulator.server import EmulatorServer
from graphcal.personas import write_persona_config

PROJECT = Path(__file__).resolve().parents[2]
SUITE = PROJECT / "suites" / "proposals" / "test_meeting_proposals.py"
MAIN, LITERAL, DECLINE = ("test_tentative_with_a_new_time_proposal", "test_tentative_with_the_literal_documented_body",
                          "test_decline_with_a_new_time_proposal")
TENTATIVE, ACCEPT, DISALLOW = ("test_tentative_without_a_proposal", "test_accept", "test_organizer_disallows_proposals")

# fault switch -> (the scenario that exercises the claim, the invariants that must fail)
BREAKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "proposals-default-disallowed": (ACCEPT, ("PROP-1.2",)),
    "allow-flag-ignored": (DISALLOW, ("PROP-1.1", "PROP-6.1")),
    "organizer-status-none": (ACCEPT, ("PROP-1.3",)),
    "attendees-pre-accepted": (ACCEPT, ("PROP-1.4",)),
    "invite-wrong-type": (ACCEPT, ("PROP-7.1",)),
    "invite-hides-allow-flag": (ACCEPT, ("PROP-7.2",)),
    "invite-no-event": (ACCEPT, ("PROP-7.3",)),
    "copy-is-organizer": (ACCEPT, ("PROP-7.4",)),
    "copy-already-accepted": (ACCEPT, ("PROP-7.5",)),
    "copy-busy": (ACCEPT, ("PROP-7.6",)),
    "copy-new-icaluid": (ACCEPT, ("PROP-7.7",)),
    "copy-wrong-time": (ACCEPT, ("PROP-7.8",)),
    "respond-200": (ACCEPT, ("PROP-2.1",)),
    "respond-returns-event": (ACCEPT, ("PROP-2.2",)),
    "own-copy-unchanged": (ACCEPT, ("PROP-2.3",)),
    "strict-respond-body": (LITERAL, ("PROP-2.4",)),
    "reply-plain-subject": (DECLINE, ("PROP-3.2",)),
    "reply-from-organizer": (ACCEPT, ("PROP-3.3",)),
    "reply-says-accepted": (TENTATIVE, ("PROP-3.4", "PROP-3.5")),
    "reply-drops-proposal": (DECLINE, ("PROP-3.6",)),
    "reply-null-proposal": (ACCEPT, ("PROP-3.7",)),
    "reply-times-are-proposal": (DECLINE, ("PROP-3.8",)),
    "reply-ignores-send-response": (DISALLOW, ("PROP-3.9",)),
    "status-not-recorded": (ACCEPT, ("PROP-4.1",)),
    "status-time-missing": (ACCEPT, ("PROP-4.2",)),
    "event-drops-proposal": (DECLINE, ("PROP-4.3",)),
    "proposal-on-every-attendee": (DECLINE, ("PROP-4.4",)),
    "move-reverted": (MAIN, ("PROP-5.1",)),
    "move-keeps-status": (MAIN, ("PROP-5.2", "PROP-5.3")),
    "move-resets-time-now": (MAIN, ("PROP-5.3",)),
    "move-keeps-proposal": (MAIN, ("PROP-5.4",)),
    "move-leaves-copies": (MAIN, ("PROP-5.5",)),
    "move-sends-no-update": (MAIN, ("PROP-5.6",)),
    "proposals-always-allowed": (DISALLOW, ("PROP-6.1",)),
    "proposal-without-send-response": (ACCEPT, ("PROP-6.2",)),
    "error-body-plain": (ACCEPT, ("PROP-6.3",)),
    "rejection-changes-status": (DISALLOW, ("PROP-6.4",)),
}


class TestExchangeContext:
    """The emulator behind a rewrite of every @odata.context to the documented
    ``https://graph.microsoft.com/testexchangev1.0/`` root (step 4's documentation defect, as a server)."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started: dict[str, Any] = {}

        async def rewrite(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
                return
            body = message.get("body", b"").replace(b"graph.microsoft.com/v1.0/$metadata",
                                                    b"graph.microsoft.com/testexchangev1.0/$metadata")
            headers = [(k, str(len(body)).encode() if k.lower() == b"content-length" else v)
                       for k, v in started.get("headers", [])]
            await send({**started, "headers": headers})
            await send({**message, "body": body})

        await self.app(scope, receive, rewrite if scope["type"] == "http" else send)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorServer, Path]]:
    with EmulatorServer() as srv:
        config = tmp_path_factory.mktemp("personas") / "personas.toml"
        yield srv, write_persona_config(config, srv.personas, srv.token_url)


def run_suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: tuple[EmulatorServer, Path],
              faults: frozenset[str], *tests: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Run scenarios of the proposals suite against the emulator with ``faults`` on; returns
    (scenario, invariant id) -> the invariant's entry in results.json."""
    srv, config = target
    srv.app.state.faults = faults  # the app reads the switches on every request
    monkeypatch.setenv("GRAPHCAL_DELIVERY_DEADLINE_S", "1")  # a message that never comes: stop soon
    report = tmp_path / "report"
    # in-process (a subprocess per fault would cost seconds each); the suite's own outcome is
    # not the point, its results.json is
    pytest.main([*(f"{SUITE}::{t}" for t in tests), f"--rootdir={PROJECT}", "--target", f"url:{srv.base_url}",
                 "--persona-config", str(config), "--report-dir", str(report), "-p", "no:cacheprovider",
                 "-q", "-p", "no:randomly"])
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    return {(s["name"], inv["id"]): inv for s in results["scenarios"] for inv in s["invariants"]}


def test_every_switch_the_scheduling_modules_read_is_exercised():
    sources = "".join((PROJECT / "src/graphcal/emulator/features/scheduling" / name).read_text(encoding="utf-8")
                      for name in ("delivery.py", "respond.py", "mail.py"))
    read = {name for name in FAULTS if f'"{name}"' in sources}
    assert read and read <= set(BREAKS), sorted(read - set(BREAKS))
    assert set(BREAKS) <= set(FAULTS)


def test_without_faults_the_claims_hold(tmp_path, monkeypatch, target):
    verdicts = run_suite(tmp_path, monkeypatch, target, frozenset(), MAIN, LITERAL, DECLINE, TENTATIVE, ACCEPT, DISALLOW)
    for fault, (scenario, ids) in BREAKS.items():
        for invariant_id in ids:
            assert verdicts[(scenario, invariant_id)]["verdict"] == "pass", (fault, invariant_id,
                                                                           verdicts[(scenario, invariant_id)])


@pytest.mark.parametrize("fault", sorted(BREAKS))
def test_a_fault_fails_its_invariant(tmp_path, monkeypatch, target, fault):
    scenario, ids = BREAKS[fault]
    verdicts = run_suite(tmp_path, monkeypatch, target, frozenset({fault}), scenario)
    for invariant_id in ids:
        entry = verdicts[(scenario, invariant_id)]
        assert entry["verdict"] == "fail", (fault, invariant_id, entry)
        assert entry["message"], entry


def test_a_context_outside_v1_fails_prop_4_5(tmp_path, monkeypatch):
    srv = EmulatorServer()
    srv.app = TestExchangeContext(srv.app)  # served instead of the bare emulator
    with srv:
        target = (srv, write_persona_config(tmp_path / "personas.toml", srv.personas, srv.token_url))
        verdicts = run_suite(tmp_path, monkeypatch, target, frozenset(), MAIN)
    entry = verdicts[(MAIN, "PROP-4.5")]
    assert entry["verdict"] == "fail" and "testexchangev1.0" in entry["message"], entry

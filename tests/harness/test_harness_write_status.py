"""A check that reads back the effect of a write first requires the write's documented status:
a failed write (500) blocks it; a throttled (429) or unavailable (503) one that stays so through
the retry budget makes it transient; neither ever passes or fails it (issue 15).

EVT-ONLINE-3 and EVT-TXN-2 read the event back after a PATCH the documentation says changes
nothing: with that PATCH answered 503 or 429 the unchanged event would "pass" them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.harness.harness_support import emulator_app, serve

from graphcal.personas import write_persona_config

PROJECT = Path(__file__).resolve().parents[2]
SUITE = "suites/events/test_create_event.py"
SCENARIOS = {"EVT-ONLINE-3": "test_create_online_meeting",
             "EVT-TXN-2": "test_create_event_in_time_zone_with_transaction_id"}


class RefusesNoOpPatches:
    """The emulator, except that a PATCH touching isOnlineMeeting or transactionId gets
    ``status`` (a transient answer) and never reaches it."""

    def __init__(self, app: Any, status: int) -> None:
        self.app, self.status = app, status

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "PATCH":
            return await self.app(scope, receive, send)
        messages, body = [], b""
        while not messages or messages[-1].get("more_body"):
            messages.append(await receive())
            body += messages[-1].get("body", b"")
        if b'"isOnlineMeeting"' in body or b'"transactionId"' in body:
            code = {429: "TooManyRequests", 503: "ServiceUnavailable"}.get(self.status, "InternalServerError")
            payload = json.dumps({"error": {"code": code, "message": "try again later"}}).encode()
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": payload})
            return None
        replay = iter(messages)
        return await self.app(scope, lambda: _next(replay), send)


async def _next(replay: Any) -> dict[str, Any]:
    return next(replay, {"type": "http.disconnect"})


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_write_without_its_documented_answer_never_passes_the_check_that_reads_it_back(tmp_path: Path,
                                                                                          status: int):
    app, personas, token_path = emulator_app()
    with serve(RefusesNoOpPatches(app, status)) as root:
        config = write_persona_config(tmp_path / "p.toml", personas, f"{root}{token_path}")
        done = subprocess.run(
            [sys.executable, "-m", "graphcal.cli", "run", "--target", f"url:{root}/v1.0", "--persona-config",
             str(config), "--report-dir", str(tmp_path / "out"), "--",
             *(f"{SUITE}::{name}" for name in SCENARIOS.values())],
            cwd=PROJECT, capture_output=True, text=True, timeout=300)
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    verdicts = {(s["name"], inv["id"]): inv for s in results["scenarios"] for inv in s["invariants"]}
    stopped = "blocked" if status == 500 else "transient"  # 429/503 are retried, then undecided
    for inv_id, scenario in SCENARIOS.items():
        entry = verdicts[(scenario, inv_id)]
        assert entry["verdict"] == stopped, (inv_id, entry)
    # the step says why: the write's answer was not its documented one
    steps = [st for s in results["scenarios"] for st in s["steps"] if st["status"] == stopped]
    reasons = [st["reason"] for st in steps]
    if status == 500:
        assert len(reasons) == 2 and all(f"-> {status} " in r and ", not the documented 200" in r
                                         for r in reasons), reasons
        assert done.returncode == 1  # a blocked step fails the scenario: the run says it could not check
    else:
        assert len(reasons) == 2 and all(str(status) in r for r in reasons), reasons
        assert done.returncode == 3  # transient, not the target's failure


def test_a_recovered_write_goes_on_and_an_undone_one_blocks():
    # a DELETE whose answer was lost and whose repeat got 404 did delete: the read-backs that
    # follow may run (only the lost answer's own status is transient); a plain 404 blocks them
    import httpx

    from graphcal.scenario import Blocked
    from tests.harness.test_harness_scenario import graph_for

    g = graph_for(lambda request: httpx.Response(404, json={"error": {"code": "ErrorItemNotFound", "message": "gone"}}))
    with g.step("1: delete") as s:
        r = g.persona("organizer").delete("/me/events/x")
        r.recovered = "the DELETE was repeated after a lost answer; its 404 means the first attempt deleted it"
        assert s.require_status(r, 204, what="the deletion") is r
    with pytest.raises(Blocked, match="not the documented 204"):
        with g.step("2: delete again") as s:
            s.require_status(g.persona("organizer").delete("/me/events/x"), 204, what="the deletion")

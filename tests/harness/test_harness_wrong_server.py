"""The real create-event suite (suites/events) against deliberately wrong servers: the right
invariants fail, with readable evidence, and the run never crashes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from graphcal.personas import write_persona_config
from graphcal.report import SCHEMA_PATH

from tests.harness.harness_support import Html404ForGraph, IgnoresPreferTimezone, emulator_app, run_pytest, serve

ROOT = Path(__file__).resolve().parents[2]
TZ_SCENARIO = "suites/events/test_create_event.py::test_create_event_in_time_zone_with_transaction_id"
# reads its default calendar (step 5.0) before it creates anything
CALENDAR_SCENARIO = "suites/events/test_create_event.py::test_create_event_in_a_specific_calendar"


def run_suite(app, tmp_path: Path):
    _, personas, token_path = emulator_app()
    with serve(app) as root:
        config = write_persona_config(tmp_path / "personas.toml", personas, f"{root}{token_path}")
        result = run_pytest(ROOT, "suites/events/test_create_event.py", "--target", f"url:{root}/v1.0",
                            "--persona-config", str(config), "--report-dir", str(tmp_path / "out"))
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    verdicts = {(s["nodeid"], v["id"]): v for s in results["scenarios"] for v in s["invariants"]}
    return result, results, verdicts


def never_crashed(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert "INTERNALERROR" not in result.stdout + result.stderr
    assert result.ret == 1  # tests failed; not an internal or usage error


def test_a_server_that_ignores_prefer_timezone(tmp_path: Path):
    app, _, _ = emulator_app()
    result, results, verdicts = run_suite(IgnoresPreferTimezone(app), tmp_path)
    never_crashed(result)
    tz = verdicts[(TZ_SCENARIO, "EVT-TZ-1")]
    assert tz["verdict"] == "fail" and "Pacific Standard Time" in tz["message"]
    assert verdicts[(TZ_SCENARIO, "EVT-TZ-4")]["verdict"] == "fail"   # no Preference-Applied
    assert verdicts[(TZ_SCENARIO, "EVT-CREATE-1")]["verdict"] == "pass"
    assert verdicts[(TZ_SCENARIO, "EVT-TXN-1")]["verdict"] == "pass"   # the rest still ran
    failed_ids = {inv for (_, inv), v in verdicts.items() if v["verdict"] in ("fail", "error")}
    assert {i for i in failed_ids if not i.startswith(("EVT-TZ", "EVT-GOLD"))} == set()
    assert "EVT-TZ-1 (MUST) fail in 5 scenarios: Prefer: outlook.timezone returns" in result.stdout
    assert "    test_create_event_in_time_zone_with_transaction_id step 1: start/end not in" in result.stdout
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    evt_tz_1 = summary.index("### EVT-TZ-1 (MUST):")  # one section, the scenarios under it
    assert "Failed in 5 scenario(s)" in summary[evt_tz_1:]
    assert summary.index("#### in `test_create_event_in_time_zone_with_transaction_id`", evt_tz_1) > evt_tz_1
    assert "POST http://graph.target.invalid/v1.0/me/events -> 201" in summary


def test_a_server_that_answers_html_404s(tmp_path: Path):
    app, _, _ = emulator_app()
    result, results, verdicts = run_suite(Html404ForGraph(app), tmp_path)
    never_crashed(result)
    assert {s["status"] for s in results["scenarios"]} == {"failed"}
    for scenario in results["scenarios"]:
        node = scenario["nodeid"]
        first_read = "the default calendar" if node == CALENDAR_SCENARIO else "the created event"
        assert verdicts[(node, "EVT-CREATE-1")]["verdict"] == ("blocked" if node == CALENDAR_SCENARIO else "fail")
        schema = verdicts[(node, "SCHEMA-1")]
        assert schema["verdict"] == "fail" and "not JSON: text/html" in schema["message"]
        assert scenario["steps"][0]["status"] == "blocked"
        assert f"could not get {first_read}" in scenario["steps"][0]["reason"]
        later = [v for (n, _), v in verdicts.items() if n == node and v["step"] is None
                 and v["verdict"] not in ("skipped", "unsupported")]
        assert later and {v["verdict"] for v in later} == {"blocked"}
    assert "<h1>404 Not Found</h1>" in json.dumps(results)  # the raw answer is evidence

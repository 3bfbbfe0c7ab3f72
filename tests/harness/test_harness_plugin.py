"""The pytest plugin end to end, in a throw-away project: record from the emulator, replay
offline with the same verdicts, and one clear line for each thing a user can get wrong."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import jsonschema
import pytest

from graphcal.personas import write_persona_config
from graphcal.report import SCHEMA_PATH

from tests.harness.harness_support import (
    SCENARIO, Html404ForGraph, IgnoresPreferTimezone, Project, emulator_app, serve,
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.with_scenario(tmp_path / "project")


def verdicts(report_dir: Path) -> dict[tuple[str, str], str]:
    """Verdicts by (scenario, invariant) of a run, whose results.json must match its schema."""
    data = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return {(s["nodeid"], v["id"]): v["verdict"] for s in data["scenarios"] for v in s["invariants"]}


def test_record_from_the_emulator_then_replay_offline_with_the_same_verdicts(project: Project):
    recorded = project.run("suites", "--target", "emulator", "--record-mode=rewrite",
                                 "--report-dir", "rec")
    recorded.assert_outcomes(passed=1)
    cassette = project.path / "cassettes" / "events" / "test_create.yaml"
    provenance = json.loads(cassette.with_name("test_create.provenance.json").read_text())
    assert provenance["target"]["kind"] == "emulator" and provenance["graphcal_version"]
    subject = provenance["anchors"]["subject"]
    text = cassette.read_text(encoding="utf-8")
    assert subject in text and "http://graph.target.invalid/v1.0/me/events" in text
    assert "Bearer persona:organizer" in text and "127.0.0.1" not in text

    replayed = project.run("suites", "--report-dir", "rep")  # default target: replay
    replayed.assert_outcomes(passed=1)
    assert "target replay (recorded from emulator)" in replayed.stdout
    before, after = verdicts(project.path / "rec"), verdicts(project.path / "rep")
    assert before == after
    # with pytest-xdist the workers hand their scenarios to the controller, which reports
    parallel = project.run("suites", "-n", "2", "--report-dir", "xdist")
    parallel.assert_outcomes(passed=1)
    assert verdicts(project.path / "xdist") == before
    assert "target replay (recorded from emulator)" in parallel.stdout  # the workers said whose
    assert before[("suites/events/test_scenario.py::test_create", "EVT-TZ-1")] == "pass"


def test_record_mode_once_keeps_an_existing_cassette_and_its_anchors(project: Project):
    project.run("suites", "--target", "emulator", "--record-mode=rewrite").assert_outcomes(passed=1)
    files = sorted((project.path / "cassettes" / "events").iterdir())
    before = {p.name: p.read_text() for p in files}
    project.run("suites", "--target", "emulator", "--record-mode=once").assert_outcomes(passed=1)
    assert {p.name: p.read_text() for p in files} == before


def test_a_poll_that_timed_out_while_recording_times_out_on_replay_too(project: Project):
    project.write("suites/events/test_poll.py", '''
        import pytest
        from graphcal.client import eventually

        @pytest.mark.scenario(feature="events", invariants=["EVT-CREATE-1"])
        def test_poll(graph):
            organizer = graph.persona("organizer")
            with graph.step("1: wait for an event nobody created") as s:
                found = eventually(lambda: organizer.get("/me/events", params={"$filter": "subject eq 'never'"}).body["value"],
                                   deadline_s=0.3, initial_delay_s=0.001, max_delay_s=0.001)
                s.require(found, "the event nobody created")
        ''')
    recorded = project.run("suites/events/test_poll.py", "--target", "emulator", "--record-mode=rewrite",
                           "--report-dir", "rec")
    replayed = project.run("suites/events/test_poll.py", "--report-dir", "rep")
    recorded.assert_outcomes(failed=1)
    replayed.assert_outcomes(failed=1)
    assert verdicts(project.path / "rec") == verdicts(project.path / "rep")
    replayed.assert_line("*step 1 (1: wait for an event nobody created) blocked: could not get the event nobody created*")


def test_replay_blocks_the_network(project: Project):
    project.write('test_net.py', '''
import pytest, socket
@pytest.mark.scenario(feature="events", invariants=[])
def test_net(graph):
    socket.create_connection(("127.0.0.1", 9))
''')
    (project.path / "cassettes" / "events").mkdir(parents=True)
    (project.path / "cassettes" / "events" / "test_net.yaml").write_text("interactions: []\nversion: 1\n")
    (project.path / "cassettes" / "events" / "test_net.provenance.json").write_text(json.dumps(
        {"target": {"kind": "emulator", "profile": "emulator"}, "recorded_at": "x",
         "graphcal_version": "0", "scenario": "x", "cast": {"users": {}, "roles": {}}}))
    result = project.run("test_net.py")
    result.assert_outcomes(failed=1)
    result.assert_line("*Network is disabled*")


def test_missing_cassette_is_one_line_naming_the_fix(project: Project):
    result = project.run("suites")
    result.assert_outcomes(errors=1)
    result.assert_line(
        "no cassette for suites/events/test_scenario.py::test_create: *test_create.yaml is missing; "
        "record it with: pytest 'suites/events/test_scenario.py::test_create' --target emulator "
        "--record-mode=rewrite")
    result.assert_line("scenarios that could not run to the end (1):")  # the summary names it too
    result.assert_line("  test_create: no cassette for suites/events/test_scenario.py::test_create: *")
    assert "Traceback" not in result.stdout


def test_a_scenario_that_changed_since_recording_says_so(project: Project):
    project.run("suites", "--target", "emulator", "--record-mode=rewrite").assert_outcomes(passed=1)
    scenario = project.path / "suites" / "events" / "test_scenario.py"
    scenario.write_text(SCENARIO.replace('"2026-12-01T10:00:00"', '"2026-12-01T09:00:00"'))
    result = project.run("suites")
    result.assert_outcomes(failed=1)
    result.assert_line("*the cassette has no recorded answer for POST "
                                 "http://graph.target.invalid/v1.0/me/events*re-record*"
                                 "--record-mode=rewrite*")


def test_unknown_target_is_a_usage_error(project: Project):
    result = project.run("suites", "--target", "staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: unknown target 'staging'; use one of: emulator, replay, url:<base>, live", stream='stderr')


def test_live_target_says_what_is_not_configured(project: Project):
    result = project.run("suites", "--target", "live")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: the live target is not configured*--target emulator*", stream='stderr')


def test_url_target_needs_a_persona_config(project: Project):
    result = project.run("suites", "--target", "url:http://127.0.0.1:9/v1.0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: --target url:http://127.0.0.1:9/v1.0 needs --persona-config*", stream='stderr')


def test_unreachable_url_is_one_clear_message(project: Project, tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once we leave: nobody listens there
    _, personas, token_path = emulator_app()
    config = write_persona_config(tmp_path / "p.toml", personas, f"http://127.0.0.1:{port}{token_path}")
    result = project.run("suites", "--target", f"url:http://127.0.0.1:{port}/v1.0",
                               "--persona-config", str(config))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line(f"ERROR: cannot reach http://127.0.0.1:{port}/v1.0 (*); start the server or fix "
                       "the URL in --target url:<base>", stream="stderr")
    assert "Traceback" not in result.stdout + result.stderr and "_pytest" not in result.stdout


def run_against(project: Project, app, tmp_path: Path, token_path: str, personas, *extra: str):
    with serve(app) as root:
        config = write_persona_config(tmp_path / "p.toml", personas, f"{root}{token_path}",
                                profile=None)
        return project.run("suites", "--target", f"url:{root}/v1.0", "--persona-config",
                                 str(config), "--report-dir", "out", *extra)


def test_html_404_server_fails_the_right_invariants_readably(project: Project, tmp_path: Path):
    app, personas, token_path = emulator_app()
    result = run_against(project, Html404ForGraph(app), tmp_path, token_path, personas)
    result.assert_outcomes(failed=1)
    out = result.stdout
    assert "Traceback" not in out
    assert "EVT-CREATE-1 fail" in out and "SCHEMA-1 fail" in out and "not JSON: text/html" in out
    assert "step 1 (1: the organizer creates the event) blocked: could not get the created event" in out
    result.assert_line("hint: none of the 1 answers was JSON (text/html); check that --target url:<base> "
                       "is the server's Graph root, e.g. http://127.0.0.1:8765/v1.0")
    got = verdicts(project.path / "out")
    assert got[("suites/events/test_scenario.py::test_create", "EVT-TZ-1")] == "blocked"


def test_server_ignoring_prefer_timezone_fails_evt_tz_1_with_evidence(project: Project, tmp_path: Path):
    app, personas, token_path = emulator_app()
    result = run_against(project, IgnoresPreferTimezone(app), tmp_path, token_path, personas)
    result.assert_outcomes(failed=1)
    got = verdicts(project.path / "out")
    node = "suites/events/test_scenario.py::test_create"
    assert got[(node, "EVT-TZ-1")] == "fail"
    assert got[(node, "EVT-CREATE-1")] == "pass" and got[(node, "SCHEMA-1")] == "pass"
    result.assert_line("  EVT-TZ-1 (MUST) fail in 1 scenario: Prefer: outlook.timezone returns start/end in that zone")
    result.assert_line("    test_create step 1: start/end not in the preferred zone*")
    assert "hint:" not in result.stdout  # the answers were JSON: nothing to say about the URL
    summary = (project.path / "out" / "summary.md").read_text()
    assert "### EVT-TZ-1 (MUST): Prefer: outlook.timezone returns start/end in that zone" in summary
    assert "#### in `test_create`" in summary and "POST http://graph.target.invalid" in summary


def test_a_profile_that_expects_the_failure_keeps_the_test_green(project: Project, tmp_path: Path):
    (project.path / "profiles").mkdir()
    (project.path / "profiles" / "url.toml").write_text(
        '[expected_failures]\n"EVT-TZ-1" = "this mock ignores Prefer: outlook.timezone"\n')
    app, personas, token_path = emulator_app()
    result = run_against(project, IgnoresPreferTimezone(app), tmp_path, token_path, personas)
    result.assert_outcomes(passed=1)
    assert "  EVT-TZ-1 (MUST) fail [expected by profile] in 1 scenario: " in result.stdout


def test_a_check_that_raises_is_an_error_verdict_not_a_crash(project: Project):
    project.write('test_broken.py', '''
import pytest
@pytest.mark.scenario(feature="events", invariants=["EVT-TZ-1"])
def test_broken(graph):
    with graph.step("1: check with nonsense") as s:
        s.check("EVT-TZ-1", 42)          # wrong arguments: the check raises
        s.check("NOT-AN-INVARIANT", 1)
    with graph.step("2: still runs") as s:
        s.require(True, "nothing")
''')
    result = project.run("test_broken.py", "--target", "emulator")
    result.assert_outcomes(failed=1)
    out = result.stdout
    assert "EVT-TZ-1 error: the check raised TypeError" in out
    assert "NOT-AN-INVARIANT error: unknown invariant id" in out
    assert "Traceback" not in out


def test_an_exception_in_scenario_code_stops_it_and_blocks_the_rest(project: Project):
    project.write('test_crash.py', '''
import pytest
@pytest.mark.scenario(feature="events", invariants=["EVT-CREATE-1"])
def test_crash(graph):
    with graph.step("1: read a field of nothing") as s:
        r = graph.persona("organizer").get("/me/events/does-not-exist")
        r.body["value"]["id"]
    raise AssertionError("never reached")
''')
    result = project.run("test_crash.py", "--target", "emulator", "--report-dir", "out")
    result.assert_outcomes(failed=1)
    result.assert_line("*step 1 (1: read a field of nothing) error: *Error: *test_crash.py:7*")
    result.assert_line("scenarios that could not run to the end (1):")  # named in the summary too
    result.assert_line("  test_crash: step 1: *Error: *test_crash.py:7*")
    got = verdicts(project.path / "out")
    assert got[("test_crash.py::test_crash", "EVT-CREATE-1")] == "blocked"


def test_a_profile_file_from_the_mock_teams_own_folder(project: Project, tmp_path: Path):
    """Named by path in the persona config (relative to it) or by --profile; a replay of what
    it recorded is judged by it again when given --profile."""
    mock_repo = tmp_path / "mock-repo"
    (mock_repo / "ci").mkdir(parents=True)
    profile = mock_repo / "ci" / "graphcal-profile.toml"
    profile.write_text('[expected_failures]\n"EVT-TZ-1" = "this mock ignores Prefer: outlook.timezone"\n')
    app, personas, token_path = emulator_app()
    with serve(IgnoresPreferTimezone(app)) as root:
        token_url, target = f"{root}{token_path}", f"url:{root}/v1.0"
        by_config = write_persona_config(mock_repo / "personas.toml", personas, token_url,
                                         profile="ci/graphcal-profile.toml")
        named = project.run("suites", "--target", target, "--persona-config", str(by_config), "--report-dir", "out")
        plain = write_persona_config(tmp_path / "plain.toml", personas, token_url)
        recorded = project.run("suites", "--target", target, "--persona-config", str(plain),
                               "--profile", str(profile), "--record-mode=rewrite")
    named.assert_outcomes(passed=1)
    assert "  EVT-TZ-1 (MUST) fail [expected by profile] in 1 scenario: " in named.stdout
    results = json.loads((project.path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["target"]["profile"] == "graphcal-profile"
    assert {s["profile"] for s in results["scenarios"]} == {"graphcal-profile"}
    recorded.assert_outcomes(passed=1)
    replayed = project.run("suites", "--profile", str(profile))
    replayed.assert_outcomes(passed=1)
    assert "  EVT-TZ-1 (MUST) fail [expected by profile] in 1 scenario: " in replayed.stdout
    project.run("suites").assert_outcomes(failed=1)  # without it, no profiles/graphcal-profile.toml here


def test_a_renamed_feature_key_in_a_profile_is_noted_once_per_run(project: Project, tmp_path: Path):
    # a stand-in rename onto a feature this catalog has, so the test holds whatever the real table says
    project.write("conftest.py", '''
        from graphcal import profiles
        profiles.RENAMED_FEATURES["calendar-events"] = "events"
        ''')
    project.write("suites/events/test_second.py", SCENARIO.replace("def test_create(", "def test_create_again("))
    profile = project.write("old.toml", 'unsupported_features = ["calendar-events"]\n')
    note = (f"note: target profile {profile}: feature 'calendar-events' is now called 'events'; "
            f"read as 'events' (rename it in the file)")
    for extra in ((), ("-n", "2")):
        result = project.run("suites", "--target", "emulator", "--profile", str(profile), *extra)
        result.assert_outcomes(skipped=2)  # the profile does not claim "events": it was read as such
        assert result.stdout.count(note) == 1, result.stdout
        assert "Traceback" not in result.stdout + result.stderr


def test_pytest_recordings_fixtures_are_answered_for_scenarios_only(project: Project):
    """Another test marked vcr keeps pytest-recording's defaults; a scenario's cassette is
    <cassette dir>/<feature>/<test name>.yaml, and a conftest can still override the fixtures."""
    project.write("other/test_plain.py", '''
        import os
        import pytest

        @pytest.mark.vcr
        def test_plain(vcr_cassette_dir, vcr_config):
            assert vcr_cassette_dir == os.path.join(os.path.dirname(__file__), "cassettes", "test_plain")
            assert vcr_config == {}
        ''')
    project.write("suites/events/test_where.py", '''
        import pytest

        @pytest.mark.scenario(feature="events", invariants=[])
        def test_where(graph, graphcal_cassette, vcr_config, request):
            root = request.config.rootpath
            assert graphcal_cassette == root / "elsewhere" / "events" / "test_where.yaml"
            assert vcr_config["match_on"][-2:] == ("graphcal_persona", "graphcal_json_body")
            assert vcr_config["decode_compressed_response"] is True
        ''')
    project.run("other", "suites/events/test_where.py", "--target", "emulator", "--record-mode=rewrite",
                "--cassette-dir", "elsewhere").assert_outcomes(passed=2)
    assert (project.path / "elsewhere" / "events" / "test_where.provenance.json").exists()
    project.write("suites/conftest.py", '''
        import pytest

        @pytest.fixture
        def vcr_config(vcr_config):
            return {**vcr_config, "decode_compressed_response": False}
        ''')
    overridden = project.run("suites/events/test_where.py", "--target", "emulator", "--record-mode=rewrite",
                             "--cassette-dir", "elsewhere")
    overridden.assert_outcomes(failed=1)
    overridden.assert_line("*assert False is True*")

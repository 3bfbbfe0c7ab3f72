"""Each mistake a user can make ends in one line that names the fix, never a traceback: through
`graphcal ...` (cli.main, in-process: these all stop before pytest starts) and through
`pytest suites ...` (a subprocess run of a throw-away project)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from graphcal.cli import main
from graphcal.personas import write_persona_config
from graphcal.targets import open_target, parse_target

from tests.harness.harness_support import Project, emulator_app, serve

ROOT = Path(__file__).resolve().parents[2]


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``graphcal argv``: exit 2, nothing on stdout, one ``graphcal: ...`` line on stderr."""
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("graphcal: ") and err.count("\n") == 1, (out, err)
    return err.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed once we leave: nobody listens there


def test_run_with_an_unknown_target(capsys):
    assert "unknown target 'foo'; use one of: emulator, replay, url:<base>, live" in one_line(
        capsys, ["run", "--target", "foo"])


def test_run_live_says_what_is_not_configured(capsys):
    assert "the live target is not configured" in one_line(capsys, ["run", "--target", "live"])


def test_run_url_without_a_persona_config(capsys):
    assert "needs --persona-config <file.toml>" in one_line(
        capsys, ["run", "--target", "url:http://127.0.0.1:9/v1.0"])


def test_run_url_with_a_missing_or_malformed_persona_config(capsys, tmp_path: Path):
    target = ["run", "--target", "url:http://127.0.0.1:9/v1.0", "--persona-config"]
    line = one_line(capsys, [*target, str(tmp_path / "missing.toml")])
    assert "missing.toml does not exist; pass --persona-config" in line
    bad = tmp_path / "bad.toml"
    bad.write_text("users = [", encoding="utf-8")
    assert "bad.toml is not valid TOML" in one_line(capsys, [*target, str(bad)])
    bad.write_text('[users.alex]\nuserPrincipalName = "a@b.c"\n', encoding="utf-8")
    assert "no user has a token, so nobody can sign in" in one_line(capsys, [*target, str(bad)])


def test_run_with_a_profile_file_that_does_not_exist(capsys, tmp_path: Path):
    line = one_line(capsys, ["run", "--target", "emulator", "--profile", str(tmp_path / "nope.toml")])
    assert line.endswith("nope.toml: no such file; give the path of a target profile file "
                         "(TOML, like profiles/emulator.toml)")


def test_run_url_that_nobody_answers(capsys, tmp_path: Path):
    port = free_port()
    config = tmp_path / "p.toml"
    config.write_text('[users.alex]\nuserPrincipalName = "a@b.c"\ntoken = "t0ken"\n', encoding="utf-8")
    line = one_line(capsys, ["run", "--target", f"url:http://127.0.0.1:{port}/v1.0",
                             "--persona-config", str(config)])
    assert f"cannot reach http://127.0.0.1:{port}/v1.0" in line and "start the server" in line


def test_run_with_a_record_mode_typo(capsys):
    line = one_line(capsys, ["run", "--target", "emulator", "--record-mode", "rewrit"])
    assert "unknown --record-mode 'rewrit'; use one of:" in line and "rewrite" in line


def test_diff_and_report_on_files_that_are_not_results(capsys, tmp_path: Path):
    line = one_line(capsys, ["diff", str(tmp_path / "a"), str(tmp_path / "b")])
    assert "does not exist; pass a results.json or the folder of a run" in line
    toml = tmp_path / "pyproject.toml"
    toml.write_text("[project]\n", encoding="utf-8")
    assert "is not JSON" in one_line(capsys, ["report", str(toml)])


def test_schemas_build_on_a_missing_or_non_csdl_file(capsys, tmp_path: Path):
    out = str(tmp_path / "schemas")
    assert "metadata file not found" in one_line(
        capsys, ["schemas", "build", "--metadata", str(tmp_path / "nope.xml"), "--out", out])
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert "is not XML" in one_line(capsys, ["schemas", "build", "--metadata", str(text), "--out", out])


def test_emulator_serve_with_a_missing_seed_or_an_unknown_fault(capsys, tmp_path: Path):
    assert "missing.json" in one_line(capsys, ["emulator", "serve", "--seed", str(tmp_path / "missing.json")])
    assert one_line(capsys, ["emulator", "serve", "--fault", "nope"]) == (
        "graphcal: unknown fault switch(es) nope; `graphcal emulator faults` lists them")
    # a near miss names the closest declared names, not all of them
    line = one_line(capsys, ["emulator", "serve", "--fault", "six-digit-datetime"])
    assert line.endswith("did you mean six-digit-datetimes?") and "respond-200" not in line, line


def test_the_documented_emulator_persona_config_signs_everyone_in(tmp_path: Path):
    """docs/emulator-personas.toml (the README's mock-server example) works as written."""
    app, _, _ = emulator_app()
    text = (ROOT / "docs" / "emulator-personas.toml").read_text(encoding="utf-8")
    assert text.count("http://127.0.0.1:8765/contoso.com/oauth2/v2.0/token") == 4
    with serve(app) as root:
        config = tmp_path / "personas.toml"
        config.write_text(text.replace("http://127.0.0.1:8765", root), encoding="utf-8")
        target = open_target(parse_target(f"url:{root}/v1.0"), str(config))
        try:
            assert sorted(target.tokens) == ["adele", "alex", "christie", "megan"]
            assert target.client("organizer").get("/me").body["userPrincipalName"] == "AlexW@contoso.com"
        finally:
            target.close()


# --- the same mistakes through `pytest suites` -------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project.with_scenario(tmp_path / "project")


def test_pytest_with_a_malformed_persona_config(project: Project, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("users = [", encoding="utf-8")
    result = project.run("suites", "--target", "url:http://127.0.0.1:9/v1.0", "--persona-config", str(bad))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: persona config */bad.toml is not valid TOML: *", stream="stderr")
    assert "Traceback" not in result.stdout + result.stderr


def test_pytest_with_a_profile_file_that_does_not_exist(project: Project, tmp_path: Path):
    result = project.run("suites", "--profile", str(tmp_path / "nope.toml"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: --profile */nope.toml: no such file; *", stream="stderr")


def test_pytest_with_a_wrong_password_names_the_user(project: Project, tmp_path: Path):
    app, personas, token_path = emulator_app()
    with serve(app) as root:
        config = write_persona_config(tmp_path / "p.toml", personas, f"{root}{token_path}")
        config.write_text(config.read_text().replace("adele-emulator-pw", "wrong"))
        result = project.run("suites", "--target", f"url:{root}/v1.0", "--persona-config", str(config),
                             "--report-dir", "out")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_line("ERROR: users.adele in */p.toml: the token endpoint * answered 400 without an "
                       "access_token (*); check the credentials", stream="stderr")
    assert not (project.path / "out").exists()  # no report of a run that never reached its target
    assert "_pytest.outcomes.Exit" not in result.stdout and "Traceback" not in result.stderr


def test_pytest_with_a_profile_that_is_missing_or_names_unknown_invariants(project: Project, tmp_path: Path):
    app, personas, token_path = emulator_app()
    with serve(app) as root:
        config = write_persona_config(tmp_path / "p.toml", personas, f"{root}{token_path}", profile="mymock")
        args = ("suites", "--target", f"url:{root}/v1.0", "--persona-config", str(config))
        missing = project.run(*args)
        project.write("profiles/mymock.toml", '[expected_failures]\n"EVT-TZ-9" = "typo"\n')
        typo = project.run(*args)
    assert missing.ret == typo.ret == pytest.ExitCode.USAGE_ERROR
    missing.assert_line("ERROR: the persona config names profile 'mymock', but */profiles/mymock.toml "
                        "does not exist; *", stream="stderr")
    typo.assert_line("ERROR: target profile */mymock.toml names unknown invariant(s) EVT-TZ-9; "
                     "`graphcal invariants` lists the ids", stream="stderr")


ROOM_SCENARIOS = '''
import pytest

BODY = {"subject": "room check", "start": {"dateTime": "2026-12-01T10:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2026-12-01T11:00:00", "timeZone": "UTC"}}

@pytest.mark.scenario(feature="events", invariants=["EVT-CREATE-1"])
def test_invite_the_room(graph):
    room = {"emailAddress": graph.user("room").email_address(), "type": "resource"}
    with graph.step("1: the organizer books the room") as s:
        s.check("EVT-CREATE-1", graph.persona("organizer").post("/me/events", json={**BODY, "attendees": [room]}))

@pytest.mark.scenario(feature="events", invariants=["EVT-CREATE-1"])
def test_act_as_the_room(graph):
    with graph.step("1: the room creates an event") as s:
        s.check("EVT-CREATE-1", graph.persona("room").post("/me/events", json=BODY))
'''


def test_pytest_with_an_address_only_user_addresses_it_but_cannot_act_as_it(tmp_path: Path):
    project = Project(tmp_path / "project")
    project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
    project.write("suites/events/test_room.py", ROOM_SCENARIOS)
    app, personas, token_path = emulator_app()
    with serve(app) as root:
        config = write_persona_config(tmp_path / "p.toml", personas, f"{root}{token_path}")
        assert "[users.conf]" in config.read_text() and 'room = "conf"' in config.read_text()
        result = project.run("suites", "--target", f"url:{root}/v1.0", "--persona-config", str(config))
    result.assert_outcomes(passed=1, failed=1)
    result.assert_line("  test_act_as_the_room: step 1: role 'room' is Conf Room Adams <Adams@contoso.com>, an address "
                       "only: users.conf in the persona config has no token; give it one (token = ...), "
                       "or map 'room' to a user who signs in (?roles?)")
    assert "Traceback" not in result.stdout + result.stderr

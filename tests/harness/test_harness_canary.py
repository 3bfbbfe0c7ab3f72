"""No secret reaches a cassette or a report: record with canary tokens and look for them."""

from __future__ import annotations

from pathlib import Path

import httpx

from graphcal.personas import write_persona_config

from tests.harness.harness_support import CanaryAuth, Project, emulator_app, serve


def test_recorded_cassettes_and_reports_hold_no_token_or_password(tmp_path: Path):
    app, personas, token_path = emulator_app()
    canaries = {"alex": "CANARY-alex-7f3e9c1d2b", "adele": "CANARY-adele-5a8d0e4f61"}
    gate = CanaryAuth(app, {})
    project = Project.with_scenario(tmp_path / "project")
    with serve(gate) as root:
        real = {}
        for p in personas:
            key = p["displayName"].split()[0].lower()
            if key in canaries:
                real[key] = httpx.post(f"{root}{token_path}", data={
                    "grant_type": "password", "client_id": "graphcal",
                    "username": p["userPrincipalName"], "password": p["password"]}).json()["access_token"]
                gate.tokens[canaries[key]] = real[key]
        # alex and adele sign in with canary tokens; christie and megan with the password grant
        config = write_persona_config(tmp_path / "personas.toml", personas, f"{root}{token_path}",
                                tokens=canaries)
        result = project.run("suites", "--target", f"url:{root}/v1.0", "--persona-config", str(config),
                             "--record-mode=rewrite", "--report-dir", "out")
    result.assert_outcomes(passed=1)
    written = sorted(p for d in ("cassettes", "out") for p in (project.path / d).rglob("*") if p.is_file())
    assert {p.name for p in written} >= {"test_create.yaml", "test_create.provenance.json",
                                         "results.json", "junit.xml", "summary.md", "report.html"}
    cassette = (project.path / "cassettes" / "events" / "test_create.yaml").read_text()
    # the careless server echoed the canary back in a header: it was recorded, scrubbed
    assert "x-echo-authorization" in cassette.lower() and "<scrubbed>" in cassette
    assert "Bearer persona:organizer" in cassette
    secrets = [*canaries.values(), *real.values(),
               *(p["password"] for p in personas if p.get("password"))]
    leaks = [(p.name, s) for p in written for s in secrets if s in p.read_text(errors="replace")]
    leaks += [("console", s) for s in secrets if s in result.stdout + result.stderr]
    assert leaks == []


def test_committed_cassettes_hold_no_secret_and_only_persona_placeholders():
    import re

    from graphcal.emulator.core.seed import DEFAULT_SEED

    root = Path(__file__).resolve().parents[2] / "cassettes"
    secrets = [u["password"] for u in DEFAULT_SEED["users"] if u.get("password")]
    secrets += [a["client_secret"] for a in DEFAULT_SEED.get("apps", [])]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    placeholders = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], path
        assert "127.0.0.1" not in text, path
        # no token-endpoint traffic (a 401's WWW-Authenticate may name the authorize URL)
        assert not re.search(r"(?m)^\s*uri: .*/oauth2/", text) and "access_token" not in text, path
        for value in re.findall(r"(?im)^\s*authorization:\s*\n\s*-\s*(.+)$", text):
            assert re.fullmatch(r"Bearer persona:[a-z0-9_]+", value.strip()), (path, value)
            placeholders += 1
    assert placeholders >= len(files) // 2  # every cassette's requests carry the placeholder

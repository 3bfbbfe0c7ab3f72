"""No secret reaches a cassette or a report: record with canary tokens and look for them."""

from __future__ import annotations

from pathlib import Path

import httpx

from harness_support import CanaryAuth, Project, emulator_app, persona_config, serve


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
        config = persona_config(tmp_path / "personas.toml", personas, f"{root}{token_path}",
                                literal_tokens=canaries)
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

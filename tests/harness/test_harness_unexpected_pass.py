"""An expected failure that passes is an unexpected pass: strict by default (the scenario fails,
`graphcal run` exits 1, the summary lists it), reported only with ``strict = false``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from graphcal.errors import ConfigError
from graphcal.invariants.registry import MUST, Invariant
from graphcal.profiles import Profile, read_profile
from graphcal.results import CheckResult, ScenarioResult, ScenarioStatus, StepResult, Verdict
from graphcal.verdicts import failure_reasons, judge

PROJECT = Path(__file__).resolve().parents[2]
CATALOG = {"T-MUST": Invariant("T-MUST", "a must", "doc.md", "events", MUST)}
SCENARIO = "suites/events/test_create_event.py::test_create_event_in_a_specific_calendar"


def judged(verdict: Verdict, profile: Profile) -> ScenarioResult:
    s = ScenarioResult("suites/x.py::test_x", "test_x", "events", ["T-MUST"])
    step = StepResult(1, "step 1", None)
    step.checks.append(CheckResult("T-MUST", verdict, "said so"))
    s.steps.append(step)
    judge(s, CATALOG, profile)
    return s


def test_a_pass_the_profile_expected_to_fail_fails_the_scenario_unless_not_strict():
    strict = judged(Verdict.PASS, Profile("p", expected_failures={"T-MUST": "known bug"}))
    assert strict.invariants["T-MUST"].unexpected_pass == {"reason": "known bug", "strict": True}
    assert strict.status is ScenarioStatus.FAILED
    assert failure_reasons(strict) == ["T-MUST passed unexpectedly: the target profile expects it "
                                       "to fail (known bug); update the profile"]
    flaky = judged(Verdict.PASS, Profile("p", expected_failures={"T-MUST": "flaky"},
                                         not_strict=frozenset({"T-MUST"})))
    assert flaky.invariants["T-MUST"].unexpected_pass == {"reason": "flaky", "strict": False}
    assert flaky.status is ScenarioStatus.PASSED
    expected = judged(Verdict.FAIL, Profile("p", expected_failures={"T-MUST": "known bug"}))
    assert expected.invariants["T-MUST"].unexpected_pass is None and expected.status is ScenarioStatus.PASSED
    # not observed is not a pass: nothing to say about the expectation
    assert judged(Verdict.SKIPPED, Profile("p", expected_failures={"T-MUST": "x"})).invariants["T-MUST"].unexpected_pass is None


def test_profile_entries_are_a_reason_or_a_table_with_strict(tmp_path: Path):
    path = tmp_path / "mock.toml"
    path.write_text('[expected_failures]\n"A" = "why"\n"B" = { reason = "flaky", strict = false }\n')
    profile = read_profile(path)
    assert profile.expected_failures == {"A": "why", "B": "flaky"} and profile.not_strict == {"B"}
    path.write_text('[expected_failures]\n"B" = { strict = "no" }\n')
    with pytest.raises(ConfigError, match=r'"B" is "why" or \{ reason = "why", strict = false \}'):
        read_profile(path)


@pytest.mark.parametrize("entry, code", [('"because"', 1), ('{ reason = "because", strict = false }', 0)])
def test_graphcal_run_exits_1_on_a_strict_unexpected_pass_and_lists_it(tmp_path: Path, entry: str, code: int):
    profile = tmp_path / "mock.toml"
    profile.write_text(f'[expected_failures]\n"EVT-CREATE-1" = {entry}\n')
    out = subprocess.run([sys.executable, "-m", "graphcal.cli", "run", "--target", "replay",
                          "--profile", str(profile), "--report-dir", str(tmp_path / "r"), "--", SCENARIO],
                         cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert out.returncode == code, out.stdout[-2000:] + out.stderr[-2000:]
    assert "unexpected passes (1; update the target profile):" in out.stdout
    assert "EVT-CREATE-1 in test_create_event_in_a_specific_calendar: expected to fail (because)" in out.stdout
    summary = (tmp_path / "r" / "summary.md").read_text(encoding="utf-8")
    assert "## Unexpected passes" in summary and "EVT-CREATE-1" in summary
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "unexpected pass: the target profile expects it to fail (because)" in html

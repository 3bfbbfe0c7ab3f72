"""Verdict logic: worst wins, QUIRK semantics, declared-but-unchecked, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphcal.errors import ConfigError
from graphcal.invariants.registry import MUST, QUIRK, SHOULD, Invariant, Outcome
from graphcal.profiles import Profile, load_profile
from graphcal.results import (
    CheckResult, ScenarioResult, ScenarioStatus, StepResult, StepStatus, Verdict,
)
from graphcal.verdicts import failure_reasons, judge, verdict_of, worst

CATALOG = {
    "T-MUST": Invariant("T-MUST", "a must", "doc.md", "events", MUST),
    "T-SHOULD": Invariant("T-SHOULD", "a should", "doc.md", "events", SHOULD),
    "T-QUIRK": Invariant("T-QUIRK", "a quirk", "issue#1", "events", QUIRK),
    "T-OTHER": Invariant("T-OTHER", "other feature", "doc.md", "delta", MUST),
}


def scenario(*steps: StepResult, declared=("T-MUST", "T-SHOULD")) -> ScenarioResult:
    s = ScenarioResult("suites/x.py::test_x", "test_x", "events", list(declared))
    s.steps.extend(steps)
    return s


def step(index: int, *checks: tuple[str, Verdict], status=StepStatus.PASSED) -> StepResult:
    st = StepResult(index, f"step {index}", None, status=status)
    st.checks.extend(CheckResult(i, v, f"{i} said {v.value}") for i, v in checks)
    return st


def test_worst_verdict_wins_fail_over_error_over_blocked():
    assert worst([Verdict.PASS, Verdict.FAIL, Verdict.ERROR]) is Verdict.FAIL
    assert worst([Verdict.PASS, Verdict.ERROR, Verdict.BLOCKED]) is Verdict.ERROR
    assert worst([Verdict.PASS, Verdict.QUIRK]) is Verdict.QUIRK
    assert worst([Verdict.SKIPPED, Verdict.PASS]) is Verdict.SKIPPED
    assert worst([]) is None


def test_quirk_present_while_its_check_passes_fixed_when_it_fails():
    assert verdict_of(QUIRK, Outcome.ok()) == (Verdict.QUIRK, "present")
    assert verdict_of(QUIRK, Outcome.fail("behaves as documented")) == (Verdict.PASS, "fixed")
    assert verdict_of(MUST, Outcome.fail("x")) == (Verdict.FAIL, None)
    assert verdict_of(SHOULD, Outcome.ok()) == (Verdict.PASS, None)


def test_an_invariant_checked_twice_takes_its_worst_verdict_and_the_step_that_decided():
    s = scenario(step(1, ("T-MUST", Verdict.PASS)), step(2, ("T-MUST", Verdict.FAIL)),
                 step(3, ("T-MUST", Verdict.PASS), ("T-SHOULD", Verdict.PASS)))
    judge(s, CATALOG, Profile("p"))
    assert s.invariants["T-MUST"].verdict is Verdict.FAIL and s.invariants["T-MUST"].step == 2
    assert s.status is ScenarioStatus.FAILED
    assert failure_reasons(s) == ["T-MUST fail: T-MUST said fail (step 2)"]


def test_should_failures_are_reported_not_failed():
    s = scenario(step(1, ("T-MUST", Verdict.PASS), ("T-SHOULD", Verdict.FAIL)))
    judge(s, CATALOG, Profile("p"))
    assert s.invariants["T-SHOULD"].verdict is Verdict.FAIL
    assert s.status is ScenarioStatus.PASSED and failure_reasons(s) == []


def test_must_error_fails_the_test():
    s = scenario(step(1, ("T-MUST", Verdict.ERROR), ("T-SHOULD", Verdict.PASS)))
    judge(s, CATALOG, Profile("p"))
    assert s.status is ScenarioStatus.FAILED


def test_declared_but_unchecked_is_blocked_after_a_stop_and_skipped_otherwise():
    blocked = scenario(step(1, ("T-SHOULD", Verdict.PASS), status=StepStatus.BLOCKED))
    blocked.steps[0].reason = "could not get the event"
    judge(blocked, CATALOG, Profile("p"))
    assert blocked.invariants["T-MUST"].verdict is Verdict.BLOCKED
    assert "stopped at step 1" in blocked.invariants["T-MUST"].message
    assert blocked.status is ScenarioStatus.FAILED  # a blocked step fails the test
    assert "could not get the event" in failure_reasons(blocked)[0]

    quiet = scenario(step(1, ("T-SHOULD", Verdict.PASS)))
    judge(quiet, CATALOG, Profile("p"))
    assert quiet.invariants["T-MUST"].verdict is Verdict.SKIPPED
    assert quiet.status is ScenarioStatus.PASSED


def test_unknown_invariant_ids_are_errors():
    s = scenario(step(1, ("T-MUST", Verdict.PASS)), declared=("T-MUST", "NOPE-1"))
    judge(s, CATALOG, Profile("p"))
    assert s.invariants["NOPE-1"].verdict is Verdict.ERROR
    assert "graphcal invariants" in s.invariants["NOPE-1"].message
    assert s.status is ScenarioStatus.FAILED


def test_profile_unsupported_features_and_expected_failures():
    profile = Profile("mock", unsupported_features=frozenset({"delta"}),
                      expected_failures={"T-MUST": "the mock answers 200 to creates"})
    s = scenario(step(1, ("T-MUST", Verdict.FAIL), ("T-OTHER", Verdict.FAIL)),
                 declared=("T-MUST", "T-OTHER"))
    judge(s, CATALOG, profile)
    assert s.invariants["T-OTHER"].verdict is Verdict.UNSUPPORTED
    assert s.invariants["T-MUST"].verdict is Verdict.FAIL
    assert s.invariants["T-MUST"].expected_failure == "the mock answers 200 to creates"
    assert s.status is ScenarioStatus.PASSED and failure_reasons(s) == []


def test_skipped_scenarios_mark_their_invariants_skipped():
    s = scenario()
    judge(s, CATALOG, Profile("p"), skipped_reason="not today")
    assert {v.verdict for v in s.invariants.values()} == {Verdict.SKIPPED}
    assert s.status is ScenarioStatus.SKIPPED


def test_load_profile(tmp_path: Path):
    (tmp_path / "mock.toml").write_text(
        'unsupported_features = ["delta"]\nunsupported_invariants = ["T-X"]\n'
        '[expected_failures]\n"T-MUST" = "known"\n', encoding="utf-8")
    p = load_profile("mock", tmp_path)
    assert p.unsupported_features == {"delta"} and p.expected_failures == {"T-MUST": "known"}
    assert not p.claims(CATALOG["T-OTHER"]) and p.claims(CATALOG["T-MUST"])
    assert load_profile("absent", tmp_path).claims(CATALOG["T-OTHER"])
    (tmp_path / "bad.toml").write_text("unsupported_features = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml is not valid TOML"):
        load_profile("bad", tmp_path)


def test_the_committed_emulator_profile_loads():
    root = Path(__file__).resolve().parents[2]
    assert load_profile("emulator", root / "profiles").path is not None

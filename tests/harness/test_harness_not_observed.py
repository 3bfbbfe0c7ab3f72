"""A check that could not see its claim is never a pass: Outcome.not_observed -> verdict skipped,
unless another check of the same invariant in the scenario observed it (then that one decides)."""

from __future__ import annotations

from graphcal.invariants.registry import MUST, QUIRK, Invariant, Outcome
from graphcal.profiles import Profile
from graphcal.results import CheckResult, ScenarioResult, ScenarioStatus, StepResult, Verdict
from graphcal.verdicts import judge, verdict_of

CATALOG = {"T-MUST": Invariant("T-MUST", "a must", "doc.md", "events", MUST)}


def judged(*verdicts: Verdict) -> ScenarioResult:
    s = ScenarioResult("suites/x.py::test_x", "test_x", "events", ["T-MUST"])
    for i, v in enumerate(verdicts, 1):
        step = StepResult(i, f"step {i}", None)
        step.checks.append(CheckResult("T-MUST", v, f"check {i} said {v.value}"))
        s.steps.append(step)
    judge(s, CATALOG, Profile("p"))
    return s


def test_not_observed_is_skipped_whatever_the_severity():
    outcome = Outcome.not_observed("the request sets it")
    assert not outcome.observed and outcome.message == "the request sets it"
    assert verdict_of(MUST, outcome) == (Verdict.SKIPPED, None)
    assert verdict_of(QUIRK, outcome) == (Verdict.SKIPPED, None)  # not "quirk present" either
    assert Outcome.ok().observed and Outcome.fail("x").observed


def test_only_not_observed_checks_make_the_invariant_skipped_with_their_reason():
    s = judged(Verdict.SKIPPED, Verdict.SKIPPED)
    v = s.invariants["T-MUST"]
    assert v.verdict is Verdict.SKIPPED and v.message == "check 1 said skipped"
    assert s.status is ScenarioStatus.PASSED  # nothing failed; the report shows the lost coverage


def test_an_observing_check_decides_over_not_observed_ones():
    assert judged(Verdict.SKIPPED, Verdict.PASS).invariants["T-MUST"].verdict is Verdict.PASS
    assert judged(Verdict.PASS, Verdict.SKIPPED).invariants["T-MUST"].step == 1
    s = judged(Verdict.SKIPPED, Verdict.FAIL, Verdict.PASS)
    assert s.invariants["T-MUST"].verdict is Verdict.FAIL and s.status is ScenarioStatus.FAILED

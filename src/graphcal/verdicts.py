"""The verdict logic: how check outcomes become one verdict per invariant, and when a
scenario fails in pytest.

An invariant checked more than once takes its worst verdict. QUIRK invariants describe a known
service deviation: their check passes while the quirk is present. A passing QUIRK check is
verdict ``quirk`` (still present); a failing one is ``pass`` with ``quirk: "fixed"`` (the target
behaves as documented). A target profile (``graphcal.profiles``) says which invariants are
``unsupported`` and which failures are expected.
"""

from __future__ import annotations

from typing import Iterable

from graphcal.invariants.registry import Invariant, Outcome, Severity
from graphcal.profiles import Profile
from graphcal.results import (
    STOPPED, CheckResult, InvariantVerdict, ScenarioResult, ScenarioStatus, StepResult, StepStatus,
    Verdict,
)

# Worst wins. A definite fail outranks a harness error: an error in a later check must not
# hide a failure the target already showed.
# A transient check outranks a pass (what was not observed is not passed) and yields to what
# the target did show.
_RANK = {Verdict.PASS: 0, Verdict.SKIPPED: 1, Verdict.UNSUPPORTED: 2, Verdict.QUIRK: 3,
         Verdict.TRANSIENT: 4, Verdict.BLOCKED: 5, Verdict.ERROR: 6, Verdict.FAIL: 7}


def worst(verdicts: Iterable[Verdict]) -> Verdict | None:
    ranked = sorted(verdicts, key=_RANK.__getitem__)
    return ranked[-1] if ranked else None


def verdict_of(severity: Severity, outcome: Outcome) -> tuple[Verdict, str | None]:
    """(verdict, quirk state) for one check outcome; an outcome that did not observe its claim
    is ``skipped`` whatever the severity."""
    if not outcome.observed:
        return Verdict.SKIPPED, None
    if severity is Severity.QUIRK:
        return (Verdict.QUIRK, "present") if outcome.passed else (Verdict.PASS, "fixed")
    return (Verdict.PASS, None) if outcome.passed else (Verdict.FAIL, None)


def breaks_the_test(v: InvariantVerdict) -> bool:
    """A MUST invariant that failed or errored, and the profile does not expect it."""
    return (v.severity == Severity.MUST.value and v.verdict in (Verdict.FAIL, Verdict.ERROR)
            and v.expected_failure is None)


def judge(scenario: ScenarioResult, catalog: dict[str, Invariant], profile: Profile,
          *, skipped_reason: str | None = None) -> None:
    """Fill ``scenario.invariants`` (one verdict per declared or checked invariant) and status."""
    by_id: dict[str, list[tuple[StepResult | None, CheckResult]]] = {}
    for step in scenario.steps:
        for check in step.checks:
            by_id.setdefault(check.invariant, []).append((step, check))
    ids = list(dict.fromkeys([*scenario.declared, *by_id]))
    stopped_at = next((s for s in scenario.steps if s.status in STOPPED), None)
    scenario.invariants = {}
    for inv_id in ids:
        inv = catalog.get(inv_id)
        meta = dict(title=inv.title if inv else "(not in the catalog)",
                    severity=(inv.severity.value if inv else Severity.MUST.value),
                    feature=inv.feature if inv else scenario.feature,
                    source=inv.source if inv else "")
        checks = by_id.get(inv_id, [])
        if inv is None:
            verdict, message, step_index, quirk = (
                Verdict.ERROR, f"unknown invariant id {inv_id}; `graphcal invariants` lists them",
                None, None)
        elif not profile.claims(inv):
            verdict, message, step_index, quirk = (
                Verdict.UNSUPPORTED, f"target profile {profile.name!r} does not claim this",
                None, None)
        elif checks:
            # a check that did not observe the claim (skipped) decides only if none did
            observed = [sc for sc in checks if sc[1].verdict is not Verdict.SKIPPED] or checks
            decisive_step, decisive = max(observed, key=lambda sc: _RANK[sc[1].verdict])
            verdict, message, quirk = decisive.verdict, decisive.message, decisive.quirk
            step_index = decisive_step.index if decisive_step else None
        elif skipped_reason is not None:
            verdict, message, step_index, quirk = Verdict.SKIPPED, skipped_reason, None, None
        elif stopped_at is not None and stopped_at.status is StepStatus.TRANSIENT:
            verdict, message, step_index, quirk = (
                Verdict.TRANSIENT, f"not checked: step {stopped_at.index} ({stopped_at.title}) "
                f"could not complete: {stopped_at.reason}", stopped_at.index, None)
        elif stopped_at is not None or scenario.status is ScenarioStatus.ERROR:
            where = (f"step {stopped_at.index} ({stopped_at.title})" if stopped_at
                     else "an error before its steps")
            verdict, message, step_index, quirk = (
                Verdict.BLOCKED, f"not checked: the scenario stopped at {where}", None, None)
        else:
            verdict, message, step_index, quirk = (
                Verdict.SKIPPED, "declared by the scenario but not checked on this run", None, None)
        expected = profile.expected_failures.get(inv_id) if verdict in (Verdict.FAIL, Verdict.ERROR) else None
        unexpected = ({"reason": profile.expected_failures[inv_id], "strict": inv_id not in profile.not_strict}
                      if verdict is Verdict.PASS and inv_id in profile.expected_failures else None)
        scenario.invariants[inv_id] = InvariantVerdict(inv_id, verdict=verdict, message=message,
                                                       step=step_index, expected_failure=expected,
                                                       quirk=quirk, unexpected_pass=unexpected, **meta)
    if skipped_reason is not None:
        scenario.status = ScenarioStatus.SKIPPED
        scenario.error = scenario.error or skipped_reason
    elif scenario.status is not ScenarioStatus.ERROR:
        scenario.status = (ScenarioStatus.FAILED if failure_reasons(scenario)
                           else ScenarioStatus.TRANSIENT if transient_reasons(scenario)
                           else ScenarioStatus.PASSED)


def failure_reasons(scenario: ScenarioResult) -> list[str]:
    """Why pytest should fail this scenario: MUST fails/errors not expected by the profile, and
    a step that could not proceed (unless the profile expects a failure that explains it)."""
    reasons = [f"{v.id} {v.verdict.value}: {v.message}" + (f" (step {v.step})" if v.step else "")
               for v in scenario.invariants.values() if breaks_the_test(v)]
    reasons += [f"{v.id} passed unexpectedly: the target profile expects it to fail "
                f"({v.unexpected_pass['reason']}); update the profile"
                for v in scenario.invariants.values() if v.unexpected_pass and v.unexpected_pass["strict"]]
    expected_any = any(v.expected_failure for v in scenario.invariants.values())
    for step in scenario.steps:
        if step.status is StepStatus.ERROR or (step.status is StepStatus.BLOCKED and not expected_any):
            reasons.append(f"step {step.index} ({step.title}) {step.status.value}: {step.reason}")
    if scenario.error and scenario.status is ScenarioStatus.ERROR:
        reasons.append(scenario.error)
    return reasons


def transient_reasons(scenario: ScenarioResult) -> list[str]:
    """What this run could not decide because the target was throttling or dropping
    connections: transient steps, and invariants whose deciding check met a lost answer.
    A scenario with failure reasons fails; with only these it is reported transient."""
    reasons = [f"step {s.index} ({s.title}): {s.reason}" for s in scenario.steps
               if s.status is StepStatus.TRANSIENT]
    if not reasons:
        reasons = [f"{v.id} transient: {v.message}" for v in scenario.invariants.values()
                   if v.verdict is Verdict.TRANSIENT][:3]
    return reasons

"""The results model and the verdict logic.

A run holds scenarios; a scenario holds steps (each with the HTTP exchanges it made and the
checks it ran) and one verdict per invariant. An invariant checked more than once takes its
worst verdict. A target profile (``profiles/<name>.toml``) says which features the target does
not claim (their invariants are ``unsupported``) and which failures are expected.

QUIRK invariants describe a known service deviation: their check passes while the quirk is
present. A passing QUIRK check is verdict ``quirk`` (still present); a failing one is ``pass``
with ``quirk: "fixed"`` (the target behaves as documented).
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from graphcal.errors import ConfigError
from graphcal.invariants.registry import Invariant, Outcome, Severity

RESULTS_FORMAT = "graphcal-results/1"


class Verdict(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    UNSUPPORTED = "unsupported"
    QUIRK = "quirk"
    BLOCKED = "blocked"
    SKIPPED = "skipped"
    ERROR = "error"


# Worst wins. A definite fail outranks a harness error: an error in a later check must not
# hide a failure the target already showed.
_RANK = {Verdict.PASS: 0, Verdict.SKIPPED: 1, Verdict.UNSUPPORTED: 2, Verdict.QUIRK: 3,
         Verdict.BLOCKED: 4, Verdict.ERROR: 5, Verdict.FAIL: 6}


def worst(verdicts: Iterable[Verdict]) -> Verdict | None:
    ranked = sorted(verdicts, key=_RANK.__getitem__)
    return ranked[-1] if ranked else None


def verdict_of(severity: Severity, outcome: Outcome) -> tuple[Verdict, str | None]:
    """(verdict, quirk state) for one check outcome."""
    if severity is Severity.QUIRK:
        return (Verdict.QUIRK, "present") if outcome.passed else (Verdict.PASS, "fixed")
    return (Verdict.PASS, None) if outcome.passed else (Verdict.FAIL, None)


# --- profiles -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    unsupported_features: frozenset[str] = frozenset()
    unsupported_invariants: frozenset[str] = frozenset()
    expected_failures: dict[str, str] = field(default_factory=dict)  # invariant id -> why
    path: str | None = None

    def claims(self, inv: Invariant) -> bool:
        return inv.feature not in self.unsupported_features and inv.id not in self.unsupported_invariants

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path,
                "unsupported_features": sorted(self.unsupported_features),
                "unsupported_invariants": sorted(self.unsupported_invariants),
                "expected_failures": dict(sorted(self.expected_failures.items()))}


def load_profile(name: str, directory: Path) -> Profile:
    """``<directory>/<name>.toml``; a target without a profile file claims everything."""
    if not name:
        return Profile("")
    path = directory / f"{name}.toml"
    if not path.exists():
        return Profile(name)
    return read_profile(path)


def read_profile(path: Path) -> Profile:
    """A profile file (it exists), named by its stem: ``ci/mymock.toml`` is profile ``mymock``."""
    name = path.stem
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"target profile {path} is not valid TOML: {exc}") from None
    expected = data.get("expected_failures", {})
    if not isinstance(expected, dict):
        raise ConfigError(f"{path}: [expected_failures] maps invariant ids to a reason")
    return Profile(name, data.get("description", ""),
                   frozenset(data.get("unsupported_features", [])),
                   frozenset(data.get("unsupported_invariants", [])),
                   {str(k): str(v) for k, v in expected.items()}, str(path))


def check_profile(profile: Profile, catalog: Mapping[str, Invariant]) -> None:
    """A profile that names an invariant or feature the catalog lacks is a typo: say so."""
    features = {inv.feature for inv in catalog.values()}
    unknown = sorted((profile.unsupported_invariants | set(profile.expected_failures)) - set(catalog))
    if unknown:
        raise ConfigError(f"target profile {profile.path or profile.name} names unknown invariant(s) "
                          f"{', '.join(unknown)}; `graphcal invariants` lists the ids")
    if profile.unsupported_features - features:
        raise ConfigError(f"target profile {profile.path or profile.name} names unknown feature(s) "
                          f"{', '.join(sorted(profile.unsupported_features - features))}; "
                          f"the features are: {', '.join(sorted(features))}")


# --- the model ------------------------------------------------------------------------------

@dataclass
class Exchange:
    """One HTTP request and its answer, as evidence (canonical host, no secrets)."""

    persona: str
    request: dict[str, Any]
    status: int
    headers: dict[str, str]
    body: Any
    json_error: str | None
    text: str | None  # the raw answer, kept only when it was not JSON
    elapsed_ms: float

    def summary(self) -> str:
        line = f"{self.request['method']} {self.request['url']} -> {self.status}"
        return f"{line} ({self.json_error})" if self.json_error else line

    def to_json(self) -> dict[str, Any]:
        return {"persona": self.persona, "request": self.request,
                "response": {"status": self.status, "headers": self.headers, "body": self.body,
                             "json_error": self.json_error, "text": self.text},
                "elapsed_ms": round(self.elapsed_ms, 3)}


@dataclass
class CheckResult:
    invariant: str
    verdict: Verdict
    message: str = ""
    expected: Any = None
    actual: Any = None
    diff: str | None = None
    exchange: int | None = None  # index into the step's exchanges: the evidence
    quirk: str | None = None      # "present" | "fixed" for QUIRK invariants

    def to_json(self) -> dict[str, Any]:
        return {"invariant": self.invariant, "verdict": self.verdict.value, "message": self.message,
                "expected": self.expected, "actual": self.actual, "diff": self.diff,
                "exchange": self.exchange, "quirk": self.quirk}


class StepStatus(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"    # ran to the end; a check failed
    BLOCKED = "blocked"  # could not proceed (a require failed); the rest did not run
    ERROR = "error"      # the scenario code raised


@dataclass
class StepResult:
    index: int
    title: str
    source: str | None
    status: StepStatus = StepStatus.PASSED
    reason: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    primary: int | None = None  # the exchange the scenario named with s.response()

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "title": self.title, "source": self.source,
                "status": self.status.value, "reason": self.reason, "primary": self.primary,
                "exchanges": [e.to_json() for e in self.exchanges],
                "checks": [c.to_json() for c in self.checks]}


@dataclass
class DocDeviation:
    """A defect of the documentation itself, reported apart from target failures."""

    golden: str
    provenance: Any
    message: str
    step: int | None

    def to_json(self) -> dict[str, Any]:
        return {"golden": self.golden, "provenance": self.provenance, "message": self.message,
                "step": self.step}


@dataclass
class InvariantVerdict:
    id: str
    title: str
    severity: str
    feature: str
    source: str
    verdict: Verdict
    message: str = ""
    step: int | None = None            # where the deciding check ran
    expected_failure: str | None = None  # the profile's reason, when it expects this failure
    quirk: str | None = None

    @property
    def breaks_the_test(self) -> bool:
        return (self.severity == Severity.MUST.value and self.verdict in (Verdict.FAIL, Verdict.ERROR)
                and self.expected_failure is None)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "severity": self.severity,
                "feature": self.feature, "source": self.source, "verdict": self.verdict.value,
                "message": self.message, "step": self.step,
                "expected_failure": self.expected_failure, "quirk": self.quirk}


class ScenarioStatus(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass
class ScenarioResult:
    nodeid: str
    name: str
    feature: str
    declared: list[str]
    cassette: str | None = None
    profile: str = ""
    status: ScenarioStatus = ScenarioStatus.PASSED
    error: str | None = None  # a harness/scenario error, or why the scenario was skipped
    steps: list[StepResult] = field(default_factory=list)
    invariants: dict[str, InvariantVerdict] = field(default_factory=dict)
    doc_deviations: list[DocDeviation] = field(default_factory=list)
    anchors: dict[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0

    def checked_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for step in self.steps:
            for check in step.checks:
                seen.setdefault(check.invariant, None)
        return list(seen)

    @property
    def stopped(self) -> bool:
        return any(s.status in (StepStatus.BLOCKED, StepStatus.ERROR) for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {"nodeid": self.nodeid, "name": self.name, "feature": self.feature,
                "declared": self.declared, "cassette": self.cassette, "profile": self.profile,
                "status": self.status.value, "error": self.error,
                "duration_s": round(self.duration_s, 4), "anchors": self.anchors,
                "steps": [s.to_json() for s in self.steps],
                "invariants": [v.to_json() for v in self.invariants.values()],
                "doc_deviations": [d.to_json() for d in self.doc_deviations]}


@dataclass
class RunResult:
    run_id: str
    started: str
    finished: str
    graphcal_version: str
    target: dict[str, Any]
    record_mode: str
    environment: dict[str, str]
    scenarios: list[ScenarioResult] = field(default_factory=list)
    catalog: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> metadata used
    # scenarios run elsewhere (pytest-xdist workers), already in their JSON form
    received: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        scenarios = [s.to_json() for s in self.scenarios] + self.received
        totals = {v.value: 0 for v in Verdict}
        for scenario in scenarios:
            for inv in scenario["invariants"]:
                totals[inv["verdict"]] += 1
        return {"format": RESULTS_FORMAT, "run_id": self.run_id, "started": self.started,
                "finished": self.finished, "graphcal_version": self.graphcal_version,
                "target": self.target, "record_mode": self.record_mode,
                "environment": self.environment, "totals": totals,
                "catalog": self.catalog, "scenarios": scenarios}


# --- judging --------------------------------------------------------------------------------

def judge(scenario: ScenarioResult, catalog: dict[str, Invariant], profile: Profile,
          *, skipped_reason: str | None = None) -> None:
    """Fill ``scenario.invariants`` (one verdict per declared or checked invariant) and status."""
    by_id: dict[str, list[tuple[StepResult | None, CheckResult]]] = {}
    for step in scenario.steps:
        for check in step.checks:
            by_id.setdefault(check.invariant, []).append((step, check))
    ids = list(dict.fromkeys([*scenario.declared, *by_id]))
    stopped_at = next((s for s in scenario.steps
                       if s.status in (StepStatus.BLOCKED, StepStatus.ERROR)), None)
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
            decisive_step, decisive = max(checks, key=lambda sc: _RANK[sc[1].verdict])
            verdict, message, quirk = decisive.verdict, decisive.message, decisive.quirk
            step_index = decisive_step.index if decisive_step else None
        elif skipped_reason is not None:
            verdict, message, step_index, quirk = Verdict.SKIPPED, skipped_reason, None, None
        elif stopped_at is not None or scenario.status is ScenarioStatus.ERROR:
            where = (f"step {stopped_at.index} ({stopped_at.title})" if stopped_at
                     else "an error before its steps")
            verdict, message, step_index, quirk = (
                Verdict.BLOCKED, f"not checked: the scenario stopped at {where}", None, None)
        else:
            verdict, message, step_index, quirk = (
                Verdict.SKIPPED, "declared by the scenario but not checked on this run", None, None)
        expected = profile.expected_failures.get(inv_id) if verdict in (Verdict.FAIL, Verdict.ERROR) else None
        scenario.invariants[inv_id] = InvariantVerdict(inv_id, verdict=verdict, message=message,
                                                       step=step_index, expected_failure=expected,
                                                       quirk=quirk, **meta)
    if skipped_reason is not None:
        scenario.status = ScenarioStatus.SKIPPED
        scenario.error = scenario.error or skipped_reason
    elif scenario.status is not ScenarioStatus.ERROR:
        scenario.status = ScenarioStatus.FAILED if failure_reasons(scenario) else ScenarioStatus.PASSED


def failure_reasons(scenario: ScenarioResult) -> list[str]:
    """Why pytest should fail this scenario: MUST fails/errors not expected by the profile, and
    a step that could not proceed (unless the profile expects a failure that explains it)."""
    reasons = [f"{v.id} {v.verdict.value}: {v.message}" + (f" (step {v.step})" if v.step else "")
               for v in scenario.invariants.values() if v.breaks_the_test]
    expected_any = any(v.expected_failure for v in scenario.invariants.values())
    for step in scenario.steps:
        if step.status is StepStatus.ERROR or (step.status is StepStatus.BLOCKED and not expected_any):
            reasons.append(f"step {step.index} ({step.title}) {step.status.value}: {step.reason}")
    if scenario.error and scenario.status is ScenarioStatus.ERROR:
        reasons.append(scenario.error)
    return reasons

"""The results model: a run holds scenarios; a scenario holds steps (each with the HTTP
exchanges it made and the checks it ran) and one verdict per invariant. Each class has its
``to_json``, the canonical ``results.json`` form (``report/results.schema.json``).

How verdicts are decided is ``graphcal.verdicts``; what a target claims is ``graphcal.profiles``.
``Verdict`` is the model's vocabulary (like ``StepStatus``), so it lives here: the verdict logic
builds on the model, and the model never imports the logic.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

RESULTS_FORMAT = "graphcal-results/1"


class Verdict(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    UNSUPPORTED = "unsupported"
    QUIRK = "quirk"
    BLOCKED = "blocked"
    SKIPPED = "skipped"
    ERROR = "error"
    # not decided: the target throttled or dropped the connection past the retry budget, or
    # the answer checked was lost (the write recovered by a read-back). Never a target failure.
    TRANSIENT = "transient"


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
    attempts: list[str] = field(default_factory=list)  # what the retries met, in order
    recovered: str | None = None  # this answer stands for a write whose own answer was lost

    def summary(self) -> str:
        line = f"{self.request['method']} {self.request['url']} -> {self.status}"
        if self.recovered:
            line += " (recovered: the write's own answer was lost)"
        return f"{line} ({self.json_error})" if self.json_error else line

    def to_json(self) -> dict[str, Any]:
        return {"persona": self.persona, "request": self.request,
                "response": {"status": self.status, "headers": self.headers, "body": self.body,
                             "json_error": self.json_error, "text": self.text},
                "elapsed_ms": round(self.elapsed_ms, 3),
                "attempts": self.attempts, "recovered": self.recovered}


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
    TRANSIENT = "transient"  # the target stayed throttled/unreachable past the retry budget


STOPPED = (StepStatus.BLOCKED, StepStatus.ERROR, StepStatus.TRANSIENT)  # the rest did not run


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
    notes: list[str] = field(default_factory=list)  # information: what no page states (Step.note)

    def to_json(self) -> dict[str, Any]:
        out = {"index": self.index, "title": self.title, "source": self.source,
               "status": self.status.value, "reason": self.reason, "primary": self.primary,
               "exchanges": [e.to_json() for e in self.exchanges],
               "checks": [c.to_json() for c in self.checks]}
        if self.notes:
            out["notes"] = list(self.notes)
        return out


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
    # the profile expected a failure and it passed: {"reason": the profile's why, "strict": bool}
    unexpected_pass: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "severity": self.severity,
                "feature": self.feature, "source": self.source, "verdict": self.verdict.value,
                "message": self.message, "step": self.step,
                "expected_failure": self.expected_failure, "quirk": self.quirk,
                "unexpected_pass": self.unexpected_pass}


class ScenarioStatus(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"
    TRANSIENT = "transient"  # nothing failed, but some verdicts are transient


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
        return any(s.status in STOPPED for s in self.steps)

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

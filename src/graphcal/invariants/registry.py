"""The invariant catalog: every documented claim the suite checks, under a stable id.

An invariant is a pure check function registered with metadata (schemathesis-style named
checks). Check functions take payloads and return an ``Outcome``; they never do I/O.
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable


class Severity(str, enum.Enum):
    MUST = "MUST"      # the docs state it
    SHOULD = "SHOULD"  # the documented example's shape, compared with a golden payload
    QUIRK = "QUIRK"    # a known service deviation; the check passes while the quirk is present


MUST, SHOULD, QUIRK = Severity.MUST, Severity.SHOULD, Severity.QUIRK


@dataclass(frozen=True)
class Outcome:
    """What one check found. ``passed`` False carries a message and optional evidence."""

    passed: bool
    message: str = ""
    expected: Any = None
    actual: Any = None
    diff: str | None = None  # a rendered, readable diff (see invariants.diffing)
    # False: the check could not see its claim on this input (e.g. a default the request set),
    # so it neither passes nor fails: verdict ``skipped`` unless another check observed it
    observed: bool = True

    @classmethod
    def ok(cls, message: str = "") -> "Outcome":
        return cls(True, message)

    @classmethod
    def not_observed(cls, reason: str) -> "Outcome":
        """The claim was not observable here (``reason`` says why); never a pass."""
        return cls(True, reason, observed=False)

    @classmethod
    def fail(cls, message: str, *, expected: Any = None, actual: Any = None,
             diff: str | None = None) -> "Outcome":
        return cls(False, message, expected, actual, diff)


@dataclass(frozen=True)
class Invariant:
    id: str
    title: str
    source: str     # documentation path (and anchor) the claim comes from
    feature: str    # feature tag, e.g. "events", "scheduling", "recurrence"
    severity: Severity
    explanation: str = ""  # why, and any documented oddity the check accounts for
    check: Callable[..., Outcome] | None = field(default=None, compare=False, repr=False)

    def __call__(self, *args: Any, **kwargs: Any) -> Outcome:
        if self.check is None:
            raise TypeError(f"invariant {self.id} has no check function")
        return self.check(*args, **kwargs)


CATALOG: dict[str, Invariant] = {}


def invariant(id: str, title: str, *, source: str, feature: str, severity: Severity,
              explanation: str = "") -> Callable[[Callable[..., Outcome]], Invariant]:
    """Register a check function as an invariant; the decorated name is the Invariant."""

    def register(fn: Callable[..., Outcome]) -> Invariant:
        if id in CATALOG:
            raise ValueError(f"invariant id {id} is registered twice")
        inv = Invariant(id, title, source, feature, Severity(severity),
                        explanation or inspect.cleandoc(fn.__doc__ or ""), fn)
        CATALOG[id] = inv
        return inv

    return register


def get(invariant_id: str) -> Invariant:
    load_catalog()
    try:
        return CATALOG[invariant_id]
    except KeyError:
        raise KeyError(f"unknown invariant id {invariant_id!r}; `graphcal invariants` lists them") from None


# Modules that register invariants; each feature adds its own module here.
CATALOG_MODULES = (
    "graphcal.invariants.payloads",
    "graphcal.invariants.events",
    "graphcal.invariants.queries",
    "graphcal.invariants.scheduling",
    "graphcal.invariants.recurrence",
)


def load_catalog() -> dict[str, Invariant]:
    """Import every feature module so the catalog is complete; modules not written yet are skipped."""
    import importlib

    for name in CATALOG_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return CATALOG

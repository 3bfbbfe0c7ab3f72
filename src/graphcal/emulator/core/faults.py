"""Fault switches: named misbehaviours a test turns on to prove that an invariant can fail.

A fault is declared once, by the feature that owns it (``Feature.faults``; the core owns the
cross-cutting ones in :data:`CORE_FAULTS`), with a one-line description and the invariant ids
it must make fail. ``app.FAULTS`` collects the declarations; ``create_app`` refuses a name
nobody declared. Reference code reads a switch only through :func:`active`, so
``grep 'active('`` finds every place the reference bends.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

from starlette.requests import Request


@dataclass(frozen=True)
class Fault:
    name: str
    description: str              # one line: what the emulator does wrong
    breaks: tuple[str, ...] = ()  # invariant ids that must fail with this fault on
    no_invariant: str = ""        # why ``breaks`` is empty: no invariant can see this fault yet


@dataclass(frozen=True)
class Declared:
    feature: str
    fault: Fault


CORE_FAULTS: tuple[Fault, ...] = (
    # every feature's error and Prefer answers go through the core: these bend them all
    Fault("no-preference-applied", "responses omit the Preference-Applied header",
          breaks=("EVT-TZ-4",)),
    Fault("error-body-plain", "error responses carry a plain-text body instead of Graph's JSON error",
          breaks=("EVT-DEL-2", "EVT-DEL-3", "PROP-6.3", "REC-EXC-4", "REC-INVALID-1", "SCHEMA-1")),
)

_known: set[str] = set()  # every declared name, filled by declare()


class UnknownFault(ValueError):
    """A fault name nobody declared; the message names the closest declared ones."""


def declare(owners: Iterable[tuple[str, Iterable[Fault]]]) -> dict[str, Declared]:
    """name -> (owning feature, fault) from ``(feature key, faults)`` pairs; a name declared
    twice is a ValueError."""
    out: dict[str, Declared] = {}
    for feature, faults in owners:
        for fault in faults:
            if fault.name in out:
                raise ValueError(f"fault {fault.name!r} is declared by both "
                                 f"{out[fault.name].feature} and {feature}")
            out[fault.name] = Declared(feature, fault)
    _known.update(out)
    return out


def check_names(names: Iterable[str], declared: dict[str, Declared]) -> frozenset[str]:
    """The names as a frozenset; raises :class:`UnknownFault` naming the unknown ones and the
    declared names closest to them."""
    unknown = sorted(set(names) - declared.keys())
    if unknown:
        close = sorted({m for n in unknown for m in difflib.get_close_matches(n, declared, n=3)})
        hint = f"; did you mean {', '.join(close)}?" if close else "; `graphcal emulator faults` lists them"
        raise UnknownFault(f"unknown fault switch(es) {', '.join(unknown)}{hint}")
    return frozenset(names)


def active(source: Request | frozenset[str], name: str) -> bool:
    """Whether fault ``name`` is on, for a request (its app's switches) or a set of switches."""
    assert name in _known, f"fault {name!r} is read but not declared"
    switches = getattr(source.app.state, "faults", frozenset()) if isinstance(source, Request) else source
    return name in switches

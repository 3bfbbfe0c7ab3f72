"""Fault switches: named misbehaviours a test turns on to prove that an invariant can fail.

A fault is declared once, by the feature that owns it (``Feature.faults``; the core owns the
cross-cutting ones in :data:`CORE_FAULTS`), with a one-line description and the invariant ids
it must make fail. ``app.FAULTS`` collects the declarations; ``create_app`` refuses a name
nobody declared.

Two kinds, so the reference code reads as the reference:

- A fault that only bends the output declares a ``transform(request, out)``: it rewrites the
  :class:`Output` (status, JSON body, headers) after the reference built it.
  ``core.output.finish`` is the one place transforms run; every Graph response
  (``routing.json_response``, ``routing.empty_response``, ``errors.error_response``) goes
  through it.
- A fault that changes what the emulator does or stores is read inside the logic, only through
  :func:`active`, so ``grep 'active('`` finds every place the reference bends.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from starlette.requests import Request


@dataclass
class Output:
    """A Graph response before it is rendered."""

    status: int
    body: Any                         # the JSON value; None: no body
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None     # of a JSON body (None: application/json)
    text: str | None = None           # a plain-text body instead of JSON (a transform's doing)


Transform = Callable[[Request, Output], None]


@dataclass(frozen=True)
class Fault:
    name: str
    description: str              # one line: what the emulator does wrong
    breaks: tuple[str, ...] = ()  # invariant ids that must fail with this fault on
    no_invariant: str = ""        # why ``breaks`` is empty: no invariant can see this fault yet
    transform: Transform | None = None  # an output-only fault: rewrites the response


@dataclass(frozen=True)
class Declared:
    feature: str
    fault: Fault


def _drop_preference_applied(request: Request, out: Output) -> None:
    out.headers.pop("Preference-Applied", None)


def _plain_error(request: Request, out: Output) -> None:
    if out.status >= 400 and isinstance(out.body, dict) and "error" in out.body:
        error = out.body["error"]
        out.body, out.text = None, f"{error['code']}: {error['message']}"


CORE_FAULTS: tuple[Fault, ...] = (
    # every feature's error and Prefer answers go through the core: these bend them all
    Fault("no-preference-applied", "responses omit the Preference-Applied header",
          breaks=("EVT-TZ-4",), transform=_drop_preference_applied),
    Fault("error-body-plain", "error responses carry a plain-text body instead of Graph's JSON error",
          breaks=("EVT-DEL-2", "EVT-DEL-3", "PROP-6.3", "REC-EXC-4", "REC-INVALID-1", "SCHEMA-1"),
          transform=_plain_error),
)

_declared: dict[str, Fault] = {}  # every declared fault, by name (see register)


class UnknownFault(ValueError):
    """A fault name nobody declared; the message names the closest declared ones."""


def register(faults: Iterable[Fault]) -> None:
    """Make ``faults`` known to :func:`active` and :func:`bend` (each ``Feature`` registers its
    own when it is made, so a feature module used without the app still reads its switches)."""
    _declared.update((fault.name, fault) for fault in faults)


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
    register(d.fault for d in out.values())
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


def _switches(request: Request) -> frozenset[str]:
    return getattr(request.app.state, "faults", frozenset())


def active(source: Request | frozenset[str], name: str) -> bool:
    """Whether fault ``name`` is on, for a request (its app's switches) or a set of switches."""
    fault = _declared.get(name)
    assert fault is not None and fault.transform is None, f"fault {name!r}: not declared, or a transform"
    return name in (_switches(source) if isinstance(source, Request) else source)


def bend(request: Request, out: Output) -> Output:
    """Apply the transforms of the faults that are on (in name order) to ``out``."""
    for name in sorted(_switches(request)):
        transform = _declared[name].transform
        if transform is not None:
            transform(request, out)
    return out

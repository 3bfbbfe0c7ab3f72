"""Compare a target's payload with a documented one and say, line by line, what differs.

Both sides are normalised first (graphcal.invariants.normalise), then compared with deepdiff.
Each difference renders as one line: ``path: documented <value>, target <value>``.

The documented examples are marked "might be shortened for readability", so by default a key the
target returns and the documentation does not show is not a difference; a key the documentation
shows and the target lacks is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import NotPresent

from graphcal.invariants.normalise import normalise
from graphcal.invariants.registry import Outcome

__all__ = ["MISSING", "Difference", "differences", "render", "compare", "golden_check"]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()  # the side of a difference that has no value at that path

_MAX_VALUE_CHARS = 160


@dataclass(frozen=True)
class Difference:
    path: str       # readable path, e.g. ``attendees[0].emailAddress.address``
    documented: Any
    target: Any

    def __str__(self) -> str:
        return f"{self.path}: documented {_show(self.documented)}, target {_show(self.target)}"


def _show(value: Any) -> str:
    if value is MISSING:
        return "<missing>"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 3] + "..."


def _readable_path(keys: list[Any]) -> str:
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(root)"


def _excluded(path: str, prefixes: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p + ".") or path.startswith(p + "[") for p in prefixes)


def differences(target: Any, documented: Any, *,
                target_roles: Mapping[str, str] | None = None,
                documented_roles: Mapping[str, str] | None = None,
                exclude: Iterable[str] = (),
                allow_extra: bool = True) -> list[Difference]:
    """The differences between two payloads after normalisation, in path order.

    ``exclude`` lists readable paths (``subject``, ``start``, ``attendees[0]``) not to compare,
    e.g. where the documentation is known to be wrong. ``allow_extra`` ignores keys only the
    target has.
    """
    left = normalise(documented, documented_roles)
    right = normalise(target, target_roles)
    # threshold_to_diff_deeper=0: always descend, so a key only the target has is never
    # reported as the whole parent value changing
    tree = DeepDiff(left, right, view="tree", verbose_level=2, threshold_to_diff_deeper=0)
    found: list[Difference] = []
    for report_type, levels in tree.items():
        if allow_extra and report_type == "dictionary_item_added":
            continue
        for level in levels:
            path = _readable_path(level.path(output_format="list"))
            if _excluded(path, exclude):
                continue
            doc = MISSING if isinstance(level.t1, NotPresent) else level.t1
            tgt = MISSING if isinstance(level.t2, NotPresent) else level.t2
            found.append(Difference(path, doc, tgt))
    return sorted(found, key=lambda d: d.path)


def render(diffs: Iterable[Difference]) -> str:
    """One line per difference."""
    return "\n".join(str(d) for d in diffs)


def compare(target: Any, documented: Any, *, what: str = "the documented payload",
            target_roles: Mapping[str, str] | None = None,
            documented_roles: Mapping[str, str] | None = None,
            exclude: Iterable[str] = (), allow_extra: bool = True) -> Outcome:
    """An Outcome: pass when nothing differs, else fail with the rendered diff as evidence."""
    exclude = tuple(exclude)
    diffs = differences(target, documented, target_roles=target_roles,
                        documented_roles=documented_roles, exclude=exclude,
                        allow_extra=allow_extra)
    skipped = f"not compared (documented defects): {', '.join(exclude)}" if exclude else ""
    if not diffs:
        return Outcome.ok(f"matches {what} after normalisation" + (f"; {skipped}" if skipped else ""))
    # the first difference goes in the message, so a one-line summary already says what differs
    more = f" (+{len(diffs) - 1} more)" if len(diffs) > 1 else ""
    return Outcome.fail(f"{len(diffs)} difference(s) from {what}: {diffs[0]}{more}",
                        diff=render(diffs) + (f"\n{skipped}" if skipped else ""))


def golden_check(invariant_id: str, name: str, what: str, *, first_item: bool = False,
                 volatile: tuple[str, ...] = ()) -> Callable[..., Outcome]:
    """The check of a SHOULD invariant comparing a target's payload with golden ``name``.

    The check is ``check(payload, golden, roles=None)``: ``golden`` must be that golden file
    (graphcal.golden.load), ``roles`` maps the target's addresses to roles. Keys the docs do not
    show are allowed; the golden's documentation defects are not compared, nor the ``volatile``
    paths (values that differ on every run). ``first_item`` compares with the first element of a
    documented collection (``value[0]``) instead of the whole answer.
    """

    def check(payload: Any, golden: Any, roles: Mapping[str, str] | None = None) -> Outcome:
        if getattr(golden, "name", None) != name:
            raise ValueError(f"{invariant_id} compares with golden {name!r}, "
                             f"got {getattr(golden, 'name', golden)!r}")
        if not isinstance(payload, dict) or "error" in payload:
            return Outcome.fail(f"the {what} is not a JSON object of the documented kind", actual=payload)
        documented, defects = golden.payload, tuple(golden.defect_paths)
        if first_item:
            documented = documented["value"][0]
            defects = tuple(p.removeprefix("value[0].") for p in defects if p.startswith("value[0]."))
        return compare(payload, documented, what=f"the documented {what} ({name})",
                       target_roles=roles, documented_roles=golden.roles, exclude=defects + volatile)

    return check

"""Target profiles: what a target does not claim and the failures it is known to have.

A profile is ``profiles/<name>.toml`` (or any file named by path)::

    description = "our mock"
    unsupported_features = ["scheduling"]    # their invariants are "unsupported", scenarios skipped
    unsupported_invariants = ["EVT-GOLD-4"]
    [expected_failures]                      # reported, not failed
    "EVT-TZ-1" = "why"                       # strict: if it passes, that is an unexpected pass
    "EVT-TZ-4" = { reason = "why", strict = false }   # flaky: a pass is reported, not failed

An expected failure whose invariant passes is an *unexpected pass* (as pytest's
``xfail(strict=True)``): the scenario fails, so the profile gets updated. ``strict = false``
relaxes this for a check known to be flaky on the target.

A feature key that was renamed (``RENAMED_FEATURES``) is read as its new name, and the profile
carries a one-line note saying so; the plugin prints each note once at the end of the run.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from graphcal.errors import ConfigError
from graphcal.invariants.registry import Invariant

# old feature key -> new one: profiles written before a rename keep working
RENAMED_FEATURES: dict[str, str] = {"proposals": "scheduling"}


@dataclass(frozen=True)
class Profile:
    name: str
    description: str = ""
    unsupported_features: frozenset[str] = frozenset()
    unsupported_invariants: frozenset[str] = frozenset()
    expected_failures: dict[str, str] = field(default_factory=dict)  # invariant id -> why
    path: str | None = None
    notes: tuple[str, ...] = ()  # what the user should know about the file (renamed keys)
    not_strict: frozenset[str] = frozenset()  # expected failures whose pass is not a failure

    def claims(self, inv: Invariant) -> bool:
        return inv.feature not in self.unsupported_features and inv.id not in self.unsupported_invariants

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": self.path,
                "unsupported_features": sorted(self.unsupported_features),
                "unsupported_invariants": sorted(self.unsupported_invariants),
                "expected_failures": dict(sorted(self.expected_failures.items())),
                "not_strict": sorted(self.not_strict)}


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
    features, notes = _renamed(data.get("unsupported_features", []), path)
    reasons, not_strict = {}, set()
    for key, value in expected.items():
        if isinstance(value, dict):
            if not isinstance(value.get("reason"), str) or not isinstance(value.get("strict", True), bool) \
                    or set(value) - {"reason", "strict"}:
                raise ConfigError(f'{path}: [expected_failures] "{key}" is "why" or '
                                  f'{{ reason = "why", strict = false }}')
            if value.get("strict", True) is False:
                not_strict.add(str(key))
            value = value["reason"]
        reasons[str(key)] = str(value)
    return Profile(name, data.get("description", ""), frozenset(features),
                   frozenset(data.get("unsupported_invariants", [])),
                   reasons, str(path), notes, frozenset(not_strict))


def _renamed(features: list[str], path: Path) -> tuple[list[str], tuple[str, ...]]:
    """``features`` with renamed keys replaced by their new name, and one note per rename."""
    notes = tuple(f"target profile {path}: feature {old!r} is now called {RENAMED_FEATURES[old]!r}; "
                  f"read as {RENAMED_FEATURES[old]!r} (rename it in the file)"
                  for old in dict.fromkeys(features) if old in RENAMED_FEATURES)
    return [RENAMED_FEATURES.get(f, f) for f in features], notes


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

"""The emulator's layout: features reach each other only through the core.

Every module under ``emulator/features/<f>/`` may import the core and its own package, never
another feature's; the core imports no feature. Imports are read from the source (ast), so a
function-local import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.emulator.support import lunch
from graphcal.emulator import app as app_module

EMULATOR = Path(app_module.__file__).parent
PACKAGE = "graphcal.emulator"


def imported(path: Path, source: str | None = None) -> set[str]:
    """The absolute module names the module at ``path`` (its text: ``source``, else the file's)
    imports, relative imports resolved."""
    module = ".".join(path.relative_to(EMULATOR.parent.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def foreign_features(path: Path, own: str | None, source: str | None = None) -> list[str]:
    """The other features' modules ``path`` imports (``own``: its feature, None for the core)."""
    prefix = f"{PACKAGE}.features."
    return sorted(name for name in imported(path, source)
                  if name.startswith(prefix) and name[len(prefix):].split(".")[0] != own)


FEATURE_DIRS = sorted(p for p in (EMULATOR / "features").iterdir() if (p / "__init__.py").exists())


def test_every_listed_feature_has_a_package_and_every_package_is_listed() -> None:
    assert [f.key for f in app_module.FEATURES] and \
        sorted(f.key for f in app_module.FEATURES) == [p.name for p in FEATURE_DIRS]


@pytest.mark.parametrize("feature", FEATURE_DIRS, ids=lambda p: p.name)
def test_a_feature_imports_no_other_feature(feature: Path) -> None:
    offenders = {str(m.relative_to(EMULATOR)): foreign_features(m, feature.name)
                 for m in sorted(feature.rglob("*.py"))}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_core_imports_no_feature() -> None:
    offenders = {str(m.relative_to(EMULATOR)): foreign_features(m, None)
                 for m in sorted((EMULATOR / "core").rglob("*.py"))}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_checker_sees_absolute_relative_and_local_imports() -> None:
    # the text of a would-be module of the scheduling package (parsed, never written or imported)
    probe = EMULATOR / "features" / "scheduling" / "_layout_probe.py"
    source = ("from graphcal.emulator.features.events import routes\n"
              "from ..recurrence import expansion\n"
              "from . import mail\n"
              "def f():\n    import graphcal.emulator.features.calendars.routes\n")
    assert foreign_features(probe, "scheduling", source) == [
        "graphcal.emulator.features.calendars.routes",
        "graphcal.emulator.features.events", "graphcal.emulator.features.events.routes",
        "graphcal.emulator.features.recurrence", "graphcal.emulator.features.recurrence.expansion"]


def test_event_writes_are_journalled_in_order(server, alex) -> None:  # noqa: ANN001
    store = server.app.state.store
    assert store.journal == []
    ev = alex.post("me/events", json=lunch()).json()
    alex.patch(f"me/events/{ev['id']}", json={"subject": "Later"})
    alex.delete(f"me/events/{ev['id']}")
    owner = store.user("AlexW@contoso.com").id
    assert [(e.seq, e.change, e.owner_id, e.event_id) for e in store.journal] == [
        (1, "created", owner, ev["id"]), (2, "updated", owner, ev["id"]), (3, "deleted", owner, ev["id"])]

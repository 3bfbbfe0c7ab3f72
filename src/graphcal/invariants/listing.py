"""``graphcal invariants``: the catalog, as a table or as JSON."""

from __future__ import annotations

import json

from graphcal.errors import ConfigError
from graphcal.invariants.registry import load_catalog
from graphcal.profiles import RENAMED_FEATURES


def catalog_rows(feature: str | None = None) -> list[dict[str, str]]:
    catalog = load_catalog()
    rows = [{"id": inv.id, "severity": inv.severity.value, "feature": inv.feature,
             "title": inv.title, "source": inv.source, "explanation": inv.explanation}
            for inv in sorted(catalog.values(), key=lambda i: (i.feature, i.id))
            if feature is None or inv.feature == feature]
    if feature is not None and not rows:
        known = sorted({inv.feature for inv in catalog.values()})
        renamed = RENAMED_FEATURES.get(feature)
        hint = f"; it is now called {renamed!r}" if renamed else ""
        raise ConfigError(f"no invariants have feature {feature!r}{hint}; features: {', '.join(known)}")
    return rows


def invariants_command(feature: str | None, as_json: bool) -> int:
    rows = catalog_rows(feature)
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(r["id"]) for r in rows), default=2)
    for row in rows:
        print(f"{row['id']:<{width}}  {row['severity']:<6}  {row['feature']:<10}  {row['title']}")
        print(f"{'':<{width}}  {'':<6}  {'':<10}  source: {row['source']}")
    severities = {sev: sum(1 for r in rows if r["severity"] == sev) for sev in ("MUST", "SHOULD", "QUIRK")}
    features = sorted({r["feature"] for r in rows})
    print(f"{len(rows)} invariants ("
          + ", ".join(f"{n} {sev}" for sev, n in severities.items() if n)
          + f") in feature(s) {', '.join(features)}"
          + ("" if feature else "; --feature <name> lists one, --json is for tools"))
    return 0

"""Invariants: the named, documented claims the suite checks. See registry.py."""

from graphcal.invariants.registry import (
    CATALOG, MUST, QUIRK, SHOULD, Invariant, Outcome, Severity, get, invariant, load_catalog,
)

__all__ = ["CATALOG", "MUST", "QUIRK", "SHOULD", "Invariant", "Outcome", "Severity", "get",
           "invariant", "load_catalog"]

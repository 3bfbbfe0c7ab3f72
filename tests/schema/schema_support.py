"""Shared by the schema tests: both validators' verdicts on one payload."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graphcal import schema_fast
from graphcal.schema import fast_validator, validate, validator

needs_jsonschema_rs = pytest.mark.skipif(not schema_fast.AVAILABLE, reason="jsonschema-rs cannot be imported here")


def assert_same_verdict(payload: Any, type_name: str, where: str = "") -> bool:
    """The compiled validator (jsonschema-rs) and jsonschema agree on ``payload``; returns the verdict."""
    fast = fast_validator(type_name)
    if fast is None:
        pytest.skip("jsonschema-rs cannot be imported here: no fast path to compare")
    expected = validator(type_name).is_valid(payload)
    shown = json.dumps(payload, ensure_ascii=False, default=str)
    assert fast.is_valid(payload) == expected, (
        f"{where}: jsonschema says {'valid' if expected else 'invalid'} as {type_name}, jsonschema-rs does not: "
        f"{shown[:2000]}"
    )
    return expected


def checked_validate(payload: Any, type_name: str) -> list[Any]:
    """``graphcal.schema.validate``, after checking both validators agree on the payload."""
    if schema_fast.AVAILABLE:
        assert_same_verdict(payload, type_name, "schema test payload")
    return validate(payload, type_name)

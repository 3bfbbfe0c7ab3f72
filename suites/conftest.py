"""Fixtures the scenario suites share (the ``graph`` fixture itself comes from graphcal.plugin)."""

from __future__ import annotations

import copy
from typing import Any, Callable

import pytest

from graphcal import golden
from graphcal.scenario import Graph


@pytest.fixture
def documented_request(graph: Graph) -> Callable[[golden.Golden], dict[str, Any]]:
    """``documented_request(doc)``: the documented example's request body with each documented
    person replaced by the target's user playing the same role (the docs' people, e.g. Samantha
    Booth, are no users of ours)."""

    def played_by_the_target(doc: golden.Golden) -> dict[str, Any]:
        body = copy.deepcopy(doc.request["body"])
        for attendee in body.get("attendees", []):
            role = doc.roles[attendee["emailAddress"]["address"].casefold()]
            attendee["emailAddress"] = graph.user(role).email_address()
        return body

    return played_by_the_target

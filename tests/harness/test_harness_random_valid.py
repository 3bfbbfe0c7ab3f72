"""The suites against the emulator's random-but-schema-valid mode (issue 15): whatever valid data
a target sends, graphcal gives verdicts (fail, blocked...) and never ``error``, which is reserved
for graphcal's own bugs. CI runs three seeds; ``bench/random_valid.py --seeds 20`` runs twenty."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.harness.harness_support import scenario_count

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_random_valid", ROOT / "bench" / "random_valid.py")
assert _spec is not None and _spec.loader is not None
random_valid = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)  # dataclasses look it up
_spec.loader.exec_module(random_valid)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_valid_answers_give_no_error(seed: int, tmp_path: Path) -> None:
    run = random_valid.run_seed(seed, tmp_path)
    assert run.scenarios == scenario_count()
    assert run.errors == [], "\n".join(run.errors)  # verdict, step and scenario errors, tracebacks
    assert run.exit_code == 1  # random data breaks documented claims: scenarios fail, nothing crashes
    assert run.verdicts["fail"] > 0 and run.verdicts["blocked"] > 0


# --- what the random-valid runs found: each fixed, each held here on its own ----------------------

def test_an_id_unusable_as_a_path_segment_blocks_the_step() -> None:
    import httpx
    from graphcal.scenario import Blocked
    from tests.harness.test_harness_scenario import graph_for

    for bad in ("a\nb", "https://example.invalid/v1.0/me/events", "x?y", "#microsoft.graph.event"):
        g = graph_for(lambda req, bad=bad: httpx.Response(201, json={"id": bad}))
        with pytest.raises(Blocked):
            with g.step("1: create") as s:
                s.field(g.persona("organizer").post("/me/events").body, "id", what="the created event")
        assert g.scenario.steps[-1].reason.startswith(f"the created event has no usable 'id' (got {bad!r})")
    g = graph_for(lambda req: httpx.Response(201, json={"id": "AAMkAGI2T-_=\u200b x"}))
    with g.step("1: create") as s:  # odd but a path segment: httpx percent-encodes it
        s.field(g.persona("organizer").post("/me/events").body, "id", what="the created event")


def test_pages_never_follow_a_next_link_off_the_target() -> None:
    import httpx
    from graphcal.client import GraphClient

    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/page2"):
            return httpx.Response(200, json={"value": [{"id": "2"}], "@odata.nextLink": "https://elsewhere.invalid/v1.0/x"})
        return httpx.Response(200, json={"value": [{"id": "1"}], "@odata.nextLink": "http://t.invalid/v1.0/page2"})

    client = GraphClient("http://t.invalid/v1.0", "tok", persona="organizer", transport=httpx.MockTransport(answer))
    assert [p.body["value"][0]["id"] for p in client.pages("/me/events")] == ["1", "2"]
    assert seen == ["http://t.invalid/v1.0/me/events", "http://t.invalid/v1.0/page2"]  # the token went nowhere else
    for link in ("a\nb", "page2", "http://t.invalid/v1.0/page2\n", "http://t.invalid/v1.0x/page2", 7):
        seen.clear()

        def odd(request: httpx.Request, link: object = link) -> httpx.Response:
            seen.append(str(request.url))
            return httpx.Response(200, json={"value": [], "@odata.nextLink": link})

        client = GraphClient("http://t.invalid/v1.0", "tok", persona="organizer", transport=httpx.MockTransport(odd))
        assert len(list(client.pages("/me/events"))) == 1 and len(seen) == 1, link


MASTERS = [  # valid against the event schema, not expandable
    {"id": "m"}, {"id": "m", "recurrence": None, "start": None},
    {"id": "m", "recurrence": {"pattern": {"type": "daily", "interval": 1},
                               "range": {"type": "noEnd", "startDate": "2017-10-01"}},
     "start": {"dateTime": "2017-10-01T12:00:00"}, "end": {"dateTime": "2017-10-01T13:00:00", "timeZone": "UTC"}},
    {"id": "m", "recurrence": {"pattern": {"type": "daily", "interval": 1},
                               "range": {"type": "noEnd", "startDate": "2017-10-01", "recurrenceTimeZone": "Lunch"}},
     "start": {"dateTime": "2017-10-01T12:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2017-10-01T13:00:00", "timeZone": "UTC"}},
]


@pytest.mark.parametrize("master", MASTERS)
@pytest.mark.parametrize("check_id", ["REC-EXP-1", "REC-EXP-2", "REC-EXP-3", "REC-SHAPE-2"])
def test_recurrence_checks_fail_on_a_master_they_cannot_expand(check_id: str, master: dict) -> None:
    from graphcal.invariants.registry import CATALOG, load_catalog

    load_catalog()
    occurrence = {"id": "o", "type": "occurrence", "seriesMasterId": "m", "occurrenceId": "OID.m.2017-10-02",
                  "start": {"dateTime": "2017-10-02T12:00:00", "timeZone": "UTC"},
                  "end": {"dateTime": "2017-10-02T13:00:00", "timeZone": "UTC"}}
    args = ([occurrence], master) if check_id == "REC-SHAPE-2" else \
        ([occurrence], master, "2017-10-01T00:00:00", "2017-10-05T00:00:00")
    outcome = CATALOG[check_id](*args)
    assert not outcome.passed and "cannot be expanded" in outcome.message, outcome


@pytest.mark.parametrize("check_id", ["REC-EXP-1", "REC-SHAPE-2", "REC-SHAPE-1"])
def test_recurrence_checks_fail_on_instances_without_readable_times(check_id: str) -> None:
    from graphcal.invariants.registry import CATALOG, load_catalog

    load_catalog()
    master = MASTERS[2] | {"start": {"dateTime": "2017-10-01T12:00:00", "timeZone": "UTC"}}
    occurrence = {"id": "o", "type": "occurrence", "seriesMasterId": "m", "occurrenceId": "OID.m.2017-10-02",
                  "start": None, "end": {}}
    args = ([occurrence], master) if check_id.startswith("REC-SHAPE") else \
        ([occurrence], master, "2017-10-01T00:00:00", "2017-10-05T00:00:00")
    outcome = CATALOG[check_id](*args)
    # REC-SHAPE-1 claims the type, seriesMasterId and recurrence only: those are right
    assert outcome.passed == (check_id == "REC-SHAPE-1"), outcome


def test_proposal_checks_read_a_null_attendee_as_unanswered_not_a_crash() -> None:
    from graphcal.invariants.registry import CATALOG, load_catalog

    load_catalog()
    outcome = CATALOG["PROP-1.4"]({"attendees": [None, {"status": None}]})
    assert not outcome.passed and "other than none" in outcome.message, outcome


# --- checks that passed on random data with nothing to compare (false passes) --------------------

@pytest.mark.parametrize(("check_id", "args", "reason"), [
    ("EVT-LOC-1", ({"id": "e"},), "neither location nor locations"),
    ("EVT-ONLINE-2", ({"id": "e"},), "isOnlineMeeting is None"),
    ("EVT-ONLINE-2", ({"id": "e", "isOnlineMeeting": None, "onlineMeeting": None},), "isOnlineMeeting is None"),
])
def test_a_claim_over_nothing_observed_fails(check_id: str, args: tuple, reason: str) -> None:
    from graphcal.invariants.registry import CATALOG, load_catalog

    load_catalog()
    outcome = CATALOG[check_id](*args)
    assert not outcome.passed and reason in outcome.message, outcome

"""Fault switches are declared once, by their feature, with what they break; the CLI lists them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphcal.cli import main
from graphcal.emulator.app import FAULTS, FEATURES, create_app
from graphcal.emulator.core import CORE
from graphcal.emulator.core.faults import Fault, UnknownFault, declare
from graphcal.emulator.server import EmulatorServer
from graphcal.invariants.registry import CATALOG, load_catalog

from tests.emulator.support import client, lunch

OWNERS = (CORE, *FEATURES)


def test_every_fault_is_declared_once_with_a_description_and_what_it_breaks() -> None:
    load_catalog()
    names = [fault.name for owner in OWNERS for fault in owner.faults]
    assert len(names) == len(set(names)) == len(FAULTS)  # each declared once
    for owner in OWNERS:
        for fault in owner.faults:
            assert FAULTS[fault.name].feature == owner.key
            assert fault.description.strip() and "\n" not in fault.description, fault
            assert set(fault.breaks) <= CATALOG.keys(), (fault.name, set(fault.breaks) - CATALOG.keys())
            # an invariant it breaks, or the reason none can see it yet: one of the two
            assert bool(fault.breaks) != bool(fault.no_invariant), fault


def test_a_name_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'x' is declared by both a and b"):
        declare([("a", [Fault("x", "one")]), ("b", [Fault("x", "two")])])


def test_create_app_refuses_an_undeclared_fault_and_names_the_closest() -> None:
    with pytest.raises(UnknownFault, match="did you mean respond-200"):
        create_app(faults={"respond-20"})
    assert create_app(faults={"respond-200"}).state.faults == frozenset({"respond-200"})


def test_cli_lists_every_fault_by_feature(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator", "faults"]) == 0
    out = capsys.readouterr().out.splitlines()
    headers = [line for line in out if not line.startswith(" ")]
    assert headers == [f"{o.key} ({len(o.faults)})" for o in OWNERS if o.faults]
    listed = [line.split()[0] for line in out if line.startswith("  ") and line.split()[0] != "breaks:"]
    assert listed == [f.name for o in OWNERS for f in o.faults]


def test_cli_json_carries_the_invariant_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator", "faults", "--json", "--feature", "recurrence"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["feature"] for e in entries} == {"recurrence"} and len(entries) == 21
    for e in entries:
        assert e["breaks"] == list(FAULTS[e["name"]].fault.breaks) and e["description"]


def test_cli_unknown_feature_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator", "faults", "--feature", "schedule"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("graphcal: unknown feature 'schedule'") and "scheduling" in err


EMULATOR = Path(create_app.__code__.co_filename).parent
SOURCES = {p: p.read_text(encoding="utf-8") for p in sorted(EMULATOR.rglob("*.py"))}


def test_a_fault_bends_the_reference_in_one_way_that_grep_finds() -> None:
    """An output-only fault is a transform and is read nowhere; any other is read through
    ``active(..., "name")`` and nothing else."""
    code = "".join(SOURCES.values())
    for name, declared in FAULTS.items():
        read = re.search(rf'active\([\w.]+, "{re.escape(name)}"\)', code) is not None
        assert read != (declared.fault.transform is not None), (name, read)


def test_no_module_tests_a_switch_by_hand() -> None:
    by_hand = re.compile(r'"[a-z0-9-]+" (not )?in [\w.]*faults\b|faults\s*&|\.faults\)?\s*(==|!=)')
    offenders = [f"{p.relative_to(EMULATOR)}:{n}" for p, text in SOURCES.items()
                 for n, line in enumerate(text.splitlines(), 1) if by_hand.search(line)]
    assert offenders == []


def test_transforms_bend_the_output_only_where_they_apply() -> None:
    with EmulatorServer(faults=frozenset({"respond-200"})) as srv, client(srv) as alex:
        ev = alex.post("me/events", json=lunch()).json()
        # respond-200 leaves cancel's 202 alone (cancel-200 is its own switch)
        assert alex.post(f"me/events/{ev['id']}/cancel").status_code == 202
    with EmulatorServer(faults=frozenset({"six-digit-datetimes", "drop-transaction-id"})) as srv, \
            client(srv) as alex:
        ev = alex.post("me/events", json=lunch(transactionId="t-1", attendees=[
            {"emailAddress": {"address": "AdeleV@contoso.com"}, "type": "required"}])).json()
        assert len(ev["start"]["dateTime"]) == len("2017-04-15T19:00:00.000000") and "transactionId" not in ev
        listed = alex.get("me/events").json()["value"][0]
        assert listed["end"]["dateTime"].endswith(".000000") and "transactionId" not in listed
        # the stored event is untouched: a GET renders it again from the store
        store = srv.app.state.store
        stored = store.event(store.user("AlexW@contoso.com").id, ev["id"])
        assert stored.transaction_id == "t-1"

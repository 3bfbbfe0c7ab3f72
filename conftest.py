"""Repository-wide pytest wiring for graphcal's own tests (``tests/``).

The graphcal pytest plugin (options, the ``graph`` fixture) loads by entry point; the scenario
suites' fixtures are in ``suites/conftest.py``. Here: the emulator servers the tests start, one
definition for every folder (tests/emulator/<feature>/, tests/recurrence/, ...). ``tests/`` is a
package tree, so helpers are imported by their package path (``from tests.emulator.support
import client``) and two folders' helpers can never shadow each other, in whatever order pytest
collects the folders.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, ContextManager, Iterator

import httpx
import pytest

from graphcal.emulator.server import EmulatorServer
from tests.emulator.recurrence.recurrence_emulator_http import Mailbox
from graphcal.personas import write_persona_config
from tests.emulator.support import client


@contextlib.contextmanager
def _mailbox_on(faults: frozenset[str] = frozenset()) -> Iterator[Mailbox]:
    with EmulatorServer(faults=faults) as srv:
        box = Mailbox(srv)
        try:
            yield box
        finally:
            box.close()


def _serving() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server_:
        yield server_


# -- servers -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def emulator_url_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorServer, Path]]:
    """An emulator and a persona config for it: run the suites against it as a ``url:`` target
    (fault-proof tests switch ``srv.app.state.faults`` between runs)."""
    with EmulatorServer() as srv:
        config = tmp_path_factory.mktemp("personas") / "personas.toml"
        yield srv, write_persona_config(config, srv.personas, srv.token_url)


@pytest.fixture(scope="session")
def shared_server() -> Iterator[EmulatorServer]:
    """One server for tests that only look at what they create themselves."""
    yield from _serving()


@pytest.fixture(scope="session")
def _resettable_server() -> Iterator[EmulatorServer]:
    yield from _serving()


@pytest.fixture
def server(_resettable_server: EmulatorServer) -> EmulatorServer:
    """A server with empty mailboxes (reset before each test) for tests that count or list."""
    _resettable_server.reset()
    return _resettable_server


@pytest.fixture
def srv() -> Iterator[EmulatorServer]:
    """A fresh emulator of its own for one test."""
    yield from _serving()


# -- signed-in clients -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def alex_shared(shared_server: EmulatorServer) -> Iterator[httpx.Client]:
    with client(shared_server) as c:
        yield c


@pytest.fixture(scope="session")
def _alex_resettable(_resettable_server: EmulatorServer) -> Iterator[httpx.Client]:
    with client(_resettable_server) as c:
        yield c


@pytest.fixture
def alex(server: EmulatorServer, _alex_resettable: httpx.Client) -> httpx.Client:
    """Alex signed in on ``server`` (empty mailboxes)."""
    return _alex_resettable


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    """The organizer on a correct emulator shared by the module's tests (they create their own series)."""
    with _mailbox_on() as box_:
        yield box_


@pytest.fixture
def mailbox_on() -> Callable[[frozenset[str]], ContextManager[Mailbox]]:
    """``with mailbox_on(frozenset({"rec-dst-drift"})) as box:`` the organizer on an emulator
    started with those fault switches on, stopped at the end of the block."""
    return _mailbox_on


@pytest.fixture
def box(srv: EmulatorServer) -> Iterator[Mailbox]:
    """The organizer on ``srv``."""
    mailbox_ = Mailbox(srv)
    yield mailbox_
    mailbox_.close()

"""Fixtures for the recurrence tests: emulators on loopback and their organizer's mailbox.

The helper modules beside this file (``strategies``: Hypothesis strategies of valid series;
``recurrence_emulator_http``: the Mailbox client) are imported by name: with no ``__init__.py``
here, pytest's default (prepend) import mode puts this directory on ``sys.path`` when it loads
this conftest, before any test module of the directory.
"""

from __future__ import annotations

import contextlib
from typing import Callable, ContextManager, Iterator

import pytest
from recurrence_emulator_http import Mailbox

from graphcal.emulator.server import EmulatorServer


@contextlib.contextmanager
def _mailbox_on(faults: frozenset[str] = frozenset()) -> Iterator[Mailbox]:
    with EmulatorServer(faults=faults) as srv:
        box = Mailbox(srv)
        try:
            yield box
        finally:
            box.close()


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    """The organizer on a correct emulator shared by the module's tests (they create their own series)."""
    with _mailbox_on() as box:
        yield box


@pytest.fixture
def mailbox_on() -> Callable[[frozenset[str]], ContextManager[Mailbox]]:
    """``with mailbox_on(frozenset({"rec-dst-drift"})) as box:`` the organizer on an emulator
    started with those fault switches on, stopped at the end of the block."""
    return _mailbox_on


@pytest.fixture
def srv() -> Iterator[EmulatorServer]:
    """A fresh emulator for one test (for tests that count what a whole calendar lists)."""
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def box(srv: EmulatorServer) -> Iterator[Mailbox]:
    """The organizer on ``srv``."""
    mailbox = Mailbox(srv)
    yield mailbox
    mailbox.close()

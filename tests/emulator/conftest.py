"""Fixtures for the emulator tests: real servers on loopback, signed-in httpx clients."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from emulator_support import client
from graphcal.emulator.server import EmulatorServer


@pytest.fixture(scope="session")
def shared_server() -> Iterator[EmulatorServer]:
    """One server for tests that only look at what they create themselves."""
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def _resettable_server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture
def server(_resettable_server: EmulatorServer) -> EmulatorServer:
    """A server with empty mailboxes (reset before each test) for tests that count or list."""
    _resettable_server.reset()
    return _resettable_server


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

"""Serving the emulator: in-process for tests (:class:`EmulatorServer`) and from the CLI."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable

import uvicorn

from graphcal.emulator.app import FAULTS, FEATURES, create_app
from graphcal.emulator.core import CORE
from graphcal.emulator.core.chaos import parse_rate, wrap as in_chaos
from graphcal.emulator.core.faults import check_names
from graphcal.emulator.core.seed import load_seed, normalise_seed, personas
from graphcal.emulator.core.store import Store
from graphcal.errors import ConfigError, GraphcalError

_START_TIMEOUT_S = 10.0


def _no_delay(sock: socket.socket) -> None:
    # Accepted connections inherit TCP_NODELAY from the listening socket. Without it a response
    # written as headers + body waits for the client's delayed ACK: ~44 ms per request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _config(app: Any, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(in_chaos(app), host=host, port=port, log_level="warning", access_log=False,
                          lifespan="off", server_header=False)


class EmulatorServer:
    """uvicorn on 127.0.0.1 on a free port, in a background thread.

    ``with EmulatorServer() as srv: srv.base_url`` -> ``http://127.0.0.1:<port>/v1.0``.
    ``srv.app`` is the Starlette app (``srv.app.state.store`` for white-box checks).
    """

    def __init__(self, seed: dict[str, Any] | str | Path | None = None,
                 faults: Iterable[str] = frozenset(), *, random_valid: int | None = None,
                 chaos: float = 0.0, chaos_seed: int | None = None) -> None:
        data = load_seed(seed) if isinstance(seed, (str, Path)) else normalise_seed(seed)
        self.app = create_app(data, faults, random_valid=random_valid, chaos=chaos, chaos_seed=chaos_seed)
        self.tenant: str = data["tenant"]
        self.personas: list[dict[str, Any]] = personas(data)
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1.0"

    @property
    def token_url(self) -> str:
        return f"{self.root_url}/{self.tenant}/oauth2/v2.0/token"

    def reset(self) -> None:
        """Forget every event: a fresh store from the seed. Issued tokens stay valid."""
        app_state = self.app.state
        with app_state.store.lock:
            fresh = Store(app_state.seed)
            fresh.tokens = app_state.store.tokens
            fresh.refresh_tokens = app_state.store.refresh_tokens
            fresh.token_expiry = app_state.store.token_expiry
            app_state.store = fresh

    def start(self) -> "EmulatorServer":
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        _no_delay(sock)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(_config(self.app, "127.0.0.1", self.port))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"graphcal-emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise GraphcalError(f"the emulator did not start on 127.0.0.1:{self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=_START_TIMEOUT_S)
        self._server = self._thread = None

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def faults_command(feature: str | None = None, as_json: bool = False) -> int:
    """``graphcal emulator faults``: the declared fault switches by feature, with the invariants
    each must make fail."""
    owners = [CORE.key, *(f.key for f in FEATURES)]
    if feature is not None and feature not in owners:
        raise ConfigError(f"unknown feature {feature!r}; the emulator's: {', '.join(owners)}")
    listed = [(name, d) for name, d in FAULTS.items() if feature in (None, d.feature)]
    if as_json:
        print(json.dumps([{"name": name, "feature": d.feature, "description": d.fault.description,
                           "breaks": list(d.fault.breaks), "no_invariant": d.fault.no_invariant}
                          for name, d in listed], indent=2))
        return 0
    width = max((len(name) for name, _ in listed), default=0)
    for owner in owners:
        mine = [(name, d.fault) for name, d in listed if d.feature == owner]
        if mine:
            print(f"{owner} ({len(mine)})")
        for name, fault in mine:
            print(f"  {name:<{width}}  {fault.description}")
            print(f"  {'':<{width}}  breaks: {', '.join(fault.breaks) or fault.no_invariant}")
    return 0


def serve_command(host: str, port: int, seed: str | None, faults: Iterable[str],
                  random_valid: int | None = None, chaos: str | float = 0.0,
                  chaos_seed: int | None = None) -> int:
    """``graphcal emulator serve``: serve until interrupted; prints the URLs and personas."""
    rate = parse_rate(chaos or 0)  # a bad --chaos is one clear line, before anything starts
    data = load_seed(seed)
    try:
        names = check_names(faults, FAULTS)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    _no_delay(sock)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                          f"pick another --port or use --port 0 for a free one") from None
    bound = sock.getsockname()[1]
    root = f"http://{host}:{bound}"
    print(f"graphcal emulator: {root}/v1.0  token endpoint: {root}/{data['tenant']}/oauth2/v2.0/token",
          file=sys.stderr)
    for p in personas(data):
        print(f"  {p['userPrincipalName']:<24} {p['displayName']:<18} id {p['id']}", file=sys.stderr)
    if names:
        print(f"  faults on: {', '.join(sorted(names))}", file=sys.stderr)
    if random_valid is not None:
        print(f"  random-valid mode, seed {random_valid}: JSON answers are random schema-valid bodies",
              file=sys.stderr)
    if rate:
        print(f"  chaos: {rate:.0%} of Graph requests disturbed (seed {chaos_seed})", file=sys.stderr)
    app = create_app(data, names, random_valid=random_valid, chaos=rate, chaos_seed=chaos_seed)
    uvicorn.Server(_config(app, host, bound)).run(sockets=[sock])
    return 0

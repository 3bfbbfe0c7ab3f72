"""Chaos mode: the emulator misbehaves the way a busy Graph does, at a seeded rate.

An ASGI wrapper around the whole app, outside Starlette's own error middleware (not a feature:
it owns no route and no state of the calendar; ``wrap`` is what the server serves). For a request under ``/v1.0/`` it draws, from one ``random.Random(seed)`` in the
order requests arrive, whether to misbehave and how:

- ``throttle``: 429 ``TooManyRequests`` with ``Retry-After`` (Graph's throttling answer); the
  request is not processed.
- ``unavailable``: 503 ``ServiceUnavailable`` with ``Retry-After``; not processed.
- ``drop``: the connection closes after the answer's headers, before its body; not processed.
- ``close``: the connection closes before any byte of an answer; not processed.
- ``lost``: the request IS processed (a write happens), then its answer is lost: the client sees
  a drop, a close or a 503. This is what makes blind retries of writes unsafe.

The token endpoint (``/{tenant}/oauth2/...``) is exempt: on Graph it is Azure AD, another
service, and a run signs in once before it starts. ``Retry-After`` is 1 s so runs stay short.
Same seed and same request sequence, same chaos.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphcal.errors import ConfigError

KINDS = ("throttle", "unavailable", "drop", "close", "lost")
LOST_AS = ("drop", "close", "unavailable")  # how a lost answer shows
RETRY_AFTER_S = 1


class ChaosDrop(Exception):
    """Raised after the answer's headers: uvicorn then closes the connection mid-answer."""


class _QuietDrops(logging.Filter):
    """uvicorn logs every exception of the app; a drop on purpose is no error worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ChaosDrop))


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


def parse_rate(value: Any) -> float:
    """A chaos rate from the command line or a caller: a fraction 0..1, else one clear error."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise ConfigError(f"--chaos {value!r}: give the fraction of requests to disturb, "
                          "between 0 and 1 (e.g. --chaos 0.2)")
    return rate


@dataclass
class ChaosState:
    """What chaos did, for white-box checks and the bench: counts per kind."""

    rate: float
    seed: int | None
    counts: Counter[str] = field(default_factory=Counter)


def wrap(app: Any) -> ASGIApp:
    """What to serve for an app from ``create_app``: the app itself, or the app in chaos."""
    state = getattr(app.state, "chaos", None)
    return Chaos(app, state=state) if state is not None and state.rate else app


class Chaos:
    """The wrapper: ``Chaos(app, rate=0.2, seed=1)``; rate 0 passes everything through."""

    def __init__(self, app: ASGIApp, rate: float = 0.0, seed: int | None = None,
                 state: ChaosState | None = None) -> None:
        self.app = app
        self.state = state or ChaosState(parse_rate(rate), seed)
        self._random = random.Random(self.state.seed)
        self._lock = threading.Lock()

    def _draw(self) -> tuple[str | None, str]:
        """(kind or None, for ``lost``: how the lost answer shows, one of LOST_AS)."""
        with self._lock:
            hit = self._random.random() < self.state.rate
            kind = self._random.choice(KINDS) if hit else None
            shows = self._random.choice(LOST_AS)
            self.state.counts[kind or "clean"] += 1
        return kind, shows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.state.rate or not scope.get("path", "").startswith("/v1.0/"):
            await self.app(scope, receive, send)
            return
        kind, shows = self._draw()
        if kind is None:
            await self.app(scope, receive, send)
            return
        if kind == "lost":  # the write happens, its answer goes nowhere
            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            kind = shows
        if kind == "throttle":
            await _answer(send, 429, "TooManyRequests", "Too many requests (emulator chaos).")
        elif kind == "unavailable":
            await _answer(send, 503, "ServiceUnavailable", "Service unavailable (emulator chaos).")
        elif kind == "close":
            await _close(send)
        else:
            await _drop(send)


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"retry-after", str(RETRY_AFTER_S).encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _close(send: Send) -> None:
    """Close the connection before any byte of an answer. ASGI has no message for that: this
    closes uvicorn's transport (reached through its ``send``, the wrapper being outermost) and
    lets the loop tell uvicorn the connection is gone, so it answers nothing. Served otherwise,
    it falls back to a drop after the headers."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(cycle, "disconnected"):
        await _drop(send)
        return
    transport.close()
    for _ in range(100):  # connection_lost runs on a later turn of the loop
        if cycle.disconnected:
            return
        await asyncio.sleep(0)


async def _drop(send: Send) -> None:
    # An ASGI app cannot close a connection before answering (uvicorn would answer 500), but
    # failing after the headers makes uvicorn close it: the client sees the connection lost.
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1024")]})
    raise ChaosDrop("chaos: connection dropped")

"""Chaos mode: the emulator misbehaves the way a busy Graph does, at a seeded rate.

An ASGI middleware in front of the app (not a feature: it owns no route and no state of the
calendar). For a request under ``/v1.0/`` it draws, from one ``random.Random(seed)`` in the
order requests arrive, whether to misbehave and how:

- ``throttle``: 429 ``TooManyRequests`` with ``Retry-After`` (Graph's throttling answer); the
  request is not processed.
- ``unavailable``: 503 ``ServiceUnavailable`` with ``Retry-After``; not processed.
- ``drop``: the connection closes before an answer; not processed.
- ``lost``: the request IS processed (a write happens), then its answer is lost: the client sees
  a dropped connection or a 503. This is what makes blind retries of writes unsafe.

The token endpoint (``/{tenant}/oauth2/...``) is exempt: on Graph it is Azure AD, another
service, and a run signs in once before it starts. ``Retry-After`` is 1 s so runs stay short.
Same seed and same request sequence, same chaos.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphcal.errors import ConfigError

KINDS = ("throttle", "unavailable", "drop", "lost")
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


class Chaos:
    """The middleware: ``Chaos(app, rate=0.2, seed=1)``; rate 0 passes everything through."""

    def __init__(self, app: ASGIApp, rate: float = 0.0, seed: int | None = None,
                 state: ChaosState | None = None) -> None:
        self.app = app
        self.state = state or ChaosState(parse_rate(rate), seed)
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def _draw(self) -> tuple[str | None, bool]:
        """(kind or None, for ``lost``: whether the lost answer shows as a drop)."""
        with self._lock:
            hit = self._random.random() < self.state.rate
            kind = self._random.choice(KINDS) if hit else None
            as_drop = self._random.random() < 0.5
            self.state.counts[kind or "clean"] += 1
        return kind, as_drop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.state.rate or not scope.get("path", "").startswith("/v1.0/"):
            await self.app(scope, receive, send)
            return
        kind, as_drop = self._draw()
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "throttle":
            await _answer(send, 429, "TooManyRequests", "Too many requests (emulator chaos).")
        elif kind == "unavailable":
            await _answer(send, 503, "ServiceUnavailable", "Service unavailable (emulator chaos).")
        elif kind == "drop":
            await _drop(send)
        else:  # lost: the write happens, its answer goes nowhere
            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            if as_drop:
                await _drop(send)
            else:
                await _answer(send, 503, "ServiceUnavailable", "Service unavailable (emulator chaos).")


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"retry-after", str(RETRY_AFTER_S).encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _drop(send: Send) -> None:
    # An ASGI app cannot close a connection before answering (uvicorn would answer 500), but
    # failing after the headers makes uvicorn close it: the client sees the connection lost.
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"1024")]})
    raise ChaosDrop("chaos: connection dropped")

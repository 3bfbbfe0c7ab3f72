"""Support for the harness tests: any ASGI app on a free loopback port, deliberately wrong
variants of the emulator, and
throw-away projects run by pytest in a subprocess."""

from __future__ import annotations

import fnmatch
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import uvicorn

from graphcal.emulator.server import EmulatorServer

Scope = dict[str, Any]


def scenario_count() -> int:
    """How many scenarios the committed suites have: one cassette each (so tests that run every
    suite need no count kept by hand as suites grow)."""
    return len(list((Path(__file__).resolve().parents[2] / "cassettes").rglob("*.yaml")))


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port> in a thread; yields ``http://127.0.0.1:<port>``."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "test server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def emulator_app() -> tuple[Any, list[dict[str, Any]], str]:
    """(the emulator's ASGI app, its personas, its token path), not served yet."""
    emulator = EmulatorServer()
    return emulator.app, emulator.personas, f"/{emulator.tenant}/oauth2/v2.0/token"


class IgnoresPreferTimezone:
    """The emulator, except that it never sees ``Prefer: outlook.timezone``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = []
            for name, value in scope["headers"]:
                if name.lower() == b"prefer":
                    kept = [p for p in value.decode().split(",") if "outlook.timezone" not in p]
                    if not kept:
                        continue
                    value = ",".join(kept).encode()
                headers.append((name, value))
            scope = dict(scope, headers=headers)
        await self.app(scope, receive, send)


class Html404ForGraph:
    """Token endpoint works (so personas sign in); every Graph call answers an HTML 404 page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1.0"):
            body = b"<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>"
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/html"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


class CanaryAuth:
    """Accepts canary tokens in place of the emulator's, and leaks what it got back in a header
    (a careless server) so the test proves response headers are scrubbed too."""

    def __init__(self, app: Any, tokens: dict[str, str]) -> None:
        self.app = app
        self.tokens = tokens  # canary -> real emulator token

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = ""
        headers = []
        for name, value in scope["headers"]:
            if name.lower() == b"authorization":
                seen = value.decode()
                token = seen.removeprefix("Bearer ")
                value = f"Bearer {self.tokens.get(token, token)}".encode()
            headers.append((name, value))

        async def leaky_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and seen:
                message = dict(message, headers=[*message.get("headers", []),
                                                 (b"x-echo-authorization", seen.encode())])
            await send(message)

        await self.app(dict(scope, headers=headers), receive, leaky_send)


class PytestRun:
    """The outcome of a pytest run in a subprocess: exit code, output, outcome counts."""

    def __init__(self, ret: int, stdout: str, stderr: str) -> None:
        self.ret, self.stdout, self.stderr = ret, stdout, stderr

    def outcomes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        last = [line for line in self.stdout.splitlines() if line.startswith("=")][-1:]
        for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", "".join(last)):
            counts["errors" if word.startswith("error") else word] = int(n)
        return counts

    def assert_outcomes(self, **expected: int) -> None:
        assert self.outcomes() == expected, f"{self.outcomes()} != {expected}\n{self.stdout}\n{self.stderr}"

    def assert_line(self, pattern: str, *, stream: str = "stdout") -> None:
        """Some line of the output matches the fnmatch ``pattern``."""
        text = self.stdout if stream == "stdout" else self.stderr
        assert any(fnmatch.fnmatch(line, pattern) for line in text.splitlines()), \
            f"no line matches {pattern!r} in:\n{text}"


def run_pytest(project: Path, *args: str, timeout_s: float = 240) -> PytestRun:
    """``python -m pytest <args>`` in ``project`` (a fresh interpreter: no shared module state)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=project, capture_output=True, text=True, timeout=timeout_s,
                          env={**os.environ, "PYTEST_ADDOPTS": "", "COLUMNS": "200"})
    return PytestRun(done.returncode, done.stdout, done.stderr)


SCENARIO = '''
import uuid
import pytest
from graphcal.client import eventually, prefer_timezone

PST = "Pacific Standard Time"

@pytest.mark.scenario(feature="events", invariants=["SCHEMA-1", "EVT-CREATE-1", "EVT-TZ-1"])
def test_create(graph):
    organizer = graph.persona("organizer")
    subject = graph.anchor("subject", lambda: "harness " + uuid.uuid4().hex[:8])
    body = {"subject": subject,
            "start": {"dateTime": "2026-12-01T10:00:00", "timeZone": PST},
            "end": {"dateTime": "2026-12-01T11:00:00", "timeZone": PST},
            "attendees": [{"emailAddress": graph.user("attendee").email_address(), "type": "required"}]}
    with graph.step("1: the organizer creates the event", source="harness") as s:
        r = organizer.post("/me/events", json=body, headers=prefer_timezone(PST))
        s.response(r, schema="event")
        s.check("EVT-CREATE-1", r)
        event = s.require(r.body if r.status == 201 else None, "the created event")
        s.check("EVT-TZ-1", event, PST)
    with graph.step("2: the organizer finds it in the list") as s:
        found = eventually(lambda: [e for page in organizer.pages("/me/events", params={"$top": 1})
                                    for e in (page.body or {}).get("value", [])
                                    if e["id"] == event["id"]], deadline_s=5)
        s.require(found, "the event in the organizer's list")
'''


class Project:
    """A throw-away project with one scenario; ``run`` runs pytest in it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def with_scenario(cls, path: Path) -> "Project":
        project = cls(path)
        project.write("pyproject.toml", "[tool.pytest.ini_options]\n")
        project.write("suites/events/test_scenario.py", SCENARIO)
        return project

    def run(self, *args: str) -> PytestRun:
        return run_pytest(self.path, *args)

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

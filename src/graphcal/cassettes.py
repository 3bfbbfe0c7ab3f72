"""Cassettes: how scenarios are recorded with vcrpy (via pytest-recording) and replayed.

- Recorded URLs use the canonical base ``http://graph.target.invalid/v1.0``, so a replay does
  not depend on where the recorded target listened; links inside bodies and headers
  (``@odata.nextLink``, ``Location``) are rewritten the same way.
- ``Authorization`` is replaced at record time by ``Bearer persona:<role>`` (the role of the
  GraphClient that sent it), so replay still tells personas apart; matching includes it.
- Token endpoint traffic is never recorded; every known secret (tokens, passwords, client
  secrets) and anything shaped like a JWT is scrubbed from URLs, headers and bodies.
- A sidecar ``<name>.provenance.json`` says where and when the cassette was recorded and
  holds the scenario's anchors (run ids, times) that a replay reads back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from graphcal.client import CURRENT_PERSONA
from graphcal.errors import GraphcalError

CANONICAL_ORIGIN = "http://graph.target.invalid"
CANONICAL_BASE = f"{CANONICAL_ORIGIN}/v1.0"
PERSONA_PREFIX = "persona:"
SCRUBBED = "<scrubbed>"
MIN_SECRET_LENGTH = 4  # shorter strings would scramble ordinary text; no real secret is that short

# Request headers that only add noise (or carry client details) to a cassette.
DROPPED_REQUEST_HEADERS = ("cookie", "user-agent", "accept-encoding", "connection")
# Response headers that change on every run and say nothing about behaviour.
DROPPED_RESPONSE_HEADERS = ("set-cookie", "date", "server")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_TOKEN_PATH = re.compile(r"/oauth2(/v2\.0)?/token\b")


class CassetteError(GraphcalError):
    """A cassette is missing, incomplete or stale."""


def record_command(nodeid: str) -> str:
    """The command that (re)records one scenario's cassette from the emulator."""
    return f"pytest '{nodeid}' --target emulator --record-mode=rewrite"


def is_token_request(url: str) -> bool:
    return bool(_TOKEN_PATH.search(url))


@dataclass
class Scrubber:
    """Rewrites one target's addresses to the canonical host and removes its secrets."""

    base_url: str  # the target's real base, e.g. http://127.0.0.1:54321/v1.0
    secrets: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        scheme, _, rest = self.base_url.partition("://")
        self.origin = f"{scheme}://{rest.split('/', 1)[0]}"
        self.host = rest.split("/", 1)[0]

    def text(self, text: str) -> str:
        """Canonical host in, secrets out."""
        if self.base_url != CANONICAL_BASE:
            text = text.replace(self.base_url, CANONICAL_BASE).replace(self.origin, CANONICAL_ORIGIN)
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= MIN_SECRET_LENGTH:
                text = text.replace(secret, SCRUBBED)
        return _JWT.sub(SCRUBBED, text)

    def data(self, value: Any) -> Any:
        """``text`` applied to every string in a JSON-like value (evidence for reports)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value

    def body(self, body: bytes | str | None) -> bytes | str | None:
        if body is None:
            return None
        if isinstance(body, bytes):
            try:
                decoded = body.decode("utf-8")
            except UnicodeDecodeError:
                return body  # binary: nothing textual to rewrite
            return self.text(decoded).encode("utf-8")
        return self.text(body)

    # vcrpy hooks ----------------------------------------------------------------------
    def before_record_request(self, request: Any) -> Any:
        """vcrpy request filter (applied on record and before matching on replay)."""
        if is_token_request(request.uri):
            return None
        request.uri = self.text(request.uri)
        headers = request.headers
        auth = headers.get("Authorization")
        if auth is not None and not auth.startswith(f"Bearer {PERSONA_PREFIX}"):
            role = CURRENT_PERSONA.get() or "unknown"
            headers["Authorization"] = f"Bearer {PERSONA_PREFIX}{role}"
        for name in DROPPED_REQUEST_HEADERS:
            headers.pop(name, None)
        if "host" in headers:
            headers["host"] = CANONICAL_ORIGIN.split("://", 1)[1]
        for name in list(headers):
            if name.lower() != "authorization":
                headers[name] = self.text(headers[name])
        request.body = self.body(request.body)
        return request

    def before_record_response(self, response: dict[str, Any]) -> dict[str, Any]:
        headers: dict[str, list[str]] = response.get("headers", {})
        for name in list(headers):
            if name.lower() in DROPPED_RESPONSE_HEADERS:
                del headers[name]
            else:
                headers[name] = [self.text(v) for v in headers[name]]
        body = response.get("body", {})
        if body.get("string") is not None:
            body["string"] = self.body(body["string"])
            for name in list(headers):
                if name.lower() == "content-length":
                    headers[name] = [str(len(body["string"]))]
        return response


# --- matching -----------------------------------------------------------------------------

def persona_matcher(r1: Any, r2: Any) -> None:
    """Requests match only when the same persona sent them."""
    a, b = r1.headers.get("Authorization"), r2.headers.get("Authorization")
    if a != b:
        raise AssertionError(f"sent as {a!r}, recorded as {b!r}")


def json_body_matcher(r1: Any, r2: Any) -> None:
    """Bodies match as JSON values (key order and whitespace do not matter), else as bytes."""
    a, b = _body_value(r1.body), _body_value(r2.body)
    if a != b:
        raise AssertionError(f"body {a!r} != recorded {b!r}")


def _body_value(body: bytes | str | None) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body if isinstance(body, bytes) else body.encode("utf-8")


MATCHERS = {"graphcal_persona": persona_matcher, "graphcal_json_body": json_body_matcher}
MATCH_ON = ("method", "scheme", "host", "port", "path", "query", *MATCHERS)


def register_matchers(vcr: Any) -> None:
    """Teach a vcrpy VCR our matchers (pytest-recording calls this per cassette)."""
    for name, matcher in MATCHERS.items():
        vcr.register_matcher(name, matcher)


def vcr_options(scrubber_of: Callable[[], Scrubber]) -> dict[str, Any]:
    """VCR options (pytest-recording's ``vcr_config``): how a cassette is filtered and matched.

    ``scrubber_of`` is called per request: the session's scrubber learns the target (and the
    secrets to scrub) when the target opens.
    """
    return {
        "before_record_request": lambda r: scrubber_of().before_record_request(r),
        "before_record_response": lambda r: scrubber_of().before_record_response(r),
        "decode_compressed_response": True,
        "match_on": MATCH_ON,
        "allow_playback_repeats": False,
        "record_on_exception": True,
    }


def explain(exc: BaseException, nodeid: str | None = None) -> str | None:
    """A one-line explanation for vcrpy's 'request not in cassette', else None."""
    from vcr.errors import CannotOverwriteExistingCassetteException

    if not isinstance(exc, CannotOverwriteExistingCassetteException):
        return None
    request = exc.failed_request
    fix = record_command(nodeid) if nodeid else "pytest <scenario> --target emulator --record-mode=rewrite"
    return (f"the cassette has no recorded answer for {request.method} {request.uri} "
            f"({exc.reason.replace('_', ' ')}): the scenario and its cassette disagree; "
            f"re-record it with: {fix}")


# --- provenance and anchors -------------------------------------------------------------------

def provenance_path(cassette: Path) -> Path:
    return cassette.with_name(cassette.name.removesuffix(".yaml") + ".provenance.json")


def encode_anchor(value: Any) -> Any:
    """JSON form of an anchor value; datetimes and dates are tagged so they come back typed."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if hasattr(value, "isoformat") and type(value).__name__ == "date":
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [encode_anchor(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode_anchor(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"an anchor must be JSON data, a date or a datetime, not {type(value).__name__}")


def decode_anchor(value: Any) -> Any:
    from datetime import date

    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return datetime.fromisoformat(value["$datetime"])
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {k: decode_anchor(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_anchor(v) for v in value]
    return value


@dataclass
class Provenance:
    """The sidecar of one cassette."""

    target: dict[str, Any]        # kind, name, profile (never a secret, never the real URL)
    recorded_at: str
    graphcal_version: str
    scenario: str                 # pytest node id
    record_mode: str
    cast: dict[str, Any]          # Cast.to_json(): users and roles, no tokens
    anchors: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "recorded_at": self.recorded_at,
                "graphcal_version": self.graphcal_version, "scenario": self.scenario,
                "record_mode": self.record_mode, "cast": self.cast, "anchors": self.anchors}

    def write(self, cassette: Path) -> Path:
        path = provenance_path(cassette)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, cassette: Path, nodeid: str) -> "Provenance":
        path = provenance_path(cassette)
        if not cassette.exists() or not path.exists():
            missing = cassette if not cassette.exists() else path
            raise CassetteError(f"no cassette for {nodeid}: {missing} is missing; record it "
                                f"with: {record_command(nodeid)}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(target=data["target"], recorded_at=data["recorded_at"],
                       graphcal_version=data["graphcal_version"], scenario=data["scenario"],
                       record_mode=data.get("record_mode", ""), cast=data["cast"],
                       anchors=data.get("anchors", {}))
        except (ValueError, KeyError) as exc:
            raise CassetteError(f"{path} is not a graphcal provenance file ({exc}); re-record "
                                f"with: {record_command(nodeid)}") from None

    @staticmethod
    def now() -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


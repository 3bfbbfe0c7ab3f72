"""Targets: what ``--target`` names, resolved into a base URL, a cast and persona tokens.

- ``emulator``: the reference emulator on a free loopback port for the session; tokens from
  its token endpoint with the password grant.
- ``url:<base>``: any Graph-compatible server; users and tokens from ``--persona-config``.
- ``replay``: the committed cassettes only, network blocked (the default for plain pytest).
- ``live``: a real tenant, not configured until the live-tenant work lands.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pytest_recording.plugin import RECORD_MODES as _recording_modes

from graphcal.cassettes import CANONICAL_BASE, PERSONA_PREFIX
from graphcal.client import GraphClient
from graphcal.errors import ConfigError, TargetError
from graphcal.personas import Cast, TokenSource, User, load_persona_config, user_key

KINDS = ("emulator", "replay", "url:<base>", "live")
RECORD_MODES: tuple[str, ...] = tuple(_recording_modes)  # pytest-recording owns the names
EMULATOR_CLIENT_ID = "graphcal"


@dataclass(frozen=True)
class TargetSpec:
    kind: str              # emulator | replay | url | live
    base_url: str | None   # for url targets

    @property
    def name(self) -> str:
        """What the target is called in reports and profiles (never a URL: it may hold secrets)."""
        return self.kind


def parse_target(spec: str | None, *, default: str = "replay") -> TargetSpec:
    """``emulator``, ``replay``, ``live`` or ``url:<base>``; anything else is a usage error."""
    spec = (spec or default).strip()
    if spec in ("emulator", "replay", "live"):
        return TargetSpec(spec, None)
    if spec.startswith("url:"):
        base = spec[4:].strip().rstrip("/")
        url = httpx.URL(base) if base else None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise TargetError(f"--target {spec!r} needs an http(s) base URL, e.g. "
                              "--target url:http://127.0.0.1:8080/v1.0")
        return TargetSpec("url", base)
    raise TargetError(f"unknown target {spec!r}; use one of: {', '.join(KINDS)}")


def live_not_configured() -> TargetError:
    return TargetError(
        "the live target is not configured: graphcal has no live-tenant credentials support yet "
        "(tenant id, app registration and persona sign-in are still to come); for now use "
        "--target emulator, --target replay, or --target url:<base> --persona-config <file.toml>")


@dataclass
class Target:
    """A resolved target for one session: base URL, who is who, and their tokens."""

    spec: TargetSpec
    base_url: str
    cast: Cast | None                 # None for replay: each cassette brings its own cast
    tokens: dict[str, str] = field(default_factory=dict, repr=False)   # user key -> token
    secrets: set[str] = field(default_factory=set, repr=False)         # never recorded
    profile: str = ""                 # the profile's name (profiles/<name>.toml unless profile_file)
    profile_file: Path | None = None  # a profile file named by path
    description: str = ""
    transport: httpx.BaseTransport | None = field(default=None, repr=False)  # tests: in-memory server
    token_sources: dict[str, TokenSource] = field(default_factory=dict, repr=False)  # user key -> source
    _closer: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def replay(self) -> bool:
        return self.spec.kind == "replay"

    def client(self, role: str, cast: Cast | None = None) -> GraphClient:
        """A GraphClient acting as ``role`` (replay: the placeholder token the cassette holds)."""
        if self.replay:
            return GraphClient(CANONICAL_BASE, f"{PERSONA_PREFIX}{role}", persona=role)
        cast = cast or self.cast
        assert cast is not None
        key = cast.user_key(role)
        if key not in self.tokens:
            raise cannot_act_as(role, cast.users[key], self.kind)
        return GraphClient(self.base_url, self.tokens[key], persona=role, transport=self.transport)

    def expired_token(self, role: str, cast: Cast | None = None) -> str | None:
        """An access token for ``role`` that is already expired, or None when the target cannot
        issue one (its token endpoint ignores the emulator's lifetime request, or the persona
        config gives a literal token). Replay: a placeholder (the cassette's header names the
        client's persona, whatever the token)."""
        if self.replay:
            return "expired"
        cast = cast or self.cast
        assert cast is not None
        source = self.token_sources.get(cast.user_key(role))
        token = source.expired_token(transport=self.transport) if source is not None else None
        if token is not None:
            self.secrets.add(token)
        return token

    def describe(self) -> dict[str, Any]:
        """For results and provenance: no URL for url targets (it may embed credentials)."""
        return {"kind": self.kind, "name": self.spec.name, "profile": self.profile,
                "description": self.description}

    def close(self) -> None:
        self._closer.close()


def cannot_act_as(role: str, user: User, kind: str) -> ConfigError:
    """A scenario asked to act as a user that is an address only (no token: it cannot sign in)."""
    who = f"role {role!r} is {user.display_name} <{user.address}>, an address only"
    if kind == "url":
        return ConfigError(f"{who}: users.{user.key} in the persona config has no token; give it one "
                           f"(token = ...), or map {role!r} to a user who signs in ([roles])")
    return ConfigError(f"{who} on the {kind} target (it cannot sign in): a scenario may address it "
                       f"(graph.user({role!r})) but not act as it (graph.persona({role!r}))")


def open_target(spec: TargetSpec, persona_config: str | None = None, *, chaos: float = 0.0,
                chaos_seed: int | None = None) -> Target:
    """Resolve a target: start the emulator (``chaos``: its chaos mode), read the persona
    config, fetch tokens, probe."""
    if spec.kind == "live":
        raise live_not_configured()
    if spec.kind == "replay":
        return Target(spec, CANONICAL_BASE, None, profile="",
                      description="recorded cassettes, network blocked")
    if spec.kind == "emulator":
        return _open_emulator(spec, chaos, chaos_seed)
    return _open_url(spec, persona_config)


def _open_emulator(spec: TargetSpec, chaos: float = 0.0, chaos_seed: int | None = None) -> Target:
    try:
        from graphcal.emulator.server import EmulatorServer
    except ImportError as exc:
        raise TargetError(f"the emulator is not available in this installation ({exc}); "
                          "reinstall graphcal with `pip install -e .`") from None
    stack = contextlib.ExitStack()
    try:
        server = stack.enter_context(EmulatorServer(chaos=chaos, chaos_seed=chaos_seed))
        users: dict[str, User] = {}
        tokens: dict[str, str] = {}
        secrets: set[str] = set()
        resources: dict[str, str] = {}
        sources: dict[str, TokenSource] = {}
        for p in server.personas:
            key = user_key(p.get("displayName", ""), p["userPrincipalName"])
            users[key] = User(key, p["userPrincipalName"], p.get("displayName", key),
                              id=p.get("id"), mail=p.get("mail"))
            if not p.get("password"):
                # rooms and equipment do not sign in; scenarios still address them by role
                if p.get("role_hint"):
                    resources[p["role_hint"]] = key
                continue
            secrets.add(p["password"])
            sources[key] = TokenSource(endpoint=server.token_url, form=tuple(sorted({
                "grant_type": "password", "client_id": EMULATOR_CLIENT_ID,
                "username": p["userPrincipalName"], "password": p["password"],
                "scope": "https://graph.microsoft.com/.default"}.items())))
            tokens[key] = sources[key].token()
        # People's roles follow the walkthroughs (personas.DEFAULT_ROLES), not the seed's
        # role hints, so a cassette means the same cast on every target.
        cast = Cast.of(users, resources)
    except BaseException:
        stack.close()
        raise
    secrets.update(tokens.values())
    from graphcal import __version__

    chaos_note = f", chaos {chaos:.0%} (seed {chaos_seed})" if chaos else ""
    return Target(spec, server.base_url, cast, tokens, secrets, profile="emulator",
                  description=f"graphcal reference emulator {__version__}{chaos_note}", token_sources=sources,
                  _closer=stack)


def _open_url(spec: TargetSpec, persona_config: str | None) -> Target:
    assert spec.base_url is not None
    check_options(spec, record_mode=None, persona_config=persona_config)
    config = load_persona_config(persona_config)
    probe_reachable(spec.base_url)
    tokens = {}
    for key, source in config.tokens.items():
        try:
            tokens[key] = source.token()
        except TargetError as exc:  # say whose sign-in failed: the config has one per user
            raise TargetError(f"users.{key} in {persona_config}: {exc}") from None
    secrets = set(tokens.values())
    for source in config.tokens.values():
        secrets |= source.secrets()
    return Target(spec, spec.base_url, config.cast, tokens, secrets, profile=config.profile or "url",
                  profile_file=config.profile_file, description="Graph-compatible server",
                  token_sources=dict(config.tokens))


def probe_reachable(base_url: str, *, timeout_s: float = 5.0) -> None:
    """Any HTTP answer means reachable; a connection failure is a clear TargetError."""
    try:
        httpx.get(base_url, timeout=timeout_s)
    except httpx.TransportError as exc:
        raise TargetError(f"cannot reach {base_url} ({type(exc).__name__}: {exc}); start the "
                          "server or fix the URL in --target url:<base>") from None


def check_options(spec: TargetSpec, *, record_mode: str | None, persona_config: str | None,
                  profile: str | None = None, chaos: float = 0.0) -> None:
    """What can be told wrong before anything starts: one clear error each."""
    if chaos and spec.kind != "emulator":
        raise ConfigError(f"--chaos needs --target emulator; for a url: target serve the emulator "
                          "with `graphcal emulator serve --chaos RATE`")
    if chaos and record_mode not in (None, "none"):
        raise ConfigError("--chaos cannot record cassettes: a recording must be a clean run")
    if profile is not None and not Path(profile).is_file():
        raise ConfigError(f"--profile {profile}: no such file; give the path of a target profile "
                          "file (TOML, like profiles/emulator.toml)")
    if spec.kind == "live":
        raise live_not_configured()
    if spec.kind == "url" and not persona_config:
        raise ConfigError(f"--target url:{spec.base_url} needs --persona-config <file.toml> that "
                          "maps roles to users and tokens (example: docs/emulator-personas.toml)")
    if record_mode is not None and record_mode not in RECORD_MODES:
        raise ConfigError(f"unknown --record-mode {record_mode!r}; use one of: {', '.join(RECORD_MODES)} "
                          "(rewrite re-records from scratch, once keeps existing cassettes)")
    if spec.kind == "replay" and record_mode not in (None, "none"):
        raise ConfigError(f"--record-mode={record_mode} needs a target to record from; "
                          "use --target emulator (or url:<base>) to record cassettes")

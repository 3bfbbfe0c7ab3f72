"""Personas: the walkthroughs' people, and the roles scenarios ask for.

The documented walkthroughs speak of Alex Wilber, Adele Vance, Christie Cline and Megan Bowen.
Scenarios ask for roles (``graph.persona("organizer")``); a target maps each role to one of its
users and each user to a token. Roles that name the same user share that user's token.

A persona config file (TOML) describes the users and tokens of a ``url:`` target::

    [users.alex]
    id = "..."                          # optional where the server does not need it
    userPrincipalName = "AlexW@contoso.com"
    displayName = "Alex Wilber"
    token = "env:ALEX_TOKEN"            # a literal, env:VAR, or a [users.alex.token] table

    [users.adele.token]                 # an OAuth2 token endpoint (password or client grant)
    endpoint = "http://127.0.0.1:8000/contoso/oauth2/v2.0/token"
    grant_type = "password"
    username = "AdeleV@contoso.com"
    password = "env:ADELE_PASSWORD"     # any value may be env:VAR

    [users.room]                        # no token: an address only (a meeting room, or
    userPrincipalName = "Adams@contoso.com"   # someone the suite only invites); scenarios
    displayName = "Conf Room Adams"     # address it but cannot act as it

    [roles]                             # optional; the defaults below fill the rest
    organizer = "alex"
    room = "room"

A top-level ``profile = "mymock"`` judges the run by ``profiles/mymock.toml`` of the checkout;
a value with a ``/`` or ending in ``.toml`` is a profile file instead, relative to the persona
config's folder (``profile = "graphcal-profile.toml"``: a mock team keeps it in its own repo).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import httpx

from graphcal.errors import ConfigError, TargetError

# role -> user key, from the walkthroughs: Alex organizes and owns the delegated calendar,
# Adele is his delegate (seed 000) and his invitee (seeds 001, 003), Christie and Megan are
# the invitees of the delegation walkthrough.
DEFAULT_ROLES: dict[str, str] = {
    "organizer": "alex",
    "owner": "alex",
    "delegate": "adele",
    "attendee": "adele",
    "attendee2": "christie",
    "attendee3": "megan",
}


@dataclass(frozen=True)
class User:
    key: str  # short lowercase name: "alex"
    user_principal_name: str
    display_name: str
    id: str | None = None
    mail: str | None = None

    @property
    def address(self) -> str:
        return self.mail or self.user_principal_name

    def email_address(self) -> dict[str, str]:
        """Graph's emailAddress shape, for attendees and recipients."""
        return {"name": self.display_name, "address": self.address}

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "id": self.id, "userPrincipalName": self.user_principal_name,
                "displayName": self.display_name, "mail": self.mail}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "User":
        return cls(key=data["key"], user_principal_name=data["userPrincipalName"],
                   display_name=data.get("displayName") or data["userPrincipalName"],
                   id=data.get("id"), mail=data.get("mail"))


def user_key(display_name: str, upn: str) -> str:
    """``Alex Wilber`` -> ``alex``; falls back to the UPN's local part."""
    first = display_name.split()[0] if display_name.strip() else upn.split("@")[0]
    return first.lower()


@dataclass(frozen=True)
class Cast:
    """Who is who on one target: users by key and roles -> user keys."""

    users: dict[str, User]
    roles: dict[str, str]

    @classmethod
    def of(cls, users: Mapping[str, User], roles: Mapping[str, str] | None = None) -> "Cast":
        merged = {r: k for r, k in DEFAULT_ROLES.items() if k in users}
        merged.update(roles or {})
        merged.update({key: key for key in users})  # every user is also a role by its own name
        for role, key in merged.items():
            if key not in users:
                raise ConfigError(f"role {role!r} names user {key!r}, which is not among the "
                                  f"users ({', '.join(sorted(users))}); fix the [roles] table")
        return cls(dict(users), merged)

    def user_key(self, role: str) -> str:
        try:
            return self.roles[role]
        except KeyError:
            raise ConfigError(f"this target has no persona for role {role!r} (it maps: "
                              f"{', '.join(sorted(self.roles))}); add the user to the persona "
                              f"config, or map the role to one in its [roles] table") from None

    def user(self, role: str) -> User:
        return self.users[self.user_key(role)]

    def to_json(self) -> dict[str, Any]:
        return {"users": {k: u.to_json() for k, u in sorted(self.users.items())},
                "roles": dict(sorted(self.roles.items()))}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Cast":
        users = {k: User.from_json(u) for k, u in data["users"].items()}
        return cls(users, dict(data["roles"]))


# --- tokens ---------------------------------------------------------------------------------

def resolve_value(value: str, where: str) -> str:
    """A config value, or the environment variable it names as ``env:VAR``."""
    if isinstance(value, str) and value.startswith("env:"):
        var = value[4:]
        if var not in os.environ:
            raise ConfigError(f"{where} reads the environment variable {var}, which is not set; "
                              f"export {var}=... before the run")
        return os.environ[var]
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def fetch_token(endpoint: str, form: Mapping[str, str], *,
                transport: httpx.BaseTransport | None = None) -> str:
    """POST an OAuth2 token request (password or client_credentials grant); the access token."""
    try:
        with httpx.Client(transport=transport, timeout=30.0) as http:
            response = http.post(endpoint, data=dict(form))
    except httpx.TransportError as exc:
        raise TargetError(f"cannot reach the token endpoint {endpoint} ({exc}); "
                          "check the endpoint in the persona config") from exc
    try:
        token = response.json()["access_token"]
    except (ValueError, KeyError, TypeError):
        detail = " ".join(response.text.split())[:160]
        raise TargetError(f"the token endpoint {endpoint} answered {response.status_code} "
                          f"without an access_token ({detail}); check the credentials") from None
    if not isinstance(token, str) or not token:
        raise TargetError(f"the token endpoint {endpoint} returned an empty access_token")
    return token


# The emulator's token-endpoint extension: the lifetime (seconds) of the token asked for
# (graphcal.emulator.core.auth; the emulator is not imported here, a url target may be a mock).
EXPIRES_IN_FIELD = "graphcal_expires_in"


@dataclass(frozen=True)
class TokenSource:
    """Where a user's token comes from: a literal/env value, or a token endpoint."""

    literal: str | None = None
    endpoint: str | None = None
    form: tuple[tuple[str, str], ...] = ()

    def secrets(self) -> set[str]:
        """Values that must never reach a cassette or report (passwords, client secrets)."""
        return {v for k, v in self.form if k in ("password", "client_secret") and v}

    def token(self, *, transport: httpx.BaseTransport | None = None) -> str:
        if self.literal is not None:
            return self.literal
        assert self.endpoint is not None
        return fetch_token(self.endpoint, dict(self.form), transport=transport)

    def expired_token(self, *, transport: httpx.BaseTransport | None = None) -> str | None:
        """A token the endpoint issues already expired, or None when it cannot: a literal token,
        or an endpoint that ignores the emulator's ``graphcal_expires_in=0`` request (Entra does:
        its ``expires_in`` then says the token is fresh) or refuses it."""
        if self.endpoint is None:
            return None
        try:
            with httpx.Client(transport=transport, timeout=30.0) as http:
                answer = http.post(self.endpoint, data={**dict(self.form), EXPIRES_IN_FIELD: "0"}).json()
        except (httpx.TransportError, ValueError):
            return None
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if isinstance(token, str) and token and str(answer.get("expires_in")) == "0":
            return token
        return None


def _token_source(raw: Any, where: str) -> TokenSource:
    if isinstance(raw, str):
        return TokenSource(literal=resolve_value(raw, where))
    if isinstance(raw, dict):
        if "endpoint" not in raw:
            raise ConfigError(f"{where} is a table but has no 'endpoint'; give a token endpoint "
                              "URL, or make token a string (literal or env:VAR)")
        form = {k: resolve_value(v, f"{where}.{k}") for k, v in raw.items() if k != "endpoint"}
        form.setdefault("grant_type", "password")
        form.setdefault("scope", "https://graph.microsoft.com/.default")
        return TokenSource(endpoint=resolve_value(raw["endpoint"], f"{where}.endpoint"),
                           form=tuple(sorted(form.items())))
    raise ConfigError(f"{where} must be a string (literal or env:VAR) or a token endpoint table; "
                      "leave it out for a user the suite only addresses")


@dataclass(frozen=True)
class PersonaConfig:
    cast: Cast
    tokens: dict[str, TokenSource]  # user key -> source; users without one are addresses only
    profile: str | None = None      # the profile's name: profiles/<name>.toml, or profile_file's stem
    profile_file: Path | None = None  # a profile file named by path (absolute)


def load_persona_config(path: str | os.PathLike[str]) -> PersonaConfig:
    """Read a persona config TOML file (see the module docstring for the format)."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"persona config {file} does not exist; pass --persona-config "
                          "<file.toml> (example: docs/emulator-personas.toml)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"persona config {file} is not valid TOML: {exc}") from None
    raw_users = data.get("users")
    if not isinstance(raw_users, dict) or not raw_users:
        raise ConfigError(f"persona config {file} has no [users.<name>] tables; add one per "
                          "person (userPrincipalName, displayName, token)")
    users: dict[str, User] = {}
    tokens: dict[str, TokenSource] = {}
    for key, raw in raw_users.items():
        where = f"{file}: users.{key}"
        if not isinstance(raw, dict) or "userPrincipalName" not in raw:
            raise ConfigError(f"{where} needs userPrincipalName")
        users[key] = User(key=key, user_principal_name=raw["userPrincipalName"],
                          display_name=raw.get("displayName", raw["userPrincipalName"]),
                          id=raw.get("id"), mail=raw.get("mail"))
        if "token" in raw:  # without one, the user is an address only: it cannot sign in
            tokens[key] = _token_source(raw["token"], f"{where}.token")
    if not tokens:
        raise ConfigError(f"persona config {file}: no user has a token, so nobody can sign in; give "
                          "the users scenarios act as (organizer, attendee...) a token")
    roles = data.get("roles", {})
    if not isinstance(roles, dict):
        raise ConfigError(f"persona config {file}: [roles] must map role names to user names")
    profile, profile_file = _profile_reference(data.get("profile"), file)
    return PersonaConfig(Cast.of(users, roles), tokens, profile, profile_file)


def _profile_reference(value: Any, file: Path) -> tuple[str | None, Path | None]:
    """``profile =``: a name in the checkout's profiles/, or a file relative to the config."""
    if value is None:
        return None, None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"persona config {file}: profile must be a profile name or the path of a "
                          "profile file (e.g. profile = \"mymock.toml\")")
    if not (value.endswith(".toml") or "/" in value or "\\" in value):
        return value, None
    path = (file.parent / value).resolve()
    if not path.is_file():
        raise ConfigError(f"persona config {file} names the profile file {value!r}, but {path} does not "
                          "exist; the path is relative to the persona config's folder")
    return path.stem, path


def write_persona_config(path: str | os.PathLike[str], people: Iterable[Mapping[str, Any]], token_url: str,
                         *, tokens: Mapping[str, str] | None = None, profile: str | None = None) -> Path:
    """Write a persona config for a server that signs people in like the emulator: ``people``
    in the emulator's form (``EmulatorServer.personas``: userPrincipalName, displayName, id,
    mail, password), each signing in at ``token_url`` with the password grant, or with the
    literal token ``tokens`` gives for its key. People without a password (rooms) are
    addresses only, mapped to the role of their ``role_hint``. Returns the path."""
    def toml(value: str) -> str:
        return json.dumps(value)  # a JSON string is a TOML basic string

    lines = [f"profile = {toml(profile)}", ""] if profile else []
    roles: dict[str, str] = {}
    for person in people:
        upn = person["userPrincipalName"]
        key = user_key(person.get("displayName", ""), upn)
        lines.append(f"[users.{key}]")
        lines += [f"{field} = {toml(person[field])}" for field in ("id", "userPrincipalName", "displayName", "mail")
                  if person.get(field)]
        if not person.get("password"):
            if person.get("role_hint"):
                roles[person["role_hint"]] = key
            lines.append("")
        elif tokens and key in tokens:
            lines += [f"token = {toml(tokens[key])}", ""]
        else:
            lines += [f"[users.{key}.token]", f"endpoint = {toml(token_url)}", 'grant_type = "password"',
                      'client_id = "graphcal"', f"username = {toml(upn)}",
                      f"password = {toml(person['password'])}", ""]
    if roles:
        lines += ["[roles]", *(f"{role} = {toml(key)}" for role, key in sorted(roles.items())), ""]
    file = Path(path)
    file.write_text("\n".join(lines), encoding="utf-8")
    return file

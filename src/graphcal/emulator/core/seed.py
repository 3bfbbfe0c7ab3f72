"""The emulator's seed: users (with mailbox, primary calendar, mailbox settings) and apps.

The default seed is the documented demo tenant's people (Alex Wilber, Adele Vance, Christie
Cline, Megan Bowen) plus a meeting room resource. Ids are fixed GUIDs so a replayed cassette
finds the same users. People carry no role hint: who plays which role is the harness's roles
table (``graphcal.personas``), the one place roles are defined. Only a resource that cannot
sign in (the room) has a ``role_hint``: the role the emulator target maps it to. A seed file
(``--seed FILE``) is JSON of the same shape as :data:`DEFAULT_SEED`; missing optional keys get
defaults in :func:`normalise_seed`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from graphcal.errors import ConfigError

TENANT_ID = "d3b5c1a0-7e8f-4c2b-9a61-5f0e4d3c2b1a"

DEFAULT_SEED: dict[str, Any] = {
    "tenant": TENANT_ID,
    "domain": "contoso.com",
    "users": [
        {"id": "4f1c2b9e-6a3d-4e57-9b08-1c2d3e4f5a61", "displayName": "Alex Wilber",
         "userPrincipalName": "AlexW@contoso.com", "password": "alex-emulator-pw",
         "timeZone": "Pacific Standard Time"},
        {"id": "8a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c52", "displayName": "Adele Vance",
         "userPrincipalName": "AdeleV@contoso.com", "password": "adele-emulator-pw",
         "timeZone": "Pacific Standard Time"},
        {"id": "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e63", "displayName": "Christie Cline",
         "userPrincipalName": "ChristieC@contoso.com", "password": "christie-emulator-pw",
         "timeZone": "Pacific Standard Time"},
        {"id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c64", "displayName": "Megan Bowen",
         "userPrincipalName": "MeganB@contoso.com", "password": "megan-emulator-pw",
         "timeZone": "Pacific Standard Time"},
        {"id": "6b5a4f3e-2d1c-4b0a-9f8e-7d6c5b4a3f65", "displayName": "Conf Room Adams",
         "userPrincipalName": "Adams@contoso.com", "password": None,
         "role_hint": "room", "type": "room", "timeZone": "Pacific Standard Time"},
    ],
    # client_credentials apps; an app token reaches every mailbox (application permission
    # Calendars.ReadWrite), but not /me (no signed-in user).
    "apps": [
        {"client_id": "0b7c2f3e-1d4a-4e5b-8c6d-7e8f9a0b1c2d", "client_secret": "emulator-app-secret",
         "displayName": "graphcal emulator app"},
    ],
}


def normalise_seed(seed: dict[str, Any] | None) -> dict[str, Any]:
    """A complete seed: defaults filled in, shape checked (ConfigError says what is wrong)."""
    data = copy.deepcopy(DEFAULT_SEED if seed is None else seed)
    if not isinstance(data, dict) or not isinstance(data.get("users"), list) or not data["users"]:
        raise ConfigError("seed: expected a JSON object with a non-empty 'users' list")
    data.setdefault("tenant", TENANT_ID)
    data.setdefault("apps", [])
    seen: set[str] = set()
    for i, user in enumerate(data["users"]):
        for key in ("id", "displayName", "userPrincipalName"):
            if not isinstance(user.get(key), str) or not user[key]:
                raise ConfigError(f"seed: users[{i}] needs a string {key!r}")
        for key in (user["id"].lower(), user["userPrincipalName"].lower()):
            if key in seen:
                raise ConfigError(f"seed: users[{i}] repeats id or userPrincipalName {key!r}")
            seen.add(key)
        user.setdefault("mail", user["userPrincipalName"])
        user.setdefault("password", None)
        user.setdefault("role_hint", None)
        user.setdefault("type", "user")
        user.setdefault("timeZone", "UTC")
    return data


def load_seed(path: str | Path | None) -> dict[str, Any]:
    """The default seed (path None) or the JSON seed file at ``path``."""
    if path is None:
        return normalise_seed(None)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"seed file {path}: cannot read it ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"seed file {path}: not valid JSON ({exc})") from None
    return normalise_seed(raw)


def personas(seed: dict[str, Any]) -> list[dict[str, Any]]:
    """The seed's users in the shape EmulatorServer.personas promises."""
    return [{k: u[k] for k in ("id", "displayName", "userPrincipalName", "mail", "password",
                              "role_hint")} for u in seed["users"]]

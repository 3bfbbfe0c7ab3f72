"""msal can get tokens from the emulator (both grants) through a forwarding http_client."""

from __future__ import annotations

from typing import Any

import httpx
import msal
import pytest

from graphcal.emulator.core.seed import DEFAULT_SEED
from graphcal.emulator.server import EmulatorServer

FAKE = "login.emulator.invalid"


class ToEmulator(httpx.Client):
    """msal's http_client: https://login.emulator.invalid/... is sent to the emulator."""

    def __init__(self, root: str) -> None:
        super().__init__(headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": FAKE})
        self.root = root

    def get(self, url: str, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        return super().get(url.replace(f"https://{FAKE}", self.root), **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        return super().post(url.replace(f"https://{FAKE}", self.root), **kwargs)


def _me(srv: EmulatorServer, token: str) -> httpx.Response:
    return httpx.get(srv.base_url + "/me", headers={"Authorization": f"Bearer {token}"})


def test_msal_client_credentials(shared_server: EmulatorServer) -> None:
    app_reg = DEFAULT_SEED["apps"][0]
    with ToEmulator(shared_server.root_url) as http:
        app = msal.ConfidentialClientApplication(
            app_reg["client_id"], client_credential=app_reg["client_secret"],
            authority=f"https://{FAKE}/{shared_server.tenant}", validate_authority=False,
            instance_discovery=False, http_client=http)
        result = app.acquire_token_for_client(["https://graph.microsoft.com/.default"])
    assert "access_token" in result, result
    r = httpx.get(shared_server.base_url + "/users/MeganB@contoso.com/calendar",
                  headers={"Authorization": f"Bearer {result['access_token']}"})
    assert r.status_code == 200


@pytest.mark.filterwarnings("ignore:This API has been deprecated:DeprecationWarning")
def test_msal_password_grant(shared_server: EmulatorServer) -> None:
    with ToEmulator(shared_server.root_url) as http:
        app = msal.PublicClientApplication(
            "graphcal-tests", authority=f"https://{FAKE}/{shared_server.tenant}",
            validate_authority=False, instance_discovery=False, http_client=http)
        result = app.acquire_token_by_username_password(
            "AdeleV@contoso.com", "adele-emulator-pw", scopes=["Calendars.ReadWrite"])
        bad = app.acquire_token_by_username_password(
            "AdeleV@contoso.com", "wrong", scopes=["Calendars.ReadWrite"])
    assert _me(shared_server, result["access_token"]).json()["userPrincipalName"] == "AdeleV@contoso.com"
    assert bad.get("error") == "invalid_grant"


def test_openid_configuration_for_an_unknown_tenant_is_refused(shared_server: EmulatorServer) -> None:
    r = httpx.get(f"{shared_server.root_url}/fabrikam.com/v2.0/.well-known/openid-configuration")
    assert r.status_code == 400 and r.json()["error"] == "invalid_tenant"

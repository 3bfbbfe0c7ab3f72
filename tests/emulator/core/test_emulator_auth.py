"""Token endpoint (password and client_credentials grants) and the Bearer check."""

from __future__ import annotations

import httpx
import pytest

from graphcal.emulator.core.seed import DEFAULT_SEED
from graphcal.emulator.server import EmulatorServer

from tests.emulator.support import assert_graph_error, client, lunch, token

APP = DEFAULT_SEED["apps"][0]


def _app_client(srv: EmulatorServer) -> httpx.Client:
    r = httpx.post(srv.token_url, data={"grant_type": "client_credentials",
                                        "client_id": APP["client_id"],
                                        "client_secret": APP["client_secret"],
                                        "scope": "https://graph.microsoft.com/.default"})
    assert r.status_code == 200, r.text
    return httpx.Client(base_url=srv.base_url + "/",
                        headers={"Authorization": f"Bearer {r.json()['access_token']}"})


def test_password_grant_answers_an_oauth2_token_response(shared_server: EmulatorServer) -> None:
    r = httpx.post(shared_server.token_url, data={
        "grant_type": "password", "username": "alexw@CONTOSO.com", "password": "alex-emulator-pw",
        "client_id": "c", "scope": "Calendars.ReadWrite"})
    # suite soon: auth invariants (wt-queryauth)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    assert body["access_token"] and body["scope"]
    assert r.headers["cache-control"] == "no-store"


def test_token_endpoint_accepts_common_and_the_tenant_domain(shared_server: EmulatorServer) -> None:
    for tenant in ("common", "organizations", "contoso.com"):
        url = shared_server.token_url.replace(shared_server.tenant, tenant)
        r = httpx.post(url, data={"grant_type": "password", "username": "AlexW@contoso.com",
                                  "password": "alex-emulator-pw"})
        # suite soon: auth invariants (wt-queryauth)
        assert r.status_code == 200, (tenant, r.text)


@pytest.mark.parametrize("form, status, error", [
    ({"grant_type": "password", "username": "AlexW@contoso.com", "password": "wrong"}, 400, "invalid_grant"),
    ({"grant_type": "password", "username": "nobody@contoso.com", "password": "x"}, 400, "invalid_grant"),
    ({"grant_type": "password", "username": "Adams@contoso.com", "password": "x"}, 400, "invalid_grant"),
    ({"grant_type": "password", "username": "AlexW@contoso.com"}, 400, "invalid_request"),
    ({"grant_type": "authorization_code", "code": "x"}, 400, "unsupported_grant_type"),
    ({"username": "AlexW@contoso.com"}, 400, "invalid_request"),
    ({"grant_type": "client_credentials", "client_id": APP["client_id"], "client_secret": "no"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "unknown", "client_secret": "no"}, 400, "unauthorized_client"),
])
def test_token_errors_use_the_oauth2_error_shape(shared_server: EmulatorServer, form: dict,
                                                  status: int, error: str) -> None:
    r = httpx.post(shared_server.token_url, data=form)
    # suite soon: auth invariants (wt-queryauth)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == error
    assert body["error_description"].startswith("AADSTS")
    assert isinstance(body["error_codes"], list) and body["trace_id"] and body["correlation_id"]
    assert "access_token" not in body


def test_unknown_tenant_is_refused(shared_server: EmulatorServer) -> None:
    url = shared_server.token_url.replace(shared_server.tenant, "fabrikam.com")
    r = httpx.post(url, data={"grant_type": "password", "username": "AlexW@contoso.com",
                              "password": "alex-emulator-pw"})
    # suite soon: auth invariants (wt-queryauth)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_no_token_is_401_with_a_graph_error_body(shared_server: EmulatorServer) -> None:
    r = httpx.get(shared_server.base_url + "/me/events")
    # suite soon: auth invariants (wt-queryauth)
    err = assert_graph_error(r, 401, "InvalidAuthenticationToken")
    assert "empty" in err["message"]
    assert r.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic YWxleDpwdw==", "Bearer"])
def test_bad_token_is_401_with_a_graph_error_body(shared_server: EmulatorServer, header: str) -> None:
    r = httpx.get(shared_server.base_url + "/me/events", headers={"Authorization": header})
    # suite soon: auth invariants (wt-queryauth)
    assert_graph_error(r, 401, "InvalidAuthenticationToken")


def test_every_route_needs_the_token(shared_server: EmulatorServer) -> None:
    for method, path in [("GET", "/me"), ("GET", "/me/calendar"), ("GET", "/me/calendars"),
                         ("POST", "/me/events"), ("GET", "/users/AlexW@contoso.com/events")]:
        r = httpx.request(method, shared_server.base_url + path, json=lunch())
        # suite soon: auth invariants (wt-queryauth)
        assert_graph_error(r, 401, "InvalidAuthenticationToken")


def test_a_user_reaches_their_own_mailbox_by_me_id_and_upn(shared_server: EmulatorServer) -> None:
    alex = next(p for p in shared_server.personas if p["userPrincipalName"] == "AlexW@contoso.com")
    with client(shared_server) as c:
        # suite soon: auth invariants (wt-queryauth)
        assert c.get("me").json()["id"] == alex["id"]
        for key in (alex["id"], "AlexW@contoso.com", "alexw@CONTOSO.COM", alex["id"].upper()):
            r = c.get(f"users/{key}/calendar")
            assert r.status_code == 200, (key, r.text)
            assert r.json()["owner"]["address"] == "AlexW@contoso.com"


def test_another_users_mailbox_is_403_access_denied(shared_server: EmulatorServer) -> None:
    with client(shared_server) as c:
        for path in ("users/AdeleV@contoso.com/events", "users/AdeleV@contoso.com/calendar"):
            # suite soon: auth invariants (wt-queryauth)
            assert_graph_error(c.get(path), 403, "ErrorAccessDenied")
        assert_graph_error(c.post("users/MeganB@contoso.com/events", json=lunch()), 403,
                           "ErrorAccessDenied")


def test_an_unknown_user_is_404_invalid_user(shared_server: EmulatorServer) -> None:
    with client(shared_server) as c:
        # suite soon: auth invariants (wt-queryauth)
        assert_graph_error(c.get("users/nobody@contoso.com/events"), 404, "ErrorInvalidUser")


def test_an_app_token_reaches_every_mailbox_but_not_me(shared_server: EmulatorServer) -> None:
    with _app_client(shared_server) as app:
        r = app.post("users/AdeleV@contoso.com/events", json=lunch(subject="by the app"))
        # suite soon: auth invariants (wt-queryauth)
        assert r.status_code == 201, r.text
        assert r.json()["organizer"]["emailAddress"]["address"] == "AdeleV@contoso.com"
        assert app.get("users/MeganB@contoso.com/calendar").status_code == 200
        assert_graph_error(app.get("me/events"), 400, "BadRequest")


def test_each_password_token_speaks_for_its_user(shared_server: EmulatorServer) -> None:
    t = token(shared_server, "MeganB@contoso.com")
    r = httpx.get(shared_server.base_url + "/me", headers={"Authorization": f"Bearer {t}"})
    # suite soon: auth invariants (wt-queryauth)
    assert r.json()["userPrincipalName"] == "MeganB@contoso.com"


def test_refresh_token_grant_gives_a_new_token_for_the_same_user(shared_server: EmulatorServer) -> None:
    first = httpx.post(shared_server.token_url, data={
        "grant_type": "password", "username": "ChristieC@contoso.com", "password": "christie-emulator-pw"}).json()
    r = httpx.post(shared_server.token_url, data={"grant_type": "refresh_token",
                                                  "refresh_token": first["refresh_token"]})
    # suite soon: auth invariants (wt-queryauth)
    assert r.status_code == 200
    again = r.json()
    assert again["access_token"] != first["access_token"] and again["refresh_token"]
    me = httpx.get(shared_server.base_url + "/me", headers={"Authorization": f"Bearer {again['access_token']}"})
    assert me.json()["userPrincipalName"] == "ChristieC@contoso.com"
    bad = httpx.post(shared_server.token_url, data={"grant_type": "refresh_token", "refresh_token": "nope"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"

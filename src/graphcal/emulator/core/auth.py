"""Authentication: the OAuth2 v2.0 token endpoint and the Bearer check on every Graph call.

Token endpoint: ``POST /{tenant}/oauth2/v2.0/token`` (form-encoded) with ``grant_type=password``
(username, password, client_id, scope), ``client_credentials`` (client_id, client_secret,
scope) or ``refresh_token`` (a refresh token a password grant gave). Errors there use the OAuth2
error shape (``error``, ``error_description``), as Entra ID answers; errors on Graph calls use
Graph's error body.

Access tokens expire ``expires_in`` seconds after they are issued (3599, as Entra's do); a Graph
call with an expired one answers 401 InvalidAuthenticationToken. So that a suite can prove it
without waiting an hour, the token endpoint takes one emulator-only form field,
``graphcal_expires_in`` (seconds, 0 or more): the token's lifetime, echoed as ``expires_in``;
``0`` issues a token that is already expired. Entra ignores the field (its ``expires_in`` then
says the token is fresh), which is how a client tells whether it got an expired token.

Who may open which mailbox is ``app.state.mailbox_access`` (a callable
``(principal, owner, request) -> bool``); the default lets a user reach only their own mailbox
and an app every mailbox. The delegation feature replaces it.
"""

from __future__ import annotations

import secrets
import time
import uuid
from urllib.parse import parse_qs
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.core.faults import Fault, active
from graphcal.emulator.core.store import Principal, Store, User

TOKEN_LIFETIME_S = 3599
_DELEGATED_SCOPE = "Calendars.ReadWrite Calendars.ReadWrite.Shared MailboxSettings.Read User.Read"
_APP_SCOPE = "https://graph.microsoft.com/.default"
LIFETIME_FIELD = "graphcal_expires_in"  # the emulator-only lifetime request (module docstring)

# Authentication faults (issue 15): the core owns them, as every Graph call is authenticated here.
AUTH_FAULTS: tuple[Fault, ...] = (
    Fault("no-token-required", "a Graph call without an Authorization header is served as the "
          "first seeded user", breaks=("EVT-AUTH-1",)),
    Fault("accept-any-token", "any Bearer token (unknown, malformed or expired) is accepted as the "
          "first seeded user", breaks=("EVT-AUTH-2", "EVT-AUTH-3")),
    Fault("accept-expired-token", "expired access tokens are still accepted", breaks=("EVT-AUTH-3",)),
    Fault("own-id-other-mailbox", "/users/{own id} serves another user's mailbox than /me",
          breaks=("EVT-AUTH-4",)),
)


def default_mailbox_access(principal: Principal, owner: User, request: Request) -> bool:
    return principal.app_id is not None and principal.user_id is None or principal.user_id == owner.id


def _oauth_error(status: int, error: str, code: int, description: str) -> JSONResponse:
    now = datetime.now(timezone.utc)
    trace = str(uuid.uuid4())
    return JSONResponse({
        "error": error,
        "error_description": f"AADSTS{code}: {description}\r\nTrace ID: {trace}\r\n"
                             f"Timestamp: {now.strftime('%Y-%m-%d %H:%M:%SZ')}",
        "error_codes": [code],
        "timestamp": now.strftime("%Y-%m-%d %H:%M:%SZ"),
        "trace_id": trace,
        "correlation_id": str(uuid.uuid4()),
    }, status_code=status)


async def token_endpoint(request: Request) -> Response:
    store: Store = request.app.state.store
    tenant = request.path_params["tenant"]
    if tenant.lower() not in request.app.state.tenant_aliases:
        return _oauth_error(400, "invalid_request", 90002,
                            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID.")
    # Parsed here rather than with request.form(): that needs python-multipart, and the
    # token request is always application/x-www-form-urlencoded.
    try:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8"),
                                               keep_blank_values=True).items()}
    except UnicodeDecodeError:
        return _oauth_error(400, "invalid_request", 900144, "The request body must be form-encoded.")
    grant = form.get("grant_type")
    if not grant:
        return _oauth_error(400, "invalid_request", 900144,
                            "The request body must contain the following parameter: 'grant_type'.")
    if grant == "password":
        username, password = form.get("username"), form.get("password")
        if not username or not password:
            return _oauth_error(400, "invalid_request", 900144,
                                "The request body must contain the following parameters: "
                                "'username' and 'password'.")
        user = store.user(str(username))
        if user is None or user.password is None or not secrets.compare_digest(
                user.password, str(password)):
            return _oauth_error(400, "invalid_grant", 50126,
                                "Error validating credentials due to invalid username or password.")
        principal = Principal(user_id=user.id, app_id=str(form.get("client_id") or ""),
                              scope=_DELEGATED_SCOPE)
    elif grant == "client_credentials":
        app = store.apps.get(str(form.get("client_id") or ""))
        if app is None:
            return _oauth_error(400, "unauthorized_client", 700016,
                                f"Application with identifier '{form.get('client_id')}' was not "
                                f"found in the directory.")
        if not secrets.compare_digest(str(app["client_secret"]), str(form.get("client_secret") or "")):
            return _oauth_error(401, "invalid_client", 7000215,
                                "Invalid client secret provided.")
        principal = Principal(user_id=None, app_id=app["client_id"], scope=_APP_SCOPE)
    elif grant == "refresh_token":
        principal = store.refresh_tokens.get(str(form.get("refresh_token") or ""))
        if principal is None:
            return _oauth_error(400, "invalid_grant", 9002313,
                                "Invalid request. Request is malformed or invalid.")
    else:
        return _oauth_error(400, "unsupported_grant_type", 70003,
                            f"The app requested an unsupported grant type '{grant}'.")
    lifetime = TOKEN_LIFETIME_S
    if LIFETIME_FIELD in form:
        if not str(form[LIFETIME_FIELD]).isdigit():
            return _oauth_error(400, "invalid_request", 900144,
                                f"'{LIFETIME_FIELD}' must be a whole number of seconds.")
        lifetime = min(int(form[LIFETIME_FIELD]), TOKEN_LIFETIME_S)
    token = "emu." + secrets.token_urlsafe(32)
    with store.lock:
        store.tokens[token] = principal
        store.token_expiry[token] = time.time() + lifetime
    body: dict[str, Any] = {"token_type": "Bearer", "scope": principal.scope,
                            "expires_in": lifetime, "ext_expires_in": lifetime,
                            "access_token": token}
    if principal.user_id is not None:  # delegated grants get a refresh token (msal's silent flow)
        refresh = "emu-refresh." + secrets.token_urlsafe(24)
        with store.lock:
            store.refresh_tokens[refresh] = principal
        body["refresh_token"] = refresh
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def openid_configuration(request: Request) -> Response:
    """OpenID discovery, which msal reads before it asks for a token.

    msal insists on https for the authority and the token endpoint: point it at a made-up
    https host and give it an ``http_client`` that sends those requests to the emulator with
    ``X-Forwarded-Proto``/``X-Forwarded-Host`` naming the made-up host, as a proxy would; the
    endpoints below are then spelled with that host (see test_emulator_msal.py).
    """
    tenant = request.path_params["tenant"]
    if tenant.lower() not in request.app.state.tenant_aliases:
        return _oauth_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
    proto = request.headers.get("x-forwarded-proto", request.url.scheme)
    host = request.headers.get("x-forwarded-host", request.url.netloc)
    root = f"{proto}://{host}/{request.app.state.store.tenant}"
    return JSONResponse({
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        "issuer": f"{root}/v2.0",
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "grant_types_supported": ["password", "client_credentials"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "offline_access"],
        "tenant_region_scope": "NA",
    })


async def user_realm(request: Request) -> Response:
    """Home realm discovery msal does before a password grant: every seeded user is Managed."""
    username = request.path_params["username"]
    user = request.app.state.store.user(username)
    domain = username.rpartition("@")[2]
    return JSONResponse({"ver": "1.0", "account_type": "Managed" if user else "Unknown",
                         "domain_name": domain, "cloud_instance_name": "microsoftonline.com",
                         "cloud_audience_urn": "urn:federation:MicrosoftOnline"})


def authenticate(request: Request) -> Principal:
    """The principal behind the request's Bearer token; 401 InvalidAuthenticationToken if none."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": 'Bearer realm="", authorization_uri='
                 '"https://login.microsoftonline.com/common/oauth2/authorize"'}
    store: Store = request.app.state.store
    if not header or not token:
        if active(request, "no-token-required"):
            return _first_user(store)
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", challenge)
    principal = store.tokens.get(token) if scheme.lower() == "bearer" else None
    if principal is None:
        if active(request, "accept-any-token"):
            return _first_user(store)
        raise GraphError(401, "InvalidAuthenticationToken",
                         "Access token validation failure. Invalid audience.", challenge)
    expired = time.time() >= store.token_expiry.get(token, float("inf"))
    if expired and not (active(request, "accept-expired-token") or active(request, "accept-any-token")):
        raise GraphError(401, "InvalidAuthenticationToken",
                         "Lifetime validation failed, the token is expired.", challenge)
    return principal


def _first_user(store: Store) -> Principal:
    """Who a fault lets an unauthenticated caller be: the first seeded person."""
    user = next(u for u in store.users.values() if u.password is not None)
    return Principal(user_id=user.id, app_id="", scope=_DELEGATED_SCOPE)


def mailbox(request: Request) -> User:
    """The mailbox the path names (``/me`` or ``/users/{id|upn}``), after the access check."""
    principal = authenticate(request)
    store: Store = request.app.state.store
    key = request.path_params.get("user")
    if key is None:  # /me
        if principal.user_id is None:
            raise GraphError(400, "BadRequest",
                             "/me request is only valid with delegated authentication flow.")
        return store.users[principal.user_id]
    owner = store.user(key)
    if owner is not None and owner.id == principal.user_id and active(request, "own-id-other-mailbox"):
        return next(u for u in store.users.values() if u.id != owner.id and u.password is not None)
    if owner is None:  # Graph's answer for a mailbox it cannot resolve
        raise GraphError(404, "ErrorInvalidUser", f"The requested user '{key}' is invalid.")
    if not request.app.state.mailbox_access(principal, owner, request):
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
    return owner

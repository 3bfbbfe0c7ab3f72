"""Authentication: the OAuth2 v2.0 token endpoint and the Bearer check on every Graph call.

Token endpoint: ``POST /{tenant}/oauth2/v2.0/token`` (form-encoded) with ``grant_type=password``
(username, password, client_id, scope), ``client_credentials`` (client_id, client_secret,
scope) or ``refresh_token`` (a refresh token a password grant gave). Tokens do not expire. Errors there use the OAuth2 error shape (``error``, ``error_description``), as Entra ID
answers; errors on Graph calls use Graph's error body.

Who may open which mailbox is ``app.state.mailbox_access`` (a callable
``(principal, owner, request) -> bool``); the default lets a user reach only their own mailbox
and an app every mailbox. The delegation feature replaces it.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs
import uuid
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.core.store import Principal, Store, User

TOKEN_LIFETIME_S = 3599
_DELEGATED_SCOPE = "Calendars.ReadWrite Calendars.ReadWrite.Shared MailboxSettings.Read User.Read"
_APP_SCOPE = "https://graph.microsoft.com/.default"


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
    token = "emu." + secrets.token_urlsafe(32)
    with store.lock:
        store.tokens[token] = principal
    body: dict[str, Any] = {"token_type": "Bearer", "scope": principal.scope,
                            "expires_in": TOKEN_LIFETIME_S, "ext_expires_in": TOKEN_LIFETIME_S,
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
    if not header or not token:
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", challenge)
    principal = request.app.state.store.tokens.get(token) if scheme.lower() == "bearer" else None
    if principal is None:
        raise GraphError(401, "InvalidAuthenticationToken",
                         "Access token validation failure. Invalid audience.", challenge)
    return principal


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
    if owner is None:  # Graph's answer for a mailbox it cannot resolve
        raise GraphError(404, "ErrorInvalidUser", f"The requested user '{key}' is invalid.")
    if not request.app.state.mailbox_access(principal, owner, request):
        raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
    return owner

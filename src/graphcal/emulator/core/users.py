"""Users and mailbox settings: ``/me``, ``/users/{id|upn}``, ``/mailboxSettings`` (GET)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphcal.emulator.core.auth import mailbox
from graphcal.emulator.core.routing import context_user, json_response, mailbox_routes
from graphcal.emulator.core.serialize import GRAPH_ROOT, user_context


async def get_user(request: Request) -> Response:
    user = mailbox(request)
    return json_response(request, {
        "@odata.context": f"{GRAPH_ROOT}/$metadata#users/$entity",
        "businessPhones": [], "displayName": user.displayName,
        "givenName": user.displayName.split(" ")[0] if user.type == "user" else None,
        "jobTitle": None, "mail": user.mail, "mobilePhone": None, "officeLocation": None,
        "preferredLanguage": "en-US",
        "surname": user.displayName.split(" ", 1)[-1] if user.type == "user" else None,
        "userPrincipalName": user.userPrincipalName, "id": user.id})


async def get_mailbox_settings(request: Request) -> Response:
    user = mailbox(request)
    return json_response(request, {
        "@odata.context": user_context(context_user(request, user), "mailboxSettings"),
        **user.mailboxSettings})


ROUTES: list[Route] = [
    *mailbox_routes("", {"GET": get_user}),
    *mailbox_routes("/mailboxSettings", {"GET": get_mailbox_settings}),
]

"""What every feature shares: the store, routing, errors, auth, OData, Prefer, serialisation,
the event hooks and the core's own routes (sign-in, users, ``/me``, mailboxSettings).

:data:`CORE` is the core as the app assembles it (its routes come before every feature's).
"""

from __future__ import annotations

from starlette.routing import Route

from graphcal.emulator.core import auth, users
from graphcal.emulator.core.faults import CORE_FAULTS
from graphcal.emulator.core.feature import Feature

CORE = Feature(
    key="core",
    routes=(
        Route("/{tenant}/oauth2/v2.0/token", auth.token_endpoint, methods=["POST"]),
        Route("/{tenant}/v2.0/.well-known/openid-configuration", auth.openid_configuration,
              methods=["GET"]),
        Route("/common/userrealm/{username}", auth.user_realm, methods=["GET"]),
        *users.ROUTES,
    ),
    faults=CORE_FAULTS + auth.AUTH_FAULTS,  # the authentication faults live beside the check
)

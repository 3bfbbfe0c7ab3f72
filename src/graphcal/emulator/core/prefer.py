"""Prefer headers: what a request asks for (zone, body type, page size) and Preference-Applied.

``prefs(request)`` is the one parser; ``Prefs.applied`` gives the Preference-Applied value that
``routing.json_response`` sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.requests import Request

from graphcal import timezones
from graphcal.emulator.core.errors import GraphError
from graphcal.emulator.core.faults import active

_PREFER_ITEM = re.compile(r'([A-Za-z][\w.\-]*)\s*=\s*(?:"([^"]*)"|([^,;\s]+))')


@dataclass(frozen=True)
class Prefs:
    """What the request's Prefer headers ask for."""

    timezone: str | None = None      # the zone name as the client spelled it
    body_type: str | None = None     # "text" | "html"
    max_page_size: int | None = None

    def applied(self, *, collection: bool = True) -> str | None:
        """The Preference-Applied value; odata.maxpagesize only applies to collections."""
        parts = []
        if self.timezone is not None:
            parts.append(f'outlook.timezone="{self.timezone}"')
        if self.body_type is not None:
            parts.append(f'outlook.body-content-type="{self.body_type}"')
        if self.max_page_size is not None and collection:
            parts.append(f"odata.maxpagesize={self.max_page_size}")
        return ", ".join(parts) or None


def prefs(request: Request) -> Prefs:
    """Parse ``Prefer``; an unknown zone is 400 TimeZoneNotSupportedException, never ignored."""
    tz = body = page = None
    for header in request.headers.getlist("prefer"):
        for name, quoted, bare in _PREFER_ITEM.findall(header):
            value = quoted if quoted or not bare else bare
            key = name.lower()
            if key == "outlook.timezone":
                if not timezones.is_known(value):
                    raise GraphError(400, "TimeZoneNotSupportedException",
                                     f"A valid TimeZone value must be specified. The following "
                                     f"TimeZone value is not supported: '{value}'.")
                tz = value
            elif key == "outlook.body-content-type":
                if value.lower() not in ("text", "html"):
                    raise GraphError(400, "ErrorInvalidRequest",
                                     f"The value '{value}' of outlook.body-content-type is not "
                                     f"supported: use \"text\" or \"html\".")
                body = value.lower()
            elif key == "odata.maxpagesize" and value.isdigit() and int(value) > 0:
                page = int(value)
    if active(request, "ignore-prefer-timezone"):
        tz = None
    return Prefs(tz, body, page)

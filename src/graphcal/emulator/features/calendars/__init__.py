"""Calendars: the read-only calendar routes (``/calendar``, ``/calendars``, ``/calendars/{id}``)."""

from __future__ import annotations

from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.calendars import routes

FEATURE = Feature(key="calendars", routes=tuple(routes.ROUTES))

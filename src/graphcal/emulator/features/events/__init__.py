"""Events: create, list, get, update and delete of events (the event item and collection routes).

The event resource itself (validation, defaults, writes, serialisation) is the core's
(``core.events``, ``core.serialize``): recurrence and scheduling write and render events too.
This feature owns the routes and the faults that bend the event resource.
"""

from __future__ import annotations

from graphcal.emulator.core.faults import Fault
from graphcal.emulator.core.feature import Feature
from graphcal.emulator.features.events import routes

FAULTS: tuple[Fault, ...] = (
    Fault("stale-changekey", "PATCH keeps the old changeKey and @odata.etag instead of issuing new ones"),
    Fault("ignore-prefer-timezone", "Prefer: outlook.timezone is ignored: times come back in UTC"),
    Fault("duplicate-transaction", "a retried create with the same transactionId creates a second event"),
    Fault("drop-transaction-id", "transactionId is not returned in event payloads"),
    Fault("six-digit-datetimes", "start/end dateTime carry 6 fractional digits instead of 7"),
    Fault("location-not-mirrored", "location and locations are not kept in correspondence"),
    Fault("no-online-meeting", "isOnlineMeeting true produces no onlineMeeting (joinUrl)"),
    Fault("recurrence-not-normalised", "recurrence comes back as sent instead of Graph's normalised form"),)

FEATURE = Feature(key="events", routes=tuple(routes.ROUTES), faults=FAULTS)

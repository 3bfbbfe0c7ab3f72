"""Fault switches: named misbehaviours a test turns on to prove that an invariant can fail.

A feature module checks ``name in request.app.state.faults``. Every name is listed here.
"""

from __future__ import annotations

FAULTS: dict[str, str] = {
    "stale-changekey": "PATCH keeps the old changeKey and @odata.etag instead of issuing new ones",
    "ignore-prefer-timezone": "Prefer: outlook.timezone is ignored: times come back in UTC",
    "no-preference-applied": "responses omit the Preference-Applied header",
    "duplicate-transaction": "a retried create with the same transactionId creates a second event",
    "drop-transaction-id": "transactionId is not returned in event payloads",
    "six-digit-datetimes": "start/end dateTime carry 6 fractional digits instead of 7",
    "location-not-mirrored": "location and locations are not kept in correspondence",
    "no-online-meeting": "isOnlineMeeting true produces no onlineMeeting (joinUrl)",
    "recurrence-not-normalised": "recurrence comes back as sent instead of Graph's normalised form",
    "error-body-plain": "error responses carry a plain-text body instead of Graph's JSON error",
}


def check_names(names: frozenset[str] | set[str] | list[str]) -> frozenset[str]:
    """The names as a frozenset; raises ValueError naming the unknown ones."""
    unknown = sorted(set(names) - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault switch(es) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(FAULTS))}")
    return frozenset(names)

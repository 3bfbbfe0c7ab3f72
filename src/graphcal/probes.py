"""Effect probes: did a write whose answer was lost happen? (``GraphClient.post(effect=...)``)

The client calls a probe only after a 503 or a lost connection, before repeating a POST that is
not idempotent; a clean run never calls one, so its requests (and cassettes) stay the same.
A probe answers the created item (a dict), ``True`` (the action's effect is seen) or a falsy
value (not done: the POST is repeated). Its reads go through the client, so they are retried
like any GET.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping
from urllib.parse import quote

from graphcal.client import GraphClient

# The attendee's own responseStatus.response once an action took effect (event-accept.md,
# event-tentativelyaccept.md, event-decline.md; resources/responsestatus.md).
RESPONSE_OF_ACTION = {"accept": "accepted", "tentativelyAccept": "tentativelyAccepted", "decline": "declined"}
# How far the target's clock may be behind ours when telling a new event from an older one.
CLOCK_SKEW = timedelta(seconds=60)


def created(client: GraphClient, path: str, body: Mapping[str, Any],
            headers: Mapping[str, str] | None = None) -> Callable[[], Any]:
    """Probe for a create sent without transactionId: the marker is what the create itself sent
    (its subject, and its start and end as instants) on an event created since the POST was first
    sent, the newest, then read on its own. Both reads carry the create's own headers (a Prefer:
    outlook.timezone shapes the item as the create's answer would be)."""
    from graphcal.invariants.common import slot_instants  # the instants of a Graph timeSlot

    since = datetime.now(timezone.utc) - CLOCK_SKEW
    subject = str(body.get("subject", ""))
    try:
        slot = slot_instants(body)
    except ValueError:
        slot = None  # a create the target should refuse (no start/end): nothing to look for
    listing = path if path.endswith("/events") else "/me/events"
    params = {"$filter": "subject eq '{}'".format(subject.replace("'", "''")), "$top": "50"}

    def same_slot(item: Mapping[str, Any]) -> bool:
        try:
            return slot_instants(item) == slot
        except ValueError:
            return False

    def probe() -> Any:
        if slot is None:
            return None
        r = client.get(listing, params=params, headers=headers)
        listed = r.body.get("value") if r.ok and isinstance(r.body, dict) else None
        found = [item for item in listed if isinstance(item, dict) and item.get("subject") == subject
                 and same_slot(item) and _created_since(item, since)] if isinstance(listed, list) else []
        newest = max(found, key=lambda item: str(item.get("createdDateTime")), default=None)
        if newest is None or not isinstance(newest.get("id"), str):
            return newest
        # the entity as a single read gives it (its own @odata.context, as the create's answer
        # has), not the listing's row of it
        r = client.get(f"{listing}/{quote(newest['id'], safe='')}", headers=headers)
        return r.body if r.ok and isinstance(r.body, dict) else newest

    return probe


def responded(client: GraphClient, event_id: str, action: str) -> Callable[[], bool]:
    """Probe for accept / tentativelyAccept / decline on the attendee's copy ``event_id``: done
    when the copy's own responseStatus says so (a declined copy may also be gone: 404)."""
    expected = RESPONSE_OF_ACTION[action]

    def probe() -> bool:
        r = client.get(f"/me/events/{event_id}", params={"$select": "responseStatus"})
        if r.status == 404:
            return action == "decline"
        status = r.body.get("responseStatus") if r.ok and isinstance(r.body, dict) else None
        return isinstance(status, dict) and status.get("response") == expected

    return probe


def _created_since(item: Mapping[str, Any], since: datetime) -> bool:
    from dateutil.parser import isoparse

    try:
        made = isoparse(str(item.get("createdDateTime")))
    except (ValueError, OverflowError):
        return False
    return (made if made.tzinfo else made.replace(tzinfo=timezone.utc)) >= since

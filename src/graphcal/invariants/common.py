"""What the feature modules' check functions share: reading answers and payloads, and turning
what a check found into an Outcome.

Every reader is pure and total on what a wrong server may send: a value of the wrong type reads
as missing (None, an empty object or list), never as an exception, except the time readers,
which raise ValueError saying what is wrong (a check turns that into a failed Outcome).

A "response" is anything with a ``status`` (and optionally ``body``, ``text``, ``headers``,
``json_error``) attribute, such as ``graphcal.client.GraphResponse``; the status readers also
take a mapping with those keys or a bare status code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from graphcal import timezones
from graphcal.invariants.registry import Outcome

__all__ = [
    "status_of", "body_of", "text_of", "header", "what_came_back", "graph_error",
    "obj", "items", "casefold",
    "address", "same_address", "find_attendee", "organizer_copy_problems",
    "not_an_event", "unexpected_status", "problems_outcome",
    "instant_of", "instant", "slot_instants", "timestamp", "is_seven_digit_date_time",
]


# --- answers ------------------------------------------------------------------------------------

def status_of(response: Any) -> int | None:
    """The HTTP status of a response, a mapping with a ``status`` key, or a bare status code."""
    if isinstance(response, int):
        return response
    if isinstance(response, Mapping):
        return response.get("status")
    return getattr(response, "status", None)


def body_of(response: Any) -> Any:
    """The parsed JSON body of a response (None when there is none)."""
    if isinstance(response, Mapping):
        return response.get("body")
    return getattr(response, "body", None)


def text_of(response: Any) -> str:
    """The raw text of a response ('' when there is none)."""
    if isinstance(response, Mapping):
        return response.get("text") or ""
    return getattr(response, "text", "") or ""


def header(response: Any, name: str) -> str | None:
    """A response header, case-insensitively, whatever mapping or pair list holds the headers."""
    headers = getattr(response, "headers", None) or {}
    pairs = headers.items() if hasattr(headers, "items") else headers
    wanted = name.casefold()
    for key, value in pairs:
        if str(key).casefold() == wanted:
            return value
    return None


def graph_error(body: Any) -> dict[str, Any] | None:
    """The ``error`` object of Graph's error envelope ``{"error": {"code", "message"}}``, or None."""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else None


def what_came_back(response: Any) -> str:
    """A short description of an answer for a failure message: non-JSON, a Graph error, an object."""
    error = getattr(response, "json_error", None)
    body = body_of(response)
    if error:
        return f"a non-JSON answer ({error})"
    if (err := graph_error(body)) is not None:
        return f"error {err.get('code')!r}: {err.get('message')!r}"
    return "no event object" if not isinstance(body, dict) else "an event object"


# --- payloads -----------------------------------------------------------------------------------

def obj(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: a wrong payload reads as missing."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """``value`` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def casefold(value: Any) -> Any:
    """Strings case-folded (Graph compares enum members and addresses case-insensitively)."""
    return value.casefold() if isinstance(value, str) else value


def address(recipient: Any) -> str | None:
    """The SMTP address of a recipient or attendee (``emailAddress.address``), or None."""
    if not isinstance(recipient, Mapping):
        return None
    email = recipient.get("emailAddress")
    return email.get("address") if isinstance(email, Mapping) else None


def same_address(a: str | None, b: str | None) -> bool:
    """Two SMTP addresses name the same mailbox (case and surrounding spaces ignored)."""
    return bool(a) and bool(b) and a.strip().casefold() == b.strip().casefold()


def find_attendee(event: Mapping[str, Any], wanted: str) -> Mapping[str, Any] | None:
    """The attendee entry of ``event`` for the address ``wanted`` (case-insensitive), or None."""
    for attendee in event.get("attendees") or []:
        if same_address(address(attendee), wanted):
            return attendee
    return None


def organizer_copy_problems(event: Mapping[str, Any]) -> list[str]:
    """What shows that ``event`` is not the organizer's own copy of a meeting: isOrganizer not
    true, or responseStatus.response not 'organizer' (the event resource)."""
    problems = []
    if event.get("isOrganizer") is not True:
        problems.append(f"isOrganizer {event.get('isOrganizer')!r}, expected true")
    response = obj(event.get("responseStatus")).get("response")
    if response != "organizer":
        problems.append(f"responseStatus.response {response!r}, expected 'organizer'")
    return problems


def not_an_event(event: Any, what: str = "the event") -> Outcome | None:
    """A failed Outcome when ``event`` is no event object (not an object, or Graph's error
    envelope); None when it is one and the check can read it."""
    if isinstance(event, dict) and "error" not in event:
        return None
    return Outcome.fail(f"{what} is not an event object", actual=event)


def unexpected_status(response: Any, wanted: int, expected: str | None = None, *,
                      when: str = "") -> Outcome | None:
    """None when the response has status ``wanted``; else a failed Outcome naming the status,
    the one expected (``expected``: e.g. "201 Created") and what came back."""
    status = status_of(response)
    if status == wanted:
        return None
    return Outcome.fail(f"status {status}{when}, expected {expected or wanted}; got {what_came_back(response)}",
                        expected=wanted, actual=status)


def graph_error_answer(response: Any, wanted: int, expected: str | None = None, *,
                       when: str = "") -> Outcome:
    """Pass when the response has status ``wanted`` and Graph's error object with a code
    (``{"error": {"code", "message"}}``); else fail naming what came back."""
    if (wrong := unexpected_status(response, wanted, expected, when=when)) is not None:
        return wrong
    if not obj(graph_error(body_of(response))).get("code"):
        return Outcome.fail(f"{wanted}{when} without a JSON error object: {what_came_back(response)}",
                            actual=body_of(response))
    return Outcome.ok()


def problems_outcome(problems: Iterable[str], *, actual: Any = None) -> Outcome:
    """Pass when a check found no problems; else fail with them joined by '; '."""
    found = list(problems)
    return Outcome.fail("; ".join(found), actual=actual) if found else Outcome.ok()


# --- times --------------------------------------------------------------------------------------

def _get_ci(mapping: Mapping[str, Any], key: str) -> Any:
    for k, v in mapping.items():
        if k.casefold() == key.casefold():
            return v
    return None


def instant_of(value: Any, *, lenient_keys: bool = False) -> datetime:
    """A Graph dateTimeTimeZone as an aware UTC instant; ValueError says what is wrong.

    ``lenient_keys`` accepts the PascalCase ``DateTime``/``TimeZone`` keys of the proposals
    walkthrough's tentativelyAccept body; payloads from a target are always read strictly.
    """
    if not isinstance(value, Mapping):
        raise ValueError(f"expected a dateTimeTimeZone object, got {value!r}")
    get = (lambda k: _get_ci(value, k)) if lenient_keys else value.get
    date_time, zone_name = get("dateTime"), get("timeZone")
    if not isinstance(date_time, str) or not isinstance(zone_name, str):
        raise ValueError(f"dateTimeTimeZone needs string dateTime and timeZone, got {dict(value)!r}")
    return timezones.to_instant(date_time, zone_name)  # UnknownTimeZone is a ValueError


def instant(event: Mapping[str, Any], key: str) -> datetime:
    """An event's ``start`` or ``end`` as a UTC instant (ValueError when unreadable)."""
    value = event.get(key)
    if not isinstance(value, Mapping) or not isinstance(value.get("dateTime"), str) \
            or not isinstance(value.get("timeZone"), str):
        raise ValueError(f"{key} is not a dateTimeTimeZone: {value!r}")
    return instant_of(value)


def slot_instants(slot: Any, *, lenient_keys: bool = False) -> tuple[datetime, datetime]:
    """A Graph timeSlot (``{"start": ..., "end": ...}``) as a pair of UTC instants."""
    if not isinstance(slot, Mapping):
        raise ValueError(f"expected a timeSlot object, got {slot!r}")
    get = (lambda k: _get_ci(slot, k)) if lenient_keys else slot.get
    return (instant_of(get("start"), lenient_keys=lenient_keys),
            instant_of(get("end"), lenient_keys=lenient_keys))


def timestamp(value: Any) -> datetime | None:
    """An ISO 8601 DateTimeOffset with an offset (``...Z``) as an aware datetime, else None."""
    if not isinstance(value, str):
        return None
    try:
        dt = timezones.parse_local(value)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


_SEVEN_DIGITS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}")


def is_seven_digit_date_time(value: Any) -> bool:
    """``value`` is a dateTime in the form every documented answer uses: no offset, seven
    fractional digits (``2017-08-29T04:00:00.0000000``)."""
    return isinstance(value, str) and _SEVEN_DIGITS.fullmatch(value) is not None

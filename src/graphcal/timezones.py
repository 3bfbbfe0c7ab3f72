"""Time zones as Graph names them: Windows names (``Pacific Standard Time``) and IANA names.

The Windows <-> IANA mapping is CLDR's windowsZones table as shipped by ``tzlocal``
(regenerated from CLDR upstream by its maintainers); zone rules come from ``zoneinfo`` with the
``tzdata`` package. Nothing here is a hand-written table.

Graph's wire format for ``dateTimeTimeZone.dateTime`` is a local wall-clock time with seven
fractional digits and no offset (``2019-12-26T02:00:00.0000000``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tzlocal.windows_tz import tz_win, win_tz

__all__ = [
    "UnknownTimeZone",
    "zone",
    "is_known",
    "windows_name",
    "parse_local",
    "to_instant",
    "to_local",
    "format_local",
    "format_instant",
]

# Names Graph treats as UTC besides the CLDR ones.
_UTC_ALIASES = {"utc", "coordinated universal time", "tzone://microsoft/utc", "etc/utc", "z"}

_LOCAL_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?"
    r"(Z|[+-]\d{2}:\d{2})?$"
)


class UnknownTimeZone(ValueError):
    """A time zone name that is neither a Windows name known to CLDR nor an IANA name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown time zone {name!r}: use a Windows name such as "
                         f"'Pacific Standard Time' or an IANA name such as 'America/Los_Angeles'")
        self.name = name


@lru_cache(maxsize=None)
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The zone for a Windows or IANA name, case-insensitively for Windows names."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone(str(name))
    key = name.strip()
    if key.lower() in _UTC_ALIASES:
        return ZoneInfo("UTC")
    iana = win_tz.get(key) or _windows_casefold().get(key.lower())
    if iana is None and key in _iana_names():
        iana = key
    if iana is None:
        raise UnknownTimeZone(name)
    try:
        return ZoneInfo(iana)
    except ZoneInfoNotFoundError as exc:  # CLDR names a zone tzdata lacks
        raise UnknownTimeZone(name) from exc


@lru_cache(maxsize=None)
def _windows_casefold() -> dict[str, str]:
    return {k.lower(): v for k, v in win_tz.items()}


def is_known(name: str) -> bool:
    try:
        zone(name)
    except UnknownTimeZone:
        return False
    return True


def windows_name(name: str) -> str | None:
    """The Windows name for an IANA (or Windows) name, or None where CLDR has none."""
    if name in win_tz:
        return name
    return tz_win.get(name)


def parse_local(value: str) -> datetime:
    """Parse a Graph dateTime string (0-7 fractional digits; an offset or Z is tolerated).

    Returns a naive datetime when the string has no offset, an aware one otherwise.
    Raises ValueError with a readable message on anything else.
    """
    if not isinstance(value, str):
        raise ValueError(f"dateTime must be a string, got {type(value).__name__}")
    m = _LOCAL_RE.match(value.strip())
    if not m:
        raise ValueError(f"not an ISO 8601 dateTime: {value!r}")
    y, mo, d, h, mi, s, frac, off = m.groups()
    micro = int((frac or "0").ljust(7, "0")[:6])
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
    except ValueError as exc:
        raise ValueError(f"not a valid dateTime: {value!r} ({exc})") from None
    if off == "Z":
        dt = dt.replace(tzinfo=timezone.utc)
    elif off:
        sign = 1 if off[0] == "+" else -1
        hours, minutes = int(off[1:3]), int(off[4:6])
        dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    return dt


def to_instant(date_time: str | datetime, zone_name: str) -> datetime:
    """A Graph (dateTime, timeZone) pair as an aware UTC instant."""
    dt = date_time if isinstance(date_time, datetime) else parse_local(date_time)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(zone_name))
    return dt.astimezone(timezone.utc)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """An instant as naive wall-clock time in the named zone."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(zone(zone_name)).replace(tzinfo=None)


def format_local(dt: datetime) -> str:
    """Graph's dateTimeTimeZone.dateTime form: seven fractional digits, no offset."""
    return dt.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}0"


def format_instant(instant: datetime) -> str:
    """Graph's DateTimeOffset form for createdDateTime and friends: UTC, 7 digits, trailing Z."""
    utc = instant.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond:06d}0Z"

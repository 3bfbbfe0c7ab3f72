"""graphcal.timezones: Windows/IANA names through CLDR + zoneinfo, and Graph's dateTime format."""

from datetime import datetime, timezone

import pytest

from graphcal import timezones


@pytest.mark.parametrize("name, iana", [
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("pacific standard time", "America/Los_Angeles"),  # tolerated: Windows names match case-insensitively
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("America/New_York", "America/New_York"),
    ("UTC", "UTC"),
    ("tzone://Microsoft/Utc", "UTC"),
])
def test_zone_resolves_windows_and_iana_names(name, iana):
    assert timezones.zone(name).key == iana


@pytest.mark.parametrize("name", ["Mars Standard Time", "", "tzone://Microsoft/Custom", "America/Nowhere"])
def test_unknown_zone_is_one_clear_error(name):
    with pytest.raises(timezones.UnknownTimeZone, match="unknown time zone"):
        timezones.zone(name)
    assert not timezones.is_known(name)


def test_windows_name_for_iana():
    assert timezones.windows_name("America/Los_Angeles") == "Pacific Standard Time"
    assert timezones.windows_name("Pacific Standard Time") == "Pacific Standard Time"


def test_instant_respects_dst():
    # 12:00 Pacific is UTC-7 in April (PDT) and UTC-8 in January (PST)
    assert timezones.to_instant("2017-04-15T12:00:00", "Pacific Standard Time") == \
        datetime(2017, 4, 15, 19, tzinfo=timezone.utc)
    assert timezones.to_instant("2017-01-15T12:00:00.0000000", "Pacific Standard Time") == \
        datetime(2017, 1, 15, 20, tzinfo=timezone.utc)


def test_offset_in_string_wins_over_zone():
    assert timezones.to_instant("2020-01-01T19:00:00-08:00", "UTC") == \
        datetime(2020, 1, 2, 3, tzinfo=timezone.utc)


def test_graph_formats_have_seven_fractional_digits():
    local = timezones.to_local(datetime(2019, 12, 26, 10, tzinfo=timezone.utc), "Pacific Standard Time")
    assert timezones.format_local(local) == "2019-12-26T02:00:00.0000000"
    assert timezones.format_instant(datetime(2017, 4, 15, 3, 0, 50, 757958, tzinfo=timezone.utc)) == \
        "2017-04-15T03:00:50.7579580Z"


@pytest.mark.parametrize("bad", ["2017-13-01T00:00:00", "tomorrow", "2017-04-15", 42])
def test_parse_local_rejects_non_datetimes(bad):
    with pytest.raises(ValueError):
        timezones.parse_local(bad)


def test_parse_local_keeps_microseconds_from_seven_digits():
    assert timezones.parse_local("2017-04-15T03:00:50.7579581").microsecond == 757958


def test_to_instant_of_a_missing_datetime_is_a_value_error():
    with pytest.raises(ValueError, match="must be a string"):
        timezones.to_instant(None, "UTC")

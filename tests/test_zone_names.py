"""Client pages name a time zone the way people do, in the page's language, never as an IANA id."""

import pytest
from frontdesk.zone_names import zone_name


@pytest.mark.parametrize(
    "zone, locale, name",
    [
        ("Europe/Berlin", "de", "Mitteleuropäische Zeit"),
        ("Europe/London", "en", "United Kingdom Time"),
        ("America/New_York", "en", "Eastern Time"),
        ("Europe/London", "is", "Bretland"),  # not "Bretland (sumartími)": London is not on summer time all year
        ("Atlantic/Reykjavik", "is", "Ísland"),
        ("Europe/Warsaw", "pl", "czas środkowoeuropejski"),
        ("Europe/London", "ar", "توقيت المملكة المتحدة"),
        ("UTC", "es", "UTC"),
        ("Etc/UTC", "de", "UTC"),
    ],
)
def test_a_zone_is_named_in_the_pages_language(zone, locale, name):
    assert zone_name(zone, locale) == name

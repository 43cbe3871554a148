"""Time zones named the way people name them ("Central European Time", "hora de Reino Unido"), not as
IANA ids such as "Europe/London", which read as jargon in the middle of a client's sentence."""

from zoneinfo import ZoneInfo

from babel import Locale, dates
from flask_babel import get_locale

UNIVERSAL = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"}
# Babel 2.18 keeps only CLDR's summer-time region pattern for Icelandic ("{0} (sumartími)"), which
# would call London's winter time "summer time"; the place name alone is the generic form.
DAYLIGHT_ONLY_REGION_SUFFIX = {"is": " (sumartími)"}


def zone_name(zone_id, locale=None):
    """The zone's generic name in the locale, e.g. "Central European Time" for Europe/Berlin or
    "United Kingdom Time" for Europe/London; "UTC" for the universal zones."""
    if zone_id in UNIVERSAL:
        return "UTC"
    locale = Locale.parse(locale or get_locale())
    name = dates.get_timezone_name(ZoneInfo(zone_id), "long", locale=locale)
    return name.removesuffix(DAYLIGHT_ONLY_REGION_SUFFIX.get(locale.language, ""))


def init_app(app):
    app.add_template_filter(zone_name)

"""Dates, times and phone numbers as people read them: Babel's formats for the current locale, and
phone numbers as the clinic dials them.

In the workstation the locale is the page's language as spoken in the clinic's country (a UK clinic reads
"29/11/2027, 18:04", not "11/29/27, 6:04 PM") and the clinic's date style replaces the page's own choice of
short, medium or long; client pages keep the client's language as it is."""

import datetime
import functools

import phonenumbers
from babel import Locale, UnknownLocaleError, dates
from flask import g, has_request_context, request
from flask_babel import get_locale

from .booking import utc_to_local

STYLES = ("short", "medium", "long")


@functools.cache
def _regional(language, country):
    """`language` as written in `country` where Babel knows that pair (en_GB, de_AT), else its international
    form where there is one (en_001: day before month, as most of the world writes it), else the language."""
    for territory in (country, "001"):
        try:
            return Locale(language, territory=territory)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(language)


def _workstation_clinic():
    if has_request_context() and request.blueprint == "workstation":
        return g.get("clinic")
    return None


def format_locale():
    """The locale dates and times are written in on this page."""
    locale = get_locale()
    clinic = _workstation_clinic()
    if clinic is None or locale is None:
        return locale
    return _regional(locale.language, clinic.country)


def _style(format):
    """The clinic's date style in place of a page's short, medium or long (full and patterns stay)."""
    clinic = _workstation_clinic()
    return clinic.date_style if clinic is not None and format in STYLES else format


def example(style, moment, locale):
    """A date and time in `style` as the workstation writes a session's, to show what choosing it means."""
    return _date_and_time(moment, style, locale)


def local_datetime(moment, timezone, format="medium"):
    """A naive UTC datetime shown in `timezone`, formatted for the page's locale."""
    return dates.format_datetime(utc_to_local(moment, timezone), _style(format), locale=format_locale())


def local_date(day, format="medium"):
    """A calendar date (a birthday, a day off) for the page's locale."""
    return dates.format_date(day, _style(format), locale=format_locale())


def local_time(moment, timezone):
    """Only the time of day, e.g. "09:30" or "9:30 AM" by locale."""
    local = utc_to_local(moment, timezone)
    return _time_of_day(local.hour, local.minute, format_locale())


@functools.lru_cache(maxsize=4096)
def _time_of_day(hour, minute, locale):
    """A wall-clock time written once per locale: a booking page shows hundreds of slots, and Babel takes
    as long to format one as the rest of the page takes for ten."""
    return dates.format_time(datetime.time(hour, minute), "short", locale=locale)


def local_when(moment, timezone, format="full"):
    """When a session is, for people: the date in `format` and the time of day without seconds, e.g.
    "Tuesday, July 13, 2027, 10:00 AM British Summer Time". The full form names the timezone, since a
    client may read it from elsewhere; Babel's own datetime formats would add seconds."""
    return _date_and_time(utc_to_local(moment, timezone), _style(format), format_locale())


def _date_and_time(local, format, locale):
    time_of_day = dates.format_time(local, "short", locale=locale)
    if format == "full":
        time_of_day += " " + dates.get_timezone_name(local, "long", locale=locale)
    pattern = str(dates.get_datetime_format(format, locale=locale)).replace("'", "")
    return pattern.replace("{0}", time_of_day).replace("{1}", dates.format_date(local, format, locale=locale))


def local_phone(number, country):
    """A stored E.164 phone number as the clinic dials it: national format for a number of the clinic's
    country, international otherwise. Text that does not parse as an E.164 number is shown as stored."""
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return number
    local = phonenumbers.region_code_for_number(parsed) == country
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.NATIONAL if local else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def init_app(app):
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        local_time=local_time,
        local_when=local_when,
        local_phone=local_phone,
    )

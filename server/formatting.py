"""Dates, times and phone numbers as people read them: Babel's formats for the current locale, and
phone numbers as the clinic dials them."""

import phonenumbers
from babel import dates
from flask_babel import get_locale

from .booking import utc_to_local


def local_datetime(moment, timezone, format="medium"):
    """A naive UTC datetime shown in `timezone`, formatted for the current locale."""
    return dates.format_datetime(utc_to_local(moment, timezone), format, locale=get_locale())


def local_time(moment, timezone):
    """Only the time of day, e.g. "09:30" or "9:30 AM" by locale."""
    return dates.format_time(utc_to_local(moment, timezone), "short", locale=get_locale())


def local_when(moment, timezone, format="full"):
    """When a session is, for people: the date in `format` and the time of day without seconds, e.g.
    "Tuesday, July 13, 2027, 10:00 AM British Summer Time". The full form names the timezone, since a
    client may read it from elsewhere; Babel's own datetime formats would add seconds."""
    locale = get_locale()
    local = utc_to_local(moment, timezone)
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
        local_datetime=local_datetime, local_time=local_time, local_when=local_when, local_phone=local_phone
    )

"""Languages: which locale a page or an email is in, Babel's formatting for it, and the clinic's own
texts in each language.

Order (DESIGN.md): the embed's `lang` (or the language switcher's), the client's saved language,
the browser's Accept-Language, the clinic's default — among the languages the clinic offers.
"""
import functools
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from babel import Locale, dates
from flask import g, has_request_context, request, url_for
from flask_babel import Babel, get_locale, gettext
from werkzeug.exceptions import RequestEntityTooLarge

from . import package_data
from .booking import utc_to_local

LOCALES_DIR = package_data.directory("locales")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = {"ar", "he", "fa", "ur"}


@functools.cache
def available_languages():
    """English (the source language) and every language with a catalog in locales/. Read once: Babel
    loads a catalog once per process too, so a new language needs a restart either way."""
    found = {SOURCE_LANGUAGE}
    if os.path.isdir(LOCALES_DIR):
        found.update(name for name in os.listdir(LOCALES_DIR)
                     if os.path.isdir(os.path.join(LOCALES_DIR, name, "LC_MESSAGES")))
    return tuple(sorted(found))


@functools.cache
def language_name(code):
    """A language's name in that language, e.g. "Deutsch"."""
    return Locale.parse(code).get_display_name(code).capitalize()


def offered_languages(clinic):
    """The languages a clinic's client pages offer, its default first."""
    shipped = available_languages()
    chosen = [code for code in (clinic.languages or shipped) if code in shipped] or shipped
    return sorted(chosen, key=lambda code: (code != clinic.default_language, code))


def _switched_language():
    """The language switcher's choice, if the request carries one. A body too large to read carries
    none: it is refused with 413, and the page saying so must still find its language."""
    try:
        return request.values.get("switch_language")
    except RequestEntityTooLarge:
        return None


def select_locale():
    if not has_request_context():
        return SOURCE_LANGUAGE
    clinic = g.get("frame_clinic")
    languages = offered_languages(clinic) if clinic is not None else available_languages()
    for choice in (_switched_language(), request.args.get("lang"), g.get("client_language")):
        if choice in languages:
            return choice
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    clinic_default = g.get("clinic_language")
    if clinic_default in languages:
        return clinic_default
    return languages[0] if clinic is not None else SOURCE_LANGUAGE


def switching_language():
    """Whether this POST only asks to see the form in another language: the switcher's buttons submit
    the form itself, so what the person typed comes back filled in, and nothing is sent."""
    return request.method == "POST" and bool(_switched_language())


def here(**changes):
    """This page's address with some query values changed, e.g. here(lang="de") for the switcher."""
    args = request.args.to_dict()
    args.update(changes)
    return url_for(request.endpoint, **(request.view_args or {}), **{k: v for k, v in args.items() if v})


def valid_timezone(name):
    """`name` if it is an IANA timezone, else None (a `tz` parameter comes from the browser)."""
    try:
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        return None
    return name


def client_timezone(clinic, client=None):
    """Where a client reads times: the browser's (`?tz=`), else the one saved with them, else the clinic's."""
    from_browser = valid_timezone(request.args.get("tz")) if has_request_context() else None
    return from_browser or (client.timezone if client is not None and client.timezone else clinic.timezone)


def localized(default, translations):
    """A clinic's own text in the current language, falling back to its default-language text."""
    return (translations or {}).get(str(get_locale())) or default


def service_name(service):
    return localized(service.name, service.name_translations)


def terms_label(clinic):
    """The text of the link to the clinic's terms: its own wording in this language, else in its default
    language, else ours."""
    labels = clinic.terms_label or {}
    return labels.get(str(get_locale())) or labels.get(clinic.default_language) or gettext("read the terms")


def session_service(appointment):
    """What a session is for, in the current language (an email renders in its reader's)."""
    return service_name(appointment.service) if appointment.service else gettext("Session")


def question_text(question):
    """(label, choices) of a clinic question in the current language; choices keep their positions."""
    translated = (question.translations or {}).get(str(get_locale())) or {}
    choices = translated.get("choices") or []
    return (translated.get("label") or question.label,
            [choices[i] if i < len(choices) and choices[i] else c for i, c in enumerate(question.choices)])


def text_direction(language):
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


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
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if local
                                      else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def group_by_local_day(slots, timezone):
    """[(local date, [(start, end), …]), …] for slots given as UTC (start, end) pairs."""
    days = {}
    for start, end in slots:
        days.setdefault(utc_to_local(start, timezone).date(), []).append((start, end))
    return sorted(days.items())


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", LOCALES_DIR)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(local_datetime=local_datetime, local_time=local_time, local_when=local_when,
                                 groupby_local_day=group_by_local_day, local_phone=local_phone)
    app.jinja_env.globals.update(text_direction=text_direction, language_name=language_name,
                                 offered_languages=offered_languages, service_name=service_name,
                                 session_service=session_service, terms_label=terms_label,
                                 localized=localized, client_timezone=client_timezone, here=here)
    app.context_processor(_page_context)


def _page_context():
    """The page's language, and on a client page the timezone its times are shown in."""
    context = {"current_language": str(get_locale())}
    clinic = g.get("frame_clinic")
    if clinic is not None:
        context["shown_tz"] = client_timezone(clinic, g.get("page_client"))
    return context

"""Languages: which locale a page or an email is in, and Babel's formatting for it.

Order (DESIGN.md): the embed's `lang`, the client's saved language, the browser's Accept-Language,
the clinic's default.
"""
import os

from babel import Locale, dates
from flask import g, has_request_context, request
from flask_babel import Babel, get_locale

from .booking import utc_to_local

LOCALES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locales")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = {"ar", "he", "fa", "ur"}


def available_languages():
    """English (the source language) and every language with a catalog in locales/."""
    found = {SOURCE_LANGUAGE}
    if os.path.isdir(LOCALES_DIR):
        found.update(name for name in os.listdir(LOCALES_DIR)
                     if os.path.isdir(os.path.join(LOCALES_DIR, name, "LC_MESSAGES")))
    return sorted(found)


def language_name(code):
    """A language's name in that language, e.g. "Deutsch"."""
    return Locale.parse(code).get_display_name(code).capitalize()


def select_locale():
    languages = available_languages()
    if not has_request_context():
        return SOURCE_LANGUAGE
    for choice in (request.args.get("lang"), g.get("client_language")):
        if choice in languages:
            return choice
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    clinic_default = g.get("clinic_language")
    return clinic_default if clinic_default in languages else SOURCE_LANGUAGE


def text_direction(language):
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


def local_datetime(moment, timezone, format="medium"):
    """A naive UTC datetime shown in `timezone`, formatted for the current locale."""
    return dates.format_datetime(utc_to_local(moment, timezone), format, locale=get_locale())


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", LOCALES_DIR)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.globals.update(text_direction=text_direction, language_name=language_name)
    app.context_processor(lambda: {"current_language": str(get_locale())})

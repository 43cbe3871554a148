"""Which language a page or an email is in, among the languages shipped and the ones a clinic offers.

Order (DESIGN.md): the embed's `lang` (or the language switcher's), the client's saved language,
the browser's Accept-Language, the clinic's default — among the languages the clinic offers.
"""

import functools
import os

from babel import Locale
from flask import g, has_request_context, request, url_for
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from . import package_data

LOCALES_DIR = package_data.directory("locales")
SOURCE_LANGUAGE = "en"
RTL_LANGUAGES = {"ar", "he", "fa", "ur"}


@functools.cache
def available_languages():
    """English (the source language) and every language with a catalog in locales/. Read once: Babel
    loads a catalog once per process too, so a new language needs a restart either way."""
    found = {SOURCE_LANGUAGE}
    if os.path.isdir(LOCALES_DIR):
        found.update(
            name for name in os.listdir(LOCALES_DIR) if os.path.isdir(os.path.join(LOCALES_DIR, name, "LC_MESSAGES"))
        )
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


def chosen_language():
    """The language the person chose for this page (the embed's `lang`, or the switcher), if any."""
    if not has_request_context():
        return None
    choice = _switched_language() or request.args.get("lang")
    return choice if choice == str(get_locale()) else None


def client_url(endpoint, **values):
    """A client page's address that keeps the language chosen on this one: every link and form of the
    client pages goes through here, so a journey stays in the language the person picked."""
    values.setdefault("lang", chosen_language())
    return url_for(endpoint, **values)


# Personal data that an old embed put in an address: never carried on to the next one (nor into logs).
NOT_CARRIED = ("name", "email")


def here(**changes):
    """This page's address with some query values changed, e.g. here(lang="de") for the switcher."""
    args = {key: value for key, value in request.args.items() if key not in NOT_CARRIED}
    args.update(changes)
    return url_for(request.endpoint, **(request.view_args or {}), **{k: v for k, v in args.items() if v})


def text_direction(language):
    return "rtl" if language.split("_")[0] in RTL_LANGUAGES else "ltr"


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", LOCALES_DIR)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        text_direction=text_direction,
        language_name=language_name,
        offered_languages=offered_languages,
        here=here,
        client_url=client_url,
        chosen_language=chosen_language,
    )
    app.context_processor(language_context)


def language_context():
    """What a template needs of the language it is rendered in (a page's, or an email's under force_locale):
    its name, for the `lang` and `dir` attributes and the switcher, and its translations, bound once.

    Flask-Babel's `gettext` template global looks the translations up through the request context again for
    every string, which was a sixth of a workstation page's time; these shadow it for one render, with the
    same meaning as Jinja's "newstyle" gettext (always %-formatted, escaped in HTML)."""
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        return _formatted(context, translations.ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _formatted(context, translations.ungettext(singular, plural, num), variables)

    return {"current_language": str(get_locale()), "gettext": gettext, "ngettext": ngettext}


def _formatted(context, text, variables):
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables

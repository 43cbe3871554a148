"""A clinic's own texts in the current language: service names, questions, the terms link. Where the
clinic wrote none in that language, its default-language text stands."""

from flask_babel import get_locale, gettext


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
    return (
        translated.get("label") or question.label,
        [choices[i] if i < len(choices) and choices[i] else c for i, c in enumerate(question.choices)],
    )


def public_name(professional):
    """The name clients read for a professional."""
    return professional.public_name or professional.name


def profile_text(professional):
    """(title, about) of a professional in the current language, else in the clinic's default language."""
    texts = professional.profile or {}
    chosen = texts.get(str(get_locale())) or texts.get(professional.clinic.default_language) or {}
    return chosen.get("title", ""), chosen.get("about", "")


def init_app(app):
    from .appointments import place_of  # appointments reads session_service from here

    app.jinja_env.globals.update(
        session_place=place_of,
        service_name=service_name,
        session_service=session_service,
        terms_label=terms_label,
        localized=localized,
        public_name=public_name,
        profile_text=profile_text,
    )

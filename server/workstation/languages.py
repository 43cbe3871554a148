"""Settings → Languages: which languages the clinic's client pages offer, its default, and the
clinic's own texts (service names, its questions, the terms link) in each of them."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clinic_settings
from ..language_choice import available_languages, offered_languages
from ..web import owner_only
from . import bp


def _lines(text):
    return [line.strip() for line in (text or "").splitlines()]


def _render(status=200, problem=None):
    clinic = g.clinic
    others = [code for code in offered_languages(clinic) if code != clinic.default_language]
    return render_template(
        "workstation/languages.html",
        shipped=available_languages(),
        offered=offered_languages(clinic),
        others=others,
        services=list(clinic_settings.offered_services(clinic)),
        questions=list(clinic_settings.ordered_questions(clinic)),
        problem=problem,
    ), status


@bp.route("/settings/languages")
def languages():
    return _render()


def _posted(name, codes):
    """{code: value} of the fields `name_<code>` that the form sent."""
    return {code: request.form[f"{name}_{code}"] for code in codes if f"{name}_{code}" in request.form}


def _posted_question_texts(question, codes):
    return {
        code: {"label": label, "choices": _lines(request.form.get(f"question_{question.id}_{code}_choices"))}
        for code, label in _posted(f"question_{question.id}", codes).items()
    }


@bp.route("/settings/languages", methods=["POST"])
@owner_only
def save_languages():
    """Save everything on the page at once; a language left out keeps its texts for later."""
    shipped = available_languages()
    default = request.form.get("default_language")
    if default not in shipped:
        return _render(422, _("Please choose a default language."))
    clinic = g.clinic
    clinic_settings.save_languages(
        clinic,
        default,
        [code for code in request.form.getlist("languages") if code in shipped],
        terms_labels=_posted("terms_label", shipped),
        service_names={
            service.id: _posted(f"service_{service.id}", shipped)
            for service in clinic_settings.offered_services(clinic)
        },
        question_texts={question.id: _posted_question_texts(question, shipped) for question in clinic.questions},
    )
    flash(_("Your language settings were saved."))
    return redirect(url_for("workstation.languages"))

"""Settings → Languages: which languages the clinic's client pages offer, its default, and the
clinic's own texts (service names, its questions, the terms link) in each of them."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..db import database
from ..language_choice import available_languages, offered_languages
from ..models import Clinic, Question, Service
from . import bp
from .settings import owner_only


def _lines(text):
    return [line.strip() for line in (text or "").splitlines()]


def _render(status=200, problem=None):
    clinic = g.clinic
    others = [code for code in offered_languages(clinic) if code != clinic.default_language]
    return render_template(
        "workstation/languages.html", shipped=available_languages(), offered=offered_languages(clinic),
        others=others, services=list(clinic.services.where(Service.active).order_by(Service.position, Service.name)),
        questions=list(clinic.questions.order_by(Question.position, Question.id)), problem=problem), status


@bp.route("/settings/languages")
def languages():
    return _render()


@bp.route("/settings/languages", methods=["POST"])
@owner_only
def save_languages():
    """Save everything on the page at once; a language left out keeps its texts for later."""
    shipped = available_languages()
    default = request.form.get("default_language")
    offered = [code for code in request.form.getlist("languages") if code in shipped]
    if default not in shipped:
        return _render(422, _("Please choose a default language."))
    if default not in offered:
        offered.append(default)
    clinic = g.clinic
    with database.atomic():
        terms_label = dict(clinic.terms_label or {})
        services = list(clinic.services.where(Service.active))
        questions = list(clinic.questions)
        for code in shipped:
            label = request.form.get(f"terms_label_{code}")
            if label is not None:
                terms_label[code] = label.strip()[:120]
            for service in services:
                name = request.form.get(f"service_{service.id}_{code}")
                if name is not None:
                    service.name_translations = {**(service.name_translations or {}), code: name.strip()[:120]}
            for question in questions:
                label = request.form.get(f"question_{question.id}_{code}")
                if label is not None:
                    choices = _lines(request.form.get(f"question_{question.id}_{code}_choices"))
                    question.translations = {**(question.translations or {}),
                                             code: {"label": label.strip()[:300], "choices": choices}}
        Clinic.update(default_language=default, languages=sorted(offered), terms_label=terms_label) \
            .where(Clinic.id == clinic.id).execute()
        for service in services:
            service.save()
        for question in questions:
            question.save()
    flash(_("Your language settings were saved."))
    return redirect(url_for("workstation.languages"))

"""Settings → Client Access (requests on or off, the link, what the form asks, the websites that may
embed the clinic's pages and the snippets that do) and Settings → Services.

Only the clinic's owner changes settings; other professionals see them.
"""
from functools import wraps

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clinics, registration, snippets
from ..db import database
from ..models import Clinic, Hub, Question, Service
from . import bp
from .auth import clinic_object_or_404
from .forms import (ActionForm, QuestionForm, RequestsToggleForm, ServiceForm, SnippetOptionsForm, TermsForm,
                    WebsitesForm, requirements_form_class)


def owner_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not g.professional.is_owner:
            abort(403)
        if not ActionForm().validate_on_submit():
            flash(_("This page had expired, so nothing was changed. Please try again."), "error")
            return redirect(request.referrer or url_for("workstation.client_access"))
        return view(*args, **kwargs)
    return wrapper


def _render_client_access(status=200, **forms):
    clinic = g.clinic
    defaults = dict(
        toggle_form=RequestsToggleForm(requests_enabled=clinic.requests_enabled),
        terms_form=TermsForm(terms_url=clinic.terms_url),
        requirements_form=requirements_form_class(clinic)(formdata=None),
        question_form=QuestionForm(formdata=None),
        websites_form=WebsitesForm(formdata=None, allowed_origins="\n".join(clinic.allowed_origins)),
        snippet_form=SnippetOptionsForm(formdata=None),
        action_form=ActionForm(),
    )
    defaults.update(forms)
    questions = list(clinic.questions.order_by(Question.position, Question.id))
    return render_template("workstation/client_access.html", questions=questions,
                           embeds=_embeds(defaults["snippet_form"]), **defaults), status


def _embeds(options):
    """The snippets of every kind for the page and popup button chosen in `options`: the request form
    and the clinic's popup colour unless something valid was chosen."""
    clinic = g.clinic
    pages = {"request": (_("Request form"), snippets.request_form_page(clinic)),
             "booking": (_("Your booking calendar"), snippets.booking_page(g.professional))}
    for hub in clinic.hubs.order_by(Hub.id):
        pages[f"hub-{hub.id}"] = (_("Wellbeing Hub: %(name)s", name=hub.name), snippets.hub_page(hub))
    options.page.choices = [(key, name) for key, (name, page) in pages.items()]
    if request.args:
        options.validate()
    page = pages.get(options.page.data, pages["request"])[1]
    options.label.render_kw = {"placeholder": page.label}
    chosen = {} if options.errors else {"label": options.label.data or None, "color": options.color.data or None}
    return {kind: snippets.embed(kind, page, **(chosen if kind == "popup" else {})) for kind in snippets.KINDS}


@bp.route("/settings/client-access")
def client_access():
    return _render_client_access(snippet_form=SnippetOptionsForm(request.args))


@bp.route("/settings/client-access/websites", methods=["POST"])
@owner_only
def save_websites():
    form = WebsitesForm()
    if not form.validate():
        return _render_client_access(422, websites_form=form)
    origins = form.origin_list()
    Clinic.update(allowed_origins=origins).where(Clinic.id == g.clinic.id).execute()
    flash(_("Your websites were saved: only they can show your pages now.") if origins
          else _("Any website can show your forms and calendars now."))
    return redirect(url_for("workstation.client_access", _anchor="embed"))


@bp.route("/settings/client-access/requests", methods=["POST"])
@owner_only
def toggle_requests():
    form = RequestsToggleForm()
    Clinic.update(requests_enabled=form.requests_enabled.data).where(Clinic.id == g.clinic.id).execute()
    flash(_("Requests are on: your link takes requests.") if form.requests_enabled.data
          else _("Requests are off: your link shows that you are not taking requests."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/rotate", methods=["POST"])
@owner_only
def rotate_link():
    clinics.rotate_request_link(g.clinic)
    flash(_("Your link was replaced. The old link now says it was replaced: update your website and emails."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/terms", methods=["POST"])
@owner_only
def save_terms():
    form = TermsForm()
    if not form.validate():
        return _render_client_access(422, terms_form=form)
    if not form.terms_url.data and registration.mode(g.clinic, "terms_consent") != "off":
        # Otherwise the request form would ask clients to agree to terms they cannot open.
        form.terms_url.errors.append(
            _("Your request form asks clients to agree to these terms: set the terms agreement to Off first."))
        return _render_client_access(422, terms_form=form)
    Clinic.update(terms_url=form.terms_url.data or "").where(Clinic.id == g.clinic.id).execute()
    flash(_("Your terms link was saved."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/requirements", methods=["POST"])
@owner_only
def save_requirements():
    form = requirements_form_class(g.clinic)()
    if not form.validate():
        return _render_client_access(422, requirements_form=form)
    chosen = {key: form[key].data for key in registration.FIELDS}
    if chosen["terms_consent"] != "off" and not g.clinic.terms_url:
        form.terms_consent.errors.append(_("Add the link to your terms first, so clients can read what they agree to."))
        return _render_client_access(422, requirements_form=form)
    Clinic.update(registration=chosen).where(Clinic.id == g.clinic.id).execute()
    flash(_("Your client registration requirements were saved."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/questions", methods=["POST"])
@owner_only
def add_question():
    form = QuestionForm()
    if not form.validate():
        return _render_client_access(422, question_form=form)
    last = g.clinic.questions.order_by(Question.position.desc()).first()
    Question.create(clinic=g.clinic, label=form.label.data.strip(), kind=form.kind.data,
                    choices=form.choice_list() if form.kind.data in registration.CHOICE_KINDS else [],
                    required=form.required.data, position=(last.position + 1) if last else 0)
    flash(_("Your question was added to the request form."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/questions/<int:question_id>/move/<any(up, down):direction>", methods=["POST"])
@owner_only
def move_question(question_id, direction):
    question = clinic_object_or_404(Question, question_id)
    ordered = list(g.clinic.questions.order_by(Question.position, Question.id))
    index = ordered.index(question)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        with database.atomic():
            for position, item in enumerate(ordered):
                Question.update(position=position).where(Question.id == item.id).execute()
    return redirect(url_for("workstation.client_access", _anchor="questions"))


@bp.route("/settings/client-access/questions/<int:question_id>/delete", methods=["POST"])
@owner_only
def delete_question(question_id):
    clinic_object_or_404(Question, question_id).delete_instance()
    flash(_("The question was removed from the request form."))
    return redirect(url_for("workstation.client_access", _anchor="questions"))


@bp.route("/settings/services", methods=["GET", "POST"])
def services():
    form = ServiceForm()
    if request.method == "POST":
        if not g.professional.is_owner:
            abort(403)
        if form.validate_on_submit():
            Service.create(clinic=g.clinic, name=form.name.data.strip(), duration_minutes=form.duration_minutes.data,
                           position=g.clinic.services.count())
            flash(_("The service was added."))
            return redirect(url_for("workstation.services"))
    listed = g.clinic.services.where(Service.active).order_by(Service.position, Service.name)
    return render_template("workstation/services.html", form=form, services=list(listed),
                           action_form=ActionForm()), 422 if form.errors else 200


@bp.route("/settings/services/<int:service_id>/archive", methods=["POST"])
@owner_only
def archive_service(service_id):
    service = clinic_object_or_404(Service, service_id)
    Service.update(active=False).where(Service.id == service.id).execute()
    flash(_("%(name)s is no longer offered. Sessions already booked keep it.", name=service.name))
    return redirect(url_for("workstation.services"))

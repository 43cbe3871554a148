"""Settings → Client Access (requests on or off, the link, what the form asks, the websites that may
embed the clinic's pages and the snippets that do) and Settings → Services.

Only the clinic's owner changes settings; other professionals see them.
"""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import clinic_settings, clinics, registration, snippets
from ..models import Hub, Professional, Question, Service
from ..web import clinic_object_or_404, owner_only, require_owner
from . import bp
from .forms import (
    ActionForm,
    QuestionForm,
    RequestsToggleForm,
    ServiceForm,
    SnippetOptionsForm,
    TermsForm,
    WebsitesForm,
    requirements_form_class,
)


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
    questions = list(clinic_settings.ordered_questions(clinic))
    # The booking links the signed-in member may replace: every professional's for the owner, else their own.
    booking_professionals = (
        list(clinic.professionals.order_by(Professional.name, Professional.id))
        if g.professional.is_owner
        else [g.professional]
    )
    return render_template(
        "workstation/client_access.html",
        questions=questions,
        embeds=_embeds(defaults["snippet_form"]),
        booking_professionals=booking_professionals,
        **defaults,
    ), status


def _embeds(options):
    """The snippets of every kind for the page and popup button chosen in `options`: the request form
    and the clinic's popup colour unless something valid was chosen."""
    clinic = g.clinic
    pages = {
        "request": (_("Request form"), snippets.request_form_page(clinic)),
        "booking": (_("Your booking calendar"), snippets.booking_page(g.professional)),
    }
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
    clinic_settings.save_websites(g.clinic, origins)
    flash(
        _("Your websites were saved: only they can show your pages now.")
        if origins
        else _("Any website can show your forms and calendars now.")
    )
    return redirect(url_for("workstation.client_access", _anchor="embed"))


@bp.route("/settings/client-access/requests", methods=["POST"])
@owner_only
def toggle_requests():
    form = RequestsToggleForm()
    clinic_settings.set_requests_enabled(g.clinic, form.requests_enabled.data)
    flash(
        _("Requests are on: your link takes requests.")
        if form.requests_enabled.data
        else _("Requests are off: your link shows that you are not taking requests.")
    )
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
    try:
        clinic_settings.save_terms(g.clinic, form.terms_url.data)
    except clinic_settings.TermsInUse:
        form.terms_url.errors.append(
            _("Your request form asks clients to agree to these terms: set the terms agreement to Off first.")
        )
        return _render_client_access(422, terms_form=form)
    flash(_("Your terms link was saved."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/requirements", methods=["POST"])
@owner_only
def save_requirements():
    form = requirements_form_class(g.clinic)()
    if not form.validate():
        return _render_client_access(422, requirements_form=form)
    try:
        clinic_settings.save_requirements(g.clinic, {key: form[key].data for key in registration.FIELDS})
    except clinic_settings.TermsMissing:
        form.terms_consent.errors.append(_("Add the link to your terms first, so clients can read what they agree to."))
        return _render_client_access(422, requirements_form=form)
    flash(_("Your client registration requirements were saved."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/questions", methods=["POST"])
@owner_only
def add_question():
    form = QuestionForm()
    if not form.validate():
        return _render_client_access(422, question_form=form)
    clinic_settings.add_question(g.clinic, form.label.data, form.kind.data, form.choice_list(), form.required.data)
    flash(_("Your question was added to the request form."))
    return redirect(url_for("workstation.client_access"))


@bp.route("/settings/client-access/questions/<int:question_id>/move/<any(up, down):direction>", methods=["POST"])
@owner_only
def move_question(question_id, direction):
    clinic_settings.move_question(clinic_object_or_404(Question, question_id), direction)
    return redirect(url_for("workstation.client_access", _anchor="questions"))


@bp.route("/settings/client-access/questions/<int:question_id>/delete", methods=["POST"])
@owner_only
def delete_question(question_id):
    clinic_settings.delete_question(clinic_object_or_404(Question, question_id))
    flash(_("The question was removed from the request form."))
    return redirect(url_for("workstation.client_access", _anchor="questions"))


@bp.route("/settings/services", methods=["GET", "POST"])
def services():
    form = ServiceForm()
    if request.method == "POST":
        require_owner()
        if form.validate_on_submit():
            clinic_settings.add_service(g.clinic, form.name.data, form.duration_minutes.data)
            flash(_("The service was added."))
            return redirect(url_for("workstation.services"))
    listed = clinic_settings.offered_services(g.clinic)
    return render_template(
        "workstation/services.html", form=form, services=list(listed), action_form=ActionForm()
    ), 422 if form.errors else 200


@bp.route("/settings/services/<int:service_id>/archive", methods=["POST"])
@owner_only
def archive_service(service_id):
    service = clinic_object_or_404(Service, service_id)
    clinic_settings.archive_service(service)
    flash(_("%(name)s is no longer offered. Sessions already booked keep it.", name=service.name))
    return redirect(url_for("workstation.services"))

"""Settings → Client Access (requests on or off, the link, what the form asks, the websites that may
embed the clinic's pages and the snippets that do), Settings → Services (add, edit, retire) and Settings →
Clinic (name, zone, country, currency, language, date style, slot grid).

Only the clinic's owner changes settings; other professionals see them.
"""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import charges, clinic_settings, clinics, formatting, registration, roles, snippets
from ..language_choice import available_languages, language_name, offered_languages
from ..models import Hub, Professional, Question, Service
from ..web import clinic_object_or_404, flash_expired, may, owner_only, require_owner
from . import bp
from .forms import (
    DATE_STYLE_EXAMPLE,
    ActionForm,
    ClinicForm,
    QuestionForm,
    RequestsToggleForm,
    ServiceForm,
    SnippetOptionsForm,
    TermsForm,
    WebsitesForm,
    requirements_form_class,
    service_form_class,
)

STALE = "stale"


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
        if may(roles.SETTINGS)
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
    return render_template(
        "workstation/services.html",
        form=form,
        services=list(clinic_settings.offered_services(g.clinic)),
        retired=list(clinic_settings.retired_services(g.clinic)),
        action_form=ActionForm(),
    ), 422 if form.errors else 200


def _other_languages(clinic):
    """[(code, name)] of the languages the clinic offers besides its default: a service has a name in each."""
    return [(code, language_name(code)) for code in offered_languages(clinic) if code != clinic.default_language]


def _service_form(service, formdata=None):
    clinic = g.clinic
    professionals = list(Professional.select().where(Professional.clinic == clinic).order_by(Professional.name))
    languages = _other_languages(clinic)
    form_class = service_form_class(clinic, professionals, languages)
    if formdata is not None:
        return form_class(formdata)
    return form_class(
        formdata=None,
        version=service.version,
        name=service.name,
        duration_minutes=service.duration_minutes,
        price=None if service.price_cents is None else charges.to_units(service.price_cents),
        late_fee=None if service.late_fee_cents is None else charges.to_units(service.late_fee_cents),
        bookable_online=service.bookable_online,
        professionals=clinic_settings.offered_by(service),
        place=service.place,
        **{f"name_{code}": (service.name_translations or {}).get(code, "") for code, _ in languages},
    )


def _render_service(service, form, status=200, problem=None):
    return render_template(
        "workstation/service_edit.html", service=service, form=form, problem=problem, action_form=ActionForm()
    ), status


@bp.route("/settings/services/<int:service_id>")
def service_detail(service_id):
    service = clinic_object_or_404(Service, service_id)
    return _render_service(service, _service_form(service))


@bp.route("/settings/services/<int:service_id>", methods=["POST"])
def save_service(service_id):
    require_owner()
    service = clinic_object_or_404(Service, service_id)
    form = _service_form(service, request.form)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.service_detail", service_id=service.id))
        return _render_service(service, form, 422)
    details = clinic_settings.ServiceDetails(
        name=form.name.data,
        duration_minutes=form.duration_minutes.data,
        price=form.price.data,
        late_fee=form.late_fee.data,
        bookable_online=form.bookable_online.data,
        professional_ids=tuple(form.professionals.data or ()),
        names=form.names(),
        place=form.place.data,
    )
    try:
        saved = clinic_settings.save_service(service, details, form.read_version())
    except clinic_settings.Stale:
        current = Service.get_by_id(service.id)
        return _render_service(current, _service_form(current), 409, STALE)
    except clinic_settings.NotTheClinics:
        abort(404)
    flash(_("%(name)s was saved. Sessions already booked keep what they were booked with.", name=saved.name))
    return redirect(url_for("workstation.services"))


@bp.route("/settings/services/<int:service_id>/archive", methods=["POST"])
@owner_only
def archive_service(service_id):
    service = clinic_object_or_404(Service, service_id)
    clinic_settings.set_service_retired(service, True)
    flash(_("%(name)s is no longer offered. Sessions already booked keep it.", name=service.name))
    return redirect(url_for("workstation.services"))


@bp.route("/settings/services/<int:service_id>/unretire", methods=["POST"])
@owner_only
def unretire_service(service_id):
    service = clinic_object_or_404(Service, service_id)
    clinic_settings.set_service_retired(service, False)
    flash(_("%(name)s is offered again.", name=service.name))
    return redirect(url_for("workstation.services"))


# --- Settings → Clinic ------------------------------------------------------------------------------------


def _clinic_form(formdata=None):
    clinic = g.clinic
    languages = [(code, language_name(code)) for code in available_languages()]
    locale = formatting.format_locale() or get_locale()
    form = ClinicForm(
        formdata,
        **(
            {}
            if formdata is not None
            else dict(
                version=clinic.settings_version,
                name=clinic.name,
                timezone=clinic.timezone,
                country=clinic.country,
                currency=clinic.currency,
                default_language=clinic.default_language,
                date_style=clinic.date_style,
                slot_grid_minutes=clinic.slot_grid_minutes,
                address=clinic.address,
            )
        ),
    )
    return form.set_choices(languages, lambda style: formatting.example(style, DATE_STYLE_EXAMPLE, locale))


def _render_clinic(form, status=200, problem=None):
    return render_template("workstation/clinic_settings.html", form=form, problem=problem), status


@bp.route("/settings/clinic")
def clinic_details():
    return _render_clinic(_clinic_form())


@bp.route("/settings/clinic", methods=["POST"])
def save_clinic_details():
    require_owner()
    form = _clinic_form(request.form)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash_expired()
            return redirect(url_for("workstation.clinic_details"))
        return _render_clinic(form, 422)
    details = clinic_settings.ClinicDetails(
        name=form.name.data,
        timezone=form.timezone.data,
        country=form.country.data,
        currency=form.currency.data,
        default_language=form.default_language.data,
        date_style=form.date_style.data,
        slot_grid_minutes=form.slot_grid_minutes.data,
        address=form.address.data or "",
    )
    try:
        clinic_settings.save_details(g.clinic, details, form.read_version())
    except clinic_settings.Stale:
        g.clinic = type(g.clinic).get_by_id(g.clinic.id)
        return _render_clinic(_clinic_form(), 409, STALE)
    flash(_("Your clinic's settings were saved."))
    return redirect(url_for("workstation.clinic_details"))

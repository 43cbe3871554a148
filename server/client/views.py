"""The request form: show it, take it, confirm it."""

from flask import current_app, render_template, request
from flask_babel import get_locale

from .. import clinic_settings, db, form_nonces, links, page_cache, registration, waitlist
from ..language_choice import switching_language
from ..limits import limiter
from ..models import Clinic
from . import bp, guard
from .confirmations import token_for
from .context import open_versioned_link
from .forms import chosen_language, consent_given, registration_answers, request_form_class


def _open_clinic(token):
    """The clinic a request link belongs to, or the page that says why the link cannot be used."""
    return open_versioned_link(
        links.read_request_token, token, db.by_id(Clinic), lambda c: c, lambda c: c.request_link_version
    )


def clinic_questions(clinic):
    """The clinic's own questions, kept under its pages version (page_cache.kept_rows)."""
    return page_cache.kept_rows(clinic, "questions", lambda: clinic_settings.ordered_questions(clinic))


def _form_for(clinic):
    services = page_cache.kept_rows(clinic, "services", lambda: clinic_settings.offered_services(clinic))
    questions = clinic_questions(clinic)
    return request_form_class(clinic, services, questions), services, questions


def _render_form(
    clinic, form, token, questions, problem=None, status=200, hub=None, professional=None, form_token=None
):
    """The form; from a hub page it also says which hub member the request goes to. `form_token` is put
    in instead of a new one (page_cache's slot)."""
    form.form_token.data = form_token or guard.issue(token)
    builtin = [form[key] for key, _ in registration.asked(clinic)]
    extra = [form[f"q_{q.id}"] for q in questions]
    return render_template(
        "client/request_form.html",
        clinic=clinic,
        form=form,
        builtin=builtin,
        extra=extra,
        problem=problem,
        hub=hub,
        to_professional=professional,
    ), status


def _blank_form(clinic, token, form_token):
    """The request link's form as first shown, with `form_token` in it."""
    form_class, _, questions = _form_for(clinic)
    return _render_form(clinic, form_class(), token, questions, form_token=form_token)[0]


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def request_form(token):
    return render_request_form(_open_clinic(token), token)


def render_request_form(clinic, token, hub=None, professional=None):
    """Show the clinic's request form, or take it: the request joins the waitlist of the clinic, or
    of one professional when it came through a hub page. While the clinic has requests turned off, every
    request form (its own link's and a hub member's) says so and takes nothing."""
    if not clinic.requests_enabled:
        return render_template("client/requests_closed.html", clinic=clinic), 403
    if request.method == "GET" and hub is None:
        return page_cache.cached_page(
            clinic.pages_version, lambda slot: _blank_form(clinic, token, slot), guard.issue(token)
        )
    form_class, services, questions = _form_for(clinic)
    to = {"hub": hub, "professional": professional}
    if request.method == "GET":
        return _render_form(clinic, form_class(), token, questions, **to)
    form = form_class()
    if switching_language():
        return _render_form(clinic, form, token, questions, **to)

    problem, nonce = guard.check(form, token)
    if problem or not form.validate():
        return _render_form(clinic, form, token, questions, problem=problem, status=422, **to)

    client_fields, answers = registration_answers(clinic, form, questions)
    language = chosen_language(form) or str(get_locale())
    service = next((s for s in services if str(s.id) == form.service.data), None)
    try:
        submitted = waitlist.submit_request(
            clinic,
            nonce,
            name=form.name.data.strip(),
            email=form.email.data,
            language=language,
            service=service,
            message=form.message.data or "",
            client_fields=client_fields,
            answers=answers,
            hub=hub,
            professional=professional,
            timezone=form.tz.data,
            consent_text=consent_given(form)[0],
        )
    except form_nonces.AlreadySubmitted:
        return render_template("client/request_sent.html", clinic=clinic, email=form.email.data, repeated=True)
    return render_template(
        "client/request_sent.html",
        clinic=clinic,
        email=submitted.client.email,
        request_id=submitted.id,
        shown=token_for("request", submitted),
    )

"""The request form: show it, take it, confirm it."""
from flask import abort, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .. import links, registration, waitlist
from ..limits import limiter
from ..models import Clinic, Question, Service
from . import bp
from .forms import request_form_class


def _open_clinic(token):
    """The clinic a request link belongs to, or the page that says why the link cannot be used."""
    keys = current_app.config["SECRET_KEYS"]
    try:
        clinic_id, version = links.read_request_token(keys, token)
    except links.InvalidLink:
        abort(404)
    clinic = Clinic.get_or_none(Clinic.id == clinic_id) or abort(404)
    g.clinic_language = clinic.default_language
    try:
        links.check_version(version, clinic.request_link_version)
    except links.ReplacedLink:
        abort(410)
    return clinic


def _form_for(clinic):
    services = list(clinic.services.where(Service.active).order_by(Service.position, Service.name))
    questions = list(clinic.questions.order_by(Question.position, Question.id))
    return request_form_class(clinic, services, questions), services, questions


def _render_form(clinic, form, token, questions, problem=None, status=200):
    form.form_token.data = links.form_token(current_app.config["SECRET_KEYS"], token)
    builtin = [form[key] for key, _ in registration.asked(clinic)]
    extra = [form[f"q_{q.id}"] for q in questions]
    return render_template("client/request_form.html", clinic=clinic, form=form, builtin=builtin,
                           extra=extra, problem=problem), status


def _form_problem(form, token):
    """Why this submission of the form cannot be taken as it is, or None, and the form's nonce."""
    config = current_app.config
    if form.website.data:
        return _l("This form looked automatically filled in, so it was not sent. Please try again."), None
    try:
        nonce = links.read_form_token(config["SECRET_KEYS"], form.form_token.data or "", token,
                                      config["FORM_MAX_AGE"], config["FORM_MIN_SECONDS"])
    except links.ExpiredLink:
        return _l("This form was open for a long time, so it was not sent. Please check your answers and send it again."), None
    except links.InvalidLink:
        return _l("This form could not be verified, so it was not sent. Please check your answers and send it again."), None
    except links.TooFast:
        return _l("That was quicker than we expected, so the form was not sent. Please check your answers and send it again."), None
    return None, nonce


def _answers(clinic, form, questions):
    """What the client answered, split into their record's fields and the request's answers."""
    client_fields, answers = {}, []
    for key, _ in registration.asked(clinic):
        value = form[key].data
        if key in registration.CLIENT_FIELDS:
            client_fields[key] = value
        if value not in (None, "", False):
            answers.append({"key": key, "value": value.isoformat() if hasattr(value, "isoformat") else value})
    for question in questions:
        value = form[f"q_{question.id}"].data
        if value not in (None, "", []):
            answers.append({"question": question.label, "kind": question.kind, "value": value})
    return client_fields, answers


@bp.route("/r/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def request_form(token):
    clinic = _open_clinic(token)
    if not clinic.requests_enabled:
        return render_template("client/requests_closed.html", clinic=clinic), 403
    form_class, services, questions = _form_for(clinic)
    form = form_class()
    if request.method == "GET":
        return _render_form(clinic, form, token, questions)

    problem, nonce = _form_problem(form, token)
    if problem or not form.validate():
        return _render_form(clinic, form, token, questions, problem=problem, status=422)

    client_fields, answers = _answers(clinic, form, questions)
    language = (form.preferred_language.data if "preferred_language" in form else "") or str(get_locale())
    service = next((s for s in services if str(s.id) == form.service.data), None)
    try:
        submitted = waitlist.submit_request(
            clinic, nonce, name=form.name.data.strip(), email=form.email.data, language=language,
            service=service, message=form.message.data or "", client_fields=client_fields, answers=answers)
    except waitlist.AlreadySubmitted:
        return render_template("client/request_sent.html", clinic=clinic, email=form.email.data, repeated=True)
    return render_template("client/request_sent.html", clinic=clinic, email=submitted.client.email, repeated=False)

"""Signing in (password, then the authenticator's code where it is on), signing out, resetting a forgotten
password, and the rule that every workstation page needs a signed-in member.

The workstation cookie carries a random session token (server/accounts.py keeps its digest): ending the
session on the server signs the browser out, however many copies of the cookie exist."""

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import accounts, clinics
from ..limits import limiter
from ..urls import external_url
from ..web import check_role, may, safe_local_path
from . import bp
from .account_forms import CodeForm, ForgotPasswordForm, NewPasswordForm
from .forms import ActionForm, LoginForm

SIGN_IN = "signin"  # the session key of the token
PUBLIC_ENDPOINTS = {
    "workstation.login",
    "workstation.forgot_password",
    "workstation.reset_password",
    "workstation.invitation",
}
# A member whose clinic requires two-step sign-in, and who has not set it up, reaches only these.
SETUP_ENDPOINTS = {"workstation.two_factor_setup", "workstation.logout"}


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _current_session():
    config = current_app.config
    return accounts.session_for(session.get(SIGN_IN), config["SESSION_IDLE_MINUTES"], config["SESSION_MAX_HOURS"])


bp.add_app_template_global(may, "may")


@bp.before_request
def load_professional():
    """Every workstation page acts for the signed-in member, within their clinic only."""
    g.member_session = _current_session()
    signed_in = g.member_session is not None and not g.member_session.awaiting_code
    g.professional = g.member_session.professional if signed_in else None
    if g.professional is None:
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if g.member_session is not None and request.endpoint == "workstation.login_code":
            return None
        return redirect(url_for("workstation.login", next=request.full_path))
    g.clinic = g.professional.clinic
    g.clinic_language = g.clinic.default_language
    refused = check_role()  # a deactivated member is signed out here, and a role reaches only its pages
    if refused is not None or g.professional is None:
        return refused
    if accounts.needs_two_factor_setup(g.professional) and request.endpoint not in SETUP_ENDPOINTS:
        return redirect(url_for("workstation.two_factor_setup"))
    return None


def _safe_next(target):
    """A workstation path to return to after signing in; anything else (another site, a line break that
    would split the Location header) is dropped."""
    return safe_local_path(target)


def _client_details():
    return {"user_agent": request.user_agent.string, "address": request.remote_addr}


def _signed_in(token):
    """Put a fresh token in a fresh cookie session (nothing of an earlier visitor's session survives)."""
    accounts.end_session(session.get(SIGN_IN))
    session.clear()
    session[SIGN_IN] = token


def sign_in(professional, awaiting_code=False):
    """Start a sign-in kept on the server for `professional` (after their password, or on joining the team)."""
    _signed_in(accounts.start_session(professional, awaiting_code=awaiting_code, **_client_details()))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        professional = clinics.authenticate(form.email.data, form.password.data)
        if professional is not None:
            accounts.prune_sessions(current_app.config["SESSION_IDLE_MINUTES"], current_app.config["SESSION_MAX_HOURS"])
            awaiting = professional.totp_secret is not None
            sign_in(professional, awaiting_code=awaiting)
            following = _safe_next(request.args.get("next"))
            if awaiting:
                return redirect(url_for("workstation.login_code", next=following))
            return redirect(following or url_for("workstation.requests"))
        form.password.errors.append(_("That email and password do not match an account."))
    return render_template("workstation/login.html", form=form), 200 if request.method == "GET" else 401


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_code():
    """The second step of a sign-in: the authenticator's code, or a recovery code."""
    if g.professional is not None:
        return redirect(url_for("workstation.requests"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            token = accounts.finish_sign_in(g.member_session, form.code.data, **_client_details())
        except accounts.TooManyCodes:
            session.clear()
            flash(_("Too many wrong codes. Please sign in again."), "error")
            return redirect(url_for("workstation.login"))
        except accounts.WrongCode:
            form.code.errors.append(_("That code is not right, or was already used. Please try the newest code."))
            status = 401
        else:
            _signed_in(token)
            return redirect(_safe_next(request.args.get("next")) or url_for("workstation.requests"))
    elif request.method == "POST":
        status = 400
    return render_template("workstation/login_code.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        accounts.end_session(session.get(SIGN_IN))
        session.clear()
        flash(_("You are signed out."))
    return redirect(url_for("workstation.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(
            current_app.config["SECRET_KEYS"],
            form.email.data,
            str(get_locale()),
            lambda token: external_url("workstation.reset_password", token=token),
        )
        return render_template("workstation/reset_sent.html")
    return render_template("workstation/reset_request.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token):
    """Choose a new password from an emailed link: one hour, once."""
    keys = current_app.config["SECRET_KEYS"]
    try:
        accounts.member_for_reset(keys, token)
    except accounts.InvalidReset as problem:
        return _bad_reset_link(problem)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(keys, token, form.password.data)
        except accounts.InvalidReset as problem:
            return _bad_reset_link(problem)
        session.clear()
        flash(_("Your password is changed. Please sign in with it."))
        return redirect(url_for("workstation.login"))
    status = 200 if request.method == "GET" else 400
    return _no_referrer(render_template("workstation/reset_password.html", form=form), status)


def _bad_reset_link(problem):
    if isinstance(problem, accounts.ExpiredReset):
        message = _("This link has expired: reset links work for one hour.")
    elif isinstance(problem, accounts.UsedReset):
        message = _("This link was already used, or your password has changed since it was sent.")
    else:
        message = _("This link is not complete. Please copy the whole link from the email.")
    status = 404 if type(problem) is accounts.InvalidReset else 410
    return _no_referrer(render_template("workstation/reset_invalid.html", message=message), status)


def _no_referrer(body, status):
    """A page whose address holds a reset token never passes it on in a Referer."""
    response = current_app.make_response((body, status))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/")
def home():
    return redirect(url_for("workstation.requests"))

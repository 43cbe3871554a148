"""The member's own account: password, where they are signed in, two-step sign-in, and (for the owner) the
clinic's requirement of it."""

import datetime

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import accounts
from ..limits import limiter
from ..web import form_is_fresh, owner_only
from . import bp
from .account_forms import ChangePasswordForm, ConfirmCodeForm, PasswordCheckForm, RequireTwoFactorForm


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_page(password_form=None, off_form=None, status=200):
    professional = g.professional
    page = render_template(
        "workstation/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        off_form=off_form or PasswordCheckForm(formdata=None),
        require_form=RequireTwoFactorForm(formdata=None, require_two_factor=g.clinic.require_two_factor),
        sessions=accounts.sessions_of(professional),
        this_session=g.member_session,
        two_factor_on=professional.totp_secret is not None,
        recovery_codes_left=accounts.recovery_codes_left(professional),
        device_label=accounts.device_label,
        idle=datetime.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        lifetime=datetime.timedelta(hours=current_app.config["SESSION_MAX_HOURS"]),
    )
    return page, status


@bp.route("/account")
def account():
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@limiter.limit(_login_limit)
def change_password():
    """A new password, after the current one; every other browser is signed out."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(password_form=form, status=400)
    try:
        accounts.change_password(g.member_session, form.current.data, form.password.data)
    except accounts.WrongPassword:
        form.current.errors.append(_("That is not your current password."))
        return _account_page(password_form=form, status=400)
    flash(_("Your password is changed. Every other browser is now signed out."))
    return redirect(url_for("workstation.account"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    """End every sign-in of this member, this browser's included."""
    if not form_is_fresh():
        return redirect(url_for("workstation.account"))
    accounts.end_all_sessions(g.professional)
    session.clear()
    flash(_("You are signed out everywhere."))
    return redirect(url_for("workstation.login"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor_setup():
    """Set up two-step sign-in: scan the QR code, type the app's first code, keep the recovery codes."""
    if g.professional.totp_secret is not None:
        return redirect(url_for("workstation.account"))
    form = ConfirmCodeForm()
    status = 200
    if form.validate_on_submit() and g.member_session.setup_secret:
        try:
            codes = accounts.confirm_two_factor(g.member_session, form.code.data)
        except accounts.WrongCode:
            form.code.errors.append(_("That code does not match. Please type the code the app shows now."))
            status = 400
        else:
            return render_template("workstation/account_recovery_codes.html", codes=codes)
    elif request.method == "POST":
        status = 400
    secret = g.member_session.setup_secret or accounts.begin_two_factor_setup(g.member_session)
    uri = accounts.setup_uri(g.professional, secret)
    page = render_template(
        "workstation/account_two_factor.html",
        form=form,
        qr_svg=accounts.qr_svg(uri),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        required=g.clinic.require_two_factor,
    )
    return page, status


@bp.route("/account/two-factor/off", methods=["POST"])
@limiter.limit(_login_limit)
def two_factor_off():
    """Turn two-step sign-in off, after the password; not while the clinic requires it."""
    form = PasswordCheckForm()
    if g.clinic.require_two_factor:
        flash(_("Your clinic requires two-step sign-in, so it cannot be turned off."), "error")
        return redirect(url_for("workstation.account"))
    if not form.validate_on_submit():
        return _account_page(off_form=form, status=400)
    try:
        accounts.turn_off_two_factor(g.professional, form.current.data)
    except accounts.WrongPassword:
        form.current.errors.append(_("That is not your current password."))
        return _account_page(off_form=form, status=400)
    flash(_("Two-step sign-in is off."))
    return redirect(url_for("workstation.account"))


@bp.route("/account/require-two-factor", methods=["POST"])
@owner_only
def require_two_factor():
    """The owner requires two-step sign-in of every member; those without it set it up at their next page."""
    form = RequireTwoFactorForm()
    accounts.require_two_factor(g.clinic, form.require_two_factor.data)
    if form.require_two_factor.data:
        flash(_("Everyone at the clinic now signs in with an authenticator app."))
    else:
        flash(_("Two-step sign-in is now each member's own choice."))
    return redirect(url_for("workstation.account"))

"""Signing in and out, and the rule that every workstation page needs a signed-in professional."""

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import clinics
from ..limits import limiter
from ..models import Professional
from ..web import check_role, may
from . import bp
from .forms import ActionForm, LoginForm

PUBLIC_ENDPOINTS = {"workstation.login", "workstation.invitation"}
bp.add_app_template_global(may, "may")


@bp.before_request
def load_professional():
    """Every workstation page acts for the signed-in professional, within their clinic only."""
    professional_id = session.get("professional_id")
    g.professional = Professional.get_or_none(Professional.id == professional_id) if professional_id else None
    if g.professional is None:
        if request.endpoint not in PUBLIC_ENDPOINTS:
            return redirect(url_for("workstation.login", next=request.full_path))
        return None
    g.clinic = g.professional.clinic
    g.clinic_language = g.clinic.default_language
    return check_role()


def _safe_next(target):
    return target if target and target.startswith("/workstation") and not target.startswith("//") else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        professional = clinics.authenticate(form.email.data, form.password.data)
        if professional is not None:
            session.clear()
            session["professional_id"] = professional.id
            return redirect(_safe_next(request.args.get("next")) or url_for("workstation.requests"))
        form.password.errors.append(_("That email and password do not match an account."))
    return render_template("workstation/login.html", form=form), 200 if request.method == "GET" else 401


@bp.route("/logout", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        session.clear()
        flash(_("You are signed out."))
    return redirect(url_for("workstation.login"))


@bp.route("/")
def home():
    return redirect(url_for("workstation.requests"))

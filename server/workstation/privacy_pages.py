"""Privacy (owner only): clients waiting to be erased, the retention periods, a client's data as a JSON
download, and erasing a client after a confirm step."""

import json

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional

from .. import booking, clinic_settings, privacy, registration
from ..form_base import PageForm
from ..language_choice import offered_languages
from ..models import Client
from ..validators import LINE_LENGTH, NAME_LENGTH, REQUIRED, NoControlCharacters, max_length
from ..web import clinic_object_or_404, flash_expired, owner_only, require_owner
from . import bp
from .forms import ActionForm

# A day is the shortest period that leaves time to notice a mistake; ten years the longest a practice keeps a
# request it declined.
RETENTION_DAYS = NumberRange(min=1, max=3650, message=_l("Enter a number of days from 1 to 3650."))


class RetentionForm(PageForm):
    request_retention_days = IntegerField(
        _l("Keep declined requests for (days)"), [InputRequired(message=REQUIRED), RETENTION_DAYS]
    )
    mail_body_retention_days = IntegerField(
        _l("Keep the text of delivered emails for (days)"), [InputRequired(message=REQUIRED), RETENTION_DAYS]
    )


class SenderForm(PageForm):
    mail_sender_name = StringField(
        _l("Name on emails to clients"),
        [Optional(), max_length(NAME_LENGTH), NoControlCharacters()],
        description=_l(
            "Shown as the sender and in the subject of every email to a client, instead of your clinic's name, "
            "since an inbox may be shared. Leave it empty to use your clinic's name."
        ),
    )


class HoldsForm(PageForm):
    confirm_self_bookings = BooleanField(_l("Ask clients to confirm a session they book themselves from the email"))
    hold_minutes = IntegerField(
        _l("Hold the time until it is confirmed for (minutes)"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(
                min=booking.SHORTEST_HOLD_MINUTES,
                max=booking.LONGEST_HOLD_MINUTES,
                message=_l(
                    "Enter a number of minutes from %(min)d to %(max)d.",
                    min=booking.SHORTEST_HOLD_MINUTES,
                    max=booking.LONGEST_HOLD_MINUTES,
                ),
            ),
        ],
        description=_l(
            "Not confirmed by then, the time is offered to others again and the client is told by email. "
            "You hear of a session once it is confirmed."
        ),
    )


def _render_privacy(status=200, form=None, sender_form=None, notice_problems=None, notices=None, holds_form=None):
    clinic = g.clinic
    form = form or RetentionForm(
        formdata=None,
        request_retention_days=clinic.request_retention_days,
        mail_body_retention_days=clinic.mail_body_retention_days,
    )
    sender_form = sender_form or SenderForm(formdata=None, mail_sender_name=clinic.mail_sender_name)
    holds_form = holds_form or HoldsForm(
        formdata=None, confirm_self_bookings=clinic.confirm_self_bookings, hold_minutes=clinic.hold_minutes
    )
    return render_template(
        "workstation/privacy.html",
        form=form,
        sender_form=sender_form,
        holds_form=holds_form,
        waiting=list(privacy.pending_erasures(clinic)),
        notice_languages=offered_languages(clinic),
        notices=notices if notices is not None else (clinic.privacy_notice or {}),
        notice_problems=notice_problems or {},
        asks_consent=clinic.privacy_consent if notices is None else request.form.get("privacy_consent") == "on",
        action_form=ActionForm(),
    ), status


@bp.route("/privacy")
def privacy_overview():
    require_owner()
    return _render_privacy()


@bp.route("/privacy/retention", methods=["POST"])
@owner_only
def save_retention():
    form = RetentionForm()
    if not form.validate():
        return _render_privacy(422, form=form)
    clinic_settings.save_retention(g.clinic, form.request_retention_days.data, form.mail_body_retention_days.data)
    flash(_("The retention periods were saved."))
    return redirect(url_for("workstation.privacy_overview"))


@bp.route("/privacy/sender", methods=["POST"])
@owner_only
def save_sender():
    form = SenderForm()
    if not form.validate():
        return _render_privacy(422, sender_form=form)
    clinic_settings.save_sender_name(g.clinic, (form.mail_sender_name.data or "").strip())
    flash(_("The name on emails to clients was saved."))
    return redirect(url_for("workstation.privacy_overview"))


@bp.route("/privacy/holds", methods=["POST"])
@owner_only
def save_holds():
    form = HoldsForm()
    if not form.validate():
        return _render_privacy(422, holds_form=form)
    clinic_settings.save_holds(g.clinic, form.confirm_self_bookings.data, form.hold_minutes.data)
    flash(_("The confirmation of online bookings was saved."))
    return redirect(url_for("workstation.privacy_overview"))


@bp.route("/privacy/notice", methods=["POST"])
@owner_only
def save_notice():
    """The privacy notice's address in each offered language (https only), and whether the public forms
    ask clients to agree to it (which needs a notice in the default language)."""
    clinic = g.clinic
    notices = {code: request.form.get(f"notice_{code}", "").strip() for code in offered_languages(clinic)}
    problems = {
        code: _("Enter an address that starts with https://, like https://www.example.com/privacy.")
        for code, url in notices.items()
        if url and (len(url) > LINE_LENGTH or not registration.is_notice_address(url))
    }
    asks_consent = request.form.get("privacy_consent") == "on"
    if asks_consent and not notices.get(clinic.default_language) and not problems:
        problems[clinic.default_language] = _("Clients can only agree to a notice they can read: add its address.")
    if problems:
        return _render_privacy(422, notice_problems=problems, notices=notices)
    clinic_settings.save_privacy_notice(clinic, {code: url for code, url in notices.items() if url}, asks_consent)
    flash(_("The privacy notice was saved."))
    return redirect(url_for("workstation.privacy_overview"))


def _live_client(client_id):
    """The clinic's client, or back to their page when they were erased already."""
    client = clinic_object_or_404(Client, client_id)
    return client if client.erased_at is None else None


@bp.route("/clients/<int:client_id>/export", methods=["POST"])
@owner_only
def export_client(client_id):
    client = _live_client(client_id)
    if client is None:
        flash(_("This client was erased: there is no data left to export."), "error")
        return redirect(url_for("workstation.client_detail", client_id=client_id))
    return download(privacy.export(client, member=g.professional), privacy.export_filename(client))


def download(data, filename):
    """A JSON attachment that no cache keeps (it holds a person's data)."""
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/clients/<int:client_id>/erase", methods=["GET", "POST"])
def erase_client(client_id):
    require_owner()
    client = clinic_object_or_404(Client, client_id)
    if client.erased_at is not None:
        flash(_("This client was already erased."), "error")
        return redirect(url_for("workstation.client_detail", client_id=client.id))
    form = ActionForm()
    if not form.validate_on_submit():
        if form.is_submitted():
            flash_expired()
        return render_template("workstation/erase_client.html", client=client, form=form), (
            422 if form.is_submitted() else 200
        )
    try:
        privacy.erase(client, g.professional)
    except privacy.AlreadyErased:
        flash(_("This client was already erased."), "error")
    else:
        flash(_("The client was erased. Their session times and charges stay, without their details."))
    return redirect(url_for("workstation.privacy_overview"))

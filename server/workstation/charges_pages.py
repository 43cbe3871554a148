"""Charges: late cancellations and no-shows the professional may charge for, decided once each."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from .. import booking, charges, team
from ..models import ChargeDecision
from ..states import ChargeStatus
from ..web import clinic_object_or_404, flash_expired
from . import bp
from .forms import ChargeDecisionForm

ALL = "all"
# The list's tabs; the same words as statuses (labels.CHARGE_STATUS) may need another form in a language.
FILTERS = (
    (ChargeStatus.OPEN, lazy_pgettext("filter tab", "To decide")),
    (ChargeStatus.CHARGED, lazy_pgettext("filter tab", "Charged")),
    (ChargeStatus.WAIVED, lazy_pgettext("filter tab", "Waived")),
    (ALL, _l("All")),
)
DECISIONS = (ChargeStatus.CHARGED, ChargeStatus.WAIVED)


def _filtered():
    status = request.args.get("status", ChargeStatus.OPEN)
    query = team.scope(ChargeDecision.select().where(ChargeDecision.clinic == g.clinic), ChargeDecision, g.professional)
    if status in charges.STATUSES:
        query = query.where(ChargeDecision.status == status)
    else:
        status = ALL
    return status, query.order_by(ChargeDecision.created_at.desc(), ChargeDecision.id.desc())


@bp.route("/charges")
def charge_list():
    status, decisions = _filtered()
    return render_template(
        "workstation/charges.html",
        status=status,
        decisions=list(decisions),
        filters=FILTERS,
        may_decide=booking.charge_is_open,
        form=ChargeDecisionForm(formdata=None),
    )


@bp.route("/charges.csv")
def charge_export():
    status, decisions = _filtered()
    return Response(
        charges.to_csv(decisions),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="charges-{status}.csv"'},
    )


def _decide(decision, form):
    try:
        charges.decide(decision, g.professional, form.decision.data, note=form.note.data or "")
    except charges.AlreadyDecided:
        flash(_("This charge was already decided, so nothing was changed."), "error")
    else:
        flash(_("Charged.") if form.decision.data == ChargeStatus.CHARGED else _("Waived."))


@bp.route("/charges/<int:decision_id>", methods=["POST"])
def decide_charge(decision_id):
    decision = clinic_object_or_404(ChargeDecision, decision_id)
    form = ChargeDecisionForm()
    if form.validate_on_submit() and form.decision.data in DECISIONS:
        _decide(decision, form)
    else:
        flash_expired()
    return redirect(url_for("workstation.charge_list", status=request.args.get("status", ChargeStatus.OPEN)))

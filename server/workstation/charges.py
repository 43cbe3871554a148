"""Charges: late cancellations and no-shows the professional may charge for, decided once each."""
from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import charges
from ..models import ChargeDecision
from . import bp
from .auth import clinic_object_or_404
from .forms import ChargeDecisionForm


def _filtered():
    status = request.args.get("status", "open")
    query = ChargeDecision.select().where(ChargeDecision.clinic == g.clinic)
    if status in charges.STATUSES:
        query = query.where(ChargeDecision.status == status)
    else:
        status = "all"
    return status, query.order_by(ChargeDecision.created_at.desc(), ChargeDecision.id.desc())


@bp.route("/charges")
def charge_list():
    status, decisions = _filtered()
    return render_template("workstation/charges.html", status=status, decisions=list(decisions),
                           form=ChargeDecisionForm(formdata=None))


@bp.route("/charges.csv")
def charge_export():
    status, decisions = _filtered()
    return Response(charges.to_csv(decisions), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="charges-{status}.csv"'})


@bp.route("/charges/<int:decision_id>", methods=["POST"])
def decide_charge(decision_id):
    decision = clinic_object_or_404(ChargeDecision, decision_id)
    form = ChargeDecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("charged", "waived"):
        flash(_("This page had expired, so nothing was changed. Please try again."), "error")
    else:
        try:
            charges.decide(decision, g.professional, form.decision.data, note=form.note.data or "")
        except charges.AlreadyDecided:
            flash(_("This charge was already decided, so nothing was changed."), "error")
        else:
            flash(_("Charged.") if form.decision.data == "charged" else _("Waived."))
    return redirect(url_for("workstation.charge_list", status=request.args.get("status", "open")))

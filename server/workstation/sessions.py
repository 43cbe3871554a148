"""Sessions: the clinic's upcoming sessions."""
from flask import g, render_template

from ..models import Appointment, utcnow
from . import bp


@bp.route("/sessions")
def sessions():
    upcoming = (Appointment.select().where(Appointment.clinic == g.clinic, Appointment.ends_at > utcnow())
                .order_by(Appointment.starts_at))
    return render_template("workstation/sessions.html", sessions=list(upcoming))

"""Clients: the clinic's accepted clients, one client's page, and booking a session for them."""

import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import appointments, booking, clinic_settings
from ..models import Appointment, Client, Professional, Service, utcnow
from ..refusals import PROFESSIONAL
from ..states import ClientStatus
from ..web import clinic_object_or_404, page_number, paginate
from . import bp
from .forms import BookSessionForm


@bp.route("/clients")
def clients():
    # Ordered on the (clinic, status, name, id) index, so a page costs the same however many clients there are.
    active = (
        Client.select()
        .where(Client.clinic == g.clinic, Client.status == ClientStatus.ACTIVE)
        .order_by(Client.name, Client.id)
    )
    page = page_number()
    rows, has_previous, has_next = paginate(active, page)
    chosen = chosen_time()
    return render_template(
        "workstation/clients.html",
        clients=rows,
        page=page,
        has_previous=has_previous,
        has_next=has_next,
        booking_at=chosen,
        booking_day=chosen and datetime.date.fromisoformat(chosen["day"]),
    )


def chosen_time():
    """The time clicked in the calendar (?day=&time=&professional=), carried to the client's booking form;
    None when any part is missing, mistyped or another clinic's."""
    try:
        day = datetime.date.fromisoformat(request.args.get("day", ""))
        time = datetime.time.fromisoformat(request.args.get("time", ""))
        professional = int(request.args.get("professional", ""))
    except ValueError:
        return None
    if not Professional.select().where(Professional.id == professional, Professional.clinic == g.clinic).exists():
        return None
    return {"day": day.isoformat(), "time": time.strftime("%H:%M"), "professional": professional}


def booking_form():
    form = BookSessionForm()
    form.service.choices = [SelectChoice("", _("Choose a service"))] + [
        SelectChoice(str(s.id), _("%(name)s (%(minutes)d min)", name=s.name, minutes=s.duration_minutes))
        for s in clinic_settings.offered_services(g.clinic)
    ]
    form.professional.choices = [
        SelectChoice(str(p.id), p.name) for p in g.clinic.professionals.order_by(Professional.name)
    ]
    if form.professional.data is None:
        form.professional.data = str(g.professional.id)
    return form


def _render_client(client, form, status=200):
    sessions = client.appointments.order_by(Appointment.starts_at.desc())
    return render_template(
        "workstation/client_detail.html",
        client=client,
        form=form,
        sessions=list(sessions),
        requests=list(client.requests),
    ), status


@bp.route("/clients/<int:client_id>")
def client_detail(client_id):
    client = clinic_object_or_404(Client, client_id)
    form = booking_form()
    chosen = chosen_time()
    if chosen:
        form.day.data = datetime.date.fromisoformat(chosen["day"])
        form.time.data = datetime.time.fromisoformat(chosen["time"])
        form.professional.data = str(chosen["professional"])
    return _render_client(client, form)


@bp.route("/clients/<int:client_id>/sessions", methods=["POST"])
def book_session(client_id):
    client = clinic_object_or_404(Client, client_id)
    form = booking_form()
    if not form.validate_on_submit():
        return _render_client(client, form, 422)
    service = clinic_object_or_404(Service, int(form.service.data))
    professional = clinic_object_or_404(Professional, int(form.professional.data))
    try:
        start = booking.local_to_utc(form.day.data, form.time.data, g.clinic.timezone)
        appointments.book(
            g.clinic,
            professional,
            client,
            service,
            start,
            service.duration_minutes,
            booked_by=g.professional,
            now=utcnow(),
        )
    except booking.BookingError as error:
        form.time.errors.append(str(PROFESSIONAL[error.code]))
        return _render_client(client, form, 409 if error.code == booking.OVERLAP else 422)
    flash(_("The session is booked. %(name)s will get a confirmation email.", name=client.name))
    return redirect(url_for("workstation.client_detail", client_id=client.id))

"""Clients: the clinic's clients (searched, archived), adding one by hand, editing one, one client's page,
and booking a session for them."""

import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import appointments, booking, calendar_sync, clients, clinic_settings, team
from ..models import Appointment, Client, Professional, Service, utcnow
from ..refusals import PROFESSIONAL
from ..web import clinic_object_or_404, form_is_fresh, opened_or_404, page_number, paginate
from . import bp
from .client_forms import SearchForm, client_form_class
from .forms import ActionForm, BookSessionForm


def _render_list(search_form, page, archived, status=200):
    # Ordered on the (clinic, status, name, id) index, so a page costs the same however many clients there are.
    found = team.scope(clients.search(g.clinic, search_form.q.data, archived), Client, g.professional)
    rows, has_previous, has_next = paginate(found, page)
    chosen = chosen_time()
    return render_template(
        "workstation/clients.html",
        clients=rows,
        page=page,
        has_previous=has_previous,
        has_next=has_next,
        archived=archived,
        search_form=search_form,
        searched=bool((search_form.q.data or "").strip()),
        booking_at=chosen,
        booking_day=chosen and datetime.date.fromisoformat(chosen["day"]),
    ), status


@bp.route("/clients", endpoint="clients")
def clients_list():
    archived = request.args.get("archived") == "1"
    return _render_list(SearchForm(formdata=None, archived=archived), page_number(), archived)


@bp.route("/clients/search", methods=["POST"])
def search_clients():
    """The list filtered by what was typed. A POST, so the search text stays out of every URL; its pages
    are buttons of the same form."""
    form = SearchForm()
    if not form.validate_on_submit():
        return _render_list(form, 1, form.archived.data, 422)
    return _render_list(form, form.page_number(), form.archived.data)


@bp.route("/clients/new", methods=["GET", "POST"])
def add_client():
    form = client_form_class(g.clinic)()
    if not form.validate_on_submit():
        return render_template("workstation/client_form.html", form=form, client=None), 422 if form.errors else 200
    try:
        client, created = clients.add_client(g.clinic, **form.values())
    except clients.ClientError:
        abort(422)  # the form already asks for an email or a phone number
    if created:
        flash(_("%(name)s was added. You can book their first session now.", name=client.name))
    else:
        flash(_("A client with this email already exists, so nothing new was added: here is their page."), "error")
    return redirect(url_for("workstation.client_detail", client_id=client.id, _anchor="book-heading"))


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
def edit_client(client_id):
    client = clinic_object_or_404(Client, client_id)
    form = client_form_class(g.clinic, client.language)(obj=client if request.method == "GET" else None)
    if request.method == "GET":
        # A client who never told us their language or time zone reads the clinic's: show that, not the
        # list's first entry, so saving the form does not quietly set one.
        form.language.data = client.language or g.clinic.default_language
        form.timezone.data = client.timezone or g.clinic.timezone
    if not form.validate_on_submit():
        return render_template("workstation/client_form.html", form=form, client=client), 422 if form.errors else 200
    try:
        clients.update_client(client, **form.values())
    except clients.ClientError:
        form.email.errors.append(_("Another client of this clinic has this email address."))
        return render_template("workstation/client_form.html", form=form, client=client), 422
    flash(_("The client's details were saved."))
    return redirect(url_for("workstation.client_detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/<any(archive, unarchive):action>", methods=["POST"])
def archive_client(client_id, action):
    client = clinic_object_or_404(Client, client_id)
    if form_is_fresh():
        clients.set_archived(client, action == "archive")
        flash(
            _("%(name)s was archived: hidden from the client list, with every session kept.", name=client.name)
            if action == "archive"
            else _("%(name)s is back in the client list.", name=client.name)
        )
    return redirect(url_for("workstation.client_detail", client_id=client.id))


def chosen_time():
    """The time clicked in the calendar (?day=&time=&professional=), carried to the client's booking form;
    None when any part is missing, mistyped or another clinic's."""
    try:
        day = datetime.date.fromisoformat(request.args.get("day", ""))
        time = datetime.time.fromisoformat(request.args.get("time", ""))
        professional = int(request.args.get("professional", ""))
    except ValueError:
        return None
    if (
        not team.scope(team.bookable_members(g.clinic), Professional, g.professional)
        .where(Professional.id == professional)
        .exists()
    ):
        return None
    return {"day": day.isoformat(), "time": time.strftime("%H:%M"), "professional": professional}


def booking_form():
    form = BookSessionForm()
    form.service.choices = [SelectChoice("", _("Choose a service"))] + [
        SelectChoice(str(s.id), _("%(name)s (%(minutes)d min)", name=s.name, minutes=s.duration_minutes))
        for s in clinic_settings.offered_services(g.clinic)
    ]
    form.professional.choices = [
        SelectChoice(str(p.id), p.name)
        for p in team.scope(team.bookable_members(g.clinic), Professional, g.professional)
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
        action_form=ActionForm(),
    ), status


def apply_details_from(row):
    """ "Apply these details" on a request's or a session's page: the form's details onto the client's record,
    from a fresh form, once; says what happened."""
    if not form_is_fresh():
        return
    client = clients.apply_details(row)
    if client is not None:
        flash(_("%(name)s's record now has the details from this form.", name=client.name))
    else:
        flash(_("These details were already applied."), "error")


@bp.route("/clients/<int:client_id>")
def client_detail(client_id):
    client = opened_or_404(Client, client_id)
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
    if not team.bookable_members(g.clinic).where(Professional.id == professional.id).exists():
        abort(404)
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
    flash(
        _("The session is booked. %(name)s will get a confirmation email.", name=client.name)
        if client.email
        else _("The session is booked. %(name)s has no email address: tell them the time yourself.", name=client.name)
    )
    warn_if_busy_elsewhere(professional, start, start + datetime.timedelta(minutes=service.duration_minutes))
    return redirect(url_for("workstation.client_detail", client_id=client.id))


def warn_if_busy_elsewhere(professional, start, end):
    """The team may book over a busy time of the professional's external calendar (it may be out of date,
    or the professional moved it), but is told so."""
    if calendar_sync.is_busy(professional, start, end):
        flash(
            _("Please note: %(name)s is busy at this time in their own calendar elsewhere.", name=professional.name),
            "warning",
        )

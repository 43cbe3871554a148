"""Clients: the clinic's clients (searched, archived), adding one by hand, editing one, one client's page,
and booking a session for them."""

import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from .. import appointments, booking, clients, clinic_settings, series, team
from ..form_nonces import AlreadySubmitted, was_used
from ..models import Appointment, Client, Professional, Service, new_nonce, utcnow
from ..refusals import PROFESSIONAL, SERIES, SERIES_MARKS
from ..web import clinic_object_or_404, form_is_fresh, opened_or_404, page_number, paginate
from . import bp
from .client_forms import SearchForm, client_form_class
from .forms import ActionForm, BookSessionForm, SeriesForm


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
    if not team.bookable_for(g.clinic, g.professional).where(Professional.id == professional).exists():
        return None
    return {"day": day.isoformat(), "time": time.strftime("%H:%M"), "professional": professional}


def booking_form(form_class=BookSessionForm, **options):
    """A booking form (one session, or a weekly series) offering the clinic's services and whom the member may
    book for."""
    form = form_class(**options)
    form.service.choices = [SelectChoice("", _("Choose a service"))] + [
        SelectChoice(str(s.id), _("%(name)s (%(minutes)d min)", name=s.name, minutes=s.duration_minutes))
        for s in clinic_settings.offered_services(g.clinic)
    ]
    form.professional.choices = [SelectChoice(str(p.id), p.name) for p in team.bookable_for(g.clinic, g.professional)]
    if form.professional.data is None:
        form.professional.data = str(g.professional.id)
    return form


def _series_form():
    return booking_form(SeriesForm, prefix="series")


def _render_client(client, form, status=200, series_form=None):
    sessions = client.appointments.order_by(Appointment.starts_at.desc())
    return render_template(
        "workstation/client_detail.html",
        client=client,
        form=form,
        series_form=series_form or _series_form(),
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


def _service_and_professional(form):
    """The form's service and professional: another clinic's, or a colleague a professional may not book for,
    is not found."""
    service = clinic_object_or_404(Service, int(form.service.data))
    professional = team.bookable_for(g.clinic, g.professional).where(Professional.id == int(form.professional.data))
    return service, professional.first() or abort(404)


@bp.route("/clients/<int:client_id>/sessions", methods=["POST"])
def book_session(client_id):
    client = clinic_object_or_404(Client, client_id)
    form = booking_form()
    if not form.validate_on_submit():
        return _render_client(client, form, 422)
    service, professional = _service_and_professional(form)
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
    return redirect(url_for("workstation.client_detail", client_id=client.id))


def _render_series(client, form, planned, status=200, message=None):
    """The preview: each occurrence with what is in its way, to book, skip or move; `planned` fills the rows."""
    if planned is not None:
        while len(form.rows) > len(planned):
            form.rows.pop_entry()
        while len(form.rows) < len(planned):
            form.rows.append_entry()
        for row, occurrence in zip(form.rows, planned, strict=True):
            row.book.data, row.day.data, row.time.data = occurrence.chosen, occurrence.day, occurrence.time
    return render_template(
        "workstation/series_preview.html",
        client=client,
        form=form,
        rows=list(zip(form.rows, planned or [None] * len(form.rows), strict=True)),
        marks=SERIES_MARKS,
        refused=series.REFUSED,
        message=message,
    ), status


def _series_rule_error(form, code):
    """Show a refused rule beside the field it is about."""
    about = {series.BAD_INTERVAL: form.weeks_apart, series.UNTIL_BEFORE_FIRST: form.until}
    field = about.get(code) or (form.count if form.ends.data == "count" else form.until)
    field.errors = [*field.errors, str(SERIES[code])]


@bp.route("/clients/<int:client_id>/series/preview", methods=["POST"])
def preview_series(client_id):
    """Every occurrence of a weekly series, marked where another session or time off is in the way, before anything
    is booked; "Check again" after skipping or moving some posts here too."""
    client = clinic_object_or_404(Client, client_id)
    form = _series_form()
    if not form.validate_on_submit():
        if form.rows.entries:
            return _render_series(client, form, None, 422)
        return _render_client(client, booking_form(), 422, series_form=form)
    service, professional = _service_and_professional(form)
    now = utcnow()
    if form.rows.entries:
        rows, first_showing = [(r.day.data, r.time.data, r.book.data) for r in form.rows], False
    else:
        today = booking.utc_to_local(now, g.clinic.timezone).date()
        try:
            days = series.days(
                form.day.data,
                form.weeks_apart.data,
                today,
                count=form.count.data if form.ends.data == "count" else None,
                until=form.until.data if form.ends.data == "until" else None,
            )
        except series.SeriesError as error:
            _series_rule_error(form, error.code)
            return _render_client(client, booking_form(), 422, series_form=form)
        rows, first_showing = [(day, form.time.data, True) for day in days], True
        form.nonce.data = new_nonce()
    planned = appointments.plan_series(professional, service, rows, now, default_choice=first_showing)
    return _render_series(client, form, planned)


def _already_booked(client):
    flash(_("This series was already booked, so nothing new was booked."), "error")
    return redirect(url_for("workstation.client_detail", client_id=client.id))


@bp.route("/clients/<int:client_id>/series", methods=["POST"])
def book_series(client_id):
    """Book the ticked occurrences of a previewed series in one transaction, or none: one that is no longer free
    (booked by someone since the preview) refuses the whole series and the preview shows why."""
    client = clinic_object_or_404(Client, client_id)
    form = _series_form()
    if not form.validate_on_submit() or not form.rows.entries or not form.nonce.data:
        return _render_series(client, form, None, 422)
    service, professional = _service_and_professional(form)
    if was_used(form.nonce.data):  # before the plan, which would find the first submit's sessions in the way
        return _already_booked(client)
    now = utcnow()
    rows = [(r.day.data, r.time.data, r.book.data) for r in form.rows]
    planned = appointments.plan_series(professional, service, rows, now)
    try:
        booked = appointments.book_series(
            form.nonce.data,
            g.clinic,
            professional,
            client,
            service,
            series.bookable(planned),
            form.weeks_apart.data,
            booked_by=g.professional,
            now=now,
        )[1]
    except AlreadySubmitted:
        return _already_booked(client)
    except series.SeriesError as error:
        return _render_series(client, form, planned, 422, message=SERIES[error.code])
    except booking.BookingError as error:
        # Planned again: a session booked since the preview now shows in its row.
        planned = appointments.plan_series(professional, service, rows, utcnow())
        message = _(
            "Nothing was booked: a ticked session cannot be booked as it is (marked below), perhaps because "
            "someone booked that time since the preview. Skip or move it, then book again."
        )
        return _render_series(client, form, planned, 409 if error.code == booking.OVERLAP else 422, message=message)
    flash(
        ngettext(
            "%(num)d session of the series is booked. %(name)s will get a confirmation email for each.",
            "%(num)d sessions of the series are booked. %(name)s will get a confirmation email for each.",
            len(booked),
            name=client.name,
        )
        if client.email
        else ngettext(
            "%(num)d session of the series is booked. %(name)s has no email address: tell them the times yourself.",
            "%(num)d sessions of the series are booked. %(name)s has no email address: tell them the times yourself.",
            len(booked),
            name=client.name,
        )
    )
    return redirect(url_for("workstation.client_detail", client_id=client.id))

"""Booking from a client page: one professional's calendar (`/b/`), and a Wellbeing Hub (`/h/`)
whose members each show a calendar or take requests only.

Both calendars share the same steps: choose a service and a free slot, say who you are, book.
"""
import datetime
from dataclasses import dataclass

import peewee
from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .. import appointments, availability, booking, links, waitlist
from ..clients import client_account
from ..db import database
from ..language_choice import switching_language
from ..limits import limiter
from ..models import Hub, HubMember, Professional, Service, UsedFormToken, utcnow
from . import bp, guard
from .forms import BookingDetailsForm, parse_utc
from .views import render_request_form

JUST_TAKEN = _l("Sorry, that time was just taken. Please choose another.")
PASSED = _l("That time has already passed. Please choose another.")


@dataclass
class Calendar:
    """Whose calendar a page shows, through which link, and the channel its bookings get."""

    professional: Professional
    token: str
    channel: str
    hub: Hub = None

    def url(self, step, **values):
        """The page for `step` ("slots" or "book") of this calendar."""
        if self.hub is None:
            return url_for({"slots": "client.booking_page", "book": "client.booking_book"}[step],
                           token=self.token, **values)
        return url_for(f"client.hub_{step}", token=self.token, professional_id=self.professional.id, **values)


def _use_clinic(clinic):
    g.clinic_language = clinic.default_language
    g.frame_clinic = clinic


def _open_link(read, token, model, clinic_of, version_of):
    """The row a versioned link names: 404 when the token is not ours or the row is gone, 410 when the
    link was replaced (that page is in the row's clinic's language and framing, so they are set first)."""
    try:
        object_id, version = read(current_app.config["SECRET_KEYS"], token)
    except links.InvalidLink:
        abort(404)
    row = model.get_or_none(model.id == object_id) or abort(404)
    _use_clinic(clinic_of(row))
    if version != version_of(row):
        abort(410)
    return row


def _open_booking_link(token):
    professional = _open_link(links.read_booking_token, token, Professional, lambda p: p.clinic,
                              lambda p: p.booking_link_version)
    return Calendar(professional, token, "direct")


def _open_hub(token):
    return _open_link(links.read_hub_token, token, Hub, lambda h: h.clinic, lambda h: h.link_version)


def _hub_member(token, professional_id, mode):
    hub = _open_hub(token)
    member = (HubMember.select().where(HubMember.hub == hub, HubMember.professional == professional_id).first()
              or abort(404))
    if member.professional.hub_mode != mode:
        abort(404)
    return Calendar(member.professional, token, "hub", hub)


def _services(professional):
    return list(professional.clinic.services.where(Service.active).order_by(Service.position, Service.name))


def _chosen_service(services):
    chosen = request.values.get("service", "")
    return next((s for s in services if str(s.id) == chosen), services[0] if services else None)


def _render_slots(calendar):
    services = _services(calendar.professional)
    service = _chosen_service(services)
    clinic = calendar.professional.clinic
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()
    first_day, previous_day, next_day = availability.pages_of_days(request.args.get("from"), today)
    slots = availability.slots(calendar.professional, service, first_day, utcnow()) if service else []

    def page_url(day):
        return day and calendar.url("slots", service=service.id if service else None, lang=request.args.get("lang"),
                                    **{"from": day.isoformat()})
    return render_template("client/book_slots.html", calendar=calendar, clinic=clinic, services=services,
                           service=service, slots=slots, first_day=first_day,
                           previous_url=page_url(previous_day), next_url=page_url(next_day))


def _book(calendar):
    """The details step: show the chosen time and the form; on POST, book it or say why not."""
    services = _services(calendar.professional)
    service = _chosen_service(services) or abort(404)
    clinic = calendar.professional.clinic
    form = BookingDetailsForm()
    start = form.start_utc() if request.method == "POST" else parse_utc(request.args.get("start"))
    if start is None:
        abort(404)
    problem, status = None, 200
    if request.method == "POST" and not switching_language():
        problem, nonce = guard.check(form, calendar.token)
        if problem is None and UsedFormToken.select().where(UsedFormToken.nonce == nonce).exists():
            return render_template("client/book_done.html", clinic=clinic, appointment=None, repeated=True)
        if problem is None and form.validate():
            if start <= utcnow():
                problem, status = PASSED, 409
            elif not availability.is_free_slot(calendar.professional, service, start, utcnow()):
                problem, status = JUST_TAKEN, 409
            else:
                try:
                    appointment = _book_once(calendar, service, start, form, nonce)
                except waitlist.AlreadySubmitted:
                    return render_template("client/book_done.html", clinic=clinic, appointment=None, repeated=True)
                except booking.BookingError:
                    problem, status = JUST_TAKEN, 409
                else:
                    return render_template("client/book_done.html", clinic=clinic, appointment=appointment)
        else:
            status = 422
    form.start.data = start.isoformat()
    form.form_token.data = guard.issue(calendar.token)
    return render_template("client/book_details.html", calendar=calendar, clinic=clinic, service=service,
                           start=start, end=start + datetime.timedelta(minutes=service.duration_minutes),
                           form=form, problem=problem, taken=status == 409), status


def _book_once(calendar, service, start, form, nonce):
    """Book under this form's one-time nonce, so a double submit books once and says so."""
    clinic = calendar.professional.clinic
    try:
        with database.atomic():
            UsedFormToken.create(nonce=nonce)
            client = client_account(clinic, form.email.data, form.name.data.strip(), str(get_locale()),
                                    form.tz.data, status="active")
            return appointments.book(clinic, calendar.professional, client, service, start, service.duration_minutes,
                                     booked_by=None, channel=calendar.channel, hub=calendar.hub)
    except peewee.IntegrityError:
        if UsedFormToken.get_or_none(UsedFormToken.nonce == nonce) is not None:
            raise waitlist.AlreadySubmitted() from None
        raise


@bp.route("/b/<token>")
def booking_page(token):
    return _render_slots(_open_booking_link(token))


@bp.route("/b/<token>/book", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def booking_book(token):
    return _book(_open_booking_link(token))


@bp.route("/h/<token>")
def hub_page(token):
    hub = _open_hub(token)
    members = [m.professional for m in hub.members.order_by(HubMember.position, HubMember.id)]
    return render_template("client/hub.html", hub=hub, clinic=hub.clinic, members=members, token=token)


@bp.route("/h/<token>/p/<int:professional_id>")
def hub_slots(token, professional_id):
    return _render_slots(_hub_member(token, professional_id, "calendar"))


@bp.route("/h/<token>/p/<int:professional_id>/book", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def hub_book(token, professional_id):
    return _book(_hub_member(token, professional_id, "calendar"))


@bp.route("/h/<token>/p/<int:professional_id>/request", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def hub_request(token, professional_id):
    """A request-only member: the clinic's request form, sent to that member's waitlist."""
    calendar = _hub_member(token, professional_id, "request")
    return render_request_form(calendar.professional.clinic, token, hub=calendar.hub,
                               professional=calendar.professional)

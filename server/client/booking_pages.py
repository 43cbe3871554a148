"""Booking from a client page: one professional's calendar (`/b/`), and a Wellbeing Hub (`/h/`)
whose members each show a calendar or take requests only.

Both calendars share the same steps: choose a service and a free slot, say who you are, book.
"""

import datetime
from dataclasses import dataclass

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale

from .. import (
    appointments,
    availability,
    booking,
    clinic_settings,
    form_nonces,
    hubs,
    links,
    page_cache,
    refusals,
    registration,
)
from ..db import CompiledQuery
from ..language_choice import client_url, switching_language
from ..limits import limiter, self_bookings
from ..models import Clinic, Hub, HubMember, Professional, utcnow
from ..states import Channel, HubMode
from ..timezones import client_timezone
from . import bp, guard
from .confirmations import token_for
from .context import open_versioned_link
from .forms import booking_form_class, chosen_language, consent_given, parse_utc, registration_answers
from .views import clinic_questions, render_request_form


@dataclass
class Calendar:
    """Whose calendar a page shows, through which link, and the channel its bookings get."""

    professional: Professional
    token: str
    channel: Channel
    hub: Hub = None

    def url(self, step, **values):
        """The page for `step` ("slots" or "book") of this calendar."""
        if self.hub is None:
            return client_url(
                {"slots": "client.booking_page", "book": "client.booking_book"}[step], token=self.token, **values
            )
        return client_url(f"client.hub_{step}", token=self.token, professional_id=self.professional.id, **values)


# A link's professional or hub with its clinic, in one query built once (db.CompiledQuery).
_PROFESSIONAL = CompiledQuery(
    lambda argument: Professional.select(Professional, Clinic).join(Clinic).where(Professional.id == argument)
)
_HUB = CompiledQuery(lambda argument: Hub.select(Hub, Clinic).join(Clinic).where(Hub.id == argument))


def _open_booking_link(token):
    professional = open_versioned_link(
        links.read_booking_token, token, _PROFESSIONAL, lambda p: p.clinic, lambda p: p.booking_link_version
    )
    return Calendar(professional, token, Channel.DIRECT)


def _open_hub(token):
    """The hub a link names; a closed hub's every page says it is closed, and names no one."""
    hub = open_versioned_link(links.read_hub_token, token, _HUB, lambda h: h.clinic, lambda h: h.link_version)
    if hub.closed_at is not None:
        abort(make_response(render_template("client/hub_closed.html", hub=hub, clinic=hub.clinic), 410))
    return hub


def _hub_member(token, professional_id, mode):
    hub = _open_hub(token)
    member = HubMember.select().where(HubMember.hub == hub, HubMember.professional == professional_id).first() or abort(
        404
    )
    if member.mode != mode:
        abort(404)
    return Calendar(member.professional, token, Channel.HUB, hub)


def _services(professional):
    """The services bookable with the professional, kept under their clinic's pages version (page_cache.kept_rows)."""
    what = ("bookable", professional.id)
    return page_cache.kept_rows(professional.clinic, what, lambda: clinic_settings.bookable_services(professional))


def _chosen_service(services):
    chosen = request.values.get("service", "")
    return next((s for s in services if str(s.id) == chosen), services[0] if services else None)


def _render_slots(calendar):
    """The calendar's page of free slots, kept (page_cache) under all it is rendered from: the rows this
    request reads anyway (the clinic with its pages version, the professional with their calendar version,
    the hub), the time zone times are shown in, and, through page_until, the clock."""
    professional = calendar.professional
    clinic = professional.clinic
    now = utcnow()
    versions = (
        page_cache.row_key(clinic),
        page_cache.row_key(professional),
        page_cache.row_key(calendar.hub),
        client_timezone(clinic),
    )
    return page_cache.page_until(versions, lambda: _slots_page(calendar, now), now)


def _slots_page(calendar, now):
    """(the page, until when it stays true if nothing is written)."""
    professional = calendar.professional
    services = _services(professional)
    service = _chosen_service(services)
    clinic = professional.clinic
    today = booking.utc_to_local(now, clinic.timezone).date()
    first_day, previous_day, next_day = availability.pages_of_days(
        request.args.get("from"), today, calendar.professional.horizon_days
    )
    slots = availability.slots(professional, service.duration_minutes, first_day, now) if service else []
    until = booking.slots_unchanged_until(
        slots,
        now,
        datetime.timedelta(minutes=professional.notice_minutes),
        clinic.timezone,
        availability.next_hold_lapse(professional, now),
    )

    def page_url(day):
        return day and calendar.url("slots", service=service.id if service else None, **{"from": day.isoformat()})

    page = render_template(
        "client/book_slots.html",
        calendar=calendar,
        clinic=clinic,
        services=services,
        service=service,
        slots=slots,
        first_day=first_day,
        previous_url=page_url(previous_day),
        next_url=page_url(next_day),
    )
    return page, until


def _book(calendar):
    """The details step: show the chosen time and the form, asking what the clinic's registration asks
    (as its request form does); on POST, book it or say why not."""
    service = _chosen_service(_services(calendar.professional)) or abort(404)
    clinic = calendar.professional.clinic
    form = booking_form_class(clinic, clinic_questions(clinic))()
    start = form.start_utc() if request.method == "POST" else parse_utc(request.args.get("start"))
    if start is None:
        abort(404)
    if request.method == "POST" and request.form.get("new_start"):
        # One of the nearest free times offered after "just taken": show it, keeping what was typed.
        start = parse_utc(request.form["new_start"]) or abort(404)
        return _render_details(calendar, service, start, form)
    if request.method == "POST" and not switching_language():
        return _take_booking(calendar, service, start, form)
    return _render_details(calendar, service, start, form)


def _take_booking(calendar, service, start, form):
    """Book the posted time once, or show the details again with why not."""
    problem, nonce = guard.check(form, calendar.token)
    if problem is None and form_nonces.was_used(nonce):
        return _render_done(calendar, None)
    if problem is not None or not form.validate():
        return _render_details(calendar, service, start, form, problem, 422)
    clinic = calendar.professional.clinic
    client_fields, answers = registration_answers(clinic, form, clinic_questions(clinic))
    person = {
        "name": form.name.data.strip(),
        "email": form.email.data,
        "language": chosen_language(form) or str(get_locale()),
        "timezone": form.tz.data,
        "fields": client_fields,
    }
    if not self_bookings().allowed(calendar.token):
        return _render_details(calendar, service, start, form, refusals.CLIENT[booking.TOO_MANY_FROM_HERE], 429)
    try:
        appointment = appointments.book_from_form(
            nonce,
            calendar,
            service,
            start,
            person,
            current_app.config["SELF_BOOKED_UPCOMING_PER_EMAIL"],
            answers=answers,
            consent_text=consent_given(form)[0],
        )
    except form_nonces.AlreadySubmitted:
        return _render_done(calendar, None)
    except booking.BookingError as error:
        status = 429 if error.code == booking.TOO_MANY_UPCOMING else 409
        return _render_details(calendar, service, start, form, refusals.CLIENT[error.code], status)
    self_bookings().count(calendar.token)
    return _render_done(calendar, appointment)


def _render_done(calendar, appointment):
    """The confirmation; without an appointment, the page that says this form was already sent."""
    return render_template(
        "client/book_done.html",
        clinic=calendar.professional.clinic,
        appointment=appointment,
        repeated=appointment is None,
        booked=appointment is not None,
        shown=appointment and token_for("booking", appointment),
    )


def _render_details(calendar, service, start, form, problem=None, status=200):
    form.start.data = start.isoformat()
    form.form_token.data = guard.issue(calendar.token)
    taken = status == 409
    clinic = calendar.professional.clinic
    return render_template(
        "client/book_details.html",
        calendar=calendar,
        clinic=calendar.professional.clinic,
        service=service,
        start=start,
        end=start + datetime.timedelta(minutes=service.duration_minutes),
        form=form,
        builtin=[form[key] for key, _ in registration.asked(clinic)],
        extra=[form[f"q_{q.id}"] for q in clinic_questions(clinic)],
        problem=problem,
        taken=taken,
        nearest=availability.nearest_slots(calendar.professional, service.duration_minutes, start, utcnow())
        if taken
        else [],
    ), status


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
    # Each member with whether their calendar is shown (else they take requests only).
    members = [(m.professional, m.mode == HubMode.CALENDAR) for m in hubs.members(hub)]
    return render_template(
        "client/hub.html",
        hub=hub,
        clinic=hub.clinic,
        members=members,
        token=token,
        requests_open=hub.clinic.requests_enabled,
    )


@bp.route("/h/<token>/p/<int:professional_id>")
def hub_slots(token, professional_id):
    return _render_slots(_hub_member(token, professional_id, HubMode.CALENDAR))


@bp.route("/h/<token>/p/<int:professional_id>/book", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def hub_book(token, professional_id):
    return _book(_hub_member(token, professional_id, HubMode.CALENDAR))


@bp.route("/h/<token>/p/<int:professional_id>/request", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def hub_request(token, professional_id):
    """A request-only member: the clinic's request form, sent to that member's waitlist."""
    calendar = _hub_member(token, professional_id, HubMode.REQUESTS_ONLY)
    clinic = calendar.professional.clinic
    if not clinic.requests_enabled:
        return render_template("client/requests_closed.html", clinic=clinic), 403
    return render_request_form(clinic, token, hub=calendar.hub, professional=calendar.professional)

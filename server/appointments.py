"""Sessions in the database: booking, cancelling, rescheduling and no-shows, each one transaction
with its emails. The rules themselves are decided in booking.py."""

import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from . import audit, availability, booking, charges, clinics, places, series, urls
from .clients import client_account
from .clinic_texts import session_service
from .db import CompiledQuery, database, is_postgres, joined_transaction, lock_rows, next_id
from .form_nonces import AlreadySubmitted, used_once, was_used
from .mail import outbox
from .mail.ics import calendar_event
from .models import Appointment, Client, Professional, Series, Service, new_nonce, utcnow
from .states import (
    Actor,
    CancelReason,
    Channel,
    ChargeReason,
    ClientStatus,
    PlaceKind,
    SessionStatus,
)


def channel_for(client):
    """A client who came through the request form is a `request` client; anyone else is `direct`."""
    return Channel.REQUEST if client.requests.exists() else Channel.DIRECT


def with_people(query):
    """The sessions with their client, service and professional in the same query, not one query each."""
    return (
        query.select_extend(Client, Service, Professional)
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, JOIN.LEFT_OUTER, on=(Appointment.service == Service.id))
        .switch(Appointment)
        .join(Professional, on=(Appointment.professional == Professional.id))
    )


def _lock_professional(professional, frees_or_takes_time=True):
    """Serialises every change to one professional's calendar, so of two attempts at one slot
    exactly one wins (SELECT … FOR NO KEY UPDATE on PostgreSQL, the IMMEDIATE transaction on SQLite).

    Every change takes this lock first, before the session's own row: a cancel that locked the session
    and then wrote the professional's id into it would wait on a reschedule holding the professional
    while the reschedule waited on the session, a deadlock on PostgreSQL. On SQLite the transaction
    holds the database's write lock from BEGIN, so there is nothing more to take.

    A change that may free or take time locks with the UPDATE that raises their calendar version, so no kept
    booking page outlives it (availability.calendar_changed); one that cannot (the place) changes nothing
    else when it changes nothing."""
    if frees_or_takes_time:
        availability.calendar_changed(professional)
    elif is_postgres():
        lock_rows(Professional.select().where(Professional.id == professional.id)).get()


def _check_free(professional, start, end, now, exclude=None):
    booking.check_free(start, end, availability.booked_times(professional, start, end, exclude, now))


def _check_client_start(professional, start, duration_minutes, now, exclude=None):
    """Refuse a client a time their page would not offer: past, beyond the pages, or not a free slot.

    Working hours and time off are read before the change's lock; the overlap that two clients can race
    for is checked again under it (_check_free)."""
    timezone = professional.clinic.timezone
    booking.check_client_start(start, now, availability.last_day_offered(now, professional), timezone)
    if (exclude is not None and start == exclude.starts_at) or not availability.is_free_slot(
        professional, duration_minutes, start, now, exclude=exclude
    ):
        raise booking.BookingError(booking.NOT_OFFERED)


def book(
    clinic,
    professional,
    client,
    service,
    start,
    duration_minutes,
    booked_by,
    now=None,
    channel=None,
    hub=None,
    submitted_details=None,
    answers=(),
    consent_text="",
    hold_minutes=None,
    offered=False,
):
    """Book one session, or raise booking.BookingError. `booked_by` is the professional who booked
    it (any free future time), or None when the client booked it themselves (an offered slot only,
    unless the caller checked that already: `offered`), then with the privacy-notice wording they
    agreed to, if the clinic asked. With `hold_minutes` the session is only held that long, until the
    client confirms it from the email (confirm_hold); the professional hears of it once it is confirmed.
    Inside a caller's transaction it is part of that one (no savepoint): an error rolls back it all."""
    now = now or utcnow()
    if booked_by is None and not offered:
        _check_client_start(professional, start, duration_minutes, now)
    start, end = booking.session_times(start, duration_minutes, now)
    with joined_transaction():
        held = hold_minutes is not None
        appointment = Appointment(
            id=next_id(Appointment),
            clinic=clinic,
            professional=professional,
            client=client,
            service=service,
            **_terms(clinic, service),
            starts_at=start,
            ends_at=end,
            channel=channel or channel_for(client),
            hub=hub,
            booked_by=booked_by,
            submitted_details=submitted_details or None,
            answers=list(answers),
            consent_text=consent_text,
            consent_at=now if consent_text else None,
            status=SessionStatus.HELD if held else SessionStatus.BOOKED,
            hold_until=booking.hold_until(now, hold_minutes) if held else None,
        )
        # Composed before the calendar's lock, which then covers only the check and the inserts: on PostgreSQL
        # other bookings with the professional wait that much less (on SQLite the transaction holds the lock).
        emails = [_hold_email(appointment)] if held else _confirmations(appointment)
        _lock_professional(professional)
        _check_free(professional, start, end, now)
        appointment.insert_new()
        audit.changed(audit.SESSION, appointment, member=booked_by, by_client=booked_by is None)
        outbox.store(emails)
    return appointment


def plan_series(professional, service, rows, now, default_choice=False):
    """series.plan over the professional's booked sessions and time off around the rows' (day, time, chosen)."""
    days = [day for day, _time, _chosen in rows]
    # Two days either side of the local days cover any zone's offset from UTC.
    first = datetime.datetime.combine(min(days), datetime.time()) - datetime.timedelta(days=2)
    last = datetime.datetime.combine(max(days), datetime.time()) + datetime.timedelta(days=3)
    return series.plan(
        rows,
        service.duration_minutes,
        professional.clinic.timezone,
        now,
        availability.booked_times(professional, first, last),
        availability.time_off(professional, min(days), max(days)),
        default_choice=default_choice,
    )


def book_series(nonce, clinic, professional, client, service, starts, weeks_apart, booked_by, now=None):
    """Book a weekly series for the client: a Series row and one ordinary session (`book`: its own manage link,
    emails and charge rules) at each UTC start, all in one transaction under the form's one-time nonce. A start
    that is no longer free (booked by someone since the preview) refuses the whole series: booking.BookingError,
    and nothing is booked or sent. A second submit raises form_nonces.AlreadySubmitted."""
    now = now or utcnow()
    with used_once(nonce):
        series = Series.create(
            clinic=clinic, professional=professional, client=client, weeks_apart=weeks_apart, booked_by=booked_by
        )
        booked = [
            book(clinic, professional, client, service, start, service.duration_minutes, booked_by=booked_by, now=now)
            for start in starts
        ]
        Appointment.update(series=series).where(Appointment.id.in_([a.id for a in booked])).execute()
    return series, booked


def _terms(clinic, service):
    """The service's price and late fee as they are now, kept on the session so later edits leave it as booked."""
    fee = service.late_fee_cents if service is not None and service.late_fee_cents is not None else None
    return dict(
        price_cents=service.price_cents if service is not None else None,
        late_fee_cents=clinic.late_fee_cents if fee is None else fee,
        currency=clinic.currency,
    )


# Every self-booking counts (db.CompiledQuery: SQL built once).
_UPCOMING_SELF_BOOKED = CompiledQuery(
    lambda client, now: (
        Appointment.select(fn.COUNT(Appointment.id))
        .where(
            Appointment.client == client,
            availability.holding(now),
            Appointment.booked_by.is_null(),
            Appointment.ends_at > now,
        )
        .tuples()
    )
)


def upcoming_self_booked(client, now):
    """How many sessions still to come the client booked themselves at their clinic, holds that have not
    lapsed included."""
    return _UPCOMING_SELF_BOOKED.first(client.id, now)[0]


def book_from_form(nonce, calendar, service, start, person, allowed_upcoming, answers=(), consent_text=""):
    """A client books `start` from a calendar page under the form's one-time nonce: their client account
    (made from `person`, a dict of name, email, language, timezone and the registration fields kept on a
    client's record, or found and left as it is, the booking keeping what differs) and the session with the
    registration `answers`, or nothing; refused once the email holds
    `allowed_upcoming` self-booked sessions still to come. Where the clinic asks, the session is only held
    until the client confirms it from the email. Raises form_nonces.AlreadySubmitted for a
    double submit, booking.BookingError when refused.

    That the time is offered is read before the transaction (on SQLite it holds the one write lock);
    the overlap two clients can race for is checked again under the professional's lock (`book`)."""
    clinic = calendar.professional.clinic
    now = utcnow()
    try:
        _check_client_start(calendar.professional, start, service.duration_minutes, now)
    except booking.BookingError:
        if was_used(nonce):  # the same form went through while this one was checking: the first stands
            raise AlreadySubmitted() from None
        raise
    with used_once(nonce):
        client, differences = client_account(
            clinic,
            person["email"],
            person["name"],
            person["language"],
            person["timezone"],
            status=ClientStatus.ACTIVE,
            **person.get("fields", {}),
        )
        booking.check_self_booked_holds(upcoming_self_booked(client, now), allowed_upcoming)
        return book(
            clinic,
            calendar.professional,
            client,
            service,
            start,
            service.duration_minutes,
            booked_by=None,
            channel=calendar.channel,
            hub=calendar.hub,
            submitted_details=differences,
            answers=list(answers),
            consent_text=consent_text,
            hold_minutes=clinic.hold_minutes if clinic.confirm_self_bookings else None,
            now=now,
            offered=True,
        )


def confirm_hold(appointment, now=None):
    """The client confirms a held session from its email: in time, it becomes a normal booked session and
    client and professional get the usual confirmations. Returns (booking.HoldAnswer, the session as it is
    now); a second confirmation, or one too late, changes nothing."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        answer = booking.confirm_answer(current.status, current.hold_until, current.hold_until is not None, now)
        if answer == booking.HoldAnswer.CONFIRM:
            current.status = SessionStatus.BOOKED
            current.save()
            audit.changed(audit.SESSION, current, by_client=True)
            _queue_confirmations(current)
    return answer, current


def release_lapsed_holds(now=None):
    """Release every hold nobody confirmed in time and tell its client, once each (the mail worker runs this
    before each delivery pass). The conditional update lets one worker of several release a hold, and not a
    confirmation that got in first. The slot was free again from the moment the hold lapsed
    (availability.holding): this is the record and the email. Returns how many were released."""
    now = now or utcnow()
    lapsed = Appointment.select(Appointment.id).where(
        Appointment.status == SessionStatus.HELD, Appointment.hold_until <= now
    )
    released = 0
    for row in list(lapsed):
        with database.atomic():
            won = (
                Appointment.update(status=SessionStatus.RELEASED, manage_nonce=new_nonce())
                .where(
                    Appointment.id == row.id,
                    Appointment.status == SessionStatus.HELD,
                    Appointment.hold_until <= now,
                )
                .execute()
            )
            if won:
                current = Appointment.get_by_id(row.id)
                availability.calendar_changed(current.professional_id)
                audit.changed(audit.SESSION, current)
                _queue_release(current)
                released += 1
    return released


def _current(appointment):
    """The session as it is now, locked for this transaction."""
    return lock_rows(Appointment.select().where(Appointment.id == appointment.id)).get()


def _mark_cancelled(
    appointment, actor, professional, now, reason=CancelReason.NONE, rescheduled_to=None, client_note=""
):
    policy = appointment.clinic.policy_hours
    late = actor == Actor.CLIENT and booking.is_late(appointment.channel, policy, appointment.starts_at, now)
    appointment.status = SessionStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.cancelled_by = actor
    appointment.cancelled_by_professional = professional if actor == Actor.PROFESSIONAL else None
    appointment.cancel_reason = reason
    appointment.client_note = client_note
    appointment.notice_minutes = int(booking.notice(appointment.starts_at, now).total_seconds() // 60)
    appointment.late = late
    appointment.rescheduled_to = rescheduled_to
    appointment.sequence += 1
    appointment.manage_nonce = new_nonce()
    appointment.save()
    return late


def cancel(appointment, actor, professional=None, now=None, client_note=""):
    """Cancel a session for the client or a professional. A client's late cancellation opens a
    charge decision; a professional's never does. `client_note` is the client's own optional reason,
    kept for the professional."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        if actor == Actor.CLIENT:
            booking.check_client_cancel(current.status, current.starts_at, now)
        else:
            booking.check_professional_change(current.status, current.ends_at, now, current.no_show_at is not None)
        if _mark_cancelled(current, actor, professional, now, client_note=client_note):
            charges.open_decision(current, ChargeReason.LATE_CANCELLATION)
        audit.changed(audit.SESSION, current, member=professional, by_client=actor == Actor.CLIENT)
        _queue_cancellations(current)
    return current


def cancel_following(appointment, professional, now=None):
    """Cancel a series session and every later one of its series still booked on the same calendar ("this and
    all following"), for the professional: no fee, as for any professional's cancellation. The client and the
    professional each get one email listing the dates, not one per session. Returns the sessions cancelled."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        booking.check_professional_change(current.status, current.ends_at, now, current.no_show_at is not None)
        following = list(
            lock_rows(
                Appointment.select()
                .where(
                    # A session of no series is its own "all following" (never every session with no series).
                    (Appointment.series == current.series_id) if current.series_id else (Appointment.id == current.id),
                    Appointment.professional == current.professional_id,
                    Appointment.status == SessionStatus.BOOKED,
                    Appointment.starts_at >= current.starts_at,
                )
                .order_by(Appointment.starts_at)
            )
        )
        for session in following:
            _mark_cancelled(session, Actor.PROFESSIONAL, professional, now)
            audit.changed(audit.SESSION, session, member=professional)
        _queue_series_cancellations(following)
    return following


def reschedule(appointment, new_start, actor, professional=None, now=None):
    """Move a session: the old one is cancelled (reason: rescheduled, linked to the new one) and the
    new one booked, in one transaction; client and professional each get a cancellation and a
    confirmation. Only hub sessions may be moved by the client. Moving a session inside the late window
    cancels it late, as the client was warned before choosing, so it opens a charge decision too."""
    now = now or utcnow()
    duration_minutes = appointment.duration_minutes
    if actor == Actor.CLIENT:
        _check_client_start(appointment.professional, new_start, duration_minutes, now, exclude=appointment)
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        if actor == Actor.CLIENT:
            booking.check_client_reschedule(current.channel, current.status, current.starts_at, now)
        else:
            booking.check_professional_change(current.status, current.ends_at, now, current.no_show_at is not None)
        start, end = booking.session_times(new_start, duration_minutes, now)
        _check_free(current.professional, start, end, now, exclude=current)
        moved = Appointment.create(
            clinic=current.clinic,
            professional=current.professional,
            client=current.client,
            service=current.service,
            price_cents=current.price_cents,
            late_fee_cents=current.late_fee_cents,
            currency=current.currency,
            starts_at=start,
            ends_at=end,
            channel=current.channel,
            hub=current.hub,
            booked_by=professional if actor == Actor.PROFESSIONAL else None,
            series=current.series_id,  # a moved session of a series stays one of it
            video_link=current.video_link,
            place_note=current.place_note,
        )
        if _mark_cancelled(current, actor, professional, now, reason=CancelReason.RESCHEDULED, rescheduled_to=moved):
            charges.open_decision(current, ChargeReason.LATE_CHANGE)
        audit.changed(audit.SESSION, current, member=professional, by_client=actor == Actor.CLIENT)
        _queue_cancellations(current)
        _queue_confirmations(moved)
    return current, moved


def reassign(appointment, professional, now=None):
    """Give a session that has not ended to another professional of its clinic (a deactivated member's, say):
    same time, same client, if the new professional is free then. The client gets the updated invitation
    (same UID, next SEQUENCE) and the new professional the booking, as for a session booked anew; the
    professional who had it is told it is no longer theirs, with the invitation's cancellation."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(professional)
        current = _current(appointment)
        booking.check_professional_change(current.status, current.ends_at, now)
        _check_free(professional, current.starts_at, current.ends_at, now)
        previous = current.professional
        availability.calendar_changed(previous)
        current.professional = professional
        current.sequence += 1
        current.save()
        _queue_confirmations(current)
        _queue_reassigned_away(current, previous)
    return current


def mark_no_show(appointment, professional, now=None):
    """Record that the client did not come, and open a charge decision."""
    now = now or utcnow()
    with database.atomic():
        _lock_professional(appointment.professional)
        current = _current(appointment)
        booking.check_no_show(current.status, current.starts_at, now, recorded=current.no_show_at is not None)
        current.no_show_at = now
        current.save()
        charges.open_decision(current, ChargeReason.NO_SHOW)
        audit.changed(audit.SESSION, current, member=professional)
    return current


class PlaceChanged(Exception):
    """The session changed since its page was read (its SEQUENCE moved): the place was not saved."""


def place_of(appointment):
    """Where the session happens (places.resolve): what the pages, emails and invitations show."""
    service = appointment.service
    return places.resolve(
        appointment.video_link,
        appointment.place_note,
        service.place if service else None,
        appointment.professional.video_link,
        appointment.clinic.address,
    )


def set_place(appointment, video_link, note, read_sequence, professional, now=None):
    """Set the session's own video link and note on the place, unless the session changed since its page
    was read at `read_sequence` (PlaceChanged). A changed place raises the SEQUENCE and sends client and
    professional the updated invitation; the manage link keeps working. Raises places.BadPlace for a link
    or note that cannot be kept, booking.BookingError once the session has ended or was cancelled."""
    now = now or utcnow()
    video_link, note = places.clean_video_link(video_link), places.clean_note(note)
    with database.atomic():
        _lock_professional(appointment.professional, frees_or_takes_time=False)
        current = _current(appointment)
        if current.sequence != read_sequence:
            raise PlaceChanged()
        booking.check_professional_change(current.status, current.ends_at, now, current.no_show_at is not None)
        if (current.video_link, current.place_note) == (video_link, note):
            return current
        current.video_link, current.place_note = video_link, note
        current.sequence += 1
        current.save()
        audit.changed(audit.SESSION, current, member=professional)
        _send_both(
            current,
            "session_booked",
            "REQUEST",
            _l("Your session with %(clinic)s was updated", clinic=outbox.shown_name(current.clinic)),
            _l("A session was updated"),
            updated=True,
        )
    return current


def _location(place):
    """The place as a calendar's LOCATION: the address on one line, the video link, or how it happens."""
    if place.kind == PlaceKind.PHONE:
        return str(_l("By phone"))
    if place.kind == PlaceKind.VIDEO:
        return place.video_link or str(_l("By video"))
    return place.address_line


def _invite(appointment, method, for_client, organizer=None):
    """The invitation for one reader, in the current locale. The client's names the client only as its
    attendee and, where the clinic chose discreet emails, no service in its summary; the professional's
    names no client at all (their email does not either) and links to the session in the workstation.
    `organizer`: a professional other than the session's own (the one who lost it to a reassignment)."""
    clinic, place = appointment.clinic, place_of(appointment)
    if for_client and clinic.mail_sender_name:
        summary = str(_l("Session with %(clinic)s", clinic=outbox.shown_name(clinic)))
    else:
        summary = f"{session_service(appointment)} – {clinic.name}"
    details = [place.video_link, place.note]
    if not for_client:
        details.append(urls.external_url("workstation.session_detail", appointment_id=appointment.id))
    return calendar_event(
        method,
        appointment.uid,
        appointment.sequence,
        appointment.starts_at,
        appointment.ends_at,
        summary=summary,
        organizer_email=(organizer or appointment.professional).email,
        attendee_email=appointment.client.email if for_client else None,
        description="\n".join(line for line in details if line),
        location=_location(place),
        url=place.video_link,
    )


def _send_both(appointment, kind, method, client_subject, professional_subject, **extra):
    """Queue `_both`'s emails, in one INSERT."""
    outbox.store(_both(appointment, kind, method, client_subject, professional_subject, **extra))


def _both(appointment, kind, method, client_subject, professional_subject, **extra):
    """`kind` to the client (in their language) and to the professional, composed: each with their own
    invitation, and what the client may now do with the session (the emails' links are worded from it)."""
    clinic, client = appointment.clinic, appointment.client
    client_may = booking.client_permissions(
        appointment.channel, appointment.status, appointment.starts_at, utcnow(), clinic.policy_hours
    )
    context = dict(
        clinic=clinic,
        client=client,
        professional=appointment.professional,
        appointment=appointment,
        place=place_of(appointment),
        client_may=client_may,
        by_client=appointment.cancelled_by == Actor.CLIENT,
        late_fee_cents=charges.fee_cents(appointment),
        **extra,
    )
    emails = []
    if client.email:  # a client added by hand with a phone number only hears from the team instead
        language = client.language or clinic.default_language
        with force_locale(language):
            invitation = _invite(appointment, method, for_client=True)
        emails.append(
            outbox.compose(
                client.email,
                f"{kind}_client",
                client_subject,
                language,
                ics=invitation,
                reply_to=clinics.contact_email(clinic),
                **context,
            )
        )
    with force_locale(clinic.default_language):
        invitation = _invite(appointment, method, for_client=False)
    emails.append(
        outbox.compose(
            appointment.professional.email,
            f"{kind}_professional",
            professional_subject,
            clinic.default_language,
            ics=invitation,
            **context,
        )
    )
    return emails


def _queue_confirmations(appointment):
    outbox.store(_confirmations(appointment))


def _confirmations(appointment):
    return _both(
        appointment,
        "session_booked",
        "REQUEST",
        _l("Your session with %(clinic)s is booked", clinic=outbox.shown_name(appointment.clinic)),
        _l("A session was booked"),
    )


def _client_only(appointment, template, subject):
    """An email about a session to its client alone (a self-booking, so it has an address), composed."""
    clinic, client = appointment.clinic, appointment.client
    return outbox.compose(
        client.email,
        template,
        subject,
        client.language or clinic.default_language,
        reply_to=clinics.contact_email(clinic),
        clinic=clinic,
        client=client,
        professional=appointment.professional,
        appointment=appointment,
    )


def _hold_email(appointment):
    return _client_only(
        appointment,
        "session_held_client",
        _l("Please confirm your session with %(clinic)s", clinic=outbox.shown_name(appointment.clinic)),
    )


def _queue_release(appointment):
    outbox.store(
        [
            _client_only(
                appointment,
                "session_released_client",
                _l("Your session with %(clinic)s was not confirmed", clinic=outbox.shown_name(appointment.clinic)),
            )
        ]
    )


def _queue_reassigned_away(appointment, previous):
    """The professional a session was taken from: when, naming nobody (like every team email), with the
    invitation's cancellation for their calendar."""
    clinic = appointment.clinic
    with force_locale(clinic.default_language):
        invitation = _invite(appointment, "CANCEL", for_client=False, organizer=previous)
    outbox.queue(
        previous.email,
        "session_reassigned_professional",
        _l("A session was reassigned"),
        clinic.default_language,
        ics=invitation,
        clinic=clinic,
        appointment=appointment,
    )


def _queue_cancellations(appointment):
    moved_to = appointment.rescheduled_to
    if moved_to is not None:
        subjects = (
            _l("Your session with %(clinic)s was rescheduled", clinic=outbox.shown_name(appointment.clinic)),
            _l("A session was rescheduled"),
        )
    else:
        subjects = (
            _l("Your session with %(clinic)s is cancelled", clinic=outbox.shown_name(appointment.clinic)),
            _l("A session was cancelled"),
        )
    _send_both(appointment, "session_cancelled", "CANCEL", *subjects, moved_to=moved_to)


def _series_invite(cancelled, for_client):
    """One calendar update removing every session cancelled together, worded for one reader like `_invite`."""
    ics = _invite(cancelled[0], "CANCEL", for_client)
    for session in cancelled[1:]:
        for event in _invite(session, "CANCEL", for_client).walk("VEVENT"):
            ics.add_component(event)
    return ics


def _queue_series_cancellations(cancelled):
    """One email each to the client and the professional for sessions of a series cancelled together: the dates
    listed, and one calendar update removing every one of them."""
    first = cancelled[0]
    clinic, client = first.clinic, first.client
    context = dict(clinic=clinic, client=client, professional=first.professional, sessions=cancelled)
    if client.email:
        language = client.language or clinic.default_language
        with force_locale(language):
            invitation = _series_invite(cancelled, for_client=True)
        outbox.queue(
            client.email,
            "series_cancelled_client",
            _l("Your sessions with %(clinic)s are cancelled", clinic=outbox.shown_name(clinic)),
            language,
            ics=invitation,
            reply_to=clinics.contact_email(clinic),
            **context,
        )
    with force_locale(clinic.default_language):
        invitation = _series_invite(cancelled, for_client=False)
    outbox.queue(
        first.professional.email,
        "series_cancelled_professional",
        _l("Sessions of a series were cancelled"),
        clinic.default_language,
        ics=invitation,
        **context,
    )

"""The demo clinic that `make run` shows a new user: a practice set up the way a real one might be,
with requests waiting, clients, working hours, a Wellbeing Hub, and sessions of every kind."""

import datetime

from . import appointments, booking, clinic_settings, clinics, hubs, professional_settings, waitlist
from .models import Clinic, Professional, Service, new_nonce, utcnow
from .states import Actor, Channel, HubMode, Role

DEMO_SLUG = "harbour-counselling"
OWNER_EMAIL = "owner@harbour-counselling.example"
OWNER_PASSWORD = "demo-password"


def ensure_demo():
    """The demo clinic, created with its sample data the first time."""
    clinic = Clinic.get_or_none(Clinic.slug == DEMO_SLUG)
    if clinic is not None:
        return clinic
    clinic = clinics.create_clinic(
        "Harbour Counselling",
        OWNER_EMAIL,
        OWNER_PASSWORD,
        owner_name="Dr Ada Byrne",
        timezone="Europe/London",
        terms_url="https://harbour-counselling.example/terms",
        policy_hours=48,
        late_fee_cents=4000,
        registration={
            "phone": "optional",
            "date_of_birth": "optional",
            "reason": "required",
            "heard_about": "optional",
            "terms_consent": "required",
        },
    )
    owner = clinic.professionals.where(Professional.role == Role.OWNER).get()
    colleague = clinics.add_professional(
        clinic, "rowan@harbour-counselling.example", OWNER_PASSWORD, "Rowan Ellis", hub_mode=HubMode.REQUESTS_ONLY
    )
    professional_settings.set_languages(owner, ["en", "de"])
    professional_settings.set_languages(colleague, ["en", "ar"])
    for professional in (owner, colleague):
        professional_settings.save_working_hours(
            professional, [(weekday, datetime.time(9), datetime.time(17)) for weekday in range(5)]
        )
    clinic_settings.add_service(clinic, "Counselling session", 50)
    couples = clinic_settings.add_service(clinic, "Couples session", 80, late_fee_cents=6000)
    clinic_settings.add_question(clinic, "Have you had counselling before?", "yes_no")
    clinic_settings.add_question(
        clinic, "Which times suit you?", "multiple_choice", choices=["Mornings", "Afternoons", "Evenings"]
    )
    hub = hubs.create_hub(clinic, "Northwind Employee Wellbeing")
    hubs.add_member(hub, owner)
    hubs.add_member(hub, colleague)

    samples = [
        ("Sam Rivera", "sam.rivera@example.com", "I have been struggling with sleep and work stress."),
        ("Noor Haddad", "noor.haddad@example.com", "Looking for support after a bereavement."),
        ("Jonas Berg", "jonas.berg@example.com", "My partner and I would like couples sessions."),
        ("Mia Chen", "mia.chen@example.com", "Anxiety before exams."),
    ]
    requests = [
        waitlist.submit_request(
            clinic, new_nonce(), name, email, "en", message=message, answers=[{"key": "reason", "value": message}]
        )
        for name, email, message in samples
    ]
    for accepted in requests[2:]:
        waitlist.accept(accepted, owner)
    _sample_sessions(clinic, owner, hub, couples, requests[2].client, requests[3].client)
    return clinic


def _sample_sessions(clinic, owner, hub, couples, jonas, mia):
    """A session booked by the professional, one booked by a client through the hub, and one the
    client cancelled: the calendar shows each kind."""
    today = booking.utc_to_local(utcnow(), clinic.timezone).date()

    def at(working_days, hour):
        """`hour` on the n-th working day from today. Counting working days (not days, then skipping a
        weekend) keeps the samples on different days whatever today is."""
        day, counted = today, 0
        while counted < working_days:
            day += datetime.timedelta(days=1)
            counted += day.weekday() < 5
        return booking.local_to_utc(day, datetime.time(hour), clinic.timezone)

    appointments.book(clinic, owner, jonas, couples, at(1, 10), couples.duration_minutes, booked_by=owner)
    counselling = clinic.services.where(Service.name == "Counselling session").get()
    appointments.book(clinic, owner, mia, counselling, at(2, 14), 50, booked_by=None, channel=Channel.HUB, hub=hub)
    cancelled = appointments.book(clinic, owner, mia, counselling, at(3, 11), 50, booked_by=owner)
    appointments.cancel(cancelled, Actor.CLIENT)

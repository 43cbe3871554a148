"""The demo clinic that `make run` shows a new user: a clinic set up the way a real practice might be,
with requests waiting, an accepted client and a booked session."""
import datetime

from . import appointments, booking, clinics, waitlist
from .models import Clinic, Professional, Question, Service, new_nonce, utcnow

DEMO_SLUG = "harbour-counselling"
OWNER_EMAIL = "owner@harbour-counselling.example"
OWNER_PASSWORD = "demo-password"


def ensure_demo():
    """The demo clinic, created with its sample data the first time."""
    clinic = Clinic.get_or_none(Clinic.slug == DEMO_SLUG)
    if clinic is not None:
        return clinic
    clinic = clinics.create_clinic(
        "Harbour Counselling", OWNER_EMAIL, OWNER_PASSWORD, owner_name="Dr Ada Byrne",
        timezone="Europe/London", terms_url="https://harbour-counselling.example/terms",
        registration={"phone": "optional", "date_of_birth": "optional", "reason": "required",
                      "heard_about": "optional", "terms_consent": "required"})
    owner = Professional.get(Professional.email == OWNER_EMAIL)
    Service.create(clinic=clinic, name="Counselling session", duration_minutes=50, position=1)
    couples = Service.create(clinic=clinic, name="Couples session", duration_minutes=80, position=2)
    Question.create(clinic=clinic, label="Have you had counselling before?", kind="yes_no", position=0)
    Question.create(clinic=clinic, label="Which times suit you?", kind="multiple_choice", position=1,
                    choices=["Mornings", "Afternoons", "Evenings"])

    samples = [
        ("Sam Rivera", "sam.rivera@example.com", "I have been struggling with sleep and work stress."),
        ("Noor Haddad", "noor.haddad@example.com", "Looking for support after a bereavement."),
        ("Jonas Berg", "jonas.berg@example.com", "My partner and I would like couples sessions."),
    ]
    requests = [
        waitlist.submit_request(clinic, new_nonce(), name, email, "en", message=message,
                                answers=[{"key": "reason", "value": message}])
        for name, email, message in samples
    ]
    waitlist.accept(requests[2], owner)
    tomorrow = booking.utc_to_local(utcnow(), clinic.timezone).date() + datetime.timedelta(days=1)
    start = booking.local_to_utc(tomorrow, datetime.time(10, 0), clinic.timezone)
    appointments.book(clinic, owner, requests[2].client, couples, start, couples.duration_minutes, booked_by=owner)
    return clinic

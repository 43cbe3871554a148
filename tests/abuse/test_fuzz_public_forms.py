"""Property-based fuzzing (hypothesis) of every public form: the request form (every built-in field and
every kind of custom question asked), the booking details form, the dashboard link form, and the manage
page's cancel and reschedule POSTs.

Each field gets arbitrary unicode, control characters, huge values, several values at once, or is left out,
while the others keep what a person would send. Whatever comes: never a 5xx; a refused submission creates
no row and queues no email; and what is accepted is what the validators allow (one-line names, valid
emails, bounded lengths).

Examples are bounded (max_examples below, no deadline) and not stored (database=None), so the folder stays
quick on both databases and writes nothing into the working tree.
"""

import datetime as dt
import unicodedata

import pytest
from email_validator import validate_email
from frontdesk import links
from frontdesk.mail import mime
from frontdesk.models import Appointment, Client, Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.booking_fixtures import make_client, make_session, owner_of, service_of, slots
from tests.app.conftest import add_question, set_registration
from tests.conftest import outbox, snapshot
from tests.pages import form_token

FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


NASTY = [
    "",
    " ",
    "\x00",
    "\t",
    "a\r\nBcc: victim@example.com",
    "x\nSubject: hi",
    "\u202eevil",
    "\ufeff",
    "\u0000\u0001",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1 --",
    "%00",
    "%s%s%n",
    "{{7*7}}",
    "${7*7}",
    "9999-99-99",
    "2026-02-30T25:61:00",
    "1e309",
    "-1",
    "0",
    "NaN",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "+99999999999999999999",
    "😀" * 200,
    "ǅ" * 130,
    "a@b",
    "@",
    "a@b@c.d",
    "x" * 255 + "@example.com",
    "null",
    "[]",
    "{}",
    "true",
]

control_text = st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1, max_size=20)
one_value = st.one_of(
    st.text(max_size=200),
    st.sampled_from(NASTY),
    st.builds(lambda head, ctl, tail: head + ctl + tail, st.text(max_size=10), control_text, st.text(max_size=10)),
    st.builds(lambda n, c: c * n, st.integers(100, 6000), st.sampled_from(["x", "é", "😀", "\n", "<"])),
)


# A field: left out, sent as a person would, one arbitrary value, or several values at once.
def field(valid):
    return st.one_of(st.none(), st.just(valid), one_value, st.lists(one_value, min_size=2, max_size=3))


def first(value):
    """The value a form field reads when several were sent: the first."""
    return value[0] if isinstance(value, list) else value


def counts():
    return (Request.select().count(), Client.select().count(), Appointment.select().count(), len(outbox()))


def post(client, path, fields, token):
    data = {key: value for key, value in fields.items() if value is not None}
    data.setdefault("form_token", token)
    return client.post(path, data=data)


def accepted_values_are_valid():
    """What was stored is what the validators allow."""
    for person in Client.select():
        assert person.name and len(person.name) <= 120, person.name
        assert not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in person.name), person.name
        assert validate_email(person.email, check_deliverability=False).normalized.lower() == person.email
    for request in Request.select():
        assert len(request.message) <= 4000


def check(response, before):
    """Never a 5xx; a refusal leaves every count as it was; every email queued can be built and sent."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code != 200:
        assert counts() == before, (response.status_code, "a refused submission created rows")
    accepted_values_are_valid()
    for row in outbox()[before[3] :]:
        bytes(mime.build_message(row, "Frontdesk <frontdesk@localhost>"))


# --- The request form ------------------------------------------------------------------------------


@pytest.fixture
def request_form(app, clinic):
    """The clinic's request form asking every built-in field and one question of every kind."""
    set_registration(
        clinic,
        phone="optional",
        date_of_birth="optional",
        address="optional",
        preferred_language="optional",
        reason="required",
        heard_about="optional",
        emergency_contact="optional",
        national_id="optional",
        terms_consent="required",
    )
    questions = [
        add_question(clinic, "Short?", "short_text"),
        add_question(clinic, "Long?", "long_text", required=True),
        add_question(clinic, "One?", "single_choice", ["Morning", "Evening"]),
        add_question(clinic, "Many?", "multiple_choice", ["Mon", "Tue", "Wed"]),
        add_question(clinic, "Yes?", "yes_no"),
    ]
    token = links.request_token(app.config["SECRET_KEYS"], clinic)
    return f"/r/{token}", questions


REQUEST_VALID = {
    "name": "Sam Rivera",
    "email": "sam@example.com",
    "service": "",
    "message": "Hello",
    "phone": "+44 20 7946 0958",
    "date_of_birth": "1990-04-23",
    "address": "1 High St",
    "preferred_language": "en",
    "reason": "Stress",
    "heard_about": "A friend",
    "emergency_contact": "Jo",
    "national_id": "AB123",
    "terms_consent": "y",
    "website": "",
    "tz": "Europe/London",
}


@given(data=st.data())
@FUZZ
def test_the_request_form_survives_any_input(app, client, request_form, data):
    path, questions = request_form
    valid = dict(
        REQUEST_VALID,
        **{
            f"q_{questions[0].id}": "ok",
            f"q_{questions[1].id}": "long answer",
            f"q_{questions[2].id}": "Morning",
            f"q_{questions[3].id}": "Mon",
            f"q_{questions[4].id}": "yes",
        },
    )
    fields = data.draw(st.fixed_dictionaries({key: field(value) for key, value in valid.items()}))
    before = counts()
    response = post(client, path, fields, form_token(client.get(path)))
    check(response, before)


# --- The booking details form ----------------------------------------------------------------------


@pytest.fixture
def booking_form(app, clinic, hub):
    owner = owner_of(clinic)
    token = links.booking_token(app.config["SECRET_KEYS"], owner)
    start = slots(app.test_client().get(f"/b/{token}"))[0].isoformat()
    return f"/b/{token}/book", start, service_of(clinic).id


@given(data=st.data())
@FUZZ
def test_the_booking_details_form_survives_any_input(app, client, booking_form, data):
    path, start, service = booking_form
    valid = {
        "name": "Noor Haddad",
        "email": "noor@example.com",
        "start": start,
        "service": str(service),
        "website": "",
        "tz": "Asia/Amman",
    }
    fields = data.draw(st.fixed_dictionaries({key: field(value) for key, value in valid.items()}))
    token = form_token(client.get(f"{path}?service={service}&start={start}"))
    before = counts()
    response = post(client, f"{path}?service={service}", fields, token)
    check(response, before)
    if response.status_code == 200 and counts() != before:
        assert Appointment.select().count() == before[2] + 1


# --- The dashboard link form -----------------------------------------------------------------------


@given(data=st.data())
@FUZZ
def test_the_dashboard_link_form_survives_any_input(app, client, clinic, data):
    if not Client.select().exists():
        make_client(clinic)
    fields = data.draw(
        st.fixed_dictionaries({"email": field("kim@example.com"), "website": field(""), "tz": field("Europe/London")})
    )
    before = counts()
    response = post(client, "/c/", fields, form_token(client.get("/c/")))
    check(response, before)


# --- The manage page: cancel and reschedule --------------------------------------------------------


@given(data=st.data())
@FUZZ
def test_the_manage_cancel_post_survives_any_input(app, client, clinic, hub, data):
    """A fresh hub session each time: a bad value never cancels it."""
    session = make_session(clinic, 96 + Appointment.select().count(), channel="hub", hub=hub)
    token = links.manage_token(app.config["SECRET_KEYS"], session)
    genuine = form_token(client.get(f"/m/{token}/cancel"))
    fields = data.draw(
        st.fixed_dictionaries({"form_token": field(genuine), "website": field(""), "tz": field("Europe/London")})
    )
    response = post(client, f"/m/{token}/cancel", fields, genuine)
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    status = Appointment.get_by_id(session.id).status
    if response.status_code != 200:
        assert status == "booked"
    else:
        assert status == "cancelled" and first(fields["form_token"]) in (genuine, None)
        assert not first(fields["website"])


@given(data=st.data())
@FUZZ
def test_the_manage_reschedule_post_survives_any_input(app, client, clinic, hub, data):
    session = (
        make_session(clinic, 48, channel="hub", hub=hub)
        if not Appointment.select().exists()
        else Appointment.select().where(Appointment.status == "booked").order_by(Appointment.id.desc()).first()
    )
    token = links.manage_token(app.config["SECRET_KEYS"], session)
    page = client.get(f"/m/{token}/reschedule")
    genuine = form_token(page)
    free = slots(page)[0].isoformat()
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "start": st.one_of(
                    field(free), st.datetimes(min_value=dt.datetime(1, 1, 8)).map(dt.datetime.isoformat)
                ),
                "form_token": field(genuine),
                "website": field(""),
                "tz": field("Europe/London"),
                "confirm": field("1"),
            }
        )
    )
    before = snapshot()
    response = post(client, f"/m/{token}/reschedule", fields, genuine)
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code != 200 or "Your session was rescheduled" not in response.get_data(as_text=True):
        assert snapshot() == before
    else:
        moved = Appointment.get_by_id(session.id)
        assert moved.status == "cancelled" and moved.rescheduled_to_id is not None


# Values that every field, one at a time, must survive (hypothesis draws from these too, but by chance).
EXTREMES = ["x" * 300, "x" * 5000, "é" * 256, "😀" * 300, "\x00", "a\r\nb", "\u2028", "../../etc/passwd", "-1"]


def test_every_field_of_every_public_form_survives_each_extreme_value(app, client, clinic, hub, request_form):
    """Deterministically, each field of each form (and the `tz` and `lang` query parameters) gets each
    extreme value in turn: never a 5xx, and a refusal creates nothing."""
    path, questions = request_form
    valid = dict(REQUEST_VALID, **{f"q_{q.id}": "" for q in questions})
    token = links.booking_token(app.config["SECRET_KEYS"], owner_of(clinic))
    service = service_of(clinic).id

    taken = []

    def booking():
        """The booking details form for the first time still free (one is taken whenever a value is fine)."""
        if not taken or Appointment.select().count() != taken[0][1]:
            taken[:] = [(slots(client.get(f"/b/{token}"))[0].isoformat(), Appointment.select().count())]
        start = taken[0][0]
        return (
            f"/b/{token}/book?service={service}&start={start}",
            f"/b/{token}/book?service={service}",
            {
                "name": "Noor Haddad",
                "email": "noor@example.com",
                "start": start,
                "service": str(service),
                "website": "",
                "tz": "Asia/Amman",
            },
        )

    forms = [
        lambda: (path, path, valid),
        booking,
        lambda: ("/c/", "/c/", {"email": "kim@example.com", "website": "", "tz": ""}),
    ]
    for make in forms:
        for key in make()[2]:
            for value in EXTREMES:
                page, action, fields = make()
                before = counts()
                response = post(client, action, dict(fields, **{key: value}), form_token(client.get(page)))
                check(response, before)
    for value in EXTREMES:
        for query in ("tz", "lang", "from", "service", "start"):
            response = client.get(f"{path}?{query}={value}")
            assert response.status_code < 500, (query, value)
            response = client.get(f"/b/{token}?{query}={value}")
            assert response.status_code < 500, (query, value)


def test_undecodable_bytes_in_a_public_form_are_refused_cleanly(app, client, request_form):
    """Form bodies that are not UTF-8 (or not form encoding at all) get a clear answer, never a 500."""
    path, _ = request_form
    token = form_token(client.get(path))
    before = counts()
    for body, kind in [
        (b"name=%FF%FE%00&email=%C0%AF@x.com&form_token=" + token.encode(), "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (
            b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff\r\n--x--\r\n',
            "multipart/form-data; boundary=x",
        ),
        (b'{"name": "x"}', "application/json"),
    ]:
        response = client.post(path, data=body, content_type=kind)
        assert response.status_code < 500 and response.status_code != 200, (kind, response.status_code)
    assert counts() == before

"""The peewee models. Every row that belongs to a clinic carries its clinic, so each query can be
scoped to the signed-in professional's clinic. Times are naive UTC datetimes."""

import datetime
import json
import secrets
import uuid

import peewee

from .db import database


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def new_nonce():
    return secrets.token_urlsafe(12)


class JSONField(peewee.TextField):
    """JSON in a text column: the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Clinic(BaseModel):
    slug = peewee.CharField(unique=True)
    name = peewee.CharField()
    timezone = peewee.CharField(default="Europe/London")
    country = peewee.CharField(default="GB")  # default region for phone numbers
    default_language = peewee.CharField(default="en")
    # The languages its client pages offer; empty means every language Frontdesk ships.
    languages = JSONField(default=list)
    terms_label = JSONField(default=dict)  # {language: the terms link's text}
    currency = peewee.CharField(default="GBP")
    requests_enabled = peewee.BooleanField(default=True)
    request_link_version = peewee.IntegerField(default=1)
    terms_url = peewee.CharField(default="")
    # Notice (hours) below which a client's cancellation is late outside hubs; hubs always use 24.
    policy_hours = peewee.IntegerField(default=24)
    late_fee_cents = peewee.IntegerField(default=0)  # charged for a late cancellation or no-show
    # Which of the built-in registration fields the request form asks: {field: off|optional|required}.
    registration = JSONField(default=dict)
    # The clinic's own websites ("https://www.example.com"), the only ones that may frame its pages
    # (server/framing.py); while the list is empty any website may frame its forms and calendars.
    allowed_origins = JSONField(default=list)
    # Reminder emails (server/reminders.py): hours before a session; the second is optional (None: none).
    reminder_hours = peewee.IntegerField(default=24)
    second_reminder_hours = peewee.IntegerField(null=True)
    # A session booked inside a reminder's window: no reminder (False) or one straight away (True).
    remind_late_bookings = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)


class Professional(BaseModel):
    clinic = peewee.ForeignKeyField(Clinic, backref="professionals", on_delete="CASCADE")
    email = peewee.CharField(unique=True)
    name = peewee.CharField()
    password_hash = peewee.CharField()
    is_owner = peewee.BooleanField(default=False)
    booking_link_version = peewee.IntegerField(default=1)
    # What hub pages show for this professional: a bookable calendar, or a request form only.
    hub_mode = peewee.CharField(default="calendar")
    daily_agenda = peewee.BooleanField(default=False)  # an email each evening of tomorrow's sessions
    # The calendar subscription address (server/calendar_feeds.py): raising the version retires the old one.
    feed_version = peewee.IntegerField(default=1)
    feed_full_names = peewee.BooleanField(default=False)  # clients' names in the feed, not their initials
    created_at = peewee.DateTimeField(default=utcnow)


class Service(BaseModel):
    clinic = peewee.ForeignKeyField(Clinic, backref="services", on_delete="CASCADE")
    name = peewee.CharField()
    name_translations = JSONField(default=dict)  # {language: name}; `name` is the default language's
    duration_minutes = peewee.IntegerField(default=50)
    late_fee_cents = peewee.IntegerField(null=True)  # None: the clinic's default fee
    active = peewee.BooleanField(default=True)
    position = peewee.IntegerField(default=0)


class Question(BaseModel):
    """A clinic's own question on its request form."""

    clinic = peewee.ForeignKeyField(Clinic, backref="questions", on_delete="CASCADE")
    label = peewee.CharField()
    kind = peewee.CharField()
    choices = JSONField(default=list)
    # {language: {"label": ..., "choices": [...]}}: choices by position, so answers keep the default
    # language's wording whatever language the client used.
    translations = JSONField(default=dict)
    required = peewee.BooleanField(default=False)
    position = peewee.IntegerField(default=0)


class Client(BaseModel):
    """A person's record at one clinic: one per email per clinic."""

    clinic = peewee.ForeignKeyField(Clinic, backref="clients", on_delete="CASCADE")
    email = peewee.CharField()
    name = peewee.CharField()
    phone = peewee.CharField(default="")
    date_of_birth = peewee.DateField(null=True)
    address = peewee.TextField(default="")
    language = peewee.CharField(default="")
    timezone = peewee.CharField(default="")  # the browser's, when it told us; else the clinic's
    emergency_contact = peewee.CharField(default="")
    national_id = peewee.CharField(default="")
    # waitlist: has asked, not yet accepted; active: one of the clinic's clients.
    status = peewee.CharField(default="waitlist")
    dashboard_nonce = peewee.CharField(default=new_nonce)  # changing it revokes dashboard links
    reminders = peewee.BooleanField(default=True)  # the client may turn reminder emails off
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        # The second one serves the workstation's clients list, a page at a time in name order.
        indexes = ((("clinic", "email"), True), (("clinic", "status", "name", "id"), False))


class WorkingHours(BaseModel):
    """One weekly stretch of a professional's bookable time, in the clinic's local time."""

    professional = peewee.ForeignKeyField(Professional, backref="working_hours", on_delete="CASCADE")
    weekday = peewee.IntegerField()  # 0 = Monday
    opens = peewee.TimeField()
    closes = peewee.TimeField()


class TimeOff(BaseModel):
    professional = peewee.ForeignKeyField(Professional, backref="time_off", on_delete="CASCADE")
    first_day = peewee.DateField()
    last_day = peewee.DateField()
    note = peewee.CharField(default="")


class Hub(BaseModel):
    """A Wellbeing Hub page listing member professionals (run by one clinic, so its ids stay scoped)."""

    clinic = peewee.ForeignKeyField(Clinic, backref="hubs", on_delete="CASCADE")
    name = peewee.CharField()
    link_version = peewee.IntegerField(default=1)


class HubMember(BaseModel):
    hub = peewee.ForeignKeyField(Hub, backref="members", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="hub_memberships", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("hub", "professional"), True),)


class Request(BaseModel):
    """A request from the clinic's request form: waits on the waitlist until accepted or declined."""

    clinic = peewee.ForeignKeyField(Clinic, backref="requests", on_delete="CASCADE")
    client = peewee.ForeignKeyField(Client, backref="requests", on_delete="CASCADE")
    # Set when the request came from a hub page to one member professional.
    hub = peewee.ForeignKeyField(Hub, null=True, on_delete="SET NULL")
    professional = peewee.ForeignKeyField(Professional, null=True, backref="hub_requests", on_delete="SET NULL")
    service = peewee.ForeignKeyField(Service, null=True, on_delete="SET NULL")
    message = peewee.TextField(default="")
    # Every answer as the client saw it: [{"label": ..., "value": ...}], so later edits of the
    # clinic's questions do not change what was asked.
    answers = JSONField(default=list)
    status = peewee.CharField(default="pending")  # pending, accepted, declined
    decline_message = peewee.TextField(default="")
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.ForeignKeyField(Professional, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("clinic", "status", "created_at"), False),)


class Appointment(BaseModel):
    """A session with a client (named Appointment so it never reads as Flask's session)."""

    clinic = peewee.ForeignKeyField(Clinic, backref="appointments", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="appointments", on_delete="CASCADE")
    client = peewee.ForeignKeyField(Client, backref="appointments", on_delete="CASCADE")
    service = peewee.ForeignKeyField(Service, null=True, on_delete="SET NULL")
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    status = peewee.CharField(default="booked")  # booked, cancelled
    channel = peewee.CharField(default="direct")  # direct, request, hub
    hub = peewee.ForeignKeyField(Hub, null=True, on_delete="SET NULL")
    # Who booked it: a professional, or None when the client booked it themselves.
    booked_by = peewee.ForeignKeyField(Professional, null=True, backref="booked_appointments", on_delete="SET NULL")
    uid = peewee.CharField(default=lambda: f"{uuid.uuid4()}@frontdesk", unique=True)
    sequence = peewee.IntegerField(default=0)  # iCalendar SEQUENCE: raised by every change
    manage_nonce = peewee.CharField(default=new_nonce)  # changing it retires the manage link
    created_at = peewee.DateTimeField(default=utcnow)
    cancelled_at = peewee.DateTimeField(null=True)
    cancelled_by = peewee.CharField(default="")  # client or professional
    cancelled_by_professional = peewee.ForeignKeyField(
        Professional, null=True, on_delete="SET NULL", backref="cancelled_appointments"
    )
    cancel_reason = peewee.CharField(default="")  # "" or rescheduled
    notice_minutes = peewee.IntegerField(null=True)  # how long before the start it was cancelled
    late = peewee.BooleanField(default=False)
    rescheduled_to = peewee.ForeignKeyField("self", null=True, backref="rescheduled_from", on_delete="SET NULL")
    no_show_at = peewee.DateTimeField(null=True)

    class Meta:
        # The last two bound "sessions not yet ended" (free slots, the calendar's upcoming list) by their end, so
        # those queries read the future only, however long the history.
        indexes = (
            (("professional", "starts_at"), False),
            (("clinic", "starts_at"), False),
            (("professional", "status", "ends_at"), False),
            (("clinic", "status", "ends_at"), False),
            (("status", "starts_at"), False),  # the mail worker's sessions due a reminder, every clinic's
        )


class ChargeDecision(BaseModel):
    """What a late cancellation or no-show may cost: open until the professional charges or waives it.

    Taking the money happens elsewhere; this records what is owed and who decided.
    """

    clinic = peewee.ForeignKeyField(Clinic, backref="charge_decisions", on_delete="CASCADE")
    appointment = peewee.ForeignKeyField(Appointment, unique=True, backref="charge_decisions", on_delete="CASCADE")
    reason = peewee.CharField()  # late_cancellation or no_show
    amount_cents = peewee.IntegerField()
    currency = peewee.CharField()
    status = peewee.CharField(default="open")  # open, charged, waived
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.ForeignKeyField(Professional, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("clinic", "status", "created_at"), False),)


class SentReminder(BaseModel):
    """One reminder or daily agenda queued, written in the outbox row's transaction: its unique key
    ("session:<id>:<slot>", "agenda:<professional id>:<day>") lets only one of several workers queue it."""

    key = peewee.CharField(unique=True)
    clinic = peewee.ForeignKeyField(Clinic, on_delete="CASCADE")
    appointment = peewee.ForeignKeyField(Appointment, null=True, backref="reminders", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)


class UsedFormToken(BaseModel):
    """The nonce of every public form accepted once: a second submit of the same form is refused."""

    nonce = peewee.CharField(primary_key=True)
    used_at = peewee.DateTimeField(default=utcnow)


class OutboxMessage(BaseModel):
    """An email, written in the same transaction as the change that caused it."""

    message_id = peewee.CharField(unique=True)
    to_address = peewee.CharField()
    subject = peewee.CharField()
    text_body = peewee.TextField()
    html_body = peewee.TextField()
    ics = peewee.TextField(null=True)  # an iCalendar attachment, with its METHOD inside
    ics_method = peewee.CharField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    last_error = peewee.TextField(default="")

    class Meta:
        indexes = ((("sent_at", "next_attempt_at"), False),)


MODELS = [
    Clinic,
    Professional,
    Service,
    Question,
    Client,
    WorkingHours,
    TimeOff,
    Hub,
    HubMember,
    Request,
    Appointment,
    ChargeDecision,
    SentReminder,
    UsedFormToken,
    OutboxMessage,
]

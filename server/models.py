"""The peewee models. Every row that belongs to a clinic carries its clinic, so each query can be
scoped to the signed-in professional's clinic. Times are naive UTC datetimes."""

import datetime
import json
import secrets
import uuid

import peewee

from .db import database, insert
from .states import SessionStatus


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

    @classmethod
    def create(cls, **values):
        """peewee's create (defaults filled in, the new id set) through `insert_new`."""
        row = cls(**values)
        row.insert_new()
        return row

    def insert_new(self):
        """Insert this row, made but not saved yet, through `db.insert`, whose SQL is built once: the public
        forms' writes spent more time building their INSERTs than running them. Sets the new id, unless the
        row has one (`db.next_id`)."""
        key = self._meta.primary_key
        new_id = isinstance(key, peewee.AutoField) and self.__data__.get(key.name) is None
        data = {name: value for name, value in self.__data__.items() if not (new_id and name == key.name)}
        inserted = insert(type(self), [data])
        if new_id:
            self.__data__[key.name] = inserted
        self._dirty.clear()


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
    # Every member must sign in with a second step (an authenticator app's code); set by the owner.
    require_two_factor = peewee.BooleanField(default=False)
    # Slots start on this grid of the clinic's wall clock (every 15, 30 or 60 minutes from the hour).
    slot_grid_minutes = peewee.IntegerField(default=30)
    date_style = peewee.CharField(default="medium")  # how the workstation writes dates: short, medium, long
    # Raised by every save of the clinic's settings: a form read at an older version is refused, not applied.
    settings_version = peewee.IntegerField(default=1)
    # Raised by every change to what the public pages show (clinic_settings.pages_changed), in the change's
    # transaction: a page rendered at an older version is never served again (server/page_cache.py).
    pages_version = peewee.IntegerField(default=1)
    # Whether the front desk may decide charges (server/roles.py); otherwise only the owner and each
    # professional for their own sessions.
    front_desk_decides_charges = peewee.BooleanField(default=False)
    # Retention (server/privacy.py): days a declined request is kept, and days a delivered email's body is.
    request_retention_days = peewee.IntegerField(default=365)
    mail_body_retention_days = peewee.IntegerField(default=90)
    # The name client emails come from and their subjects use (an inbox may be shared); "": the clinic's name.
    mail_sender_name = peewee.CharField(default="")
    privacy_notice = JSONField(default=dict)  # {language: the https address of the clinic's privacy notice}
    privacy_consent = peewee.BooleanField(default=False)  # the public forms ask to agree to the notice
    # A session a client books themselves is held until confirmed from the email, for this long at most.
    confirm_self_bookings = peewee.BooleanField(default=False)
    hold_minutes = peewee.IntegerField(default=30)
    # Reminder emails (server/reminders.py): hours before a session; the second is optional (None: none).
    reminder_hours = peewee.IntegerField(default=24)
    second_reminder_hours = peewee.IntegerField(null=True)
    # A session booked inside a reminder's window: no reminder (False) or one straight away (True).
    remind_late_bookings = peewee.BooleanField(default=False)
    # Where in-person sessions happen (places.py), as it is written on an envelope: one line each.
    address = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)


class Professional(BaseModel):
    clinic = peewee.ForeignKeyField(Clinic, backref="professionals", on_delete="CASCADE")
    email = peewee.CharField(unique=True)
    name = peewee.CharField()
    password_hash = peewee.CharField()
    role = peewee.CharField(default="professional")  # states.Role; server/roles.py says what each may do
    # False once the owner deactivates them: they cannot sign in, and nothing of theirs is deleted.
    is_active = peewee.BooleanField(default=True)
    # What clients read on hub and booking pages: a public name ("" means `name`) and, per language,
    # {language: {"title": ..., "about": ...}}.
    public_name = peewee.CharField(default="")
    profile = JSONField(default=dict)
    booking_link_version = peewee.IntegerField(default=1)
    # What a new hub membership shows (each membership then has its own mode): states.HubMode.
    hub_mode = peewee.CharField(default="calendar")
    # Two-step sign-in (server/accounts.py): the authenticator app's TOTP secret once confirmed, and the
    # last time step a code was accepted for, so that no code works twice.
    totp_secret = peewee.CharField(null=True)
    totp_last_step = peewee.BigIntegerField(default=0)
    languages = JSONField(default=list)  # the languages they work in, shown on hub pages
    # What clients booking online may take: a gap kept free around each session, how long before a slot
    # it may still be booked, and how many days ahead.
    buffer_minutes = peewee.IntegerField(default=0)
    notice_minutes = peewee.IntegerField(default=60)
    horizon_days = peewee.IntegerField(default=365)
    daily_agenda = peewee.BooleanField(default=False)  # an email each evening of tomorrow's sessions
    # The calendar subscription address (server/calendar_feeds.py): raising the version retires the old one.
    feed_version = peewee.IntegerField(default=1)
    feed_full_names = peewee.BooleanField(default=False)  # clients' names in the feed, not their initials
    video_link = peewee.CharField(default="")  # their usual https video room, for video services (places.py)
    # Raised with every change to what their free slots come from outside this row (sessions, holds, hours,
    # time off, external busy times): availability.calendar_changed; the kept booking pages' key.
    calendar_version = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=utcnow)


class MemberSession(BaseModel):
    """One signed-in browser of a team member. The cookie carries only the random token; the row keeps its
    SHA-256, so a copy of this table signs no one in. Deleting the row signs that browser out at once."""

    token_hash = peewee.CharField(unique=True)
    professional = peewee.ForeignKeyField(Professional, backref="sign_ins", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(default=utcnow)
    # Kept minimal: the browser's own description, shortened, and the address's network only.
    user_agent = peewee.CharField(default="")
    network = peewee.CharField(default="")
    # The password was right and the authenticator's code is still to come: signed in to nothing yet.
    awaiting_code = peewee.BooleanField(default=False)
    failed_codes = peewee.IntegerField(default=0)
    # A secret shown as a QR code while the member sets up two-step sign-in, until a first code confirms it.
    setup_secret = peewee.CharField(null=True)


class RecoveryCode(BaseModel):
    """A single-use code that stands in for the authenticator app, stored as its SHA-256."""

    professional = peewee.ForeignKeyField(Professional, backref="recovery_codes", on_delete="CASCADE")
    code_hash = peewee.CharField()
    used_at = peewee.DateTimeField(null=True)


class Service(BaseModel):
    clinic = peewee.ForeignKeyField(Clinic, backref="services", on_delete="CASCADE")
    name = peewee.CharField()
    name_translations = JSONField(default=dict)  # {language: name}; `name` is the default language's
    duration_minutes = peewee.IntegerField(default=50)
    late_fee_cents = peewee.IntegerField(null=True)  # None: the clinic's default fee
    price_cents = peewee.IntegerField(null=True)  # None: no price shown
    bookable_online = peewee.BooleanField(default=True)  # offered on booking and hub calendars
    active = peewee.BooleanField(default=True)  # False: retired, kept on past sessions and charges
    position = peewee.IntegerField(default=0)
    version = peewee.IntegerField(default=1)  # raised by every edit, as Clinic.settings_version
    place = peewee.CharField(default="in_person")  # states.PlaceKind: at the clinic, by video or by phone


class ServiceProfessional(BaseModel):
    """Who offers a service; a service with no rows is offered by every professional of its clinic,
    colleagues who join later included."""

    service = peewee.ForeignKeyField(Service, backref="offered_by", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="services_offered", on_delete="CASCADE")

    class Meta:
        indexes = ((("service", "professional"), True),)


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
    email = peewee.CharField(null=True)  # None for a client added by hand with a phone number only
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
    # Set when the clinic archived the client: hidden from lists and search, history kept.
    archived_at = peewee.DateTimeField(null=True)
    # The client asked, from their dashboard, to be erased: waits for the owner (server/privacy.py).
    erasure_requested_at = peewee.DateTimeField(null=True)
    erased_at = peewee.DateTimeField(null=True)
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


class ExternalCalendar(BaseModel):
    """An iCalendar address of the professional's own calendar elsewhere (Google, Outlook): its busy times
    are not offered to clients. The address is a secret (anyone holding it reads that calendar): it is shown
    masked and never logged. The calendar worker (`frontdesk sync-calendars`, server/calendar_sync.py) fetches
    it and records here how the last attempt went; a failure keeps the busy times of the last success."""

    clinic = peewee.ForeignKeyField(Clinic, on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="external_calendars", on_delete="CASCADE")
    url = peewee.TextField()
    label = peewee.CharField(default="")  # the professional's own name for it ("Personal", "Hospital rota")
    created_at = peewee.DateTimeField(default=utcnow)
    # The conditional GET cache: what the server answered last time, sent back as If-None-Match and
    # If-Modified-Since so an unchanged calendar costs a 304.
    etag = peewee.CharField(default="")
    last_modified = peewee.CharField(default="")
    # When a worker last started a fetch (its claim: one worker at a time), and when one last succeeded.
    attempted_at = peewee.DateTimeField(null=True)
    synced_at = peewee.DateTimeField(null=True)
    parsed_at = peewee.DateTimeField(null=True)  # when a fetch last brought the whole document (not a 304)
    # Why the last attempt failed (a calendar_fetch code, "" after a success) and the HTTP status if any.
    error = peewee.CharField(default="")
    error_status = peewee.IntegerField(null=True)


class ExternalBusy(BaseModel):
    """One busy time of an external calendar, in UTC: start and end only, never what the event is."""

    calendar = peewee.ForeignKeyField(ExternalCalendar, backref="busy", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, on_delete="CASCADE")
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("professional", "starts_at"), False),)


class Hub(BaseModel):
    """A Wellbeing Hub page listing member professionals (run by one clinic, so its ids stay scoped)."""

    clinic = peewee.ForeignKeyField(Clinic, backref="hubs", on_delete="CASCADE")
    name = peewee.CharField()
    link_version = peewee.IntegerField(default=1)
    closed_at = peewee.DateTimeField(null=True)  # a closed hub's page says so and takes nothing


class HubMember(BaseModel):
    hub = peewee.ForeignKeyField(Hub, backref="members", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="hub_memberships", on_delete="CASCADE")
    position = peewee.IntegerField(default=0)
    mode = peewee.CharField(default="calendar")  # this member's calendar, or requests only: states.HubMode

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
    # What the person agreed to, word for word in the language they read it, and when (registration.py).
    consent_text = peewee.TextField(default="")
    consent_at = peewee.DateTimeField(null=True)
    decline_message = peewee.TextField(default="")
    # What the form said about a client already on record where it differs ({detail: value}): kept for the
    # team to review and apply (clients.apply_details), never written over the record by the form itself.
    submitted_details = JSONField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.ForeignKeyField(Professional, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("clinic", "status", "created_at"), False),)


class Series(BaseModel):
    """A weekly series booked from a client's page: its sessions (Appointment.series) are ordinary sessions; this
    row only tells them apart as siblings, for the calendar's mark and "this and all following"."""

    clinic = peewee.ForeignKeyField(Clinic, backref="series", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, on_delete="CASCADE")
    client = peewee.ForeignKeyField(Client, backref="series", on_delete="CASCADE")
    weeks_apart = peewee.IntegerField(default=1)
    booked_by = peewee.ForeignKeyField(Professional, null=True, on_delete="SET NULL", backref="booked_series")
    created_at = peewee.DateTimeField(default=utcnow)


class Appointment(BaseModel):
    """A session with a client (named Appointment so it never reads as Flask's session)."""

    clinic = peewee.ForeignKeyField(Clinic, backref="appointments", on_delete="CASCADE")
    professional = peewee.ForeignKeyField(Professional, backref="appointments", on_delete="CASCADE")
    client = peewee.ForeignKeyField(Client, backref="appointments", on_delete="CASCADE")
    service = peewee.ForeignKeyField(Service, null=True, on_delete="SET NULL")
    # The service's terms as booked: editing the service later changes neither (the length is in ends_at).
    price_cents = peewee.IntegerField(null=True)
    late_fee_cents = peewee.IntegerField(null=True)
    currency = peewee.CharField(default="")
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    status = peewee.CharField(default="booked")  # states.SessionStatus
    hold_until = peewee.DateTimeField(null=True)  # a held session's slot is its own until then (booking.holds_slot)
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
    client_note = peewee.TextField(default="")  # the client's own words when cancelling, for the professional
    notice_minutes = peewee.IntegerField(null=True)  # how long before the start it was cancelled
    late = peewee.BooleanField(default=False)
    rescheduled_to = peewee.ForeignKeyField("self", null=True, backref="rescheduled_from", on_delete="SET NULL")
    no_show_at = peewee.DateTimeField(null=True)
    # As Request.submitted_details: what a client's booking form said that differs from their record.
    submitted_details = JSONField(null=True)

    @property
    def duration_minutes(self):
        """The length it was booked for, whatever its service's length is now."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def awaiting_confirmation(self):
        """A client's hold, not yet confirmed from the email (states.SessionStatus.HELD)."""
        return self.status == SessionStatus.HELD

    answers = JSONField(default=list)  # a self-booking's registration answers, as on Request
    consent_text = peewee.TextField(default="")  # as on Request: what a self-booking client agreed to
    consent_at = peewee.DateTimeField(null=True)
    series = peewee.ForeignKeyField(Series, null=True, backref="sessions", on_delete="SET NULL")
    # Set by the professional for this session only (places.py): a video room, and a note on the place
    # ("Room 2", "I will call you"); a reschedule carries both to the new session.
    video_link = peewee.CharField(default="")
    place_note = peewee.CharField(default="")

    class Meta:
        # The last two bound "sessions not yet ended" (free slots, the calendar's upcoming list) by their end, so
        # those queries read the future only, however long the history.
        indexes = (
            (("professional", "starts_at"), False),
            (("clinic", "starts_at"), False),
            (("professional", "status", "ends_at"), False),
            (("clinic", "status", "ends_at"), False),
            (("status", "starts_at"), False),  # the mail worker's sessions due a reminder, every clinic's
            (("client", "professional"), False),  # a professional's clients (team.scope), client by client
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


class Invitation(BaseModel):
    """An owner's invitation to join the clinic's team with a role: its emailed link works once, for
    seven days, until it is revoked or sent again (each changes the nonce the link carries)."""

    clinic = peewee.ForeignKeyField(Clinic, backref="invitations", on_delete="CASCADE")
    email = peewee.CharField()
    role = peewee.CharField()
    invited_by = peewee.ForeignKeyField(Professional, null=True, on_delete="SET NULL")
    nonce = peewee.CharField(default=new_nonce)
    sent_at = peewee.DateTimeField(default=utcnow)
    accepted_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)
    member = peewee.ForeignKeyField(Professional, null=True, backref="invitation", on_delete="SET NULL")

    class Meta:
        indexes = ((("clinic", "email"), False),)


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


class DashboardLinkRequest(BaseModel):
    """An address that asked for its dashboard links at `/c/`: the mail worker looks it up and emails every
    clinic account it has (or nothing), then deletes the row. The page itself only stores it, the same work
    whether or not the address is known, so its timing cannot tell."""

    email = peewee.CharField()
    created_at = peewee.DateTimeField(default=utcnow)


class OutboxMessage(BaseModel):
    """An email, written in the same transaction as the change that caused it."""

    message_id = peewee.CharField(unique=True)
    to_address = peewee.CharField()
    subject = peewee.CharField()
    # Rendered when the message is sent (or read: outbox.rendered) from `draft`, then kept as sent.
    text_body = peewee.TextField(default="")
    html_body = peewee.TextField(default="")
    ics = peewee.TextField(null=True)  # an iCalendar attachment, with its METHOD inside
    # What the bodies and the attachment are rendered from, as it was when the change committed (outbox.compose),
    # signed; None once rendered.
    draft = peewee.TextField(null=True)
    ics_method = peewee.CharField(null=True)
    reply_to = peewee.CharField(default="")  # where a client's answer goes: the clinic, not the sender
    created_at = peewee.DateTimeField(default=utcnow)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    last_error = peewee.TextField(default="")
    # The claim of the worker pass holding the lease (mail/delivery.py): a worker sends only what is still its own.
    claimed_by = peewee.CharField(null=True)
    # Whose email this is (plain ids, no foreign keys: the row outlives neither and needs no join), so that
    # erasure finds every message about a client and retention knows the clinic's period.
    clinic_id = peewee.IntegerField(null=True)
    client_id = peewee.IntegerField(null=True, index=True)
    sender_name = peewee.CharField(default="")  # the From name, when not the server's own

    class Meta:
        indexes = ((("sent_at", "next_attempt_at"), False),)


class AuditEvent(BaseModel):
    """Who opened or changed which record, and every export and erasure (server/audit.py).

    Ids only, never a client's details, so that it survives erasure without keeping the person; the app
    only ever inserts into it."""

    clinic = peewee.ForeignKeyField(Clinic, on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow)
    member_id = peewee.IntegerField(null=True)  # None: the client themselves, or the system
    role = peewee.CharField()  # owner, professional, client, system
    action = peewee.CharField()  # opened, changed, exported, erased, erasure_requested, purged
    kind = peewee.CharField()  # client, request, session, charge
    object_id = peewee.IntegerField(null=True)
    client_id = peewee.IntegerField(null=True)
    ip = peewee.CharField(default="")

    class Meta:
        indexes = ((("clinic", "at"), False), (("clinic", "client_id", "at"), False))


MODELS = [
    Clinic,
    Professional,
    MemberSession,
    RecoveryCode,
    Service,
    ServiceProfessional,
    Question,
    Client,
    WorkingHours,
    TimeOff,
    ExternalCalendar,
    ExternalBusy,
    Hub,
    HubMember,
    Series,
    Request,
    Appointment,
    ChargeDecision,
    Invitation,
    SentReminder,
    UsedFormToken,
    DashboardLinkRequest,
    OutboxMessage,
    AuditEvent,
]

"""Client accounts: one per email per clinic, made on a person's first request or booking, or added by
the clinic's team (then with an email, a phone number, or both); edited, archived and searched by the team."""

import datetime
import re
import weakref
from contextlib import suppress

from flask_babel import lazy_gettext as _l

from .db import CompiledQuery, database, is_postgres, lock_rows
from .form_nonces import AlreadySubmitted, used_once
from .mail import outbox
from .models import Client, DashboardLinkRequest, utcnow
from .registration import CLIENT_FIELDS
from .states import ClientStatus
from .timezones import valid_timezone

# What a public form may say about a person that their record also holds.
DETAILS = ("name", "phone", "date_of_birth", "address", "emergency_contact", "national_id", "language", "timezone")


def _stored(key, value):
    """A detail as JSON keeps it (a date as ISO text), so a form's value compares with the record's."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def client_account(clinic, email, name, language, timezone=None, status=None, **fields):
    """(client, differences): the clinic's client with this email, made from these details if new.

    A public form is unverified (anyone may type an address), so an existing client's record is never
    changed by it: the details it gives that differ from the record come back as `differences`
    ({detail: what the form said}, JSON-ready), for the request or booking to keep until the team
    applies them (`apply_details`). Only `status` moves forward (a booking makes a waiting person a client).

    Called inside the caller's transaction (a form's `used_once`), where two first submissions at once
    both end with the one row the unique index allows (`_find_or_make`).
    """
    given = {
        "name": name,
        "language": language,
        **{key: value for key, value in fields.items() if value not in (None, "")},
    }
    if valid_timezone(timezone):
        given["timezone"] = timezone
    defaults = dict(given, status=status) if status else given
    client, created = _find_or_make(clinic, email.strip().lower(), defaults)
    if created:
        return client, {}
    if status and client.status != status:
        Client.update(status=status).where(Client.id == client.id).execute()
        client.status = status
    differences = {
        key: _stored(key, value)
        for key, value in given.items()
        if key in DETAILS and _stored(key, value) != _stored(key, getattr(client, key))
    }
    return client, differences


# Every public form's submission looks its client up (db.CompiledQuery: SQL built once).
_BY_EMAIL = CompiledQuery(lambda clinic, email: Client.select().where(Client.clinic == clinic, Client.email == email))


def _find_or_make(clinic, email, values):
    """(client, created) for this email at the clinic, inside the caller's transaction, with no savepoint.

    On SQLite that transaction holds the write lock from BEGIN, so nobody can insert between the look
    and the insert. On PostgreSQL the insert comes first and does nothing on a conflict with the unique
    index (instead of failing, which would need a savepoint to survive): a new client (most of a request
    form's) costs one round trip, not a look and an insert; a known one, or the loser of two first
    submissions at once, then reads the row, committed by then (the conflict waited for it)."""
    if not is_postgres():
        client = _BY_EMAIL.first(clinic.id, email)
        if client is not None:
            return client, False
        return Client.create(clinic=clinic, email=email, **values), True
    client = Client(clinic=clinic, email=email, **values)
    made = (
        Client.insert(**{key: value for key, value in client.__data__.items() if key != "id"})
        .on_conflict(conflict_target=[Client.clinic, Client.email], action="IGNORE")
        .returning(Client.id)
        .execute()
    )
    row = next(iter(made), None)
    if row is None:
        return _BY_EMAIL.first(clinic.id, email), False
    client.id = row.id
    client._dirty.clear()
    return client, True


def apply_details(row):
    """Write the details a request or booking kept (`submitted_details`) onto its client's record, and
    forget them: the team has reviewed them. Returns the client, or None when there was nothing left to apply
    (a second click, another member first). One transaction."""
    model = type(row)
    with database.atomic():
        current = lock_rows(model.select().where(model.id == row.id)).get()
        details = {key: value for key, value in (current.submitted_details or {}).items() if key in DETAILS}
        if not details:
            return None
        if details.get("date_of_birth"):
            details["date_of_birth"] = datetime.date.fromisoformat(details["date_of_birth"])
        Client.update(**details).where(Client.id == current.client_id).execute()
        model.update(submitted_details=None).where(model.id == current.id).execute()
    return Client.get_by_id(current.client_id)


def differences_to_review(row):
    """[(detail, on the record, in the form)] of a request or booking whose form disagreed with the
    client's record, for the workstation to show before the team applies them."""
    client = row.client
    return [
        (key, _stored(key, getattr(client, key)), value)
        for key, value in (row.submitted_details or {}).items()
        if key in DETAILS and _stored(key, getattr(client, key)) != value
    ]


def email_dashboard_links(email, form_nonce):
    """Ask for a fresh dashboard link to every clinic account with this address, once per form: a replayed
    or double-submitted form asks nothing more. Only the address is stored here, known or not, and the mail
    worker looks it up (`resolve_link_requests`): the answer says nothing either way, by its words or its timing."""
    with suppress(AlreadySubmitted), used_once(form_nonce):
        DashboardLinkRequest.create(email=email.strip().lower())


class ClientError(ValueError):
    """A change to a client's record that cannot be made as asked; `code` says which (the page words it)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


NO_CONTACT = "no_contact"  # neither an email nor a phone number
EMAIL_TAKEN = "email_taken"  # another client of the clinic has this email

# What the team may edit on a client's record (the clinic's registration fields among them).
EDITABLE = ("name", "email", "phone", "language", "timezone", *CLIENT_FIELDS)


def _normalized(fields):
    values = {key: value for key, value in fields.items() if key in EDITABLE}
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower() or None
    if "timezone" in values and not valid_timezone(values["timezone"]):
        values["timezone"] = ""
    if not values.get("email") and not values.get("phone"):
        raise ClientError(NO_CONTACT)
    return values


def add_client(clinic, **fields):
    """(client, created): a client the team adds by hand, one of the clinic's clients at once.

    An email that already belongs to a client of the clinic finds that client, unchanged: the team
    sees the record it already has instead of making a second one. `fields` are those of EDITABLE.
    """
    values = _normalized(fields)
    values["status"] = ClientStatus.ACTIVE
    with database.atomic():
        if values.get("email") is None:
            return Client.create(clinic=clinic, **values), True
        # A savepoint: two adds of one email at once end with the one row the unique index allows.
        email = values.pop("email")
        return Client.get_or_create(clinic=clinic, email=email, defaults=values)


def update_client(client, **fields):
    """Save the team's edit of a client's details; refuses an email that another of the clinic's clients has."""
    values = _normalized({key: fields.get(key, getattr(client, key)) for key in EDITABLE})
    with database.atomic():
        email = values.get("email")
        if email and (
            Client.select()
            .where(Client.clinic == client.clinic_id, Client.email == email, Client.id != client.id)
            .exists()
        ):
            raise ClientError(EMAIL_TAKEN)
        Client.update(**values).where(Client.id == client.id).execute()
    return Client.get_by_id(client.id)


def set_archived(client, archived, now=None):
    """Archive a client (hidden from lists and search, every session and request kept) or bring them back.

    An archived client may still send requests and book through the clinic's links: refusing them would
    tell a stranger typing their email that it belongs to an archived client.
    """
    archived_at = (now or utcnow()) if archived else None
    Client.update(archived_at=archived_at).where(Client.id == client.id).execute()
    client.archived_at = archived_at
    return client


def _phone_digits(text):
    """The digits of a typed phone number without a leading trunk 0 or 00, to find it inside an E.164 number."""
    return re.sub(r"\D", "", text).lstrip("0")


def search(clinic, text, archived=False):
    """The clinic's clients (not those on the waitlist) whose name or email contains `text` or whose
    phone number contains its digits, in name order; archived ones instead when `archived`.

    Without text, or with a common one, the clinic's clients are read in order on the (clinic, status, name,
    id) index until a page is full. A rarer text is found through the trigram index of migration 0022:
    on PostgreSQL the planner takes it for these `ILIKE`s by itself; on SQLite `_few_candidates` asks it first.
    """
    text = (text or "").strip()
    query = Client.select().where(
        Client.clinic == clinic,
        Client.status == ClientStatus.ACTIVE,
        Client.archived_at.is_null(not archived),
    )
    if text:
        matches = Client.name.contains(text) | Client.email.contains(text.lower())
        digits = _phone_digits(text)
        if len(digits) < MIN_PHONE_DIGITS:
            digits = None
        else:
            matches |= Client.phone.contains(digits)
        query = query.where(matches)
        candidates = _few_candidates(text, digits)
        if candidates is not None:
            query = query.where(Client.id.in_(candidates))
    return query.order_by(Client.name, Client.id)


MIN_PHONE_DIGITS = 3  # fewer digits would match most numbers
# The most clients the SQLite search reads by id; a text more common than that fills a page sooner by the name
# index (the search's own conditions stop a read of the clinic's clients once the page is full).
FEW_CANDIDATES = 500
TRIGRAM = 3  # the trigram index finds nothing shorter
# database -> whether it has the SQLite search table, asked once: a process sees an upgrade's table after a restart.
_search_tables = weakref.WeakKeyDictionary()


def _few_candidates(text, digits):
    """The ids of every client (of any clinic or status) whose name, email or phone may contain the text, when
    SQLite's trigram table finds at most FEW_CANDIDATES of them; otherwise None. A superset of the `LIKE`
    matches (the trigram table folds every letter's case, SQLite's `LIKE` only ASCII's), which the search then
    narrows with its own conditions. None too where there is no table to ask (PostgreSQL, or an SQLite without
    the trigram tokenizer)."""
    if len(text) < TRIGRAM or not _has_search_table():
        return None
    wanted = f"name : {_phrase(text)} OR email : {_phrase(text.lower())}"
    if digits:
        wanted += f" OR phone : {_phrase(digits)}"
    rows = database.execute_sql(
        "SELECT rowid FROM client_search WHERE client_search MATCH ? LIMIT ?", (wanted, FEW_CANDIDATES + 1)
    ).fetchall()
    return [row[0] for row in rows] if len(rows) <= FEW_CANDIDATES else None


def _has_search_table():
    """Whether this is an SQLite with the search table of migration 0022."""
    if is_postgres():
        return False
    if database.obj not in _search_tables:
        _search_tables[database.obj] = database.table_exists("client_search")
    return _search_tables[database.obj]


def forget_searched_text():
    """Rewrite SQLite's search table without what changed or deleted clients left in it. A change or a deletion
    only marks a client's old trigrams as gone; the older parts of the index keep them until merged, so an erased
    client's name could still be read from the file. About a second at 100,000 clients: for erasure and the
    retention purge. (PostgreSQL's index forgets them with the rows' old versions, when the table is vacuumed.)"""
    if _has_search_table():
        database.execute_sql("INSERT INTO client_search (client_search) VALUES ('optimize')")


def _phrase(text):
    """`text` as one FTS5 phrase: with the trigram tokenizer, it matches where it occurs as a substring."""
    return '"' + text.replace('"', '""') + '"'


def resolve_link_requests():
    """Queue the dashboard-link email of every waiting request to each clinic account with its address (or
    nothing), and forget the address. Each request is looked up once, whichever worker takes it."""
    with database.atomic():
        query = DashboardLinkRequest.select().order_by(DashboardLinkRequest.id)
        if is_postgres():
            query = query.for_update(skip_locked=True)
        waiting = list(query)
        for asked in waiting:
            for client in Client.select().where(Client.email == asked.email):
                outbox.queue(
                    client.email,
                    "dashboard_link",
                    _l("Your link to your sessions with %(clinic)s", clinic=outbox.shown_name(client.clinic)),
                    client.language or client.clinic.default_language,
                    client=client,
                    clinic=client.clinic,
                )
        if waiting:
            DashboardLinkRequest.delete().where(DashboardLinkRequest.id.in_([a.id for a in waiting])).execute()

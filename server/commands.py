"""The app's commands under `frontdesk` (DESIGN.md, "The command line": a contract that docs and
scripts rely on). They live on `app.cli`, so the app needs no import of the entry point (cli.py)."""

import json
import time

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import with_appcontext

from . import appointments, calendar_sync, clinics, db, demo, hubs, privacy, refusals, reminders, snippets, team, urls
from .mail import delivery
from .models import Clinic, Hub, Professional
from .states import HubMode, Role


@click.group()
def commands():
    """The app's own commands, added to `app.cli` so that tests reach them through app.test_cli_runner()."""


def init_app(app):
    for command in commands.commands.values():
        app.cli.add_command(command)


def _clinic(slug):
    clinic = Clinic.get_or_none(Clinic.slug == slug)
    if clinic is None:
        raise click.ClickException(f"no clinic with the slug {slug!r}")
    return clinic


def _owner(clinic):
    return clinic.professionals.where(Professional.role == Role.OWNER).order_by(Professional.id).first()


def _hub(clinic, name=None):
    hub = clinic.hubs.where(Hub.name == name) if name else clinic.hubs
    hub = hub.order_by(Hub.id).first()
    if hub is None:
        raise click.ClickException(f"{clinic.slug} has no hub named {name!r}" if name else f"{clinic.slug} has no hub")
    return hub


def _clinic_links(clinic):
    info = {
        "slug": clinic.slug,
        "request_link": urls.request_link(clinic),
        "booking_link": urls.booking_link(_owner(clinic)),
        "workstation_url": urls.external_url("workstation.login"),
    }
    hub = clinic.hubs.order_by(Hub.id).first()
    if hub is not None:
        info["hub_link"] = urls.hub_link(hub)
    return info


@commands.command("demo")
@click.option("--json", "as_json", is_flag=True, help="Print the links and login as JSON.")
@with_appcontext
def demo_command(as_json):
    """Create the demo clinic if there is none, and print its links and login."""
    clinic = demo.ensure_demo()
    info = dict(_clinic_links(clinic), login={"email": demo.OWNER_EMAIL, "password": demo.OWNER_PASSWORD})
    if as_json:
        click.echo(json.dumps(info))
        return
    click.echo(f"Demo clinic:     {clinic.name}")
    click.echo(f"Request link:    {info['request_link']}")
    click.echo(f"Booking link:    {info['booking_link']}")
    click.echo(f"Hub page:        {info['hub_link']}")
    click.echo(f"Workstation:     {info['workstation_url']}")
    click.echo(f"Login:           {demo.OWNER_EMAIL} / {demo.OWNER_PASSWORD}")


@commands.group("clinic")
def clinic_group():
    """Clinics."""


@clinic_group.command("create")
@click.option("--name", required=True)
@click.option("--owner-email", required=True)
@click.option("--owner-password", required=True)
@click.option("--owner-name", help="The owner's name as clients and colleagues see it.")
@click.option("--timezone", default="Europe/London", show_default=True, help="An IANA timezone name.")
@click.option("--country", default="GB", show_default=True, help="Two-letter code; phone numbers are read in it.")
@click.option("--currency", default="GBP", show_default=True, help="Three-letter code of fees and charges.")
@click.option("--language", default="en", show_default=True, help="The clinic's default language.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def clinic_create(name, owner_email, owner_password, owner_name, timezone, country, currency, language, as_json):
    """Create a clinic with its owner's workstation login."""
    try:
        clinic = clinics.create_clinic(
            name,
            owner_email,
            owner_password,
            owner_name=owner_name,
            timezone=timezone,
            country=country,
            currency=currency,
            language=language,
        )
    except clinics.ClinicError as error:
        raise click.ClickException(str(error)) from None
    info = _clinic_links(clinic)
    click.echo(json.dumps(info) if as_json else "\n".join(f"{k}: {v}" for k, v in info.items()))


@commands.group("member")
def member_group():
    """A clinic's team."""


@member_group.command("invite")
@click.argument("slug")
@click.option("--email", required=True, help="Where the invitation goes.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PROFESSIONAL.value, show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"email", "role", "invitation_link"}.')
@with_appcontext
def member_invite(slug, email, role, as_json):
    """Invite a colleague to a clinic's team: the invitation email is queued (send it with send-mail)."""
    clinic = _clinic(slug)
    try:
        address = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise click.ClickException(f"{email!r} is not a valid email address") from None
    try:
        invitation = team.invite(clinic, None, address, role)
    except team.TeamError as error:
        raise click.ClickException(str(refusals.TEAM[error.code])) from None
    info = {"email": invitation.email, "role": invitation.role, "invitation_link": urls.invitation_link(invitation)}
    click.echo(json.dumps(info) if as_json else "\n".join(f"{k}: {v}" for k, v in info.items()))


@commands.command("link")
@click.argument("kind", type=click.Choice(["request", "booking", "hub"]))
@click.argument("slug")
@click.option("--hub", "hub_name", help="Which hub (by name); without it, the clinic's first hub.")
@with_appcontext
def link_command(kind, slug, hub_name):
    """Print a clinic's current link: its request form, its owner's booking calendar, or a hub's page."""
    clinic = _clinic(slug)
    if kind == "request":
        click.echo(urls.request_link(clinic))
    elif kind == "booking":
        click.echo(urls.booking_link(_owner(clinic)))
    else:
        click.echo(urls.hub_link(_hub(clinic, hub_name)))


@commands.group("hub")
def hub_group():
    """Wellbeing Hubs."""


@hub_group.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The hub's name, shown on its page.")
@click.option(
    "--member",
    "members",
    multiple=True,
    metavar="EMAIL[:request]",
    help="A professional of the clinic to list (repeat for several); ':request' takes requests only.",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"id", "name", "hub_link"}.')
@with_appcontext
def hub_create(slug, name, members, as_json):
    """Create a Wellbeing Hub for a clinic, with its members, and print its link."""
    clinic = _clinic(slug)
    chosen = []
    for member in members:
        email, _, mode = member.partition(":")
        professional = clinic.professionals.where(Professional.email == email.strip().lower()).first()
        if professional is None:
            raise click.ClickException(f"{slug} has no professional with the email {email!r}")
        if mode not in ("", HubMode.REQUESTS_ONLY, HubMode.CALENDAR):
            raise click.ClickException(f"unknown member mode {mode!r}; use EMAIL or EMAIL:request")
        chosen.append((professional, mode or HubMode.CALENDAR))
    try:
        with db.database.atomic():
            hub = hubs.create_hub(clinic, name)
            for professional, mode in chosen:
                hubs.add_member(hub, professional, mode)
    except hubs.HubError as error:
        raise click.ClickException(str(error)) from None
    info = {"id": hub.id, "name": hub.name, "hub_link": urls.hub_link(hub)}
    click.echo(json.dumps(info) if as_json else info["hub_link"])


@commands.command("snippet")
@click.argument("kind", type=click.Choice(list(snippets.KINDS)))
@click.argument("slug")
@click.option("--label", help="The popup button's text.")
@click.option("--color", help=f"The popup button's colour, like {snippets.DEFAULT_COLOR}.")
@with_appcontext
def snippet_command(kind, slug, label, color):
    """Print the snippet that puts a clinic's request form on a website (or its link, for an email)."""
    try:
        click.echo(snippets.request_form(kind, _clinic(slug), label=label, color=color))
    except snippets.BadSnippet as error:
        raise click.ClickException(str(error)) from None


@commands.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep delivering as messages arrive.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between passes with --watch.")
@with_appcontext
def send_mail_command(watch, interval):
    """Release the holds nobody confirmed in time and queue the reminders now due, then deliver the outbox.
    With --watch, a database outage is waited out: the pass is tried again."""
    while True:
        try:
            appointments.release_lapsed_holds()
            reminders.queue_due()
            sent, failed = delivery.deliver_due(current_app)
        except db.UNAVAILABLE as error:
            if not watch:
                raise
            click.echo(f"database unavailable ({type(error).__name__}); trying again in {interval:g} s", err=True)
            db.release()
            time.sleep(interval)
            continue
        if sent or failed or not watch:
            click.echo(f"sent {sent}, failed {failed}" + (" (will retry)" if failed else ""))
        if not watch:
            if failed:
                raise SystemExit(1)
            return
        time.sleep(interval)


@commands.command("sync-calendars")
@click.option("--watch", is_flag=True, help="Keep syncing, a pass every --interval seconds.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between passes with --watch.")
@with_appcontext
def sync_calendars_command(watch, interval):
    """Fetch the professionals' external calendars that are due (each every 15 minutes) and store their busy
    times. Prints counts only: a calendar's address is a secret and never reaches a log."""
    policy = calendar_sync.policy(current_app.config)
    while True:
        try:
            fetched, failed = calendar_sync.sync_due(policy)
        except db.UNAVAILABLE as error:
            if not watch:
                raise
            click.echo(f"database unavailable ({type(error).__name__}); trying again in {interval:g} s", err=True)
        else:
            if fetched or failed or not watch:
                click.echo(f"synced {fetched} calendar(s), {failed} failed")
        if not watch:
            return
        db.release()
        time.sleep(interval)


@commands.command("purge")
@click.option("--watch", is_flag=True, help="Keep purging, once every --interval seconds.")
@click.option("--interval", default=86400.0, show_default=True, help="Seconds between passes with --watch.")
@with_appcontext
def purge_command(watch, interval):
    """Apply every clinic's retention periods: delete old declined requests, empty old email bodies."""
    while True:
        try:
            requests, clients, bodies = privacy.purge()
        except db.UNAVAILABLE as error:
            if not watch:
                raise
            click.echo(f"database unavailable ({type(error).__name__}); trying again in {interval:g} s", err=True)
            db.release()
        else:
            click.echo(f"deleted {requests} request(s) and {clients} client(s); emptied {bodies} email(s)")
        if not watch:
            return
        db.release()
        time.sleep(interval)


@commands.group("db")
def db_group():
    """The database."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply migrations that have not run yet."""
    applied = db.upgrade()
    click.echo(f"applied {len(applied)} migration(s)" if applied else "the database is up to date")

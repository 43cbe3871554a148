"""The app's commands under `frontdesk` (DESIGN.md, "The command line": a contract that docs and
scripts rely on). They live on `app.cli`, so the app needs no import of the entry point (cli.py)."""

import json
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from . import clinics, db, demo, reminders, snippets, urls
from .mail import delivery
from .models import Clinic, Hub, Professional


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
    return clinic.professionals.where(Professional.is_owner).order_by(Professional.id).first()


def _hub(clinic):
    hub = clinic.hubs.order_by(Hub.id).first()
    if hub is None:
        raise click.ClickException(f"{clinic.slug} has no hub")
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
@click.option("--timezone", default="Europe/London", show_default=True, help="An IANA timezone name.")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def clinic_create(name, owner_email, owner_password, timezone, as_json):
    """Create a clinic with its owner's workstation login."""
    try:
        clinic = clinics.create_clinic(name, owner_email, owner_password, timezone=timezone)
    except clinics.ClinicError as error:
        raise click.ClickException(str(error)) from None
    info = _clinic_links(clinic)
    click.echo(json.dumps(info) if as_json else "\n".join(f"{k}: {v}" for k, v in info.items()))


@commands.command("link")
@click.argument("kind", type=click.Choice(["request", "booking", "hub"]))
@click.argument("slug")
@with_appcontext
def link_command(kind, slug):
    """Print a clinic's current link: its request form, its owner's booking calendar, or its hub page."""
    clinic = _clinic(slug)
    if kind == "request":
        click.echo(urls.request_link(clinic))
    elif kind == "booking":
        click.echo(urls.booking_link(_owner(clinic)))
    else:
        click.echo(urls.hub_link(_hub(clinic)))


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
    """Queue the reminders now due, then deliver the outbox. With --watch, a database outage is waited out:
    the pass is tried again."""
    while True:
        try:
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


@commands.group("db")
def db_group():
    """The database."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply migrations that have not run yet."""
    applied = db.upgrade()
    click.echo(f"applied {len(applied)} migration(s)" if applied else "the database is up to date")

"""The `frontdesk` command: the app's own commands (commands.py, found on `app.cli`), Flask's `run`,
and `serve`, the production command, so that an installed Frontdesk needs no checkout or Makefile."""

import os

import click
from flask.cli import FlaskGroup

from . import commands, config, create_app, serve


@click.group(cls=FlaskGroup, create_app=create_app, load_dotenv=False, add_version_option=False)
@click.version_option(package_name="frontdesk", prog_name="frontdesk")
def main():
    """Frontdesk: the front desk of a therapy or counselling practice."""


@main.command("serve")
@click.option("--bind", default="127.0.0.1:5000", show_default=True, help="HOST:PORT for gunicorn.")
@click.option(
    "--workers", type=int, default=serve.DEFAULT_WORKERS, show_default="2 x cores + 1", help="gunicorn's sync workers."
)
@click.pass_context
def serve_command(ctx, bind, workers):
    """Production: migrate, then gunicorn and `frontdesk send-mail --watch`, started and stopped together.

    Production mode unless FRONTDESK_ENV says otherwise, so a missing setting stops it before anything
    runs. When either process stops, or on Ctrl-C / SIGTERM, both stop and the exit status says why."""
    os.environ.setdefault("FRONTDESK_ENV", "production")
    config.main()
    ctx.invoke(commands.db_upgrade)
    raise SystemExit(serve.run_together(serve.command_lines(bind, workers)))

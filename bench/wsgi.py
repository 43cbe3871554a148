"""The app under benchmark: frontdesk:create_app() plus two routes that live here, not in server/, so
production has neither:

- /bench/bare touches neither the database nor a template: the baseline bench/http_ratio.py divides by;
- /bench/floor is the least a real page does: one row read through peewee and the error page's layout
  rendered. It shows how much of a page's cost is the stack itself, before any of Frontdesk's work.

    gunicorn 'bench.wsgi:app'
"""

from frontdesk import create_app
from frontdesk.errors import render_error
from frontdesk.models import Clinic


def bench_bare():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


def bench_floor():
    clinic = Clinic.select().first()
    return render_error(200, title=clinic.name, detail=clinic.slug)


def add_bench_routes(app):
    """The two routes, on any app (bench/external_calendars.py adds them to its in-process one)."""
    app.add_url_rule("/bench/bare", view_func=bench_bare)
    app.add_url_rule("/bench/floor", view_func=bench_floor)


app = create_app()
add_bench_routes(app)

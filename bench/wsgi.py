"""The app under benchmark: server:create_app() plus one bare route, /bench/bare, that touches neither
the database nor a template. It is the baseline that bench/http_ratio.py divides by; it lives here,
not in server/, so production has no such route.

    gunicorn 'bench.wsgi:app'
"""
from server import create_app

app = create_app()


@app.route("/bench/bare")
def bench_bare():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

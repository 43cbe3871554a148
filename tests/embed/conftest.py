"""Embed fixtures: the app served over HTTP on http://127.0.0.1:<port>, clinic websites on
http://localhost:<port> (another origin, and another site, as a real clinic's website is) that paste
the snippets, and Chromium driven by Playwright.

The app comes from the `app` fixture, so every test here runs on SQLite and, when
FRONTDESK_TEST_DATABASE_URL is set, again on PostgreSQL. Chromium is the system's /usr/bin/chromium;
where it or the playwright package is missing the tests skip with the reason, except under CI=true,
where they fail.
"""

import http.server
import pathlib
import threading
import time

import pytest

from tests.conftest import DESKTOP, PHONE, launch_chromium  # noqa: F401  (tests import the sizes from here)

# Chromium's switch that blocks third-party cookies as browsers do by default now.
BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"
ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "embed"
EMBED_JS = ROOT / "widget" / "embed.js"


HOST_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbour Counselling – Contact us</title>
<style>
  body {{ margin: 0; font: 17px/1.6 Georgia, serif; color: #2b2b2b; background: #faf7f2; }}
  header {{ background: #35524a; color: #fff; padding: 1rem 1.25rem; }}
  header p {{ margin: 0; font-size: 1.4rem; }}
  main {{ max-width: 46rem; margin: 0 auto; padding: 1rem; }}
  footer {{ padding: 1rem 1.25rem; color: #555; }}
</style>
<script>
  // What the clinic's own page hears: every frontdesk:* event, with the embed it came from, and
  // every message posted to the window.
  window.heard = [];
  window.messages = [];
  window.addEventListener("message", function (event) {{ window.messages.push(event.data); }});
  ["submitted", "booked", "cancelled", "rescheduled"].forEach(function (type) {{
    document.addEventListener("frontdesk:" + type, function (event) {{
      window.heard.push({{type: event.type, detail: event.detail, embed: event.target.closest("section").id}});
    }});
  }});
  window.globalsBefore = Object.keys(window);
</script>
</head>
<body>
<header><p>Harbour Counselling</p></header>
<main>
  <h1>Ask for an appointment</h1>
  <p>Fill in the form and we will get back to you within two working days.</p>
  {body}
</main>
<footer>Harbour Counselling · 12 Harbour Street</footer>
</body>
</html>
"""


class Website:
    """A clinic's own website at http://localhost:<port>, serving the pages a test gives it: the one
    host-website server of the browser and embed tests."""

    def __init__(self):
        pages = self.pages = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, format, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://localhost:{self.server.server_port}"
        # A short poll interval: stopping the server waits for the next poll, half a second by default.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name="website", daemon=True
        )
        self.thread.start()

    def page(self, body, path="/contact.html"):
        """Publish a page with `body` (snippets and all) in the clinic's layout; returns its address."""
        return self.publish(HOST_PAGE.format(body=body), path)

    def publish(self, document, path):
        """Publish a whole HTML document at `path`; returns its address."""
        self.pages[path] = document
        return self.origin + path

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def website(live_server):
    """The clinic's website, on another origin than the app."""
    site = Website()
    yield site
    site.stop()


@pytest.fixture
def stranger_website(live_server):
    """Somebody else's website, which the clinic never listed."""
    site = Website()
    yield site
    site.stop()


class Visit:
    """One person's browser tab, with what its console said."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.console = []
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))

    def warnings(self):
        return [text for kind, text in self.console if kind == "warning"]


@pytest.fixture
def visit(chromium):
    """A fresh browser tab (its own cookies and storage) at desktop width."""
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    yield Visit(context)
    context.close()


@pytest.fixture
def screenshot():
    """Save a screenshot of a page or an element as test-output/embed/<name>.png, for people to look
    at after a run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(target, name, full_page=True):
        path = str(SCREENSHOTS / f"{name}.png")
        if hasattr(target, "goto"):
            target.screenshot(path=path, full_page=full_page)
        else:
            target.screenshot(path=path)

    return save


def frame_of(page, selector="iframe"):
    """The Playwright Frame inside the iframe that `selector` finds on the host page."""
    return page.locator(selector).element_handle().content_frame()


def settled_height(page, selector="iframe", timeout=10.0):
    """Wait until the iframe is as tall as its document (within 3 px) and stays so; returns both."""
    deadline = time.monotonic() + timeout
    frame = frame_of(page, selector)
    last = None
    while True:
        frame.wait_for_load_state()
        heights = (
            page.locator(selector).evaluate("f => f.getBoundingClientRect().height"),
            frame.evaluate("document.documentElement.getBoundingClientRect().height"),
        )
        if abs(heights[0] - heights[1]) <= 3 and heights == last:
            return heights
        if time.monotonic() > deadline:
            return heights
        last = heights
        time.sleep(0.1)

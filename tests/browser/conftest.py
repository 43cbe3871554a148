"""Browser fixtures: the real app served over HTTP, a clinic website on another origin that frames it,
and a Chromium page driven by Playwright.

The app comes from the `app` fixture, so every browser test runs on SQLite and, when
FRONTDESK_TEST_DATABASE_URL is set, again on PostgreSQL. Chromium is the system's (/usr/bin/chromium,
Debian package `chromium`); where it or the `playwright` package is missing the tests skip with the
reason, except under CI=true, where they fail.
"""

import html
import pathlib

import pytest
from frontdesk import urls

from tests.conftest import DESKTOP, PHONE  # noqa: F401  (tests import the sizes from here)
from tests.embed.conftest import Website

# Screenshots land here (gitignored), for people to look at after a run.
OUTPUT = pathlib.Path(__file__).resolve().parents[2] / "test-output" / "browser"


class HostSite:
    """A clinic's own website on a different origin (http://localhost:<port>) that embeds the
    clinic's request link in a plain <iframe>, as the "plain iframe" snippet does; `embed` adds
    pages that frame any other address (a manage link, a booking page)."""

    def __init__(self, clinic_name, request_link):
        self.website = Website()
        self.origin = self.website.origin
        self.clinic_name = clinic_name
        self.request_link = request_link
        self.url = self.embed(
            request_link,
            "index",
            "Ask for an appointment",
            "Fill in the form below and we will get back to you within two working days.",
            f"Request a service from {clinic_name}",
        )

    def embed(self, src, name, heading="Your sessions", intro="", frame_title="Your session"):
        """A page of the site at /<name>.html that frames `src`; returns its address."""
        return self.website.publish(
            HOST_PAGE.format(
                clinic=html.escape(self.clinic_name),
                src=html.escape(src, quote=True),
                heading=html.escape(heading),
                intro=html.escape(intro),
                frame_title=html.escape(frame_title, quote=True),
            ),
            f"/{name}.html",
        )

    def stop(self):
        self.website.stop()


HOST_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{clinic} – Contact us</title>
<style>
  body {{ margin: 0; font: 17px/1.6 Georgia, serif; color: #2b2b2b; background: #faf7f2; }}
  header {{ background: #35524a; color: #fff; padding: 1rem 1.25rem; }}
  header h1 {{ margin: 0; font-size: 1.4rem; }}
  main {{ max-width: 46rem; margin: 0 auto; padding: 1rem; }}
  iframe {{ display: block; width: 100%; height: 1700px; border: 0; }}
  footer {{ padding: 1rem 1.25rem; color: #555; }}
</style>
</head>
<body>
<header><h1>{clinic}</h1></header>
<main>
  <h2>{heading}</h2>
  <p>{intro}</p>
  <iframe src="{src}" title="{frame_title}"></iframe>
</main>
<footer>{clinic} · 12 Harbour Street</footer>
</body>
</html>
"""


@pytest.fixture
def host_site(live_server, clinic):
    """The clinic's website, framing its request form."""
    site = HostSite(clinic.name, urls.request_link(clinic))
    yield site
    site.stop()


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of a page (or an element) as test-output/browser/<name>.png."""
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def save(target, name, full_page=True):
        path = OUTPUT / f"{name}.png"
        if not hasattr(target, "viewport_size"):  # a Locator (which has frame_locator too, but no viewport)
            target.screenshot(path=str(path))
        elif not full_page:
            target.screenshot(path=str(path))
        else:
            # Chromium paints a cross-origin iframe only where the viewport is, so a full-page shot of
            # a host page would show the frame blank below the fold: make the viewport the page's height.
            size = target.viewport_size
            height = target.evaluate("Math.ceil(document.documentElement.scrollHeight)")
            target.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
            try:
                target.screenshot(path=str(path))
            finally:
                target.set_viewport_size(size)
        return path

    return save

"""A request-form page load is light and private: at most 20 KB gzipped in all, everything from this
server, and what may be cached is cached for good. The loader on clinics' websites, /embed.js as it is
served (minified by the asset build), is at most 1,500 bytes on the wire."""

import gzip
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `chromium` fixture skips every test with the reason (or fails under CI=true)
    expect = None

from frontdesk import urls

BUDGET = 20 * 1024
EMBED_BUDGET = 1500


def test_the_served_embed_js_is_at_most_1500_bytes_gzipped(client):
    """The loader goes on every page of a clinic's website."""
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert len(gzip.compress(response.get_data(), 9)) <= EMBED_BUDGET


@pytest.mark.browser
def test_the_request_form_loads_at_most_20_kb_gzipped_all_from_this_server(live_server, clinic, visit):
    page = visit.page
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(urls.request_link(clinic))
    expect(page.get_by_role("heading", name="Request a service")).to_be_visible()
    page.wait_for_load_state("networkidle")

    hosts = {urlsplit(r.url).netloc for r in responses if not r.url.startswith("data:")}
    assert hosts == {urlsplit(live_server.url).netloc}
    sizes = {urlsplit(r.url).path: len(gzip.compress(r.body(), 9)) for r in responses}
    assert sum(sizes.values()) <= BUDGET, sizes
    assets = [r for r in responses if r.request.resource_type in ("stylesheet", "script")]
    assert {r.request.resource_type for r in assets} == {"stylesheet", "script"}
    for response in assets:
        assert "/static/gen/" in response.url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"

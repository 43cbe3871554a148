"""Rendered public pages kept in the worker's memory, so the most frequent request (an embedded request
form, shown on every page view of a clinic's website) costs one query and no template.

A page is kept under its address (the link, which names the clinic and its link version, and the query
string), its language, and the clinic's pages version (Clinic.pages_version, read in the one query the
page makes anyway, raised by every settings change in the change's own transaction: see
clinic_settings.pages_changed). So every worker serves the new page from the first request after a change,
without telling each other anything. What differs per view (the form token) is never kept: the page is
kept with a slot where the token goes, and each response gets its own. Headers are not kept either: they
are set per response (security.py), framing from the clinic's current allowed websites.

A booking calendar and a manage page are kept the same way, under all they are rendered from: see
client/booking_pages.py and client/manage.py. Each app has its own cache (a test's fresh database never
meets another's pages), of at most SIZE characters, the least recently served going first.
"""

import secrets
import threading
from collections import OrderedDict

from flask import current_app, request
from flask_babel import get_locale

# Characters of pages kept per worker process: a request form is about 10,000, a booking calendar of a few
# hundred free times about 30,000 (the bench's 1,300: 100,000), so this stays near 20 MB a worker.
SIZE = 10_000_000
# Lists of rows kept per worker process (kept_rows): a clinic's services or questions, a professional's services.
ROWS = 10_000


class PageCache:
    def __init__(self, size=SIZE, rows=ROWS):
        self.size = size
        self.pages = OrderedDict()  # key: (page, the instant it goes out of date, or None)
        self.chars = 0
        self.rows = OrderedDict()  # key: list of rows
        self.most_rows = rows
        self.lock = threading.Lock()
        # Stands in for the form token in a kept page: random, so no clinic's text can contain it.
        self.slot = "form-token-slot-" + secrets.token_hex(16)

    def get(self, key, now=None):
        """The kept page, or None when there is none or it went out of date by `now`."""
        with self.lock:
            kept = self.pages.get(key)
            if kept is None or (kept[1] is not None and now >= kept[1]):
                return None
            self.pages.move_to_end(key)
            return kept[0]

    def put(self, key, page, until=None):
        with self.lock:
            old = self.pages.pop(key, None)
            self.chars += len(page) - (len(old[0]) if old else 0)
            self.pages[key] = (page, until)
            while self.chars > self.size:
                self.chars -= len(self.pages.popitem(last=False)[1][0])

    def kept(self, key, read):
        with self.lock:
            if key in self.rows:
                self.rows.move_to_end(key)
                return self.rows[key]
        rows = read()
        with self.lock:
            self.rows[key] = rows
            if len(self.rows) > self.most_rows:
                self.rows.popitem(last=False)
        return rows


def init_app(app):
    app.extensions["page_cache"] = PageCache()


def row_key(row):
    """Everything a row read for this request holds, as part of a kept page's key (None for no row)."""
    return row and repr(sorted(row.__data__.items()))


def _key(*versions):
    return (request.host, request.path, request.query_string, str(get_locale()), *versions)


def cached_page(version, render, form_token):
    """This request's page: kept or rendered now, with `form_token` put in.

    `version` is what the page was rendered from (a request form: the clinic's pages version), read in
    the queries the request makes anyway; `render(slot)` renders the page with `slot` wherever the form
    token (or another value signed per view) goes."""
    cache = current_app.extensions["page_cache"]
    key = _key(version)
    page = cache.get(key)
    if page is None:
        page = render(cache.slot)
        cache.put(key, page)
    return page.replace(cache.slot, form_token)


def page_until(versions, render, now):
    """This request's page, kept or rendered now, for a page with no form token that also goes out of date
    by the clock (a booking calendar).

    `versions` are whatever the page was rendered from, read in the queries the request makes anyway;
    `render()` returns (page, the instant until which it stays true with those versions unchanged)."""
    cache = current_app.extensions["page_cache"]
    key = _key(*versions)
    page = cache.get(key, now)
    if page is None:
        page, until = render()
        cache.put(key, page, until)
    return page


def kept_rows(clinic, what, read):
    """The rows a public form is made from (`what`: a clinic's services, its questions), kept like its page under
    the clinic's pages version, which every change to them raises: the form's POST then reads them no more than
    its kept GET does. `read()` reads them when they are not kept. Every request of the worker shares the rows,
    so none may change them."""
    return current_app.extensions["page_cache"].kept((what, clinic.id, clinic.pages_version), read)

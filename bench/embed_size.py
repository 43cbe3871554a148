"""What widget/embed.js costs a clinic's website, beside the embed scripts it is compared with.

Run: `make bench` (or `.venv/bin/python bench/embed_size.py`). embed.js is measured as the app serves
it at /embed.js (minified by the asset build), frame.js as the same minifier ships it inside the client
pages' bundle; both gzipped at level 9. The anchors are the published, already minified browser builds,
gzipped the same way (`gzip -9c FILE | wc -c`) from the npm packages named beside them; they are
written down here because benchmarks never reach the network. Exit status 1 when embed.js is over its
budget.

It also prints what a first visit to each client page transfers (the HTML and every stylesheet, script and
image it names, each gzipped at level 9, as a browser with an empty cache fetches them) and how many
requests that is, and what a repeat visit fetches again (what was not served with a long max-age: the
stylesheet and script are, under their content hash): the request form, the booking calendar, a hub page
(one member showing their calendar) and the manage page of bench/http_ratio.py's seeded clinic, fetched
through Flask's test client.
"""

import gzip
import re
import sys

from common import ROOT, SECRET, instance, make_app
from frontdesk.assets import minify_script

BUDGET = 1500

# (what, where the bytes come from, minified bytes, gzipped bytes)
ANCHORS = [
    ("Cal.com embed-core", "npm @calcom/embed-core 1.5.3, dist/embed/embed.js", 66_681, 17_228),
    ("iframe-resizer parent", "npm @iframe-resizer/parent 5.5.9, index.umd.js", 24_559, 10_362),
]


def sizes(minified):
    """(minified, gzipped) byte counts of a script as it is served."""
    return len(minified), len(gzip.compress(minified, 9))


def served_scripts():
    """The bytes of /embed.js from the app, and of frame.js through the same minifier."""
    with instance() as folder:
        app = make_app(folder)
        embed = app.test_client().get("/embed.js").get_data()
    return embed, minify_script((ROOT / "widget" / "frame.js").read_text()).encode()


# The page's own subresources: stylesheets, scripts and images it names (all from this server).
SUBRESOURCE = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="([^"]+)"')


def cached_for_good(response):
    """Whether a browser keeps this response and asks for it no more on a later visit: a long max-age."""
    match = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
    return bool(match) and int(match.group(1)) >= 86_400


def page_weights():
    """[(page, first visit, repeat visit)] for the four client pages, each visit a ({"HTML"|"CSS"|"JS"|"other":
    gzipped bytes}, requests) pair; the repeat visit fetches only what the first could not keep."""
    sys.path.insert(0, str(ROOT / "bench"))
    from frontdesk import hubs, links
    from frontdesk.models import Professional
    from http_ratio import seed

    with instance() as folder:
        app = make_app(folder)
        seeded = seed(app, 1)
        with app.app_context():
            professional = Professional.get(Professional.email == "owner@bench.example")
            hub = hubs.create_hub(professional.clinic, "Bench Hub")
            hubs.add_member(hub, professional, mode="calendar")
            hub_path = f"/h/{links.hub_token([SECRET], hub)}"
        client = app.test_client()
        pages = [
            ("request form /r/…", seeded["request"]),
            ("booking calendar /b/…", seeded["booking"].removesuffix("/book")),
            ("hub page /h/…", hub_path),
            ("manage page /m/…", seeded["manage"]),
        ]
        weights = []
        for name, path in pages:
            page = client.get(path)
            assert page.status_code == 200, (path, page.status_code)
            first = {"HTML": len(gzip.compress(page.get_data(), 9))}
            repeat = dict(first)
            addresses = SUBRESOURCE.findall(page.get_data(as_text=True))
            for address in addresses:
                kind = "CSS" if address.endswith(".css") else "JS" if address.endswith(".js") else "other"
                response = client.get(address)
                size = len(gzip.compress(response.get_data(), 9))
                first[kind] = first.get(kind, 0) + size
                if not cached_for_good(response):
                    repeat[kind] = repeat.get(kind, 0) + size
            kept = sum(1 for address in addresses if cached_for_good(client.get(address)))
            weights.append((name, (first, 1 + len(addresses)), (repeat, 1 + len(addresses) - kept)))
    return weights


def print_page_weights():
    print(f"{'page, visit':<32}{'requests':>9}{'HTML':>8}{'CSS':>8}{'JS':>8}{'total':>9}  (bytes, gzip -9)")
    for name, *visits in page_weights():
        for visit, (kinds, requests) in zip(("first", "repeat"), visits):
            total = sum(kinds.values())
            print(
                f"{name + ', ' + visit:<32}{requests:>9}{kinds['HTML']:>8,}{kinds.get('CSS', 0):>8,}"
                f"{kinds.get('JS', 0):>8,}{total:>9,}" + (f"  (other {kinds['other']:,})" if "other" in kinds else "")
            )


def main():
    embed, frame = served_scripts()
    (embed_min, embed_gz), (frame_min, frame_gz) = sizes(embed), sizes(frame)
    print(f"{'script':<24}{'minified':>10}{'gzipped':>10}  {'× embed.js':>10}  source")
    print(
        f"{'widget/embed.js':<24}{embed_min:>10,}{embed_gz:>10,}  {1:>10.1f}  this repository "
        f"(budget {BUDGET:,} gzipped: {'ok' if embed_gz <= BUDGET else 'OVER'})"
    )
    for name, source, minified, gzipped in ANCHORS:
        print(f"{name:<24}{minified:>10,}{gzipped:>10,}  {gzipped / embed_gz:>10.1f}  {source}")
    print(
        f"{'widget/frame.js':<24}{frame_min:>10,}{frame_gz:>10,}  {frame_gz / embed_gz:>10.1f}  "
        "this repository (inside the frame, on the clinic's client pages)"
    )
    print()
    print_page_weights()
    return 0 if embed_gz <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())

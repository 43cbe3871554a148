"""What widget/embed.js costs a clinic's website, beside the embed scripts it is compared with.

Run: `make bench` (or `.venv/bin/python bench/embed_size.py`). embed.js is measured as the app serves
it at /embed.js (minified by the asset build), frame.js as the same minifier ships it inside the client
pages' bundle; both gzipped at level 9. The anchors are the published, already minified browser builds,
gzipped the same way (`gzip -9c FILE | wc -c`) from the npm packages named beside them; they are
written down here because benchmarks never reach the network. Exit status 1 when embed.js is over its
budget.

It also prints what a first visit to each client page transfers (the HTML and every stylesheet, script and
image it names, each gzipped at level 9, as a browser with an empty cache fetches them) and how many
requests that is: the request form, the booking calendar and the manage page of bench/http_ratio.py's
seeded clinic, fetched through Flask's test client.
"""

import gzip
import re
import sys

from common import ROOT, instance, make_app
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


def page_weights():
    """[(page, {"HTML"|"CSS"|"JS"|"other": gzipped bytes}, requests)] for the three client pages."""
    sys.path.insert(0, str(ROOT / "bench"))
    from http_ratio import seed

    with instance() as folder:
        app = make_app(folder)
        seeded = seed(app, 1)
        client = app.test_client()
        pages = [
            ("request form /r/…", seeded["request"]),
            ("booking calendar /b/…", seeded["booking"].removesuffix("/book")),
            ("manage page /m/…", seeded["manage"]),
        ]
        weights = []
        for name, path in pages:
            html = client.get(path).get_data()
            kinds = {"HTML": len(gzip.compress(html, 9))}
            addresses = SUBRESOURCE.findall(html.decode())
            for address in addresses:
                kind = "CSS" if address.endswith(".css") else "JS" if address.endswith(".js") else "other"
                body = client.get(address).get_data()
                kinds[kind] = kinds.get(kind, 0) + len(gzip.compress(body, 9))
            weights.append((name, kinds, 1 + len(addresses)))
    return weights


def print_page_weights():
    print(f"{'first visit':<24}{'requests':>9}{'HTML':>8}{'CSS':>8}{'JS':>8}{'total':>9}  (bytes, gzip -9)")
    for name, kinds, requests in page_weights():
        total = sum(kinds.values())
        print(
            f"{name:<24}{requests:>9}{kinds['HTML']:>8,}{kinds.get('CSS', 0):>8,}{kinds.get('JS', 0):>8,}"
            f"{total:>9,}" + (f"  (other {kinds['other']:,})" if "other" in kinds else "")
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

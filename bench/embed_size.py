"""What widget/embed.js costs a clinic's website, beside the embed scripts it is compared with.

Run: `make bench` (or `.venv/bin/python bench/embed_size.py`). embed.js is measured as the app serves
it at /embed.js (minified by the asset build), frame.js as the same minifier ships it inside the client
pages' bundle; both gzipped at level 9. The anchors are the published, already minified browser builds,
gzipped the same way (`gzip -9c FILE | wc -c`) from the npm packages named beside them; they are
written down here because benchmarks never reach the network. Exit status 1 when embed.js is over its
budget.
"""

import gzip
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
    return 0 if embed_gz <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())

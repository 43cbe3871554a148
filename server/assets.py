"""Stylesheets and scripts, minified and content-hashed by webassets.

Pages name the hashed files, so they can be cached for a year: a change makes a new name. One file
cannot be renamed: widget/embed.js, which clinics load from their websites through a pasted snippet.
It is also served at /embed.js for an hour, so a new version reaches every website soon, unpasted.
Scripts are written readable (ES5) and minified here, by the build: nothing is minified by hand.
"""

import os

from calmjs.parse import es5
from calmjs.parse.unparsers.es5 import minify_print
from flask import request, send_from_directory
from webassets import Bundle, Environment
from webassets.filter import Filter

from . import package_data

WIDGET = package_data.directory("widget")


def minify_script(source):
    """The shipped form of an ES5 script: no comments or spaces, and local names shortened, which keeps
    embed.js within its budget on clinics' websites while its source keeps names a reader understands."""
    return minify_print(es5(source), obfuscate=True, drop_semi=True)


class ScriptMinifier(Filter):
    """minify_script as a webassets filter, so that the asset build makes the bytes that are served."""

    name = "frontdesk_js"

    def output(self, _in, out, **kwargs):
        out.write(minify_script(_in.read()))


# name: (source files under server/static or widget/, minifier, output with its content hash)
BUNDLES = {
    "client_css": (["css/base.css", "css/client.css"], "rcssmin", "gen/client.%(version)s.css"),
    # Client pages' own script and widget/frame.js, which talks to the website framing them: one file.
    "client_js": (["js/client.js", os.path.join(WIDGET, "frame.js")], ScriptMinifier, "gen/client.%(version)s.js"),
    "workstation_css": (["css/base.css", "css/workstation.css"], "rcssmin", "gen/workstation.%(version)s.css"),
    "workstation_js": (["js/workstation.js"], ScriptMinifier, "gen/workstation.%(version)s.js"),
    "embed_js": ([os.path.join(WIDGET, "embed.js")], ScriptMinifier, "gen/embed.%(version)s.js"),
}

IMMUTABLE = "public, max-age=31536000, immutable"
STABLE = "public, max-age=3600"


def init_app(app):
    environment = Environment(directory=app.static_folder, url=app.static_url_path)
    environment.versions = "hash"
    environment.manifest = "file:" + app.static_folder + "/.webassets-manifest"
    environment.url_expire = False
    environment.cache = False
    for name, (sources, minifier, output) in BUNDLES.items():
        environment.register(name, Bundle(*sources, filters=minifier, output=output))
    urls = {name: environment[name].urls()[0] for name in BUNDLES}
    app.jinja_env.globals["asset_url"] = urls.__getitem__
    embed_file = urls["embed_js"][len(app.static_url_path) + 1 :]

    @app.route("/embed.js", endpoint="embed_script")
    def _embed_script():
        # The ETag is the content hash in the built file's name: the same on every server.
        response = send_from_directory(app.static_folder, embed_file, max_age=3600, etag=embed_file)
        response.headers["Cache-Control"] = STABLE
        return response

    @app.after_request
    def _cache_forever(response):
        if request.path.startswith(app.static_url_path + "/gen/") and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response

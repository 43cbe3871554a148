"""Stylesheets and scripts, minified and content-hashed by webassets.

Pages name the hashed files, so they can be cached for a year: a change makes a new name.
"""
from flask import request
from webassets import Bundle, Environment

# name: (source files under server/static, minifier, output with its content hash)
BUNDLES = {
    "client_css": (["css/base.css", "css/client.css"], "rcssmin", "gen/client.%(version)s.css"),
    "workstation_css": (["css/base.css", "css/workstation.css"], "rcssmin", "gen/workstation.%(version)s.css"),
    "workstation_js": (["js/workstation.js"], "rjsmin", "gen/workstation.%(version)s.js"),
}

IMMUTABLE = "public, max-age=31536000, immutable"


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

    @app.after_request
    def _cache_forever(response):
        if request.path.startswith(app.static_url_path + "/gen/") and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        return response

"""The one base class of every form: flask-wtf's, with hidden fields rendered without an id. Every form's
CSRF token would otherwise be id="csrf_token", repeated on every page with more than one form; no label,
link or script points at a hidden field, so it needs no id at all."""

from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta


class PageForm(FlaskForm):
    class Meta(DefaultMeta):
        def render_field(self, field, render_kw):
            if field.type in ("HiddenField", "CSRFTokenField"):
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)

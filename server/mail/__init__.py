"""Email: an outbox written in the same transaction as the change, and its delivery.

`outbox.queue()` renders a message in the recipient's language and stores it; `delivery.deliver_due()`
(the `frontdesk send-mail` command) sends what is due through one of `backends`. Headers are checked
(`headers`) before a row is stored; `ics` builds the calendar attachments and `mime` the message sent.
"""

from ..snippets import DEFAULT_COLOR
from .backends import BACKENDS


def init_app(app):
    if app.config["MAIL_BACKEND"] not in BACKENDS:
        raise RuntimeError(
            f"FRONTDESK_MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {app.config['MAIL_BACKEND']!r}"
        )
    # Email clients ignore style sheets, so the emails' buttons carry the accent inline.
    app.jinja_env.globals["accent_color"] = DEFAULT_COLOR

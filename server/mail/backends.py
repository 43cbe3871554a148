"""Where messages go (`FRONTDESK_MAIL_BACKEND`): `.eml` files under the instance folder (the default),
the console, or an SMTP server. Each backend is a send(config, message) callable."""

import contextlib
import os
import smtplib
import sys

SMTP_TIMEOUT = 30  # seconds an SMTP connection waits for the relay at each step


def _send_file(config, message):
    folder = os.path.join(config["INSTANCE_PATH"], "mail")
    os.makedirs(folder, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    with open(os.path.join(folder, f"{name}.eml"), "wb") as f:
        f.write(bytes(message))


def _send_console(config, message):
    sys.stdout.write(message.as_string() + "\n")


class _SmtpSession:
    """One SMTP connection for a whole pass of the worker, opened when the first message goes. Any
    failure drops it, so the next message starts on a fresh connection (or fails and waits its backoff
    while the server is down)."""

    def __init__(self, config):
        self.config = config
        self.smtp = None

    def __call__(self, config, message):
        try:
            if self.smtp is None:
                self.smtp = self._connect()
            self.smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def _connect(self):
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=SMTP_TIMEOUT)
        try:
            if config["SMTP_TLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self):
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


@contextlib.contextmanager
def sender(config):
    """The backend's send(config, message) for one pass, and whatever it holds open closed after."""
    if config["MAIL_BACKEND"] != "smtp":
        yield BACKENDS[config["MAIL_BACKEND"]]
        return
    session = _SmtpSession(config)
    try:
        yield session
    finally:
        session.close()


BACKENDS = {"file": _send_file, "console": _send_console, "smtp": _SmtpSession}

# What a backend raises when a message could not go this time; delivery retries it after a backoff.
SEND_ERRORS = (OSError, smtplib.SMTPException)

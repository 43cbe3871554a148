"""gunicorn's access log, with the same redaction as the development server's (server/security.py):
a signed link in a logged path is shortened so that no log holds a usable link, and a name or email
that an old embed put in a query string is left out. `frontdesk serve` names this class with
`--logger-class`; a deployment that runs gunicorn itself passes the same option."""

from gunicorn.glogging import Logger

from .security import redact_path


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_path(value) if isinstance(value, str) else value for key, value in atoms.items()}

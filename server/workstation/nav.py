"""What the navigation of every workstation page shows: the waitlist's length."""

from flask import g

from .. import team
from ..models import Request
from ..states import RequestStatus
from . import bp

# Counting stops here: every workstation page shows the count, and counting a long waitlist to the end
# would make every page slower as it grows. Beyond it the page says "more than 999".
COUNT_LIMIT = 1000


def pending_requests(clinic, member):
    """The clinic's waitlist as the member may see it, newest first (on the (clinic, status, created_at) index)."""
    query = Request.select().where(Request.clinic == clinic, Request.status == RequestStatus.PENDING)
    return team.scope(query, Request, member).order_by(Request.created_at.desc(), Request.id.desc())


@bp.app_context_processor
def waitlist_count():
    """The waitlist count shown in the navigation of every workstation page, at most COUNT_LIMIT."""
    if g.get("clinic") is None:
        return {}
    return {
        "waitlist_count": pending_requests(g.clinic, g.professional).limit(COUNT_LIMIT).count(),
        "count_limit": COUNT_LIMIT,
    }

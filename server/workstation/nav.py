"""What the navigation of every workstation page shows: the waitlist's length."""

from flask import g

from ..models import Request
from ..states import RequestStatus
from . import bp

# Counting stops here: every workstation page shows the count, and counting a long waitlist to the end
# would make every page slower as it grows. Beyond it the page says "more than 999".
COUNT_LIMIT = 1000


def pending_requests(clinic):
    """The clinic's waitlist, newest first (on the (clinic, status, created_at) index)."""
    return (
        Request.select()
        .where(Request.clinic == clinic, Request.status == RequestStatus.PENDING)
        .order_by(Request.created_at.desc(), Request.id.desc())
    )


@bp.app_context_processor
def waitlist_count():
    """The waitlist count shown in the navigation of every workstation page, at most COUNT_LIMIT."""
    if g.get("clinic") is None:
        return {}
    return {"waitlist_count": pending_requests(g.clinic).limit(COUNT_LIMIT).count(), "count_limit": COUNT_LIMIT}

"""What each audience is told when the rules refuse something: one table for clients, one for the
clinic's team, keyed by the refusal codes of booking.py. Views look a code up here and never write
the sentence themselves, so each sentence exists once and is translated once."""

from flask_babel import lazy_gettext as _l

from . import booking, roles, series

JUST_TAKEN = _l("Sorry, that time was just taken. Please choose another.")

CLIENT = {
    booking.NOT_BOOKED: _l("This session was already cancelled or rescheduled, so nothing was changed."),
    booking.STARTED: _l(
        "This session has already started or ended, so it can no longer be changed online. Please contact the clinic."
    ),
    booking.NOT_HUB: _l(
        "This session can be cancelled but not rescheduled online: only sessions booked through a Wellbeing Hub "
        "can be rescheduled. To change the time, cancel it and contact the clinic."
    ),
    booking.OVERLAP: JUST_TAKEN,
    booking.NOT_OFFERED: JUST_TAKEN,  # a time the page no longer offers, to the client as good as taken
    booking.BEYOND_HORIZON: JUST_TAKEN,
    booking.IN_THE_PAST: _l("That time has already passed. Please choose another."),
    booking.TOO_MANY_UPCOMING: _l(
        "You already have as many upcoming sessions booked online as this clinic allows. "
        "To book another, please contact the clinic."
    ),
    booking.TOO_MANY_FROM_HERE: _l(
        "Too many sessions were booked from here today, so this one was not. Please try again tomorrow or "
        "contact the clinic."
    ),
}

PROFESSIONAL = {
    booking.NOT_BOOKED: _l("This session was already cancelled or rescheduled."),
    booking.STARTED: _l("This session has ended, so it can no longer be changed."),
    booking.NOT_STARTED: _l("A no-show can only be recorded once the session has started."),
    booking.NO_SHOW_RECORDED: _l("This session is already recorded as a no-show."),
    booking.OVERLAP: _l("That time overlaps another session booked for this professional. Please choose another time."),
    booking.IN_THE_PAST: _l("That time has already passed. Please choose a time in the future."),
    booking.NONEXISTENT_TIME: _l(
        "That time does not exist on that day because the clocks change. Please choose another time."
    ),
    booking.BEYOND_HORIZON: _l("That date is too far ahead. Please choose a time within the next two years."),
    booking.BAD_DURATION: _l("This service has no valid duration. Please fix it in Settings → Services."),
}

# A series rule refused, and the mark each occurrence of a preview carries.
SERIES = {
    series.BAD_INTERVAL: _l("Please choose every 1, 2, 3 or 4 weeks."),
    series.BAD_COUNT: _l("A series has from 2 to 52 sessions."),
    series.NO_END: _l("Please give a number of sessions or a last date."),
    series.UNTIL_BEFORE_FIRST: _l("The last date must be on or after the first session."),
    series.NOTHING_CHOSEN: _l("Every session is skipped. Tick at least one to book."),
    booking.BEYOND_HORIZON: _l("The series goes too far ahead. Please end it within the next two years."),
}
SERIES_MARKS = {
    "": _l("Free"),
    booking.OVERLAP: _l("Another session at this time"),
    series.TIME_OFF: _l("Time off"),
    booking.NONEXISTENT_TIME: _l("This time does not exist that day (the clocks change)"),
    booking.IN_THE_PAST: _l("In the past"),
    booking.BEYOND_HORIZON: _l("Too far ahead"),
    booking.BAD_DURATION: _l("The service has no valid duration"),
}

TEAM = {
    roles.LAST_OWNER: _l("The clinic needs an active owner: make someone else an owner first."),
    roles.ALREADY_MEMBER: _l("This email address already has a Frontdesk sign-in, so it cannot be invited."),
    roles.ALREADY_INVITED: _l("This email address already has an invitation waiting: send it again from the list."),
    roles.NOT_A_ROLE: _l("Please choose one of the roles."),
    roles.INVITATION_INVALID: _l("This invitation link is not valid. Please check that you copied the whole link."),
    roles.INVITATION_EXPIRED: _l("This invitation has expired. Please ask the clinic to send you a new one."),
    roles.INVITATION_USED: _l("This invitation has already been used. Please sign in instead."),
    roles.INVITATION_REVOKED: _l(
        "This invitation was withdrawn or replaced by a newer one. Please use the latest email."
    ),
    roles.NOT_FREE: _l("That professional already has a session at that time. Please choose someone else."),
}

# A workstation form whose CSRF token no longer verifies (an old tab, a signed-out session).
EXPIRED_PAGE = _l("This page had expired, so nothing was changed. Please try again.")

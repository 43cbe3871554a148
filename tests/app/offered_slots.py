"""Working hours that make chosen times offered slots, for tests that book or move as a client (who may
only take a slot their page offers) at fixed times."""

import datetime as dt

from frontdesk.models import WorkingHours


def offer_hours(professional, *hours):
    """One hour of work at each of these local `hours`, every day: each hour's start is an offered slot."""
    for weekday in range(7):
        for hour in hours:
            WorkingHours.create(
                professional=professional, weekday=weekday, opens=dt.time(hour), closes=dt.time(hour + 1)
            )

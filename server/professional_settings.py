"""A professional's own settings: the weekly hours clients may book within, time off, and how Wellbeing
Hub pages show them. One function per change; each owns its transaction."""

from . import availability, booking, places
from .db import database
from .models import HubMember, Professional, TimeOff, WorkingHours


def save_working_hours(professional, stretches):
    """Replace the professional's weekly hours with (weekday, opens, closes) stretches, all at once; a day
    may have several (a lunch break between them). Raises booking.BookingError, changing nothing, when a
    stretch ends before it starts or two of one day overlap."""
    for weekday in {day for day, _, _ in stretches}:
        booking.check_periods([(opens, closes) for day, opens, closes in stretches if day == weekday])
    with database.atomic():
        availability.calendar_changed(professional)
        WorkingHours.delete().where(WorkingHours.professional == professional).execute()
        for weekday, opens, closes in stretches:
            WorkingHours.create(professional=professional, weekday=weekday, opens=opens, closes=closes)


def save_booking_rules(professional, buffer_minutes, notice_minutes, horizon_days):
    """What clients booking online may take: `buffer_minutes` kept free around each session, slots at least
    `notice_minutes` ahead and at most `horizon_days` ahead. Bookings already made stay."""
    if not (
        0 <= buffer_minutes <= booking.LONGEST_BUFFER_MINUTES
        and 0 <= notice_minutes <= booking.LONGEST_NOTICE_MINUTES
        and 1 <= horizon_days <= booking.LONGEST_HORIZON_DAYS
    ):
        raise ValueError("booking rules out of range")
    Professional.update(buffer_minutes=buffer_minutes, notice_minutes=notice_minutes, horizon_days=horizon_days).where(
        Professional.id == professional.id
    ).execute()


def add_time_off(professional, first_day, last_day, note=""):
    with database.atomic():
        availability.calendar_changed(professional)
        return TimeOff.create(professional=professional, first_day=first_day, last_day=last_day, note=note or "")


def time_off_or_none(professional, time_off_id):
    """The professional's own time off with this id; another professional's is not theirs to remove."""
    return TimeOff.get_or_none(TimeOff.id == time_off_id, TimeOff.professional == professional)


def delete_time_off(entry):
    with database.atomic():
        availability.calendar_changed(entry.professional_id)
        entry.delete_instance()


def set_hub_mode(professional, hub_mode):
    """Whether hub pages show the professional's calendar or only a request form (states.HubMode): for
    every hub they are in now and for those they join later; each hub's own choice can then differ."""
    with database.atomic():
        Professional.update(hub_mode=hub_mode).where(Professional.id == professional.id).execute()
        HubMember.update(mode=hub_mode).where(HubMember.professional == professional).execute()


def set_languages(professional, languages):
    """The languages the professional works in (codes of i18n.LANGUAGES), shown to clients on hub pages."""
    Professional.update(languages=list(languages)).where(Professional.id == professional.id).execute()
    professional.languages = list(languages)
    return professional


def rotate_booking_link(professional):
    """Replace the professional's booking link: the old one then answers "this link was replaced"."""
    Professional.update(booking_link_version=Professional.booking_link_version + 1).where(
        Professional.id == professional.id
    ).execute()
    professional.booking_link_version = Professional.get_by_id(professional.id).booking_link_version
    return professional


def save_video_link(professional, video_link):
    """The professional's usual video room ("" for none), for video sessions without a link of their own;
    raises places.BadPlace for anything but an https address."""
    video_link = places.clean_video_link(video_link)
    Professional.update(video_link=video_link).where(Professional.id == professional.id).execute()

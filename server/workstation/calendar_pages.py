"""Settings → Calendar: the clinic's reminder emails (the owner's to change), and each professional's
own daily agenda and calendar subscription address."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from .. import calendar_feeds, reminder_rules, reminders
from ..form_base import PageForm
from ..validators import REQUIRED
from ..web import flash_expired, form_is_fresh, owner_only
from . import bp
from .forms import ActionForm

HOURS_RANGE = NumberRange(
    min=1,
    max=reminder_rules.MAX_REMINDER_HOURS,
    message=_l("Between 1 and %(max)d hours.", max=reminder_rules.MAX_REMINDER_HOURS),
)


class RemindersForm(PageForm):
    reminder_hours = IntegerField(
        _l("Reminder (hours before the session)"), [InputRequired(message=REQUIRED), HOURS_RANGE]
    )
    second_reminder_hours = IntegerField(
        _l("Second reminder (hours before, optional)"),
        [Optional(), HOURS_RANGE],
        description=_l("For example 2, for a reminder on the day. Leave empty for one reminder only."),
    )
    remind_late_bookings = BooleanField(_l("Send a reminder at once for sessions booked inside the reminder time"))

    def validate_second_reminder_hours(self, field):
        if field.data is not None and field.data == self.reminder_hours.data:
            raise ValidationError(_l("Choose a different time from the first reminder, or leave it empty."))


class AgendaForm(PageForm):
    daily_agenda = BooleanField(_l("Email me each evening the sessions I have the next day"))


class FeedNamesForm(PageForm):
    feed_full_names = BooleanField(_l("Show clients' full names in my calendar (otherwise their initials)"))


def _render(status=200, **forms):
    clinic, professional = g.clinic, g.professional
    defaults = dict(
        reminders_form=RemindersForm(
            formdata=None,
            reminder_hours=clinic.reminder_hours,
            second_reminder_hours=clinic.second_reminder_hours,
            remind_late_bookings=clinic.remind_late_bookings,
        ),
        agenda_form=AgendaForm(formdata=None, daily_agenda=professional.daily_agenda),
        names_form=FeedNamesForm(formdata=None, feed_full_names=professional.feed_full_names),
        action_form=ActionForm(formdata=None),
    )
    defaults.update(forms)
    return render_template("workstation/calendar_settings.html", **defaults), status


@bp.route("/settings/calendar")
def calendar_settings():
    return _render()


@bp.route("/settings/calendar/reminders", methods=["POST"])
@owner_only
def save_reminders():
    form = RemindersForm()
    if not form.validate():
        return _render(422, reminders_form=form)
    reminders.save_reminder_settings(
        g.clinic, form.reminder_hours.data, form.second_reminder_hours.data, form.remind_late_bookings.data
    )
    flash(_("Reminder emails were saved."))
    return redirect(url_for("workstation.calendar_settings", _anchor="reminders"))


@bp.route("/settings/calendar/agenda", methods=["POST"])
def save_agenda():
    form = AgendaForm()
    if form.validate_on_submit():
        reminders.set_daily_agenda(g.professional, form.daily_agenda.data)
        flash(_("Your daily agenda choice was saved."))
    else:
        flash_expired()
    return redirect(url_for("workstation.calendar_settings", _anchor="agenda"))


@bp.route("/settings/calendar/feed/names", methods=["POST"])
def save_feed_names():
    form = FeedNamesForm()
    if form.validate_on_submit():
        calendar_feeds.set_full_names(g.professional, form.feed_full_names.data)
        flash(_("Your calendar subscription was saved."))
    else:
        flash_expired()
    return redirect(url_for("workstation.calendar_settings", _anchor="feed"))


@bp.route("/settings/calendar/feed/replace", methods=["POST"])
def replace_feed():
    if form_is_fresh():
        calendar_feeds.replace_feed(g.professional)
        flash(_("Your calendar has a new subscription address. The old one no longer works."))
    return redirect(url_for("workstation.calendar_settings", _anchor="feed"))

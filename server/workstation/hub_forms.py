"""The forms of the Wellbeing Hubs pages."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..client.forms import MultiCheckboxField
from ..form_base import PageForm
from ..language_choice import available_languages, language_name
from ..states import HubMode
from ..validators import NAME_LENGTH, REQUIRED, NoControlCharacters, max_length

MODE_CHOICES = [
    SelectChoice(HubMode.CALENDAR, _l("Show my calendar: clients book free times")),
    SelectChoice(HubMode.REQUESTS_ONLY, _l("Take requests only: clients send a request")),
]


class HubNameForm(PageForm):
    name = StringField(_l("Hub name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH), NoControlCharacters()])


class AddMemberForm(PageForm):
    """The view sets the professional choices: the clinic's professionals not yet in the hub."""

    professional = SelectField(_l("Professional"), [DataRequired(message=REQUIRED)], coerce=str)
    mode = RadioField(_l("On this hub's page"), choices=MODE_CHOICES, default=HubMode.CALENDAR)


class MemberModeForm(PageForm):
    mode = RadioField(_l("On this hub's page"), choices=MODE_CHOICES)


class LanguagesForm(PageForm):
    languages = MultiCheckboxField(
        _l("Languages they work in"),
        choices=[SelectChoice(code, language_name(code)) for code in available_languages()],
        description=_l("Shown to clients on hub pages."),
    )

"""The workstation's forms (flask-wtf, with CSRF from the session cookie)."""

from babel.numbers import list_currencies
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from .. import booking, framing, registration, snippets
from ..states import HubMode, Role
from ..validators import (
    BUTTON_TEXT_LENGTH,
    EMAIL_LENGTH,
    LINE_LENGTH,
    LIST_LENGTH,
    LONG_TEXT_LENGTH,
    NAME_LENGTH,
    QUESTION_LENGTH,
    REQUIRED,
    SHORT_TEXT_LENGTH,
    Email,
    max_length,
)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), [DataRequired(message=REQUIRED)], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), [DataRequired(message=REQUIRED)], render_kw={"autocomplete": "current-password"}
    )


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class DeclineForm(FlaskForm):
    message = TextAreaField(
        _l("Message to the client (optional)"), [Optional(), max_length(LIST_LENGTH)], render_kw={"rows": 3}
    )


class BookSessionForm(FlaskForm):
    service = SelectField(_l("Service"), [DataRequired(message=_l("Please choose a service."))], coerce=str)
    professional = SelectField(_l("Professional"), [DataRequired(message=REQUIRED)], coerce=str)
    day = DateField(_l("Date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("Time"), [DataRequired(message=_l("Please enter a time."))])


class RequestsToggleForm(FlaskForm):
    requests_enabled = BooleanField(_l("Enable requests"))


class TermsForm(FlaskForm):
    terms_url = URLField(
        _l("Link to your terms and conditions"),
        [
            Optional(),
            URL(message=_l("Please enter a full web address, starting with https://.")),
            max_length(LINE_LENGTH),
        ],
    )


class WebsitesForm(FlaskForm):
    allowed_origins = TextAreaField(
        _l("Allowed websites"),
        [max_length(LONG_TEXT_LENGTH)],
        render_kw={"rows": 3, "spellcheck": "false", "autocomplete": "off"},
        description=_l(
            "One address per line, like https://www.example.com. Only these websites can show your "
            "pages in a frame; while the list is empty, any website can show your forms and calendars."
        ),
    )

    def validate_allowed_origins(self, field):
        try:
            self.origin_list()
        except framing.BadOrigin as error:
            raise ValidationError(str(error)) from None

    def origin_list(self):
        return framing.parse_origins((self.allowed_origins.data or "").splitlines())


class SnippetOptionsForm(FlaskForm):
    """Which page the snippets embed and how the popup button looks. It only changes what the settings
    page shows, so it is a GET form without CSRF; the view sets the page choices."""

    class Meta:
        csrf = False

    page = SelectField(_l("Page to embed"))
    label = StringField(_l("Button text"), [Optional(), max_length(BUTTON_TEXT_LENGTH)])
    color = StringField(
        _l("Button colour"),
        [Optional(), Regexp(snippets.HEX_COLOR.pattern + "$", message=_l("Please choose a colour like #1f5fbf."))],
        default=snippets.DEFAULT_COLOR,
        render_kw={"type": "color"},
    )


def requirements_form_class(clinic):
    """One off/optional/required choice per built-in registration field, set to the clinic's current mode."""

    class RequirementsForm(FlaskForm):
        pass

    choices = [SelectChoice(mode, registration.MODE_LABELS[mode]) for mode in registration.MODES]
    for key, label in registration.FIELDS.items():
        setattr(RequirementsForm, key, SelectField(label, choices=choices, default=registration.mode(clinic, key)))
    return RequirementsForm


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), [DataRequired(message=REQUIRED), max_length(QUESTION_LENGTH)])
    kind = SelectField(
        _l("Answer type"), choices=[SelectChoice(k, label) for k, label in registration.QUESTION_KINDS.items()]
    )
    # No Optional(): it would stop validate_choices from running when the choices are left empty.
    choices = TextAreaField(_l("Choices, one per line"), [max_length(LIST_LENGTH)], render_kw={"rows": 3})
    required = BooleanField(_l("Required"))

    def validate_choices(self, field):
        if self.kind.data in registration.CHOICE_KINDS and len(self.choice_list()) < 2:
            raise ValidationError(_l("Please give at least two choices, one per line."))

    def choice_list(self):
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]


class ServiceForm(FlaskForm):
    name = StringField(lazy_pgettext("service", "Name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH)])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        [
            DataRequired(message=REQUIRED),
            NumberRange(min=5, max=booking.LONGEST_SESSION_MINUTES, message=_l("Between 5 and 600 minutes.")),
        ],
        default=50,
    )


class RescheduleForm(FlaskForm):
    day = DateField(_l("New date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("New time"), [DataRequired(message=_l("Please enter a time."))])


class ChargeDecisionForm(FlaskForm):
    decision = HiddenField()
    note = StringField(_l("Note (optional)"), [Optional(), max_length(LINE_LENGTH)])


def weekly_hours_form_class(current):
    """A row per weekday: works that day or not, from when, until when; set from `current`
    ({weekday: WorkingHours})."""

    class WeeklyHoursForm(FlaskForm):
        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            for day in range(7):
                if self[f"works_{day}"].data:
                    opens, closes = self[f"opens_{day}"], self[f"closes_{day}"]
                    if not opens.data or not closes.data:
                        closes.errors.append(_l("Please give both times, or untick the day."))
                        valid = False
                    elif closes.data <= opens.data:
                        closes.errors.append(_l("The end must be after the start."))
                        valid = False
            return valid

        def stretches(self):
            return [
                (day, self[f"opens_{day}"].data, self[f"closes_{day}"].data)
                for day in range(7)
                if self[f"works_{day}"].data
            ]

    for day in range(7):
        row = current.get(day)
        setattr(WeeklyHoursForm, f"works_{day}", BooleanField(_l("Works this day"), default=row is not None))
        setattr(
            WeeklyHoursForm, f"opens_{day}", TimeField(_l("From"), [Optional()], default=row.opens if row else None)
        )
        setattr(
            WeeklyHoursForm, f"closes_{day}", TimeField(_l("Until"), [Optional()], default=row.closes if row else None)
        )
    return WeeklyHoursForm


class TimeOffForm(FlaskForm):
    first_day = DateField(_l("First day"), [DataRequired(message=_l("Please enter a date."))])
    last_day = DateField(_l("Last day"), [DataRequired(message=_l("Please enter a date."))])
    note = StringField(_l("Note (optional)"), [Optional(), max_length(SHORT_TEXT_LENGTH)])

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class HubModeForm(FlaskForm):
    hub_mode = RadioField(
        _l("On Wellbeing Hub pages, show"),
        choices=[
            SelectChoice(HubMode.CALENDAR, _l("My calendar, so clients book free times")),
            SelectChoice(HubMode.REQUESTS_ONLY, _l("A request form only: clients join my waitlist")),
        ],
    )


class PolicyForm(FlaskForm):
    policy_hours = IntegerField(
        _l("Cancellation notice (hours)"),
        [
            InputRequired(message=REQUIRED),  # not DataRequired: a 0 must get the range's message, not "fill in"
            NumberRange(min=1, max=720, message=_l("Between 1 and 720 hours.")),
        ],
        description=_l(
            "A client cancelling with less notice than this is late. Wellbeing Hub sessions always use 24 hours."
        ),
    )
    late_fee = DecimalField(
        _l("Late cancellation and no-show fee"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=100000, message=_l("Please enter an amount of 0 or more.")),
        ],
        places=2,
        description=_l("Used where a service has no fee of its own."),
    )
    currency = StringField(
        _l("Currency"),
        [DataRequired(message=REQUIRED), Length(min=3, max=3)],
        description=_l("A three-letter code, such as GBP, EUR or ISK."),
    )

    def validate_currency(self, field):
        if (field.data or "").upper() not in list_currencies():
            raise ValidationError(_l("Please enter a currency code such as GBP, EUR or ISK."))


def role_choices():
    """The roles in the order a practice thinks of them, as the team page offers them."""
    return [
        (Role.PROFESSIONAL.value, _l("Professional")),
        (Role.FRONT_DESK.value, _l("Front desk")),
        (Role.OWNER.value, _l("Owner")),
    ]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        [DataRequired(message=REQUIRED), max_length(EMAIL_LENGTH), Email()],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.PROFESSIONAL.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ReassignForm(FlaskForm):
    professional = SelectField(_l("Reassign to"), [DataRequired(message=REQUIRED)], coerce=str)


class TeamPolicyForm(FlaskForm):
    front_desk_decides_charges = BooleanField(
        _l("The front desk may decide charges for late cancellations and no-shows")
    )


class JoinForm(FlaskForm):
    """A new member's name and password, on their invitation link."""

    name = StringField(
        _l("Your name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH)], render_kw={"autocomplete": "name"}
    )
    password = PasswordField(
        _l("Choose a password"),
        [DataRequired(message=REQUIRED), Length(min=8, message=_l("Please use at least 8 characters."))],
        description=_l("At least 8 characters."),
        render_kw={"autocomplete": "new-password"},
    )


def profile_form_class(languages):
    """A member's public name, and a title and a short profile in each language the clinic offers."""

    class ProfileForm(FlaskForm):
        public_name = StringField(
            _l("Name clients see"),
            [Optional(), max_length(NAME_LENGTH)],
            description=_l("Leave empty to show your sign-in name."),
        )

    for code in languages:
        setattr(ProfileForm, f"title_{code}", StringField(_l("Title"), [Optional(), max_length(NAME_LENGTH)]))
        setattr(
            ProfileForm,
            f"about_{code}",
            TextAreaField(_l("Short profile"), [Optional(), max_length(SHORT_TEXT_LENGTH * 5)], render_kw={"rows": 4}),
        )
    return ProfileForm

"""The workstation's forms (flask-wtf, with CSRF from the session cookie)."""

import datetime
from zoneinfo import available_timezones

import phonenumbers
from babel import Locale
from babel.numbers import get_currency_name, list_currencies
from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
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

from .. import booking, framing, places, registration, series, snippets
from ..client.forms import MultiCheckboxField
from ..clinic_settings import DATE_STYLES
from ..form_base import PageForm
from ..refusals import SERIES
from ..states import HubMode, PlaceKind, Role
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
    NameCharacters,
    NoControlCharacters,
    PostalAddress,
    VideoLink,
    max_length,
)


class LoginForm(PageForm):
    email = EmailField(_l("Email"), [DataRequired(message=REQUIRED)], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), [DataRequired(message=REQUIRED)], render_kw={"autocomplete": "current-password"}
    )


class ActionForm(PageForm):
    """A button that changes something: only its CSRF token is checked."""


class DeclineForm(PageForm):
    message = TextAreaField(
        _l("Message to the client (optional)"), [Optional(), max_length(LIST_LENGTH)], render_kw={"rows": 3}
    )


class BookSessionForm(PageForm):
    service = SelectField(_l("Service"), [DataRequired(message=_l("Please choose a service."))], coerce=str)
    professional = SelectField(_l("Professional"), [DataRequired(message=REQUIRED)], coerce=str)
    day = DateField(_l("Date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("Time"), [DataRequired(message=_l("Please enter a time."))])


# How often a series repeats (series.MOST_WEEKS_APART at most), as the form offers it and a session's page says it.
REPEATS = [
    SelectChoice(1, _l("Every week")),
    SelectChoice(2, _l("Every 2 weeks")),
    SelectChoice(3, _l("Every 3 weeks")),
    SelectChoice(4, _l("Every 4 weeks")),
]


class SeriesRowForm(Form):
    """One occurrence of a series preview: booked or skipped, and moved by changing its date or time."""

    book = BooleanField(_l("Book"))
    day = DateField(_l("Date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("Time"), [DataRequired(message=_l("Please enter a time."))])


class SeriesForm(BookSessionForm):
    """A weekly series from a client's page: its rule, then (on the preview) each occurrence, and the one-time
    nonce of the preview's showing, so a double submit books once."""

    # Not checked against the choices: a colleague a professional may not book for is "not found" (404), as
    # every colleague's id is, not a form error.
    professional = SelectField(
        _l("Professional"), [DataRequired(message=REQUIRED), Regexp(r"^\d{1,18}$")], coerce=str, validate_choice=False
    )
    day = DateField(_l("First session"), [DataRequired(message=_l("Please enter a date."))])
    weeks_apart = SelectField(
        _l("Repeat"),
        choices=REPEATS,
        coerce=int,
        default=1,
    )
    ends = RadioField(
        _l("Ends"),
        choices=[SelectChoice("count", _l("After a number of sessions")), SelectChoice("until", _l("On a date"))],
        default="count",
        validators=[InputRequired(message=REQUIRED)],
    )
    count = IntegerField(
        _l("Number of sessions"),
        [Optional(), NumberRange(series.FEWEST_SESSIONS, series.MOST_SESSIONS, message=SERIES[series.BAD_COUNT])],
        default=10,
    )
    until = DateField(_l("Last date"), [Optional()])
    nonce = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16}$")])
    rows = FieldList(FormField(SeriesRowForm), max_entries=2 * 53 + 1)


class RequestsToggleForm(PageForm):
    requests_enabled = BooleanField(_l("Enable requests"))


class TermsForm(PageForm):
    terms_url = URLField(
        _l("Link to your terms and conditions"),
        [
            Optional(),
            URL(message=_l("Please enter a full web address, starting with https://.")),
            max_length(LINE_LENGTH),
        ],
    )


class WebsitesForm(PageForm):
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


class SnippetOptionsForm(PageForm):
    """Which page the snippets embed and how the popup button looks. It only changes what the settings
    page shows, so it is a GET form without CSRF; the view sets the page choices."""

    class Meta:
        csrf = False

    # Ids of their own: the question form on the same page has a "label" field too.
    page = SelectField(_l("Page to embed"), id="snippet-page")
    label = StringField(_l("Button text"), [Optional(), max_length(BUTTON_TEXT_LENGTH)], id="snippet-label")
    color = StringField(
        _l("Button colour"),
        [Optional(), Regexp(snippets.HEX_COLOR.pattern + "$", message=_l("Please choose a colour like #1f5fbf."))],
        id="snippet-color",
        default=snippets.DEFAULT_COLOR,
        render_kw={"type": "color"},
    )


def requirements_form_class(clinic):
    """One off/optional/required choice per built-in registration field, set to the clinic's current mode."""

    class RequirementsForm(PageForm):
        pass

    choices = [SelectChoice(mode, registration.MODE_LABELS[mode]) for mode in registration.MODES]
    for key, label in registration.FIELDS.items():
        setattr(RequirementsForm, key, SelectField(label, choices=choices, default=registration.mode(clinic, key)))
    return RequirementsForm


class QuestionForm(PageForm):
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


class ServiceForm(PageForm):
    name = StringField(
        lazy_pgettext("service", "Name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH), NameCharacters()]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        [
            DataRequired(message=REQUIRED),
            NumberRange(min=5, max=booking.LONGEST_SESSION_MINUTES, message=_l("Between 5 and 600 minutes.")),
        ],
        default=50,
    )


class RescheduleForm(PageForm):
    day = DateField(_l("New date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("New time"), [DataRequired(message=_l("Please enter a time."))])


class ChargeDecisionForm(PageForm):
    decision = HiddenField()
    note = StringField(_l("Note (optional)"), [Optional(), max_length(LINE_LENGTH)])


PERIODS_PER_DAY = 3  # a morning, an afternoon and an evening: two breaks a day


def _period_suffix(index):
    """The form's name of a day's period: the first keeps the plain names (opens_0) it had before days had
    several."""
    return "" if index == 0 else f"_{index}"


PERIOD_MESSAGES = {
    booking.PERIOD_ORDER: _l("The end must be after the start."),
    booking.PERIODS_OVERLAP: _l("These periods overlap: a day's periods must follow one another."),
}


def _check_day(form, day):
    """Whether a working day's filled periods each have both times, end after they start and do not overlap;
    the message goes under the day's last period."""
    filled = [(opens, closes) for opens, closes in form.periods(day) if opens.data or closes.data]
    if not filled:
        form[f"closes_{day}"].errors.append(_l("Please give both times, or untick the day."))
        return False
    for opens, closes in filled:
        if not opens.data or not closes.data:
            closes.errors.append(_l("Please give both times, or untick the day."))
            return False
    try:
        booking.check_periods([(opens.data, closes.data) for opens, closes in filled])
    except booking.BookingError as error:
        filled[-1][1].errors.append(PERIOD_MESSAGES[error.code])
        return False
    return True


def weekly_hours_form_class(current):
    """A row per weekday: works that day or not, and up to PERIODS_PER_DAY periods (from, until), set from
    `current` ({weekday: [WorkingHours, …]})."""

    class WeeklyHoursForm(PageForm):
        def periods(self, day):
            """The (opens field, closes field) pairs of a day."""
            return [
                (self[f"opens_{day}{_period_suffix(i)}"], self[f"closes_{day}{_period_suffix(i)}"])
                for i in range(PERIODS_PER_DAY)
            ]

        def period_errors(self, day):
            """A day's messages, shown once under its periods."""
            return [error for _, closes in self.periods(day) for error in closes.errors]

        def validate(self, extra_validators=None):
            valid = super().validate(extra_validators)
            return all([_check_day(self, day) for day in range(7) if self[f"works_{day}"].data]) and valid

        def stretches(self):
            return [
                (day, opens.data, closes.data)
                for day in range(7)
                if self[f"works_{day}"].data
                for opens, closes in self.periods(day)
                if opens.data and closes.data
            ]

    for day in range(7):
        rows = sorted(current.get(day, []), key=lambda row: row.opens)
        setattr(WeeklyHoursForm, f"works_{day}", BooleanField(_l("Works this day"), default=bool(rows)))
        for i in range(PERIODS_PER_DAY):
            row = rows[i] if i < len(rows) else None
            suffix = _period_suffix(i)
            setattr(
                WeeklyHoursForm,
                f"opens_{day}{suffix}",
                TimeField(_l("From"), [Optional()], default=row.opens if row else None),
            )
            setattr(
                WeeklyHoursForm,
                f"closes_{day}{suffix}",
                TimeField(_l("Until"), [Optional()], default=row.closes if row else None),
            )
    return WeeklyHoursForm


class BookingRulesForm(PageForm):
    buffer_minutes = IntegerField(
        _l("Break between sessions (minutes)"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=booking.LONGEST_BUFFER_MINUTES, message=_l("Between 0 and 240 minutes.")),
        ],
        description=_l("Kept free before and after each session when clients book online."),
    )
    notice_hours = IntegerField(
        _l("Minimum notice (hours)"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(
                min=0, max=booking.LONGEST_NOTICE_MINUTES // 60, message=_l("Between 0 and 2160 hours (90 days).")
            ),
        ],
        description=_l("Clients cannot book a time sooner than this."),
    )
    horizon_days = IntegerField(
        _l("Booking horizon (days)"),
        [
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=booking.LONGEST_HORIZON_DAYS, message=_l("Between 1 and 730 days.")),
        ],
        description=_l("How far ahead clients may book."),
    )


class TimeOffForm(PageForm):
    first_day = DateField(_l("First day"), [DataRequired(message=_l("Please enter a date."))])
    last_day = DateField(_l("Last day"), [DataRequired(message=_l("Please enter a date."))])
    note = StringField(_l("Note (optional)"), [Optional(), max_length(SHORT_TEXT_LENGTH)])

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class HubModeForm(PageForm):
    hub_mode = RadioField(
        _l("On Wellbeing Hub pages, show"),
        choices=[
            SelectChoice(HubMode.CALENDAR, _l("My calendar, so clients book free times")),
            SelectChoice(HubMode.REQUESTS_ONLY, _l("A request form only: clients join my waitlist")),
        ],
    )


class PolicyForm(PageForm):
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


# --- Settings → Clinic and the service editor: forms that carry the version they were read at ----------------


class VersionedForm(PageForm):
    """A settings form that sends back the version of what it shows: a save from an older page is refused."""

    version = HiddenField()

    def read_version(self):
        """The version the page was read at; a missing or mangled one never matches."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


def _country_choices():
    """Every region phone numbers are known for, named in the page's language."""
    names = Locale.parse(str(get_locale())).territories
    return sorted(
        (SelectChoice(code, names.get(code, code)) for code in phonenumbers.SUPPORTED_REGIONS),
        key=lambda choice: choice.label,
    )


def _currency_choices():
    locale = get_locale()
    return sorted(
        (SelectChoice(code, f"{code} – {get_currency_name(code, locale=locale)}") for code in list_currencies()),
        key=lambda choice: choice.value,
    )


DATE_STYLE_EXAMPLE = datetime.datetime(2027, 11, 29, 18, 4)


def _int_or_none(value):
    """A posted number, or None for anything else (so the field's own message is shown, not WTForms')."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FromTheList:
    """The posted value is one of the field's choices; otherwise our own, translated, message."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(self.message)


CHOOSE_ONE = _l("Please choose one of the options.")


class ClinicForm(VersionedForm):
    name = StringField(
        _l("Clinic name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH)], render_kw={"autocomplete": "off"}
    )
    timezone = SelectField(
        _l("Time zone"),
        [FromTheList(_l("Please choose a time zone from the list."))],
        validate_choice=False,
        description=_l(
            "Working hours are wall-clock times: after a change they mean the same hours in the new zone. "
            "Sessions already booked keep their moment in time, so their clock time changes."
        ),
    )
    country = SelectField(
        _l("Country"),
        [FromTheList(_l("Please choose a country from the list."))],
        validate_choice=False,
        description=_l("Phone numbers without a country code are read as this country's."),
    )
    currency = SelectField(
        _l("Currency"), [FromTheList(_l("Please choose a currency from the list."))], validate_choice=False
    )
    default_language = SelectField(
        _l("Default language"), [FromTheList(_l("Please choose a language from the list."))], validate_choice=False
    )
    date_style = RadioField(_l("Dates and times in the workstation"), [FromTheList(CHOOSE_ONE)], validate_choice=False)
    slot_grid_minutes = RadioField(
        _l("Session start times"),
        [FromTheList(CHOOSE_ONE)],
        validate_choice=False,
        coerce=_int_or_none,
        choices=[
            SelectChoice(15, _l("Every 15 minutes (9:00, 9:15, 9:30)")),
            SelectChoice(30, _l("Every 30 minutes (9:00, 9:30, 10:00)")),
            SelectChoice(60, _l("On the hour (9:00, 10:00, 11:00)")),
        ],
        description=_l("Where clients booking online may start a session."),
    )
    address = TextAreaField(
        _l("Address"),
        [Optional(), max_length(places.ADDRESS_LENGTH), PostalAddress()],
        render_kw={"rows": 3, "autocomplete": "street-address"},
        description=_l("Where sessions in person take place. Clients read it in their confirmations and invitations."),
    )

    def set_choices(self, languages, date_example):
        """The choices depend on the page's language: filled in per request."""
        self.timezone.choices = [SelectChoice(zone, zone) for zone in sorted(available_timezones())]
        self.country.choices = _country_choices()
        self.currency.choices = _currency_choices()
        self.default_language.choices = [SelectChoice(code, name) for code, name in languages]
        self.date_style.choices = [SelectChoice(style, date_example(style)) for style in DATE_STYLES]
        return self


def service_form_class(clinic, professionals, languages):
    """The service editor for one clinic: a name in each of its other `languages` ([(code, name)]) and a
    tick for each of its `professionals`."""

    professional_choices = [SelectChoice(p.id, p.name) for p in professionals]

    class ServiceEditForm(VersionedForm):
        name = StringField(lazy_pgettext("service", "Name"), [DataRequired(message=REQUIRED), max_length(NAME_LENGTH)])
        duration_minutes = IntegerField(
            _l("Duration (minutes)"),
            [
                DataRequired(message=REQUIRED),
                NumberRange(min=5, max=booking.LONGEST_SESSION_MINUTES, message=_l("Between 5 and 600 minutes.")),
            ],
            description=_l("Sessions already booked keep the length they were booked with."),
        )
        price = DecimalField(
            _l("Price (%(currency)s)", currency=clinic.currency),
            [Optional(), NumberRange(min=0, max=100000, message=_l("Please enter an amount of 0 or more."))],
            places=2,
            description=_l("Leave empty to show no price. Sessions already booked keep their price."),
        )
        late_fee = DecimalField(
            _l("Late cancellation fee (%(currency)s)", currency=clinic.currency),
            [Optional(), NumberRange(min=0, max=100000, message=_l("Please enter an amount of 0 or more."))],
            places=2,
            description=_l("Leave empty to use the clinic's fee from the cancellation policy."),
        )
        bookable_online = BooleanField(_l("Clients may book it online"))
        place = RadioField(
            _l("Where it takes place"),
            [FromTheList(CHOOSE_ONE)],
            validate_choice=False,
            default=PlaceKind.IN_PERSON.value,
            choices=[
                SelectChoice(PlaceKind.IN_PERSON.value, _l("In person, at the clinic's address")),
                SelectChoice(PlaceKind.VIDEO.value, _l("By video, at the professional's video link")),
                SelectChoice(PlaceKind.PHONE.value, _l("By phone")),
            ],
        )
        # Ids are checked against the clinic's professionals when saved: another clinic's id is not found.
        professionals = MultiCheckboxField(
            _l("Offered by"),
            coerce=_int_or_none,
            validate_choice=False,
            choices=professional_choices,
            description=_l("Leave all unticked to offer it with every professional, including new colleagues."),
        )

        def names(self):
            return {code: self[f"name_{code}"].data or "" for code, _ in languages}

    for code, language in languages:
        setattr(
            ServiceEditForm,
            f"name_{code}",
            StringField(
                _l("Name in %(language)s", language=language),
                [Optional(), max_length(NAME_LENGTH)],
                render_kw={"lang": code, "dir": "auto"},
            ),
        )
    return ServiceEditForm


class VideoLinkForm(PageForm):
    """A professional's usual video room, for video sessions that have no link of their own."""

    video_link = URLField(
        _l("Your video link"),
        [Optional(), max_length(places.VIDEO_LINK_LENGTH), VideoLink()],
        description=_l("An https:// address. Clients of your video sessions get it, unless a session has its own."),
    )


class SessionPlaceForm(VersionedForm):
    """A session's own video link and note on the place; `version` is the session's SEQUENCE when read."""

    video_link = URLField(
        _l("Video link for this session"),
        [Optional(), max_length(places.VIDEO_LINK_LENGTH), VideoLink()],
        description=_l("Leave empty to use the service's place."),
    )
    place_note = StringField(
        _l("Note on the place (optional)"),
        [Optional(), max_length(places.NOTE_LENGTH), NoControlCharacters()],
        description=_l("For example: Room 2, second floor."),
    )


def role_choices():
    """The roles in the order a practice thinks of them, as the team page offers them."""
    return [
        (Role.PROFESSIONAL.value, _l("Professional")),
        (Role.FRONT_DESK.value, _l("Front desk")),
        (Role.OWNER.value, _l("Owner")),
    ]


class InviteForm(PageForm):
    email = EmailField(
        _l("Email"),
        [DataRequired(message=REQUIRED), max_length(EMAIL_LENGTH), Email()],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.PROFESSIONAL.value)


class RoleForm(PageForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ReassignForm(PageForm):
    professional = SelectField(_l("Reassign to"), [DataRequired(message=REQUIRED)], coerce=str)


class TeamPolicyForm(PageForm):
    front_desk_decides_charges = BooleanField(
        _l("The front desk may decide charges for late cancellations and no-shows")
    )


class JoinForm(PageForm):
    """A new member's name and password, on their invitation link."""

    name = StringField(
        _l("Your name"),
        [DataRequired(message=REQUIRED), max_length(NAME_LENGTH), NameCharacters()],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        _l("Choose a password"),
        [DataRequired(message=REQUIRED), Length(min=8, message=_l("Please use at least 8 characters."))],
        description=_l("At least 8 characters."),
        render_kw={"autocomplete": "new-password"},
    )


def profile_form_class(languages):
    """A member's public name, and a title and a short profile in each language the clinic offers."""

    class ProfileForm(PageForm):
        public_name = StringField(
            _l("Name clients see"),
            [Optional(), max_length(NAME_LENGTH), NameCharacters()],
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

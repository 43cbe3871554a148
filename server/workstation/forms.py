"""The workstation's forms (flask-wtf, with CSRF from the session cookie)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, IntegerField, PasswordField, SelectField,
                     StringField, TextAreaField, TimeField, URLField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from .. import registration

REQUIRED = _l("Please fill in this field.")


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), [DataRequired(message=REQUIRED)], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), [DataRequired(message=REQUIRED)],
                             render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


class DeclineForm(FlaskForm):
    message = TextAreaField(_l("Message to the client (optional)"), [Optional(), Length(max=2000)],
                            render_kw={"rows": 3})


class BookSessionForm(FlaskForm):
    service = SelectField(_l("Service"), [DataRequired(message=_l("Please choose a service."))], coerce=str)
    professional = SelectField(_l("Professional"), [DataRequired(message=REQUIRED)], coerce=str)
    day = DateField(_l("Date"), [DataRequired(message=_l("Please enter a date."))])
    time = TimeField(_l("Time"), [DataRequired(message=_l("Please enter a time."))])


class RequestsToggleForm(FlaskForm):
    requests_enabled = BooleanField(_l("Enable requests"))


class TermsForm(FlaskForm):
    terms_url = URLField(_l("Link to your terms and conditions"),
                         [Optional(), URL(message=_l("Please enter a full web address, starting with https://.")),
                          Length(max=500)])


def requirements_form_class(clinic):
    """One off/optional/required choice per built-in registration field, set to the clinic's current mode."""

    class RequirementsForm(FlaskForm):
        pass

    choices = [SelectChoice(mode, registration.MODE_LABELS[mode]) for mode in registration.MODES]
    for key, label in registration.FIELDS.items():
        setattr(RequirementsForm, key, SelectField(label, choices=choices, default=registration.mode(clinic, key)))
    return RequirementsForm


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), [DataRequired(message=REQUIRED), Length(max=300)])
    kind = SelectField(_l("Answer type"), choices=[SelectChoice(k, label) for k, label in registration.QUESTION_KINDS.items()])
    choices = TextAreaField(_l("Choices, one per line"), [Optional(), Length(max=2000)], render_kw={"rows": 3})
    required = BooleanField(_l("Required"))

    def validate_choices(self, field):
        if self.kind.data in registration.CHOICE_KINDS and len(self.choice_list()) < 2:
            raise ValidationError(_l("Please give at least two choices, one per line."))

    def choice_list(self):
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]


class ServiceForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(message=REQUIRED), Length(max=120)])
    duration_minutes = IntegerField(_l("Duration (minutes)"), [
        DataRequired(message=REQUIRED), NumberRange(min=5, max=600, message=_l("Between 5 and 600 minutes."))],
        default=50)

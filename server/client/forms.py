"""The request form, built for each clinic from its registration settings and its own questions.

Client pages set no cookies, so these forms use no CSRF cookie: a signed form token (links.py),
a honeypot field and a minimum fill time stand in for it.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, HiddenField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, widgets)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import registration
from ..i18n import available_languages, language_name
from ..validators import Email, NoControlCharacters, PastDate, Phone

REQUIRED = _l("Please fill in this field.")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PublicForm(FlaskForm):
    class Meta:
        csrf = False

    form_token = HiddenField()
    # Hidden from people (see client.css); a bot that fills every field fills this one too.
    website = StringField(_l("Leave this field empty"))


def _presence(required):
    return [DataRequired(message=REQUIRED)] if required else [Optional()]


def _builtin_field(key, required, clinic):
    label = registration.FIELDS[key]
    if key == "phone":
        return StringField(label, _presence(required) + [Length(max=40), Phone(clinic.country)],
                           render_kw={"autocomplete": "tel", "inputmode": "tel"})
    if key == "date_of_birth":
        return DateField(label, _presence(required) + [PastDate()], render_kw={"autocomplete": "bday"},
                         description=_l("For example 1990-04-23"))
    if key == "address":
        return TextAreaField(label, _presence(required) + [Length(max=500)],
                             render_kw={"autocomplete": "street-address", "rows": 3})
    if key == "preferred_language":
        choices = [SelectChoice("", _l("Choose…"))] + [SelectChoice(code, language_name(code)) for code in available_languages()]
        return SelectField(label, _presence(required), choices=choices)
    if key == "reason":
        return TextAreaField(label, _presence(required) + [Length(max=4000)], render_kw={"rows": 4})
    if key == "terms_consent":
        return BooleanField(label, [DataRequired(message=_l("Please agree to the terms to continue."))]
                            if required else [])
    return StringField(label, _presence(required) + [Length(max=200), NoControlCharacters()])


def _question_field(question):
    required = question.required
    if question.kind == "long_text":
        return TextAreaField(question.label, _presence(required) + [Length(max=4000)], render_kw={"rows": 4})
    if question.kind == "single_choice":
        return RadioField(question.label, [InputRequired(message=_l("Please choose one."))] if required
                          else [Optional()], choices=[SelectChoice(c) for c in question.choices])
    if question.kind == "multiple_choice":
        return MultiCheckboxField(question.label,
                                  [DataRequired(message=_l("Please choose at least one."))] if required
                                  else [Optional()], choices=[SelectChoice(c) for c in question.choices])
    if question.kind == "yes_no":
        return RadioField(question.label, [InputRequired(message=_l("Please choose one."))] if required
                          else [Optional()], choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))])
    return StringField(question.label, _presence(required) + [Length(max=500)])


def request_form_class(clinic, services, questions):
    """A form class for this clinic's request form as it is set up now."""

    class RequestForm(PublicForm):
        name = StringField(_l("Your name"), [DataRequired(message=REQUIRED), Length(max=120), NoControlCharacters()],
                           render_kw={"autocomplete": "name"})
        email = EmailField(_l("Email"), [DataRequired(message=REQUIRED), Length(max=254), Email()],
                           render_kw={"autocomplete": "email"})
        service = SelectField(_l("Service"), [Optional()],
                              choices=[SelectChoice("", _l("Not sure yet"))] + [SelectChoice(str(s.id), s.name) for s in services])
        message = TextAreaField(_l("Message"), [Optional(), Length(max=4000)], render_kw={"rows": 4},
                                description=_l("Anything you would like the clinic to know."))

    for key, mode in registration.asked(clinic):
        setattr(RequestForm, key, _builtin_field(key, mode == "required", clinic))
    for question in questions:
        setattr(RequestForm, f"q_{question.id}", _question_field(question))
    return RequestForm

"""The forms of a member's own account: new passwords, the second sign-in step, two-step set-up and the
clinic's requirement."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..accounts import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from ..form_base import PageForm
from ..validators import EMAIL_LENGTH, REQUIRED, Email, max_length


def _new_password_field(label=None):
    return PasswordField(
        label or _l("New password"),
        [
            DataRequired(message=REQUIRED),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=_l("Please use at least %(min)d and at most %(max)d characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
        description=_l(
            "At least %(min)d characters. A few unrelated words are easy to remember and hard to guess.",
            min=PASSWORD_MIN_LENGTH,
        ),
    )


def _repeat_field():
    return PasswordField(
        _l("New password again"),
        [DataRequired(message=REQUIRED), EqualTo("password", message=_l("The two new passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


def _current_password_field():
    return PasswordField(
        _l("Current password"),
        [DataRequired(message=REQUIRED), max_length(PASSWORD_MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordForm(PageForm):
    password = _new_password_field()
    repeat = _repeat_field()


class ChangePasswordForm(PageForm):
    current = _current_password_field()
    password = _new_password_field()
    repeat = _repeat_field()

    def validate_password(self, field):
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("Please choose a password different from the current one."))


class ForgotPasswordForm(PageForm):
    email = EmailField(
        _l("Email"),
        [DataRequired(message=REQUIRED), max_length(EMAIL_LENGTH), Email()],
        render_kw={"autocomplete": "username"},
    )


class CodeForm(PageForm):
    code = StringField(
        _l("Code"),
        [DataRequired(message=REQUIRED), max_length(40)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "autocapitalize": "off",
        },
        description=_l("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
    )


class ConfirmCodeForm(PageForm):
    code = StringField(
        _l("Code from the app"),
        [DataRequired(message=REQUIRED), max_length(40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class PasswordCheckForm(PageForm):
    """A change that asks for the password again (turning two-step sign-in off)."""

    current = _current_password_field()


class RequireTwoFactorForm(PageForm):
    require_two_factor = BooleanField(_l("Everyone at the clinic signs in with an authenticator app"))

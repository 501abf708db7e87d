"""Forms of two-factor sign-in: the code at sign-in, the set-up, and the password re-typed to change it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin


def _code_field(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
        ),
    )


class TwoFactorVerifyForm(BootstrapFormMixin, forms.Form):
    code = _code_field(_("The 6-digit code your authenticator app shows now, or one of your recovery codes."))


class PasswordConfirmMixin(forms.Form):
    """The account's password typed again: a session left open on a shared computer cannot change how the
    account signs in."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


class TwoFactorEnrolForm(BootstrapFormMixin, PasswordConfirmMixin):
    """The first code from the app proves it holds the secret; replacing an authenticator also takes the
    password (signing in with the old one is not proof enough to move the account to another phone)."""

    code = _code_field(_("The 6-digit code the app shows after you added the account."))

    field_order = ["code", "password"]

    def __init__(self, *args: Any, user: Any, replacing: bool, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not replacing:
            del self.fields["password"]


class PasswordConfirmForm(BootstrapFormMixin, PasswordConfirmMixin):
    pass

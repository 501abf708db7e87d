"""Password rules beyond Django's: a mix of characters, no words anyone could guess from the portal, and
messages the Chinese interface translates (Django's catalog lacks the minimum-length one)."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import province_current

# Words a guesser tries first on this portal (the province's own name is added from its reference data).
GUESSABLE_WORDS = ("zcpark", "password", "lingtan", "admin", "qwerty")
CLASSES_REQUIRED = 3
# A passphrase this long is strong whatever its characters (NIST SP 800-63B favours length).
PASSPHRASE_LENGTH = 16
DISTINCT_MIN = 5


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the message in the portal's own catalog."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext("At least %(n)d character.", "At least %(n)d characters.", self.min_length) % {
            "n": self.min_length
        }


def _classes(password: str) -> int:
    groups = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    count = sum(any(ch in group for ch in password) for group in groups)
    return count + any(not ch.isalnum() and not ch.isspace() for ch in password)


class CharacterClassesValidator:
    """At least three of: lower-case letters, capitals, digits, symbols (or a passphrase of 16 characters or
    more); never only spaces or a few characters repeated."""

    def validate(self, password: str, user: Any = None) -> None:
        varied = len(set(password.strip())) >= DISTINCT_MIN
        mixed = _classes(password) >= CLASSES_REQUIRED or len(password) >= PASSPHRASE_LENGTH
        if not (varied and mixed):
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Use at least three of: lower-case letters, capitals, digits and symbols, or a passphrase of "
            "16 characters or more; not only spaces or a few characters repeated."
        )


class GuessableWordsValidator:
    """No word a guesser tries first: the province's name, the portal's, 'password' and the like."""

    def validate(self, password: str, user: Any = None) -> None:
        province = province_current()
        words = (*GUESSABLE_WORDS, province.name_en.lower(), province.name)
        lowered = password.lower()
        if any(word and word in lowered for word in words):
            raise ValidationError(self.get_help_text(), code="password_guessable")

    def get_help_text(self) -> str:
        return _("Do not use the province's or the portal's name, or words such as “password”.")

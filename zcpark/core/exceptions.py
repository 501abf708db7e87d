"""Exceptions services raise; the views and the API exception handler map them to responses."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A business rule was broken (as opposed to malformed input or a missing permission).

    ``errors`` maps a field (or ``"__all__"``) to messages, like a form's errors. ``status_code``: the
    HTTP status it answers (400; 409 for an edit made on top of someone else's).
    """

    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def reasons(self) -> list[str]:
        """Every condition the service named, once each, in order (the message aside)."""
        return list(dict.fromkeys(str(line) for lines in self.errors.values() for line in lines))


def error_messages(exc: ValidationError, key: str = "__all__") -> dict[str, list[str]]:
    """A ValidationError's messages by field; one without fields files them under ``key``."""
    return exc.message_dict if hasattr(exc, "error_dict") else {key: exc.messages}


def service_error_text(exc: ApplicationError | ValidationError) -> str:
    """Every reason a service gave for refusing, as one message for the page."""
    lines = [exc.message, *exc.reasons()] if isinstance(exc, ApplicationError) else exc.messages
    return " ".join(dict.fromkeys(str(line) for line in lines))

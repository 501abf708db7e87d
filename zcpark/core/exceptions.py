"""Exceptions services raise; the views and the API exception handler map them to responses."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule was broken (as opposed to malformed input or a missing permission).

    ``errors`` maps a field (or ``"__all__"``) to messages, like a form's errors.
    """

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    def reasons(self) -> list[str]:
        """Every condition the service named, once each, in order (the message aside)."""
        return list(dict.fromkeys(str(line) for lines in self.errors.values() for line in lines))

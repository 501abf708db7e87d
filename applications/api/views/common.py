"""Shared pieces of the applications API: the exact-decimal body parser, error schemas, access checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from indicators.api.views import DecimalJSONParser
from indicators.calculator import InvalidDatasetJSON

from ...models import Application
from ...permissions import can_create_application
from ..serializers import ApiErrorSerializer

E = ApiErrorSerializer
READ_ERRORS = {401: E, 403: E, 404: E}
READ_ERRORS_NO_404 = {401: E, 403: E}
WRITE_ERRORS = {400: E, 401: E, 403: E, 404: E}


class DecimalBodyParser(DecimalJSONParser):
    """JSON with every non-integer number read as Decimal; malformed JSON answers 400, not 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except InvalidDatasetJSON as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc


def _require_park_staff(user: Any, application: Application) -> None:
    """403 unless ``user`` is the application's park staff; the services then check the state (400)."""
    # "May start an application for this park" is exactly "is this park's staff".
    if not can_create_application(user, application.park):
        raise PermissionDenied

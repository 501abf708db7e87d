"""API plumbing shared by every app: pagination, the one exception handler, the exact-decimal body
parser, the error schemas and the output pieces every API uses (choice values, actions, timelines)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .exceptions import ApplicationError, error_messages
from .jsonio import InvalidJSON, parse_decimal_json
from .middleware import BUSY_MESSAGE, is_busy
from .models import AuditEvent
from .text import UNSTORABLE_MESSAGE, unstorable_path


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int | None:
        """``page_size`` from 1 to 200, or absent; anything else (``null``, ``0``, ``ten``) answers 400."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every error as ``{"detail": ..., "errors": {field: [...]}}``.

    Django's ValidationError and our ApplicationError become 400, PermissionDenied 403, Http404 404.
    A serializer's errors inside lists and nested objects are named by their path (``error_paths``).
    """
    if isinstance(exc, DjangoValidationError):
        errors = error_messages(exc, "non_field_errors")
        return Response({"detail": _("Invalid input."), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "errors": exc.errors}, status=exc.status_code)
    if is_busy(exc):
        return Response({"detail": str(BUSY_MESSAGE), "errors": {}}, status=503, headers={"Retry-After": "5"})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    # Imported here: DRF's views module loads the parsers defined below, so importing it first would
    # make ``import zcpark.core.api`` fail when nothing has loaded DRF's views yet (a test, a script).
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("Invalid input."), "errors": error_paths(exc.detail)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": detail, "errors": {}}
    return response


def error_paths(detail: Any, path: str = "") -> dict[str, list[str]]:
    """A serializer's errors as ``{path: [messages]}``, the shape ``ApiErrorSerializer`` documents.

    DRF nests the errors of list items and nested objects (``{"items": {3: {"quantity": [...]}}}``;
    a serializer of many items gives a list with one entry per item). Each message is filed under the
    path of the value it is about, written as the engine writes its input errors: ``items[3].quantity``
    (list positions from 0, in brackets), ``scores.core`` (object keys after a dot). A nested
    serializer's own errors (``non_field_errors``) belong to the value itself: ``items``.
    """
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):
                child = f"{path}[{key}]"
            elif key == api_settings.NON_FIELD_ERRORS_KEY and path:
                child = path
            else:
                child = f"{path}.{key}" if path else str(key)
            for name, messages in error_paths(value, child).items():
                found.setdefault(name, []).extend(messages)
        return found
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        return error_paths({index: item for index, item in enumerate(detail) if item}, path)
    messages = detail if isinstance(detail, list) else [detail]
    return {path or api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in messages]}


class DocsPermission(BasePermission):
    """The API's schema and docs: anyone when settings.API_DOCS_PUBLIC, else signed-in users and tokens."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(settings.API_DOCS_PUBLIC or (request.user and request.user.is_authenticated))


class CheckedJSONParser(JSONParser):
    """DRF's JSON parser, refusing text the database cannot hold (400 naming where) instead of a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
            path = unstorable_path(data)
        except RecursionError as exc:  # a body nested thousands of levels deep
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
        if path is not None:
            raise ParseError(f"{path} {UNSTORABLE_MESSAGE}")
        return data


class DecimalJSONParser(BaseParser):
    """JSON with every non-integer number read as Decimal: a quantity never passes through float.

    A body that is not JSON raises InvalidJSON, whose errors document the calculator answers with."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # DRF hands parsers the raw stream: Django's upload limit must be applied here.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise InvalidJSON(f"larger than {limit} bytes")
        return parse_decimal_json(data)


class DecimalBodyParser(DecimalJSONParser):
    """JSON with every non-integer number read as Decimal; malformed JSON answers 400, not 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except InvalidJSON as exc:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc


def choice_value(choices: type[models.TextChoices]) -> serializers.CharField:
    """An output choice value, documented as a string listing its values.

    Several models name a choice field ``status`` or ``kind``; as schema enums they would need
    names fixed in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (else the schema warns).
    """
    return serializers.CharField(help_text="One of: " + ", ".join(choices.values))


class ApiErrorSerializer(serializers.Serializer):
    """Every error answer: a message and the messages per field, named by path: ``title``,
    ``applications[2]`` (a list's item), ``scores.core`` (an object's key), and the dossier's own
    ``sections.projects.projects.3.investment_wan`` (its tables count rows from 1, as shown)."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


E = ApiErrorSerializer
READ_ERRORS = {401: E, 403: E, 404: E}
READ_ERRORS_NO_404 = {401: E, 403: E}
WRITE_ERRORS = {400: E, 401: E, 403: E, 404: E}
# What every paginated list may answer whoever calls it (zcpark.core.api_schema adds them).
LIST_ERRORS = {
    400: OpenApiResponse(E, description="A filter value or page_size the list does not accept."),
    404: OpenApiResponse(E, description="A page past the last one."),
}


class ActionOutputSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class EventOutputSerializer(serializers.ModelSerializer):
    """One entry of an object's timeline (``from``/``to`` are state names, empty when not a transition)."""

    time = serializers.DateTimeField(source="created_at")
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    action_label = serializers.CharField()
    from_state = serializers.CharField(source="from_state")
    from_label = serializers.CharField()
    to_state = serializers.CharField(source="to_state")
    to_label = serializers.CharField()
    changes = serializers.DictField(child=serializers.ListField(), help_text="field → [old, new]")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "time",
            "actor",
            "action",
            "action_label",
            "from_state",
            "from_label",
            "to_state",
            "to_label",
            "comment",
            "changes",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # The contract names them ``from`` and ``to`` (Python keywords, so they cannot be declared directly).
        fields = super().get_fields()
        renamed = {"from_state": "from", "to_state": "to"}
        return {renamed.get(name, name): field for name, field in fields.items()}

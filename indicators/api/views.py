"""Calculator API: a dataset in, the result document out; nothing is stored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..calculator import InvalidDatasetJSON, calculator_evaluate, parse_dataset_json


class DecimalJSONParser(BaseParser):
    """JSON with every non-integer number read as Decimal: a quantity never passes through float."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return parse_dataset_json(stream.read())


class CalculatorApi(APIView):
    """Evaluate a dataset document (accounting.md §5) with the current factor set; store nothing."""

    parser_classes = [DecimalJSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter(
                "scheme", str, description="jiangxi-2025 (default) or national-2025", required=False
            )
        ],
        description="Body: a dataset document. 200: the result document. 400: every input error at once.",
    )
    def post(self, request: Request) -> Response:
        try:
            dataset = request.data
        except InvalidDatasetJSON as exc:
            return _errors(exc.document)
        evaluation = calculator_evaluate(dataset=dataset, scheme_code=request.query_params.get("scheme"))
        if not evaluation.ok:
            return _errors(evaluation.document())
        return Response(evaluation.document())


def _errors(document: dict[str, Any]) -> Response:
    count = len(document["errors"])
    return Response(
        {"detail": _("The dataset has %(count)d error(s).") % {"count": count}, **document},
        status=status.HTTP_400_BAD_REQUEST,
    )

"""Calculator API: a dataset in, the result document out; nothing is stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import DecimalJSONParser
from zcpark.core.jsonio import InvalidJSON

from ..calculator import calculator_evaluate


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
        except InvalidJSON as exc:
            return _errors(exc.document)
        try:
            evaluation = calculator_evaluate(dataset=dataset, scheme_code=request.query_params.get("scheme"))
        except ValidationError as exc:
            return _errors(
                {"errors": [{"path": "scheme", "code": "invalid", "message": m} for m in exc.messages]}
            )
        if not evaluation.ok:
            return _errors(evaluation.document())
        return Response(evaluation.document())


def _errors(document: dict[str, Any]) -> Response:
    count = len(document["errors"])
    return Response(
        {"detail": _("The dataset has %(count)d error(s).") % {"count": count}, **document},
        status=status.HTTP_400_BAD_REQUEST,
    )

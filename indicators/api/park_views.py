"""A park's data over the API for its 能碳平台 (issue 15): push a year's dataset, read its results.

Both answer to people (the park's staff, the province: session or personal token) and to machines (an
integration key with the scope each method declares). A park outside the caller's scope answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parks.integration import MachineScope
from parks.selectors import park_get_visible_to
from zcpark.core.api import DecimalBodyParser
from zcpark.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

from ..selectors import indicator_result_current, local_scheme_code, park_dataset_for, scheme_codes
from ..services.dataset_imports import park_dataset_push
from .push_docs import (
    DATASET_PUT_DESCRIPTION,
    DATASET_PUT_EXAMPLES,
    RESULTS_GET_DESCRIPTION,
    RESULTS_GET_EXAMPLES,
    DatasetErrorsSerializer,
    DatasetPushOutputSerializer,
    ErrorsSerializer,
)

PARK = OpenApiParameter("park_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The park's id.")
YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="The energy year.")


class ParkDatasetPushApi(APIView):
    """Store (create or replace) a park's dataset document for one year."""

    parser_classes = [DecimalBodyParser]
    machine_scopes = {"PUT": MachineScope.DATASETS_WRITE}

    @extend_schema(
        operation_id="park_dataset_put",
        parameters=[PARK, YEAR, IDEMPOTENCY_KEY_PARAMETER],
        request=OpenApiTypes.OBJECT,
        responses={
            200: DatasetPushOutputSerializer,
            201: DatasetPushOutputSerializer,
            400: DatasetErrorsSerializer,
            401: ErrorsSerializer,
            403: ErrorsSerializer,
            404: ErrorsSerializer,
            409: ErrorsSerializer,
            422: ErrorsSerializer,
        },
        description=DATASET_PUT_DESCRIPTION,
        examples=DATASET_PUT_EXAMPLES,
    )
    @idempotent
    def put(self, request: Request, park_id: int, year: int) -> Response:
        park = park_get_visible_to(user=request.user, pk=park_id)
        existed = park_dataset_for(park=park, year=year) is not None
        # Recorded in the park-year's import history (committed at once), so the park can undo a push. The
        # history's label is stored text, read by everyone: in the portal's language.
        with translation.override(settings.LANGUAGE_CODE):
            label = _("Pushed through the API")
        dataset = park_dataset_push(
            by=request.user, park=park, year=year, document=request.data, comment=label
        )
        body = {
            "park": park.pk,
            "year": year,
            "created": not existed,
            "dataset": dataset.pk,
            "results": reverse("api-park-results", args=[park.pk, year]),
        }
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class ParkResultsApi(APIView):
    """The current result document of a park's year (the calculator's shape)."""

    machine_scopes = {"GET": MachineScope.RESULTS_READ}

    @extend_schema(
        operation_id="park_results_get",
        parameters=[
            PARK,
            YEAR,
            OpenApiParameter(
                "scheme", str, description="the province's own scheme (default) or another code"
            ),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            401: ErrorsSerializer,
            403: ErrorsSerializer,
            404: ErrorsSerializer,
        },
        description=RESULTS_GET_DESCRIPTION,
        examples=RESULTS_GET_EXAMPLES,
    )
    def get(self, request: Request, park_id: int, year: int) -> Response:
        park = park_get_visible_to(user=request.user, pk=park_id)
        scheme = request.query_params.get("scheme") or local_scheme_code()
        if "scheme" in request.query_params and scheme not in scheme_codes():
            raise ValidationError({"scheme": [_("Unknown scheme: %(code)s.") % {"code": scheme}]})
        dataset = park_dataset_for(park=park, year=year)
        if dataset is None:
            raise NotFound(_("No energy data is stored for %(year)s.") % {"year": year})
        result = indicator_result_current(dataset=dataset, scheme_code=scheme)
        if result is None:
            raise NotFound(
                _("The indicators for %(year)s are being computed; try again shortly.") % {"year": year}
            )
        return Response(result.document)

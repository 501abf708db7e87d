"""The monthly push API: a park's 能碳平台 posts one month at a time and reads the year's outlook.

``POST /api/v1/parks/<park_id>/monthly/`` — body ``{"year", "month", "rows": [...]}``; the month's rows
replace whatever that month had. ``GET /api/v1/parks/<park_id>/monthly/<year>/`` — months received, the
year-to-date core indicator, the projection, the target, the status.

Machine credentials (helper "machine") read ``machine_scopes``; a park-staff token or session works too.
Idempotency: the push honours ``Idempotency-Key`` (``zcpark.core.idempotency.idempotent``): a retry with
the same key and body is replayed, never applied twice.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parks.models import Park
from parks.permissions import park_visibility
from zcpark.core.api import READ_ERRORS, WRITE_ERRORS, DecimalBodyParser
from zcpark.core.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent

from .outlook import Outlook, outlook_compute
from .services import monthly_push

PUSH_EXAMPLE = {
    "year": 2026,
    "month": 3,
    "rows": [
        {"carrier": "natural_gas", "use": "fuel", "quantity": "120.5", "unit": "10^4 Nm3"},
        {"carrier": "diesel", "quantity": "35", "unit": "t", "enterprise": "某某化工有限公司"},
        {"carrier": "electricity", "use": "grid", "quantity": "5200", "unit": "MWh"},
        {"carrier": "electricity", "use": "onsite_renewable", "quantity": "800", "unit": "MWh"},
        {"carrier": "heat", "use": "purchased", "quantity": "1500", "unit": "GJ"},
    ],
}


def park_for(user: Any, park_id: int) -> Park:
    """The park if ``user`` sees it (else 404)."""
    return get_object_or_404(Park.objects.with_places().filter(park_visibility(user)), pk=park_id)


def outlook_data(outlook: Outlook) -> dict[str, Any]:
    return {
        "park": outlook.park.pk,
        "year": outlook.year,
        "months_received": outlook.months,
        "rows_by_month": {str(m): n for m, n in outlook.rows_by_month.items()},
        "year_to_date": outlook.ytd.as_dict() if outlook.ytd else None,
        "projection": (
            {
                **outlook.projection.as_dict(),
                "basis": outlook.projection_basis,
                "basis_label": outlook.projection_basis_label,
            }
            if outlook.projection
            else None
        ),
        "target": (
            {
                "carbon_per_energy": str(outlook.target),
                "basis": outlook.target_basis,
                "basis_label": outlook.target_basis_label,
            }
            if outlook.target is not None
            else None
        ),
        "status": outlook.status,
        "status_label": outlook.status_label,
    }


class MonthlyPushApi(APIView):
    """Push one month of a park's energy, electricity and heat figures."""

    parser_classes = [DecimalBodyParser]
    machine_scopes = {"POST": "monthly_write", "GET": "results_read"}

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, **WRITE_ERRORS},
        examples=[OpenApiExample("A month", value=PUSH_EXAMPLE, request_only=True)],
        description=(
            "One month per request. Each row: carrier (a factor-set carrier code, or `electricity` / "
            "`heat`), use (an energy use, default `fuel`; for electricity a key of the dataset's "
            "electricity_mwh block, default `grid`; for heat a key of heat_gj, default `purchased`), "
            "optional enterprise, quantity (≥ 0) and unit (accepted per carrier). A month pushed again "
            "REPLACES that month's rows. 201 for a new month, 200 when it replaced one. Errors name the "
            "row and field: `rows[12].quantity`. Answers the year's outlook."
        ),
    )
    def post(self, request: Request, park_id: int) -> Response:
        return _post(self, request, park_id)


@idempotent  # a retry with the same Idempotency-Key and body gets the first answer again
def _post(view: APIView, request: Request, park_id: int) -> Response:
    park = park_for(request.user, park_id)
    body = request.data if isinstance(request.data, dict) else {}
    result = monthly_push(
        by=request.user, park=park, year=body.get("year"), month=body.get("month"), rows=body.get("rows")
    )
    data = outlook_data(result.outlook)
    data["rows"] = result.rows
    data["replaced"] = result.replaced
    return Response(data, status=status.HTTP_200_OK if result.replaced else status.HTTP_201_CREATED)


class MonthlyYearApi(APIView):
    """The year's months received, year-to-date core indicator, projection and target."""

    machine_scopes = {"POST": "monthly_write", "GET": "results_read"}

    @extend_schema(responses={200: OpenApiTypes.OBJECT, **READ_ERRORS})
    def get(self, request: Request, park_id: int, year: int) -> Response:
        park = park_for(request.user, park_id)
        return Response(outlook_data(outlook_compute(park, year)))

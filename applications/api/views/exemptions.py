"""Applications API: the dossier's exemption claims and the city's and the province's moves on them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, WRITE_ERRORS

from ... import selectors
from ...exemptions.models import ExemptionClaim
from ...exemptions.selectors import claim_get_for_application, claims_of
from ...exemptions.services import exemption_transition
from ..serializers.exemptions import ExemptionClaimOutputSerializer, ExemptionTransitionInputSerializer


@extend_schema_view(
    get=extend_schema(responses={200: ExemptionClaimOutputSerializer(many=True), **READ_ERRORS})
)
class ApplicationExemptionListApi(generics.ListAPIView):
    """The exemption claims of a dossier, the latest revision's first, with the city's opinion and the
    province's decision on each (superseded claims included, with status ``superseded``). Only an accepted
    claim (``granted``) counts in the park's results."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ExemptionClaim.objects.none()
    serializer_class = ExemptionClaimOutputSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        application = selectors.application_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return claims_of(application)


class ApplicationExemptionTransitionApi(APIView):
    """The city's opinion (city_agree, city_disagree) or the province's decision (accept, reject) on one
    exemption claim, with its text."""

    @extend_schema(
        request=ExemptionTransitionInputSerializer,
        responses={200: ExemptionClaimOutputSerializer, **WRITE_ERRORS},
        description=(
            "200: the claim in its new state. 400: the claim or the dossier is in another state, or the text "
            "is missing. 403: the caller's role or scope may not take the action. 404: the application or "
            "the claim is outside the caller's scope."
        ),
    )
    def post(self, request: Request, pk: int, claim_pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        claim = claim_get_for_application(application, claim_pk)
        serializer = ExemptionTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = exemption_transition(by=request.user, claim=claim, **serializer.validated_data)
        return Response(ExemptionClaimOutputSerializer(claim).data)

"""Construction lists API, and the public lists anyone may read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, READ_ERRORS_NO_404, WRITE_ERRORS

from ... import selectors, services
from ...models import ConstructionList
from ...permissions import can_manage_lists
from ..serializers import (
    ConstructionListCreateInputSerializer,
    ConstructionListOutputSerializer,
    ConstructionListTransitionInputSerializer,
    PublicListOutputSerializer,
)


def _list_response(
    request: Request, construction_list: ConstructionList, *, status_code: int = 200
) -> Response:
    prefetch_related_objects([construction_list], selectors.entries_prefetch())
    data = ConstructionListOutputSerializer(construction_list, context={"request": request}).data
    return Response(data, status=status_code)


@extend_schema_view(
    get=extend_schema(responses={200: ConstructionListOutputSerializer(many=True), **READ_ERRORS_NO_404})
)
class ConstructionListListApi(generics.ListAPIView):
    """Construction lists with their parks; the province drafts one from approved applications."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ConstructionList.objects.none()
    serializer_class = ConstructionListOutputSerializer

    def get_queryset(self) -> QuerySet[ConstructionList]:
        return selectors.construction_list_visible_to(user=self.request.user)

    @extend_schema(
        request=ConstructionListCreateInputSerializer,
        responses={201: ConstructionListOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not can_manage_lists(request.user):
            raise PermissionDenied
        serializer = ConstructionListCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        construction_list = services.construction_list_create(
            by=request.user,
            title=data["title"],
            document_no=data["document_no"],
            application_ids=data["applications"],
        )
        return _list_response(request, construction_list, status_code=status.HTTP_201_CREATED)


class ConstructionListDetailApi(APIView):
    """One list with its entries (removed ones with date and reason); drafts are the province's."""

    @extend_schema(responses={200: ConstructionListOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _list_response(request, selectors.construction_list_get_for_user(user=request.user, pk=pk))


class ConstructionListTransitionApi(APIView):
    """``notice`` (公示, with the objection deadline) and ``publish`` (from that deadline on)."""

    @extend_schema(
        request=ConstructionListTransitionInputSerializer,
        responses={200: ConstructionListOutputSerializer, **WRITE_ERRORS},
        description="Publishing lists its applications (status listed). Before the objection deadline: 400.",
    )
    def post(self, request: Request, pk: int) -> Response:
        construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
        serializer = ConstructionListTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        construction_list = services.construction_list_transition(
            by=request.user, construction_list=construction_list, **serializer.validated_data
        )
        return _list_response(request, construction_list)


@extend_schema_view(get=extend_schema(responses={200: PublicListOutputSerializer(many=True)}))
class PublicListApi(generics.ListAPIView):
    """Construction lists on public notice (公示: first, by objection deadline) and published ones (newest
    first), with their parks, for anyone (no sign-in), paginated."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ConstructionList.objects.none()
    serializer_class = PublicListOutputSerializer
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self) -> QuerySet[ConstructionList]:
        return selectors.public_list_all()

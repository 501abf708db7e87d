"""公示 objections API: the province records and answers objections and drops parks from a list on public
notice; park staff and city reviewers read the objections about their parks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parks.permissions import can_view_whole_program
from zcpark.core.api import READ_ERRORS, READ_ERRORS_NO_404, WRITE_ERRORS

from ... import selectors, services
from ...models import ListObjection
from ...permissions import can_manage_lists
from ...selectors import objections as objection_selectors
from ..serializers import ConstructionListOutputSerializer
from ..serializers.objections import (
    ObjectionAnswerInputSerializer,
    ObjectionOutputSerializer,
    ObjectionRecordInputSerializer,
    ParkDropInputSerializer,
)
from .lists import _list_response


def _objection_response(request: Request, objection: ListObjection, *, status_code: int = 200) -> Response:
    context = {"request": request, "sees_objector": can_view_whole_program(request.user)}
    return Response(ObjectionOutputSerializer(objection, context=context).data, status=status_code)


@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter("construction_list", int, description="Only this list's objections.")],
        responses={200: ObjectionOutputSerializer(many=True), **READ_ERRORS_NO_404},
    )
)
class ObjectionListApi(generics.ListAPIView):
    """Objections to parks on public notice: every one for the province and observers, a city's parks'
    for its reviewers, the park's own for its staff (without the objector's name, contact and evidence)."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ListObjection.objects.none()
    serializer_class = ObjectionOutputSerializer

    def get_queryset(self) -> QuerySet[ListObjection]:
        objections = objection_selectors.objection_visible_to(user=self.request.user)
        list_id = self.request.query_params.get("construction_list", "")
        return objections.filter(construction_list_id=list_id) if list_id.isdigit() else objections

    def get_serializer_context(self) -> dict[str, object]:
        return {
            **super().get_serializer_context(),
            "sees_objector": can_view_whole_program(self.request.user),
        }


class ObjectionDetailApi(APIView):
    """One objection, in the reader's scope (404 outside it)."""

    @extend_schema(responses={200: ObjectionOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _objection_response(
            request, objection_selectors.objection_get_for_user(user=request.user, pk=pk)
        )


class ObjectionRecordApi(APIView):
    """The province records an objection to a park on a list while the list is on public notice."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={
            "multipart/form-data": ObjectionRecordInputSerializer,
            "application/json": ObjectionRecordInputSerializer,
        },
        responses={201: ObjectionOutputSerializer, **WRITE_ERRORS},
        description="Refused (400) unless the list is on public notice; evidence: pdf, images, office, ofd, zip.",
    )
    def post(self, request: Request, pk: int) -> Response:
        construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
        if not can_manage_lists(request.user):
            raise PermissionDenied
        serializer = ObjectionRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = data["evidence"]
        objection = services.objection_record(
            by=request.user,
            construction_list=construction_list,
            park_id=data["park"],
            raised_by=data["raised_by"],
            contact=data["contact"],
            received_on=data["received_on"],
            text=data["text"],
            evidence=evidence,
            evidence_name=evidence.name if evidence else "",
        )
        return _objection_response(request, objection, status_code=status.HTTP_201_CREATED)


class ObjectionAnswerApi(APIView):
    """The province answers an open objection; the answer is final (a second answer: 400)."""

    @extend_schema(
        request=ObjectionAnswerInputSerializer, responses={200: ObjectionOutputSerializer, **WRITE_ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        objection = objection_selectors.objection_get_for_user(user=request.user, pk=pk)
        serializer = ObjectionAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = services.objection_answer(
            by=request.user, objection=objection, answer=serializer.validated_data["answer"]
        )
        return _objection_response(request, objection)


class ListParkDropApi(APIView):
    """The province drops a park from a list on public notice, with the reason; its application stays
    approved and may go on a later list."""

    @extend_schema(
        request=ParkDropInputSerializer,
        responses={200: ConstructionListOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
        if not can_manage_lists(request.user):
            raise PermissionDenied
        serializer = ParkDropInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        construction_list = services.list_park_drop(
            by=request.user, construction_list=construction_list, park_id=data["park"], reason=data["reason"]
        )
        return _list_response(request, construction_list)

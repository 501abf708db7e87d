"""督导 and extensions API: the parks to supervise, reminding an overdue order, a project's extension
requests (the city files one) and the province's decision on one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, READ_ERRORS_NO_404, WRITE_ERRORS, DecimalBodyParser

from ... import selectors, services
from ...models import ExtensionRequest
from ...permissions import can_supervise, can_view_supervision, is_city_reviewer_of, project_visibility
from ...selectors.supervision import SupervisionFilters, supervision_rows
from ...services.common import require
from ..serializers import (
    ExtensionDecisionInputSerializer,
    ExtensionRequestInputSerializer,
    ExtensionRequestOutputSerializer,
    OrderDetailOutputSerializer,
    SupervisionRowOutputSerializer,
)
from .orders import order_response


class SupervisionListApi(APIView):
    """The parks to supervise (督导): lagging on the core indicator in the latest reported year, or late with
    an annual report."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Part of a park's or its zone's name."),
            OpenApiParameter("city", str, description="A city code."),
            OpenApiParameter("reason", str, enum=["lagging", "overdue"]),
            OpenApiParameter("order", str, enum=["open", "none"], description="With an open order or none."),
        ],
        responses={200: SupervisionRowOutputSerializer(many=True), **READ_ERRORS_NO_404},
        description=(
            "The province and observers: every park; a city reviewer: its city's parks; park staff: 403. "
            "core_lagging: the latest year with a submitted report and a computed result is worse than "
            "that year's target. overdue: the annual reports past their due date."
        ),
    )
    def get(self, request: Request) -> Response:
        require(can_view_supervision(request.user))
        rows = supervision_rows(
            user=request.user,
            filters=SupervisionFilters.from_query(request.query_params),
            today=timezone.localdate(),
        )
        return Response(SupervisionRowOutputSerializer(rows, many=True).data)


class OrderReminderApi(APIView):
    """The province reminds the park of an overdue order (no change of state; at most once a day)."""

    @extend_schema(
        request=None,
        responses={200: OrderDetailOutputSerializer, **WRITE_ERRORS},
        description="400: the order is not overdue, or was reminded today already.",
    )
    def post(self, request: Request, pk: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        services.order_remind(by=request.user, order=order)
        return order_response(request, selectors.order_get_for_user(user=request.user, pk=pk))


class ProjectExtensionRequestListApi(APIView):
    """A project's extension requests, newest first; its city requests one at the period's end."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: ExtensionRequestOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        requests = project.extension_requests.select_related("requested_by", "decided_by")
        return Response(ExtensionRequestOutputSerializer(requests, many=True).data)

    @extend_schema(
        request=ExtensionRequestInputSerializer,
        responses={201: ExtensionRequestOutputSerializer, **WRITE_ERRORS},
        description=(
            "The park's city reviewer, while the project is in self-assessment and its core indicator fails "
            "for the assessment year: years (1–2, the period 3–5 years in all) and reason. 400 names each "
            "field; one request at a time."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(is_city_reviewer_of(request.user, project))
        serializer = ExtensionRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = services.extension_request_file(by=request.user, project=project, **serializer.validated_data)
        return Response(ExtensionRequestOutputSerializer(made).data, status=status.HTTP_201_CREATED)


def _extension_get_for_user(user: Any, pk: int) -> ExtensionRequest:
    found = (
        ExtensionRequest.objects.select_related("project", "project__park", "project__park__zone")
        .filter(project_visibility(user, prefix="project__"), pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


class ExtensionDecisionApi(APIView):
    """The province approves or rejects a waiting extension request."""

    @extend_schema(
        request=ExtensionDecisionInputSerializer,
        responses={200: ExtensionRequestOutputSerializer, **WRITE_ERRORS},
        description=(
            "approve: the project goes back under construction with the extra years and their annual "
            "reports due; reject: it stays in self-assessment (removal remains possible). comment required."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        extension = _extension_get_for_user(request.user, pk)
        require(can_supervise(request.user))
        serializer = ExtensionDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decided = services.extension_decide(
            by=request.user,
            request=extension,
            decision=data["action"],
            comment=data["comment"],
            document_no=data["document_no"],
        )
        return Response(ExtensionRequestOutputSerializer(decided).data)

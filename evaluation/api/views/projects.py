"""Construction projects API: the scoped list, the project with its trajectory, removal, incentives, timeline."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import (
    READ_ERRORS,
    READ_ERRORS_NO_404,
    WRITE_ERRORS,
    DecimalBodyParser,
    EventOutputSerializer,
)
from zcpark.core.models import AuditEvent

from ... import selectors, services
from ...models import ConstructionProject, ProjectStatus
from ...permissions import can_supervise, can_view_projects
from ...services.common import require
from ..serializers import (
    IncentiveInputSerializer,
    IncentiveOutputSerializer,
    ProjectDetailOutputSerializer,
    ProjectListOutputSerializer,
    RemovalInputSerializer,
)


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    city = django_filters.CharFilter(field_name="park__zone__city__code", label="city code (GB/T 2260)")
    park = django_filters.NumberFilter(field_name="park_id")

    class Meta:
        model = ConstructionProject
        fields = ["status", "city", "park"]


def project_response(
    request: Request, project: ConstructionProject, *, status_code: int = status.HTTP_200_OK
) -> Response:
    """The project with its targets, key projects, reports, incentives, trajectory and evaluations."""
    context = {
        "request": request,
        "today": timezone.localdate(),
        "key_projects": selectors.key_projects(project),
        "annual_reports": selectors.annual_reports(project),
        "incentives": selectors.incentives(project),
        "trajectory": selectors.trajectory(project),
        "evaluations": selectors.evaluations(project),
        "open_orders": selectors.open_orders(project).count(),
        "acceptance_gate": (
            selectors.acceptance_gate(project) if project.status == ProjectStatus.SELF_ASSESSMENT else None
        ),
    }
    return Response(ProjectDetailOutputSerializer(project, context=context).data, status=status_code)


@extend_schema_view(
    get=extend_schema(
        responses={200: ProjectListOutputSerializer(many=True), **READ_ERRORS_NO_404},
        description=(
            "The projects the caller may see: its park's, its city's, or all (province, observers). "
            "Experts see evaluations only (403 here)."
        ),
    )
)
class ProjectListApi(generics.ListAPIView):
    """Construction projects, by city and park."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ConstructionProject.objects.none()
    serializer_class = ProjectListOutputSerializer
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet[ConstructionProject]:
        # A GROUP BY query drops the model's default ordering: it is restated for stable pages.
        return (
            selectors.project_list_annotated(
                selectors.project_list_visible_to(user=self.request.user), today=timezone.localdate()
            )
            .select_related("national_recommendation")
            .order_by(*ConstructionProject._meta.ordering)
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(can_view_projects(request.user))
        return super().list(request, *args, **kwargs)


class ProjectDetailApi(APIView):
    """One project: targets, key projects with progress, annual reports, the trajectory against the targets."""

    @extend_schema(
        responses={200: ProjectDetailOutputSerializer, **READ_ERRORS},
        description=(
            "trajectory: every indicator from 2025 to the final year, the computed value of each submitted "
            "year against the dossier's target (numbers as exact decimal strings). acceptance_gate: the "
            "conditions for requesting acceptance, while the project is in self-assessment."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        return project_response(request, selectors.project_get_for_user(user=request.user, pk=pk))


class ProjectRemovalApi(APIView):
    """The province removes a park from the construction list (退出)."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=RemovalInputSerializer,
        responses={200: ProjectDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "Ends the project: the list entry records the date, reason and document number and the "
            "published list's version goes up. This cannot be undone. 400 without a reason or document "
            "number, or when the project is already accepted or removed; 403 for any role but the province."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        serializer = RemovalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.project_remove(by=request.user, project=project, **serializer.validated_data)
        return project_response(request, selectors.project_get_for_user(user=request.user, pk=pk))


class ProjectIncentiveListApi(APIView):
    """Incentives noted on the project (funding, titles, policy preferences); the province adds them."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: IncentiveOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        incentives = selectors.incentives(project)
        return Response(IncentiveOutputSerializer(incentives, many=True).data)

    @extend_schema(
        request=IncentiveInputSerializer,
        responses={201: IncentiveOutputSerializer, **WRITE_ERRORS},
        description="amount_wan is read exactly (a string or a JSON number). A removed park: 400.",
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        serializer = IncentiveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incentive = services.incentive_add(by=request.user, project=project, **serializer.validated_data)
        return Response(IncentiveOutputSerializer(incentive).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: EventOutputSerializer(many=True), **READ_ERRORS}))
class ProjectTimelineApi(generics.ListAPIView):
    """Every event of the project and of its reports, orders, self-assessments and evaluations, newest
    first (paginated)."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = AuditEvent.objects.none()
    serializer_class = EventOutputSerializer

    def get_queryset(self) -> list[AuditEvent]:  # type: ignore[override]
        project = selectors.project_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        # As the page reads it: internal notes for reviewers, experts' names for the province.
        return selectors.timeline_for_reader(self.request.user, selectors.project_timeline(project))

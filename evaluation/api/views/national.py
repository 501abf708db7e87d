"""The recommendation to the national programme, the park archives (request, status, streamed download),
and the public list of accepted parks."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, WRITE_ERRORS
from zcpark.core.models import FileStatus

from ... import selectors, services
from ...archives import archives_visible_to, download_name
from ...models import ConstructionProject, NationalRecommendation
from ...permissions import can_archive_park, can_recommend_nationally
from ...selectors.public_progress import public_progress
from ...services.common import require
from ..serializers.national import (
    ArchiveInputSerializer,
    ArchiveOutputSerializer,
    NationalRecommendationInputSerializer,
    NationalRecommendationOutputSerializer,
    PublicAcceptedParkOutputSerializer,
)


class NationalRecommendationApi(APIView):
    """The province's recommendation of an accepted park to the national zero-carbon park programme."""

    @extend_schema(responses={200: NationalRecommendationOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        """The recommendation; 404 while the park has not been recommended."""
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        recommendation = NationalRecommendation.objects.filter(project=project).first()
        if recommendation is None:
            raise Http404
        return Response(NationalRecommendationOutputSerializer(recommendation).data)

    @extend_schema(
        request=NationalRecommendationInputSerializer,
        responses={201: NationalRecommendationOutputSerializer, **WRITE_ERRORS},
        description=(
            "Recorded once and never changed; the park and its city are told. 400 when the park is not "
            "accepted, does not meet the national scheme, is already recommended, or the date or number is "
            "missing; 403 for any role but the province."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(can_recommend_nationally(request.user))
        serializer = NationalRecommendationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recommendation = services.national_recommend(
            by=request.user, project=project, **serializer.validated_data
        )
        return Response(
            NationalRecommendationOutputSerializer(recommendation).data, status=status.HTTP_201_CREATED
        )


def _archive_scope(request: Request, pk: int) -> ConstructionProject:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    require(can_archive_park(request.user, project.park_id, project.park.zone.city_id))
    return project


class ArchiveListApi(APIView):
    """The park's archives of this project (and of the whole park): the province any park, a city its
    city's, park staff their own; each its role's copy (the experts named in the province's only)."""

    @extend_schema(responses={200: ArchiveOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        project = _archive_scope(request, pk)
        context = {"request": request, "project": project}
        return Response(
            ArchiveOutputSerializer(
                archives_visible_to(request.user, project)[:50], many=True, context=context
            ).data
        )

    @extend_schema(
        request=ArchiveInputSerializer,
        responses={202: ArchiveOutputSerializer, **WRITE_ERRORS},
        description=(
            "Queues the archive, built by a worker; the same archive still being built is the answer to a "
            "second request. Poll its status with GET; once ready, download_url streams the ZIP (with "
            "manifest.json and SHA256SUMS). The national package: the province, for an accepted park."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        serializer = ArchiveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        archive = services.park_archive_request(
            by=request.user, park=project.park, project=project, kind=serializer.validated_data["kind"]
        )
        context = {"request": request, "project": project}
        return Response(
            ArchiveOutputSerializer(archive, context=context).data, status=status.HTTP_202_ACCEPTED
        )


class ArchiveDownloadApi(APIView):
    """A ready archive, streamed from storage."""

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY), **READ_ERRORS})
    def get(self, request: Request, pk: int, archive_pk: int) -> FileResponse:
        project = _archive_scope(request, pk)
        archive = (
            archives_visible_to(request.user, project).filter(pk=archive_pk, status=FileStatus.READY).first()
        )
        if archive is None or not archive.file:
            raise Http404
        return FileResponse(archive.file.open("rb"), as_attachment=True, filename=download_name(archive))


class PublicAcceptedParkApi(APIView):
    """The accepted provincial zero-carbon parks, for anyone (no sign-in): when each was accepted, and
    when the province recommended it to the national programme (null until then). Meeting the national
    scheme alone is not published."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(responses={200: PublicAcceptedParkOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(PublicAcceptedParkOutputSerializer(public_progress().accepted, many=True).data)

"""Applications API: dossiers, energy years, indicators, transitions, timeline, revisions, attachments."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from indicators.models import NATIONAL_SCHEME
from indicators.selectors import local_scheme_code, scheme_codes
from parks.models import Role
from zcpark.core.api import (
    READ_ERRORS,
    READ_ERRORS_NO_404,
    WRITE_ERRORS,
    DecimalBodyParser,
    E,
    EventOutputSerializer,
)
from zcpark.core.events import events_visible
from zcpark.core.models import AuditEvent
from zcpark.core.threads import reads_internal, thread_side

from ... import selectors, services
from ...dossier.sections import FORM_SECTIONS
from ...models import Application, ApplicationRevision, ApplicationStatus
from ...permissions import can_edit_dossier
from ...selectors import quality
from ..serializers import (
    ApplicationCreateInputSerializer,
    ApplicationDossierOutputSerializer,
    ApplicationListOutputSerializer,
    AttachmentInputSerializer,
    AttachmentOutputSerializer,
    ChangesInputSerializer,
    ChangesOutputSerializer,
    DatasetOutputSerializer,
    DossierPatchInputSerializer,
    RevisionDetailOutputSerializer,
    RevisionOutputSerializer,
    TransitionInputSerializer,
)
from .common import _require_park_staff


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    call = django_filters.NumberFilter(field_name="call_id")
    city = django_filters.CharFilter(field_name="park__zone__city__code", label="city code (GB/T 2260)")
    park = django_filters.NumberFilter(field_name="park_id")

    class Meta:
        model = Application
        fields = ["status", "call", "city", "park"]


def dossier_response(
    request: Request, application: Application, *, status_code: int = status.HTTP_200_OK
) -> Response:
    """The dossier representation: sections with their problems, progress, datasets, files and actions."""
    progress = selectors.dossier_progress(application)
    states = {state.code: state for state in progress}
    stored = selectors.section_map(application)
    datasets = selectors.history_datasets(application)
    context = {
        "request": request,
        "sections": {
            code: {
                "title": states[code].title,
                "data": stored[code].data if code in stored else {},
                "is_complete": states[code].complete,
                "problems": states[code].problems,
                "version": stored[code].version if code in stored else 0,
            }
            for code in FORM_SECTIONS
        },
        "progress": {
            "complete": sum(state.complete for state in progress),
            "total": len(progress),
            "sections": progress,
        },
        "submission_problems": (
            selectors.submission_problems(application, today=timezone.localdate())
            if can_edit_dossier(request.user, application)
            else None
        ),
        "datasets": [
            {
                "year": year,
                "stored": dataset is not None,
                "updated_at": dataset.updated_at if dataset else None,
                "url": reverse("api-application-dataset", args=[application.pk, year], request=request),
                "indicators_url": reverse(
                    "api-application-indicators", args=[application.pk, year], request=request
                ),
            }
            for year, dataset in datasets.items()
        ],
        "attachments": selectors.attachment_list(application),
        "opinions": selectors.opinion_list(application),
        "actions": [
            {"action": action, "label": label}
            for action, label in services.actions_for(request.user, application)
        ],
    }
    return Response(ApplicationDossierOutputSerializer(application, context=context).data, status=status_code)


@extend_schema_view(
    get=extend_schema(responses={200: ApplicationListOutputSerializer(many=True), **READ_ERRORS_NO_404})
)
class ApplicationListApi(generics.ListAPIView):
    """The applications the caller may see (its park's, its city's, or all; observers: all but drafts)."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = Application.objects.none()
    serializer_class = ApplicationListOutputSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.application_list_visible_to(user=self.request.user)

    @extend_schema(
        request=ApplicationCreateInputSerializer,
        responses={201: ApplicationDossierOutputSerializer, **WRITE_ERRORS},
        description=(
            "Park staff start a draft for their own park in an open call. Another role, or a park other "
            "than the caller's, answers 403; an unknown park or call id 400 (errors.park / errors.call); a "
            "closed call, or a park that already applied in the call, 400 with errors.call."
        ),
    )
    def post(self, request: Request) -> Response:
        if request.user.role != Role.PARK_STAFF:
            raise PermissionDenied
        serializer = ApplicationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_create(by=request.user, **serializer.validated_data)
        application = selectors.application_get_for_user(user=request.user, pk=application.pk)
        return dossier_response(request, application, status_code=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    """The dossier; park staff change it with PATCH while it is a draft or returned."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: ApplicationDossierOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        return dossier_response(request, application)

    @extend_schema(
        request=DossierPatchInputSerializer,
        responses={200: ApplicationDossierOutputSerializer, **WRITE_ERRORS},
        description=(
            "Save form sections in one transaction: all of them, or (with 400) none. Errors are keyed "
            "sections.<code>.<field> or sections.<code>.<table>.<row>.<column> (rows from 1). Numbers are "
            "read exactly (no float). Energy years go through datasets/{year}/, files through attachments/."
        ),
    )
    def patch(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        _require_park_staff(request.user, application)
        serializer = DossierPatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dossier_sections_save(
            by=request.user,
            application=application,
            sections=serializer.validated_data["sections"],
            versions=serializer.validated_data.get("versions"),
            merge=True,
        )
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        return dossier_response(request, application)


class ApplicationDatasetApi(APIView):
    """One of the dossier's energy years (2023–2025) as a dataset document (accounting.md §5)."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: DatasetOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int, year: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        dataset = selectors.history_datasets(application).get(year)
        if dataset is None:
            raise NotFound(_("No energy data is stored for %(year)s.") % {"year": year})
        return Response(_dataset_data(request, application, dataset))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: DatasetOutputSerializer, 201: DatasetOutputSerializer, **WRITE_ERRORS},
        description=(
            "Body: a dataset document for the year in the path. 201 when the year is new, 200 when it "
            "replaced the stored one. The indicators are computed asynchronously: GET indicators/{year}/ "
            "answers 404 until they are ready."
        ),
    )
    def put(self, request: Request, pk: int, year: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        _require_park_staff(request.user, application)
        existed = selectors.history_datasets(application).get(year) is not None
        dataset = services.application_dataset_save(
            by=request.user, application=application, year=year, document=request.data
        )
        data = _dataset_data(request, application, dataset)
        data["note"] = _("Saved. The indicators are being computed and will be available shortly.")
        return Response(data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


def _dataset_data(request: Request, application: Application, dataset: Any) -> Any:
    indicators_url = reverse(
        "api-application-indicators", args=[application.pk, dataset.year], request=request
    )
    return DatasetOutputSerializer(
        {
            "year": dataset.year,
            "document": dataset.document,
            "updated_at": dataset.updated_at,
            "indicators_url": indicators_url,
            "warnings": quality.dossier_year_warnings(application, dataset.year, dataset.document),
        }
    ).data


class ApplicationIndicatorsApi(APIView):
    """The stored current result document of one energy year (the calculator's shape)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scheme",
                str,
                description=f"the province's own scheme (default) or {NATIONAL_SCHEME}",
            )
        ],
        responses={200: OpenApiTypes.OBJECT, 400: E, 401: E, 403: E, 404: E},
        description=(
            "200: the result document (totals, indicators, core_passed, ...; or its errors document when "
            "the data does not compute). 404 while the indicators are being computed, or without data."
        ),
    )
    def get(self, request: Request, pk: int, year: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        scheme = request.query_params.get("scheme") or local_scheme_code()
        if "scheme" in request.query_params and scheme not in scheme_codes():
            raise ValidationError({"scheme": [_("Unknown scheme: %(code)s.") % {"code": scheme}]})
        if selectors.history_datasets(application).get(year) is None:
            raise NotFound(_("No energy data is stored for %(year)s.") % {"year": year})
        result = selectors.history_results(application, scheme_code=scheme)[year]
        if result is None:
            raise NotFound(
                _("The indicators for %(year)s are being computed; try again shortly.") % {"year": year}
            )
        return Response(result.document)


class ApplicationTransitionApi(APIView):
    """Move the application on: submit, resubmit, withdraw (park); return, recommend, decline (city);
    approve, reject (province)."""

    @extend_schema(
        request=TransitionInputSerializer,
        responses={200: ApplicationDossierOutputSerializer, **WRITE_ERRORS},
        description=(
            "200: the application in its new state. 400: every unmet condition, grouped in errors (call, "
            "eligibility, each incomplete section; quota; a missing opinion). 403: the caller's role or "
            "scope may not take the action. 404: the application is outside the caller's scope."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_transition(
            by=request.user, application=application, **serializer.validated_data
        )
        return dossier_response(request, application)


@extend_schema_view(get=extend_schema(responses={200: EventOutputSerializer(many=True), **READ_ERRORS}))
class ApplicationEventListApi(generics.ListAPIView):
    """The application's timeline, newest first (paginated)."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = AuditEvent.objects.none()
    serializer_class = EventOutputSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        application = selectors.application_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        internal = reads_internal(thread_side(self.request.user, application))
        return events_visible(AuditEvent.objects.for_object(application), internal=internal)


@extend_schema_view(get=extend_schema(responses={200: RevisionOutputSerializer(many=True), **READ_ERRORS}))
class ApplicationRevisionListApi(generics.ListAPIView):
    """The submitted revisions, latest first (not paginated: one per submission)."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = ApplicationRevision.objects.none()
    serializer_class = RevisionOutputSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        application = selectors.application_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.revision_list(application)


class ApplicationRevisionDetailApi(APIView):
    """One revision with the snapshot of the dossier as submitted."""

    @extend_schema(responses={200: RevisionDetailOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int, number: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        revision = get_object_or_404(selectors.revision_list(application), number=number)
        return Response(RevisionDetailOutputSerializer(revision).data)


class ApplicationChangesApi(APIView):
    """What changed between two revisions: every section value, dataset number and indicator."""

    @extend_schema(
        parameters=[ChangesInputSerializer], responses={200: ChangesOutputSerializer, **WRITE_ERRORS}
    )
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        serializer = ChangesInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        revisions = {r.number: r for r in selectors.revision_list(application)}
        if not revisions:
            raise NotFound(_("The application has not been submitted yet."))
        new = serializer.validated_data.get("to") or max(revisions)
        old = serializer.validated_data.get("from") or (new - 1 or None)
        missing = {k: n for k, n in (("to", new), ("from", old)) if n is not None and n not in revisions}
        if missing:
            raise ValidationError(
                {k: [_("There is no revision %(n)s.") % {"n": n}] for k, n in missing.items()}
            )
        before = revisions[old].snapshot if old else {}
        rows = selectors.revision_diff(before, revisions[new].snapshot)
        return Response(
            ChangesOutputSerializer({"from_revision": old, "to_revision": new, "rows": rows}).data
        )


class ApplicationAttachmentListApi(APIView):
    """The dossier's evidence (not paginated); park staff upload more while the dossier is editable."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: AttachmentOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        return Response(AttachmentOutputSerializer(selectors.attachment_list(application), many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentOutputSerializer, **WRITE_ERRORS},
        description="multipart/form-data: kind, title (optional), file (pdf, images, office files, ofd, zip).",
    )
    def post(self, request: Request, pk: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        _require_park_staff(request.user, application)
        serializer = AttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachment = services.attachment_add(
            by=request.user,
            application=application,
            kind=data["kind"],
            file=data["file"],
            name=data["file"].name,
            title=data["title"],
            indicator=data["indicator"],
        )
        return Response(AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ApplicationAttachmentDetailApi(APIView):
    """Remove a piece of evidence while the dossier is editable."""

    @extend_schema(responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int, attachment_id: int) -> Response:
        application = selectors.application_get_for_user(user=request.user, pk=pk)
        attachment = get_object_or_404(selectors.attachment_list(application), pk=attachment_id)
        services.attachment_remove(by=request.user, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""Official documents API: issue one from a recorded decision, list and read what the caller may see, and
download the PDF (the published list's notice: anyone)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, READ_ERRORS_NO_404, WRITE_ERRORS

from ...document_models import DocumentKind, OfficialDocument
from ...official import document_spec
from ...selectors.documents import document_get_for_user, document_list_visible_to
from ...services.documents import official_document_issue
from ...views.documents import document_filename
from ..serializers.documents import DocumentIssueInputSerializer, OfficialDocumentOutputSerializer

FILTERS = [
    OpenApiParameter("kind", str, enum=DocumentKind.values, description="Only documents of this kind."),
    OpenApiParameter("park", int, description="Only documents about this park."),
    OpenApiParameter("source_id", int, description="Only documents issued for this record (with kind)."),
]


@extend_schema_view(
    get=extend_schema(
        parameters=FILTERS, responses={200: OfficialDocumentOutputSerializer(many=True), **READ_ERRORS_NO_404}
    )
)
class DocumentListApi(generics.ListAPIView):
    """The official documents the caller may read (about its parks; the lists' notices), newest first,
    superseded ones included (``in_force`` false). POST issues one: the city its parks' recommendation
    opinions, the province the approvals, rectification notices, acceptance opinions and list notices."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = OfficialDocument.objects.none()
    serializer_class = OfficialDocumentOutputSerializer

    def get_queryset(self) -> QuerySet[OfficialDocument]:
        params = self.request.query_params
        return document_list_visible_to(
            user=self.request.user,
            filters={
                "kind": params.get("kind") if params.get("kind") in DocumentKind.values else None,
                "park": params.get("park") if (params.get("park") or "").isdigit() else None,
                "source_id": params.get("source_id") if (params.get("source_id") or "").isdigit() else None,
            },
        )

    @extend_schema(
        request=DocumentIssueInputSerializer,
        responses={201: OfficialDocumentOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = DocumentIssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        spec = document_spec(data["kind"])
        source = spec.get(request.user, data["source_id"])
        document = official_document_issue(
            by=request.user,
            kind=data["kind"],
            source=source,
            number=data["number"],
            issued_on=data["issued_on"],
        )
        output = OfficialDocumentOutputSerializer(document, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: OfficialDocumentOutputSerializer, **READ_ERRORS}))
class DocumentDetailApi(generics.RetrieveAPIView):
    """One official document."""

    queryset = OfficialDocument.objects.none()
    serializer_class = OfficialDocumentOutputSerializer

    def get_object(self) -> OfficialDocument:
        return document_get_for_user(user=self.request.user, pk=self.kwargs["pk"])


class DocumentPdfApi(APIView):
    """The document's PDF. A list's notice is public; any other document answers 404 outside the
    caller's scope (and to anonymous callers)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> FileResponse:
        document = document_get_for_user(user=request.user, pk=pk)
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document_filename(document)
        )

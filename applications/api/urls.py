"""Applications API routes (mounted under /api/v1/)."""

from __future__ import annotations

from django.urls import path

from .views import applications, calls, documents, exemptions, lists, objections, threads

urlpatterns = [
    path(
        "applications/<int:pk>/sections/<slug:code>/threads/",
        threads.SectionThreadApi.as_view(),
        name="api-section-thread",
    ),
    path("applications/", applications.ApplicationListApi.as_view(), name="api-application-list"),
    path(
        "applications/<int:pk>/", applications.ApplicationDetailApi.as_view(), name="api-application-detail"
    ),
    path(
        "applications/<int:pk>/datasets/<int:year>/",
        applications.ApplicationDatasetApi.as_view(),
        name="api-application-dataset",
    ),
    path(
        "applications/<int:pk>/indicators/<int:year>/",
        applications.ApplicationIndicatorsApi.as_view(),
        name="api-application-indicators",
    ),
    path(
        "applications/<int:pk>/transitions/",
        applications.ApplicationTransitionApi.as_view(),
        name="api-application-transitions",
    ),
    path(
        "applications/<int:pk>/events/",
        applications.ApplicationEventListApi.as_view(),
        name="api-application-events",
    ),
    path(
        "applications/<int:pk>/revisions/",
        applications.ApplicationRevisionListApi.as_view(),
        name="api-application-revisions",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/",
        applications.ApplicationRevisionDetailApi.as_view(),
        name="api-application-revision-detail",
    ),
    path(
        "applications/<int:pk>/changes/",
        applications.ApplicationChangesApi.as_view(),
        name="api-application-changes",
    ),
    path(
        "applications/<int:pk>/attachments/",
        applications.ApplicationAttachmentListApi.as_view(),
        name="api-application-attachments",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        applications.ApplicationAttachmentDetailApi.as_view(),
        name="api-application-attachment-detail",
    ),
    path(
        "applications/<int:pk>/exemptions/",
        exemptions.ApplicationExemptionListApi.as_view(),
        name="api-application-exemptions",
    ),
    path(
        "applications/<int:pk>/exemptions/<int:claim_pk>/transitions/",
        exemptions.ApplicationExemptionTransitionApi.as_view(),
        name="api-application-exemption-transitions",
    ),
    path("calls/", calls.CallListApi.as_view(), name="api-call-list"),
    path("calls/<int:pk>/transitions/", calls.CallTransitionApi.as_view(), name="api-call-transitions"),
    path("construction-lists/", lists.ConstructionListListApi.as_view(), name="api-construction-list-list"),
    path(
        "construction-lists/<int:pk>/",
        lists.ConstructionListDetailApi.as_view(),
        name="api-construction-list-detail",
    ),
    path(
        "construction-lists/<int:pk>/transitions/",
        lists.ConstructionListTransitionApi.as_view(),
        name="api-construction-list-transitions",
    ),
    path(
        "construction-lists/<int:pk>/objections/",
        objections.ObjectionRecordApi.as_view(),
        name="api-construction-list-objections",
    ),
    path(
        "construction-lists/<int:pk>/drops/",
        objections.ListParkDropApi.as_view(),
        name="api-construction-list-drops",
    ),
    path("list-objections/", objections.ObjectionListApi.as_view(), name="api-objection-list"),
    path("list-objections/<int:pk>/", objections.ObjectionDetailApi.as_view(), name="api-objection-detail"),
    path(
        "list-objections/<int:pk>/answer/",
        objections.ObjectionAnswerApi.as_view(),
        name="api-objection-answer",
    ),
    path("public/lists/", lists.PublicListApi.as_view(), name="api-public-lists"),
    path("documents/", documents.DocumentListApi.as_view(), name="api-document-list"),
    path("documents/<int:pk>/", documents.DocumentDetailApi.as_view(), name="api-document-detail"),
    path("documents/<int:pk>/pdf/", documents.DocumentPdfApi.as_view(), name="api-document-pdf"),
]

"""Applications API routes (mounted under /api/v1/)."""

from __future__ import annotations

from django.urls import path

from .views import applications, calls, lists, threads

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
    path("public/lists/", lists.PublicListApi.as_view(), name="api-public-lists"),
]

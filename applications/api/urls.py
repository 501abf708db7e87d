"""Applications API routes (mounted under /api/v1/)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.ApplicationListApi.as_view(), name="api-application-list"),
    path("applications/<int:pk>/", views.ApplicationDetailApi.as_view(), name="api-application-detail"),
    path(
        "applications/<int:pk>/datasets/<int:year>/",
        views.ApplicationDatasetApi.as_view(),
        name="api-application-dataset",
    ),
    path(
        "applications/<int:pk>/indicators/<int:year>/",
        views.ApplicationIndicatorsApi.as_view(),
        name="api-application-indicators",
    ),
    path(
        "applications/<int:pk>/transitions/",
        views.ApplicationTransitionApi.as_view(),
        name="api-application-transitions",
    ),
    path(
        "applications/<int:pk>/events/",
        views.ApplicationEventListApi.as_view(),
        name="api-application-events",
    ),
    path(
        "applications/<int:pk>/revisions/",
        views.ApplicationRevisionListApi.as_view(),
        name="api-application-revisions",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/",
        views.ApplicationRevisionDetailApi.as_view(),
        name="api-application-revision-detail",
    ),
    path(
        "applications/<int:pk>/changes/",
        views.ApplicationChangesApi.as_view(),
        name="api-application-changes",
    ),
    path(
        "applications/<int:pk>/attachments/",
        views.ApplicationAttachmentListApi.as_view(),
        name="api-application-attachments",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        views.ApplicationAttachmentDetailApi.as_view(),
        name="api-application-attachment-detail",
    ),
    path("calls/", views.CallListApi.as_view(), name="api-call-list"),
    path("calls/<int:pk>/transitions/", views.CallTransitionApi.as_view(), name="api-call-transitions"),
    path("construction-lists/", views.ConstructionListListApi.as_view(), name="api-construction-list-list"),
    path(
        "construction-lists/<int:pk>/",
        views.ConstructionListDetailApi.as_view(),
        name="api-construction-list-detail",
    ),
    path(
        "construction-lists/<int:pk>/transitions/",
        views.ConstructionListTransitionApi.as_view(),
        name="api-construction-list-transitions",
    ),
    path("public/lists/", views.PublicListApi.as_view(), name="api-public-lists"),
]

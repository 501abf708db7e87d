from __future__ import annotations

from django.urls import path

from . import integration_views, token_views, views

app_name = "parks"
urlpatterns = [
    path("parks/", views.park_list, name="park-list"),
    path("parks/new/", views.park_create, name="park-create"),
    path("parks/<int:pk>/", views.park_detail, name="park-detail"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user-set-active"),
    path("users/<int:pk>/password/", views.user_set_password, name="user-set-password"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("users/<int:pk>/tokens/", token_views.user_tokens, name="user-tokens"),
    path("users/<int:pk>/tokens/revoke/", token_views.tokens_revoke_all, name="user-tokens-revoke"),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/revoke/", token_views.tokens_revoke_all, name="tokens-revoke"),
    path("tokens/<str:ref>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("integrations/", integration_views.integration_list, name="integrations"),
    path("integrations/<int:pk>/", integration_views.integration_detail, name="integration-detail"),
    path("integrations/<int:pk>/revoke/", integration_views.integration_revoke, name="integration-revoke"),
]

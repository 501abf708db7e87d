from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_openapi_schema_is_served_and_lists_the_v1_endpoints(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/parks/", "/api/v1/parks/{id}/"} <= set(paths)


@pytest.mark.django_db
def test_api_docs_page_uses_no_cdn(client):
    html = client.get(reverse("api-docs")).content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi:")

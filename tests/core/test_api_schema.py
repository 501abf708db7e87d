from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator


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


# --- every paginated list documents the errors its paging and filters answer (issue 12, finding 10) --

ERROR_REF = "#/components/schemas/ApiError"


@pytest.fixture(scope="module")
def list_operations() -> dict[str, dict]:
    """path → GET operation, for every operation taking a page number: the paginated lists."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: operations["get"]
        for path, operations in schema["paths"].items()
        if "get" in operations and "page" in {p["name"] for p in operations["get"].get("parameters", [])}
    }


def test_every_paginated_list_documents_400_and_404(list_operations):
    assert {"/api/v1/parks/", "/api/v1/applications/", "/api/v1/projects/", "/api/v1/public/lists/"} <= set(
        list_operations
    )
    for path, operation in list_operations.items():
        for code in ("400", "404"):
            content = operation["responses"].get(code, {}).get("content", {})
            assert content.get("application/json", {}).get("schema") == {"$ref": ERROR_REF}, (path, code)


@pytest.mark.django_db
def test_every_paginated_list_answers_those_errors(list_operations, world, login):
    client = login(world.province)
    for path in (p for p in list_operations if "{" not in p):
        past_the_end = client.get(path, {"page": "999"})
        bad_size = client.get(path, {"page_size": "0"})
        assert (past_the_end.status_code, bad_size.status_code) == (404, 400), path
        assert set(past_the_end.json()) == set(bad_size.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_a_bad_filter_value_answers_400_naming_the_filter(world, login):
    response = login(world.province).get(reverse("api-park-list"), {"zone": "abc"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["zone"]

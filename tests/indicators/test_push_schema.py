"""The push protocol is documented in the API schema (issue 15, point 1): the integration-key security
scheme on the operations a machine may call (only those), the Idempotency-Key header, and examples."""

from __future__ import annotations

import pytest
from django.urls import reverse

DATASET = "/api/v1/parks/{park_id}/datasets/{year}/"
RESULTS = "/api/v1/parks/{park_id}/results/{year}/"


@pytest.fixture
def schema(client, db) -> dict:
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_integration_key_scheme_is_declared(schema):
    scheme = schema["components"]["securitySchemes"]["integrationKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "shown once" in scheme["description"]


def test_only_machine_operations_accept_integration_keys(schema):
    machine_ops = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if {"integrationKey": []} in operation.get("security", [])
    }
    assert {(DATASET, "put"), (RESULTS, "get")} <= machine_ops
    assert ("/api/v1/parks/", "get") not in machine_ops
    assert ("/api/v1/auth/tokens/", "get") not in machine_ops


def test_the_push_documents_idempotency_retries_and_examples(schema):
    put = schema["paths"][DATASET]["put"]
    header = next(p for p in put["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert {"200", "201", "400", "401", "403", "404", "409", "422"} <= set(put["responses"])
    assert "Idempotent-Replayed" in put["description"] and "Retries" in put["description"]
    assert put["requestBody"]["content"]["application/json"]["examples"]
    assert put["responses"]["422"]["content"]["application/json"]["examples"]
    get = schema["paths"][RESULTS]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["examples"]

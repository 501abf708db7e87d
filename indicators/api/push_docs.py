"""The OpenAPI text of the push protocol of a park's 能碳平台: descriptions, examples, answer shapes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from zcpark.core.api import ApiErrorSerializer

ErrorsSerializer = ApiErrorSerializer

PROTOCOL = """
**Push protocol of a park's 能碳平台.** Authenticate with an integration key —
`Authorization: Bearer zc_<prefix>_<secret>` — created by the park's staff (or the province) on the portal's
integration accounts page; it is shown once, ends on its expiry date and can be revoked (401 then says
which). Each key carries scopes: `datasets_write` (PUT a year's dataset), `monthly_write` (monthly figures),
`results_read` (GET results); an endpoint outside the key's scopes answers 403 naming the missing scope, and
a park other than the key's answers 404. What a key writes is audited as its platform.

**Retries.** Send `Idempotency-Key: <a new UUID per logical write>` with every write. If the connection
drops or the answer is a 5xx or 409, send the same request with the same key again: a write that already
happened is not applied twice — its first answer comes back with `Idempotent-Replayed: true`. The same key
with another body answers 422. Keys are remembered 24 hours (IDEMPOTENCY_TTL_HOURS). Do not retry 400
(fix the data), 401 (a new key is needed) or 403/404 (scope).
"""

DATASET_PUT_DESCRIPTION = (
    "Store the park's dataset document (accounting.md §5, `zcpark.dataset/2`; `/1` is upgraded) for `year`: "
    "201 when the year is new, 200 when it replaced the stored one (an identical document changes nothing). "
    "The results are computed shortly after: poll the `results` URL of the answer (404 until ready). "
    "400: the engine's errors, every one at once (`errors`: path, code, message) — nothing is stored; or the "
    "year is held by a decided record (a submitted dossier for 2023–2025, a submitted annual report or "
    "self-assessment for its year): the message names it, and the year changes only through that record. "
    "Every push is kept in the year's import history, where the park can undo the latest. "
    "Scope: `datasets_write`.\n" + PROTOCOL
)

RESULTS_GET_DESCRIPTION = (
    "The current result document of the park's year (totals, indicators, core_passed, …; or its errors "
    "document when the data does not compute). 404 without a dataset for the year, or while the results "
    "are being computed (retry shortly). Scope: `results_read`.\n" + PROTOCOL
)

EXAMPLE_DATASET = {
    "schema": "zcpark.dataset/2",
    "park": {"name": "赣江新区绿色智造产业园", "park_type": "non_chemical"},
    "year": 2025,
    "energy": [
        {"carrier": "natural_gas", "quantity": "500", "unit": "10^4 Nm3", "use": "fuel"},
        {"carrier": "diesel", "quantity": "200", "unit": "t", "use": "fuel"},
    ],
    "electricity_mwh": {"grid": "50000", "green_direct": "217000", "green_trade": "63000"},
}

DATASET_PUT_EXAMPLES = [
    OpenApiExample("A year's dataset", value=EXAMPLE_DATASET, request_only=True),
    OpenApiExample(
        "Stored (new year)",
        value={
            "park": 12,
            "year": 2025,
            "created": True,
            "dataset": 345,
            "results": "/api/v1/parks/12/results/2025/",
        },
        response_only=True,
        status_codes=["201"],
    ),
    OpenApiExample(
        "Engine errors (nothing stored)",
        value={
            "detail": "The dataset has input errors; nothing was saved.",
            "errors": [{"path": "energy[0].quantity", "code": "negative", "message": "数量不能为负。"}],
        },
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "Key without the scope",
        value={"detail": "The integration key lacks the scope “Write yearly datasets” this request needs."},
        response_only=True,
        status_codes=["403"],
    ),
    OpenApiExample(
        "Idempotency-Key reused for another body",
        value={
            "detail": "This Idempotency-Key was used for another request (PUT /api/v1/parks/12/datasets/2025/ "
            "with another body): use a new key for a new write."
        },
        response_only=True,
        status_codes=["422"],
    ),
]

RESULTS_GET_EXAMPLES = [
    OpenApiExample(
        "Computed",
        value={
            "schema": "zcpark.result/2",
            "year": 2025,
            "core_passed": False,
            "indicators": [{"code": "carbon_per_energy", "value": "0.4372", "status": "failed"}],
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Not computed yet",
        value={"detail": "The indicators for 2025 are being computed; try again shortly."},
        response_only=True,
        status_codes=["404"],
    ),
]


class DatasetPushOutputSerializer(serializers.Serializer):
    park = serializers.IntegerField(help_text="The park's id.")
    year = serializers.IntegerField()
    created = serializers.BooleanField(help_text="True: the year was new (201); false: replaced (200).")
    dataset = serializers.IntegerField(help_text="The stored dataset's id.")
    results = serializers.CharField(help_text="Where its results appear once computed (GET, results_read).")


class EngineErrorSerializer(serializers.Serializer):
    path = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class DatasetErrorsSerializer(serializers.Serializer):
    """400 of a dataset push: the engine's errors, every one at once (or a field's, as elsewhere)."""

    detail = serializers.CharField()
    errors = EngineErrorSerializer(many=True)

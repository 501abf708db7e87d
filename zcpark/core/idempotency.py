"""Idempotency keys for API writes: a retried push is harmless.

A client may send ``Idempotency-Key: <its own unique text>`` with a POST, PUT or PATCH. The first request
with a key runs and its answer is kept (IDEMPOTENCY_TTL_HOURS) under the caller and the key; a retry with
the same key and the same body gets that answer again, untouched, with ``Idempotent-Replayed: true``; the
same key with another body (or on another endpoint) answers 422; a retry while the first request still
runs answers 409 (retry shortly) — a write is never applied twice. A running record older than
IDEMPOTENCY_LEASE_SECONDS (longer than any request) is a claim whose worker died before answering: it is
dropped and the retry runs. Server errors (5xx) are not kept: the retry runs again. Keys are the caller's
own: two callers using the same text never meet.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional; a unique text per logical write (a UUID). A retry with the same key and body gets the "
        "first answer again (header Idempotent-Replayed: true) and changes nothing; the same key with another "
        "body answers 422; while the first request runs, 409 (one left unanswered for "
        "IDEMPOTENCY_LEASE_SECONDS, 120 s, was abandoned: the retry runs). Kept for IDEMPOTENCY_TTL_HOURS (24 h)."
    ),
)

__all__ = ["IDEMPOTENCY_KEY_PARAMETER", "IdempotencyRecord", "idempotency_records_expire", "idempotent"]


class IdempotencyKeyReused(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"


class IdempotencyKeyInProgress(APIException):
    status_code = 409
    default_code = "idempotency_key_in_progress"


def _ttl() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)


def _lease() -> timedelta:
    return timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)


def _file_digest(upload: UploadedFile[Any]) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)  # the view reads it next
    return f"{upload.name}:{digest.hexdigest()}"


def _digest(request: Request) -> str:
    """The request body's digest, read from the parsed data (key order and spacing do not matter): a JSON
    body as it is; a form by its fields' values, with each uploaded file by its name and content."""
    data: Any = request.data
    if hasattr(data, "lists"):  # a form (QueryDict): every value of every field; files by their bytes
        data = {
            name: [_file_digest(v) if isinstance(v, UploadedFile) else v for v in values]
            for name, values in data.lists()
        }
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        raise ValidationError(
            {HEADER: [_("Give at most %(max)s printable ASCII characters as the key.") % {"max": KEY_MAX}]}
        )
    return key


def _claim(request: Request, key: str, digest: str) -> IdempotencyRecord | Response:
    """The new running record of this request, or the answer a retry gets."""
    principal: int = request.user.pk or 0
    method, path = request.method or "", request.path[:255]
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    principal_id=principal, key=key, method=method, path=path, body_digest=digest
                )
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(principal_id=principal, key=key).first()
        if record is None:  # forgotten meanwhile: claim again
            continue
        now = timezone.now()
        if record.created_at <= now - _ttl():
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if (record.method, record.path, record.body_digest) != (method, path, digest):
            raise IdempotencyKeyReused(
                _(
                    "This Idempotency-Key was used for another request (%(method)s %(path)s with another "
                    "body): use a new key for a new write."
                )
                % {"method": record.method, "path": record.path}
            )
        if record.status_code is None:
            if record.created_at <= now - _lease():
                # Abandoned: its worker died between the claim and the answer. Its write rolled back with
                # it, unless it died just after committing: then the retry applies the same body again
                # (the trade-off of a 5xx; the machine endpoints' writes are upserts of that body).
                # Only this claim is dropped (a fresh claim by a concurrent retry keeps its created_at).
                IdempotencyRecord.objects.filter(
                    pk=record.pk, created_at=record.created_at, status_code__isnull=True
                ).delete()
                continue
            raise IdempotencyKeyInProgress(
                _("A request with this Idempotency-Key is still running: retry in a moment.")
            )
        return Response(record.response_body, status=record.status_code, headers={REPLAYED_HEADER: "true"})
    raise IdempotencyKeyInProgress(
        _("A request with this Idempotency-Key is still running: retry in a moment.")
    )


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Make a DRF view's POST/PUT/PATCH handler honour ``Idempotency-Key`` (see the module's text)."""

    @functools.wraps(method)
    def handler(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key(request)
        if key is None or not getattr(request.user, "is_authenticated", False):
            return method(view, request, *args, **kwargs)
        claimed = _claim(request, key, _digest(request))
        if isinstance(claimed, Response):
            return claimed
        try:
            try:
                response = method(view, request, *args, **kwargs)
            except Exception as exc:
                # The answer the API's exception handler gives (400, 403, 404) is kept: the retry gets it.
                response = view.handle_exception(exc)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=claimed.pk).delete()
            raise
        if response.status_code >= 500:
            IdempotencyRecord.objects.filter(pk=claimed.pk).delete()
            return response
        IdempotencyRecord.objects.filter(pk=claimed.pk).update(
            status_code=response.status_code,
            response_body=json.loads(json.dumps(getattr(response, "data", None), cls=DjangoJSONEncoder)),
        )
        return response

    return handler


def idempotency_records_expire() -> int:
    """Forget the records older than IDEMPOTENCY_TTL_HOURS; returns how many."""
    deleted, _types = IdempotencyRecord.objects.filter(created_at__lte=timezone.now() - _ttl()).delete()
    return deleted

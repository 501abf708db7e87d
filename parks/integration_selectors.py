"""Reads for integration accounts: the accounts a user sees, one of them, what its platform did."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zcpark.core.models import AuditEvent

from .integration_permissions import integration_account_visibility
from .models import IntegrationAccount


def integration_accounts_visible_to(*, user: Any) -> QuerySet[IntegrationAccount]:
    """The accounts ``user`` may see, newest first, with park, city and creator joined."""
    return IntegrationAccount.objects.select_related("park__zone__city", "created_by", "revoked_by").filter(
        integration_account_visibility(user)
    )


def integration_account_get_visible_to(*, user: Any, pk: int) -> IntegrationAccount:
    """One account ``user`` may see, or Http404 (as for one that does not exist)."""
    try:
        return integration_accounts_visible_to(user=user).get(pk=pk)
    except IntegrationAccount.DoesNotExist as exc:
        raise Http404 from exc


def integration_account_events(*, account: IntegrationAccount, limit: int = 30) -> list[AuditEvent]:
    """What the platform wrote (events with its service user as the actor) and the account's own life
    (created, revoked), newest first."""
    own = AuditEvent.objects.for_object(account)
    own_ids = own.values("pk")
    return list(
        AuditEvent.objects.filter(Q(actor_id=account.user_id) | Q(pk__in=own_ids))
        .select_related("actor", "target_type")
        .order_by("-created_at", "-id")[:limit]
    )

"""Writes for integration accounts (machine credentials of a park's 能碳平台): create, revoke (the move of
the machine ``integration_account``, parks.integration_workflow).

Every write is atomic and audited; a key's use is not (it only moves ``last_used_at``, at most once a
minute): what a machine writes is audited by the service it calls, with its service user as the actor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zcpark.core.machines import transition_apply
from zcpark.core.services import audit_event_record

from .integration import MachineScope, key_digest, key_generate
from .integration_permissions import can_manage_integration_accounts
from .integration_workflow import INTEGRATION_ACCOUNT
from .models import IntegrationAccount, Park, User

# The longest a key may live: a yearly renewal at least.
INTEGRATION_KEY_MAX_DAYS = 365
NAME_MAX = 64


def _expiry(expires_at: datetime | None) -> datetime:
    now = timezone.now()
    if expires_at is None:
        return now + timedelta(days=settings.INTEGRATION_KEY_TTL_DAYS)
    if expires_at <= now:
        raise ValidationError({"expires_at": [_("The expiry must be in the future.")]})
    if expires_at > now + timedelta(days=INTEGRATION_KEY_MAX_DAYS):
        raise ValidationError(
            {"expires_at": [_("A key lives %(days)s days at most.") % {"days": INTEGRATION_KEY_MAX_DAYS}]}
        )
    return expires_at


def _scopes(scopes: Any) -> list[str]:
    chosen = [str(scope) for scope in scopes]
    unknown = sorted(set(chosen) - set(MachineScope.values))
    if unknown:
        raise ValidationError({"scopes": [_("Unknown scope: %(scope)s.") % {"scope": ", ".join(unknown)}]})
    if not chosen:
        raise ValidationError({"scopes": [_("Choose at least one scope.")]})
    return [scope for scope in MachineScope.values if scope in chosen]


def _service_user(*, name: str, park: Park | None, prefix: str) -> User:
    user = User(
        username=f"platform-{prefix}",
        first_name=name[:150],
        role=IntegrationAccount.service_role(park.pk if park is not None else None),
        park=park,
        is_machine=True,
        is_staff=False,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def integration_account_create(
    *,
    by: User | None,
    name: str,
    park: Park | None,
    scopes: Any,
    expires_at: datetime | None = None,
) -> tuple[IntegrationAccount, str]:
    """A new integration account and its key (returned once: only its digest is stored).

    ``park`` None makes a platform of the province (the province only). ``expires_at`` defaults to
    INTEGRATION_KEY_TTL_DAYS from now, and may be at most INTEGRATION_KEY_MAX_DAYS away.
    """
    if by is not None and not can_manage_integration_accounts(by, park):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the platform a name.")]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [_("At most %(max)s characters.") % {"max": NAME_MAX}]})
    chosen, expiry = _scopes(scopes), _expiry(expires_at)
    for _attempt in range(5):
        key, prefix = key_generate()
        if not IntegrationAccount.objects.filter(prefix=prefix).exists():
            break
    else:  # pragma: no cover - 4 billion prefixes
        raise IntegrityError("no free key prefix")
    account = IntegrationAccount.objects.create(
        name=name,
        park=park,
        scopes=chosen,
        prefix=prefix,
        key_digest=key_digest(key),
        expires_at=expiry,
        created_by=by if by is not None and by.is_authenticated else None,
        user=_service_user(name=name, park=park, prefix=prefix),
    )
    audit_event_record(
        actor=by,
        target=account,
        action="integration_account_created",
        comment=prefix,  # the key's public prefix: what the platform's configuration shows
        changes={"expires_at": (None, expiry)},
    )
    return account, key


def integration_account_revoke(
    *, account: IntegrationAccount, by: User | None, comment: str = ""
) -> IntegrationAccount:
    """End the account's key at once: the move ``revoke`` of the machine ``integration_account`` (role and
    scope checked there, 403; an account revoked already is refused, 400). It stamps ``revoked_at``,
    keeps who revoked, deactivates the service user and is audited; ``comment`` (optional) says why."""
    return transition_apply(INTEGRATION_ACCOUNT, account, "revoke", by=by, comment=comment)

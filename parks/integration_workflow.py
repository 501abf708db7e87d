"""An integration account's state as a machine (active → revoked): revocation goes through the portal's one
mechanism (``zcpark.core.machines``), audited there. Expiry is not a state: an active key whose time has
run out is refused by ``expires_at`` alone (``parks.integration_auth``).

The park's staff revoke their park's accounts, the province every account (its own platforms' too); a
service user (a machine) revokes none. A revocation stamps ``revoked_at``, keeps who revoked and
deactivates the account's service user, so the key stops working at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zcpark.core.machines import Machine, Step, Transition

from .integration import IntegrationAccountStatus
from .models import IntegrationAccount, Role, User
from .permissions import _role


def _may(user: Any, account: Any, role: str) -> bool:
    """Role and scope: the province for every account, a park's staff for their park's (never a machine)."""
    if getattr(user, "is_machine", False) or _role(user) != role:
        return False
    if role == Role.PROVINCE_ADMIN:
        return True
    return role == Role.PARK_STAFF and account.park_id is not None and account.park_id == user.park_id


def _write_revoked_by(step: Step) -> None:
    """Who revoked (the time is stamped); the timeline names the key by its public prefix."""
    account = step.obj
    account.revoked_by = step.by if getattr(step.by, "is_authenticated", False) else None
    step.audit_comment = f"{account.prefix}: {step.comment}" if step.comment else account.prefix


def _deactivate_service_user(step: Step) -> None:
    """The platform's service user can no longer act (no key, no token of it works)."""
    User.objects.filter(pk=step.obj.user_id).update(is_active=False)


INTEGRATION_ACCOUNT = Machine(
    name="integration_account",
    model=IntegrationAccount,
    may=_may,
    audit_prefix="integration_account_",
    lock=lambda account: (
        IntegrationAccount.objects.select_for_update(of=("self",))
        .select_related("park", "user")
        .get(pk=account.pk)
    ),
    description="集成账号 · Integration account of an energy-carbon platform",
    transitions=(
        Transition(
            "revoke",
            (IntegrationAccountStatus.ACTIVE,),
            IntegrationAccountStatus.REVOKED,
            gettext_lazy("Integration account revoked"),
            gettext_lazy("Revoke"),
            (Role.PARK_STAFF, Role.PROVINCE_ADMIN),
            stamps=("revoked_at",),
            writes=(_write_revoked_by,),
            after=(_deactivate_service_user,),
            refusal=gettext_lazy("This key has been revoked already."),
        ),
    ),
)

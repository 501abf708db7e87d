"""Writes for parks, places and people. Every write is atomic and leaves an audit event."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record, audited_update, model_changes

from .authentication import token_ref
from .models import City, Park, Province, Role, User
from .permissions import (
    can_create_park,
    can_edit_park_profile,
    can_edit_park_registration,
    can_manage_account,
    can_manage_users,
)
from .selectors import PROVINCE_FIELDS, province_document

PARK_PROFILE_FIELDS = (
    "boundary_text",
    "boundary_geojson",
    "managing_body",
    "contact_name",
    "contact_phone",
    "contact_email",
)
PARK_REGISTRATION_FIELDS = ("name", "zone", "scope", "park_type")
USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "affiliation_city",
    "role",
    "park",
    "city",
)


@transaction.atomic
def park_create(*, by: User | None, **data: Any) -> Park:
    """Register a park (province only); validates the model, including the GeoJSON boundary."""
    if by is not None and not can_create_park(by):
        raise PermissionDenied
    unknown = set(data) - set(PARK_PROFILE_FIELDS) - set(PARK_REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"park_create() got unexpected fields: {sorted(unknown)}")
    park = Park(**data)
    park.full_clean()
    park.save()
    audit_event_record(actor=by, target=park, action="park_created", to_state=park.scope)
    return park


@transaction.atomic
def park_update(*, park: Park, by: User | None, comment: str = "", **data: Any) -> Park:
    """Change a park. Staff may change its profile; name, zone, scope and type are the province's."""
    park = Park.objects.select_for_update().get(pk=park.pk)
    if by is not None:
        if not can_edit_park_profile(by, park):
            raise PermissionDenied
        if set(data) & set(PARK_REGISTRATION_FIELDS) and not can_edit_park_registration(by, park):
            raise PermissionDenied
    audited_update(
        park,
        data=data,
        allowed=PARK_PROFILE_FIELDS + PARK_REGISTRATION_FIELDS,
        actor=by,
        action="park_updated",
        state_field="scope",
        comment=comment,
    )
    return park


def _check_user_manager(by: User | None, account: User | None = None) -> None:
    if by is None:
        return
    if not can_manage_users(by) or (account is not None and not can_manage_account(by, account)):
        raise PermissionDenied


def _staff_status(role: str, *, superuser: bool) -> bool:
    """Province admins maintain reference data in the Django admin; other roles never enter it."""
    return superuser or role == Role.PROVINCE_ADMIN


def _check_token_holder(by: User | None, owner: User) -> None:
    """A token is its owner's to end, or the province's (an account it may manage)."""
    if by is not None and by.pk != owner.pk and not can_manage_account(by, owner):
        raise PermissionDenied


def _token_ended(*, owner: User, ref: str, by: User | None, reason: str) -> None:
    """One audit event per token, naming it by its reference (never the key), so a token's whole life
    (issued, revoked: when, by whom, why) reads from the owner's history."""
    if not reason and by is not None:
        reason = "revoked by its owner" if by.pk == owner.pk else "revoked by the province"
    comment = f"{reason}: {ref}" if reason else ref
    audit_event_record(actor=by, target=owner, action="api_token_revoked", comment=comment)


@transaction.atomic
def api_token_issue(*, user: User, reason: str) -> tuple[AuthToken, str]:
    """A new API token for ``user``: the row (only a digest of the key) and the key, which is shown once
    and cannot be recovered. Refused once the account holds TOKEN_LIMIT_PER_USER live tokens (settings
    REST_KNOX): the owner revokes one first (a token per script or machine, but not an unbounded pile
    nobody remembers). Expired rows are cleared here, the one place where they would pile up."""
    user = User.objects.select_for_update().get(pk=user.pk)  # two requests at once cannot pass the limit
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and AuthToken.objects.filter(user=user).count() >= limit:
        raise ApplicationError(
            _("You already hold %(limit)s API tokens: revoke one you no longer use first.") % {"limit": limit}
        )
    token, key = AuthToken.objects.create(user=user)
    audit_event_record(
        actor=user, target=user, action="api_token_issued", comment=f"{reason}: {token_ref(token)}"
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: AuthToken, by: User | None, reason: str = "") -> bool:
    """End one token (its owner's or the province's act): every script using it stops working. False when
    it had already ended (revoked twice at once: nothing left to do). ``reason`` defaults to who acted."""
    owner = token.user
    _check_token_holder(by, owner)
    ended, _detail = AuthToken.objects.filter(pk=token.pk).delete()
    if ended:
        _token_ended(owner=owner, ref=token_ref(token), by=by, reason=reason)
    return bool(ended)


@transaction.atomic
def api_tokens_revoke(*, user: User, by: User | None, reason: str = "") -> int:
    """End every token of ``user`` (signing out, a password, role or status change, the owner's or the
    province's request); returns how many live ones ended, each audited (expired rows just go)."""
    _check_token_holder(by, user)
    now = timezone.now()
    tokens = list(AuthToken.objects.select_for_update().filter(user=user))
    live = [token for token in tokens if token.expiry is None or token.expiry > now]
    AuthToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    for token in live:
        _token_ended(owner=user, ref=token_ref(token), by=by, reason=reason)
    return len(live)


@transaction.atomic
def user_create(*, by: User | None, username: str, password: str | None, **data: Any) -> User:
    """Create a portal user with its role and scope; ``password=None`` leaves it unusable.

    A given password must pass the password rules (whoever calls: a page, a command or a task).
    """
    _check_user_manager(by)
    user = User(username=username, **data)
    user.is_staff = _staff_status(user.role, superuser=user.is_superuser)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_event_record(actor=by, target=user, action="user_created", to_state=user.role)
    return user


@transaction.atomic
def user_update(*, user: User, by: User | None, **data: Any) -> User:
    """Change a user's details, role or scope; a role change is recorded from → to and ends API tokens."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_user_manager(by, user)
    changes = audited_update(
        user,
        data=data,
        allowed=USER_FIELDS,
        actor=by,
        action="user_updated",
        state_field="role",
        exclude=["password"],
    )
    if "role" in changes:
        user.is_staff = _staff_status(user.role, superuser=user.is_superuser)
        user.save(update_fields=["is_staff"])
        api_tokens_revoke(user=user, by=by, reason="role changed")
    return user


@transaction.atomic
def user_set_active(*, user: User, by: User | None, active: bool, comment: str = "") -> User:
    """Activate or deactivate an account (never delete: the audit trail refers to it)."""
    _check_user_manager(by, user)
    if by is not None and by.pk == user.pk and not active:
        raise ValidationError({"is_active": [_("You cannot deactivate your own account.")]})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        api_tokens_revoke(user=user, by=by, reason="account deactivated")
    audit_event_record(
        actor=by,
        target=user,
        action="user_activated" if active else "user_deactivated",
        from_state="active" if not active else "inactive",
        to_state="active" if active else "inactive",
        comment=comment,
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, by: User | None, password: str) -> User:
    """Set a new password (validated against the password rules) and end the account's API tokens.

    The value is never recorded.
    """
    if by is not None and by.pk != user.pk:
        _check_user_manager(by, user)
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    api_tokens_revoke(user=user, by=by, reason="password set")
    audit_event_record(actor=by, target=user, action="password_set")
    return user


@transaction.atomic
def user_unlock(*, user: User, by: User | None) -> int:
    """Clear the sign-in lockout of ``user`` (from every address); returns the attempts cleared."""
    _check_user_manager(by, user)
    cleared: int = axes_reset(username=user.username)  # axes is untyped: the number of attempts removed
    audit_event_record(actor=by, target=user, action="user_unlocked", comment=str(cleared))
    return cleared


@transaction.atomic
def province_load(
    *, directory: Path | None = None, update: bool = False, differences: list[str] | None = None
) -> Province:
    """Load the province from its reference document (settings.PROVINCE_DIR) if it is missing; a stored
    one is changed only with ``update`` (else what differs is added to ``differences``). A portal runs one
    province, so a database holding another one is refused."""
    document = province_document(directory)
    other = Province.objects.exclude(code=document["code"]).first()
    if other is not None:
        raise ApplicationError(
            _("This portal runs %(other)s; it cannot also load %(province)s.")
            % {"other": other, "province": document["name"]}
        )
    data = {name: document[name] for name in PROVINCE_FIELDS if name != "code"}
    province, created = Province.objects.get_or_create(code=document["code"], defaults=data)
    if not created:
        changes = model_changes(province, data)
        if changes and not update and differences is not None:
            differences += [f"{province.name}: {field}" for field in changes]
        if changes and update:
            for name, value in data.items():
                setattr(province, name, value)
            province.full_clean()
            province.save()
            audit_event_record(actor=None, target=province, action="province_updated", changes=changes)
    return province


@transaction.atomic
def cities_load(
    *, directory: Path | None = None, update: bool = True, differences: list[str] | None = None
) -> int:
    """Load the province and its 设区市 (``cities.csv``); returns how many the file lists. Missing rows are
    created; stored ones change only with ``update`` (else what differs is added to ``differences``)."""
    province = province_load(directory=directory, update=update, differences=differences)
    path = Path(directory or settings.PROVINCE_DIR) / "cities.csv"
    count = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            data = {"name": row["name"].strip(), "plate": row["plate"].strip(), "province": province}
            city = City.objects.filter(code=row["code"].strip()).first() or City(code=row["code"].strip())
            changes = model_changes(city, data) if city.pk is not None else {}
            if changes and not update:
                if differences is not None:
                    differences += [
                        f"{city.name}: {field} {old} → {new}" for field, (old, new) in changes.items()
                    ]
                count += 1
                continue
            if city.pk is None or changes:
                for name, value in data.items():
                    setattr(city, name, value)
                city.full_clean()
                city.save()
            count += 1
    return count

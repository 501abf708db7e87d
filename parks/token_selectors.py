"""Reading API tokens: whose a user may see, and which one a reference names (the writes are in services).

Scope as everywhere: one's own tokens, and for the province any account it manages; anything else answers
404, so nobody learns whether another account holds tokens.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from .authentication import TOKEN_REF_LENGTH
from .models import User
from .permissions import can_manage_users
from .selectors import user_get_manageable

_REF = re.compile(rf"[0-9a-f]{{{TOKEN_REF_LENGTH}}}")


def _live() -> Q:
    return Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())


def api_tokens_live(*, owner: User) -> QuerySet[Any]:
    """``owner``'s tokens that still work, newest first (expired rows wait for the next issue's clean-up)."""
    tokens: QuerySet[Any] = AuthToken.objects.filter(_live(), user=owner)
    return tokens.select_related("user").order_by("-created")


def api_token_owner(*, by: User, pk: int | None) -> User:
    """The account whose tokens ``by`` asks about: itself, or for the province an account it manages."""
    if pk is None or pk == by.pk:
        return by
    if not can_manage_users(by):
        raise Http404
    return user_get_manageable(by=by, pk=pk)


def api_token_get(*, by: User, ref: str) -> Any:
    """The live token ``ref`` names, if ``by`` may end it (its own; the province: a managed account's)."""
    if not _REF.fullmatch(ref):
        raise Http404
    tokens = AuthToken.objects.filter(_live(), digest__startswith=ref).select_related("user")
    if not can_manage_users(by):
        tokens = tokens.filter(user=by)
    elif not by.is_superuser:
        tokens = tokens.filter(Q(user__is_superuser=False) | Q(user=by))
    found = list(tokens[:2])
    if len(found) != 1:  # none, or (never seen: 64 bits) two sharing the reference
        raise Http404
    return found[0]

"""Authentication backend that loads the user's scope with it (one query per request, not three)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User.objects.select_related("park__zone__city", "city").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        """An integration account's service user never signs in to the web (its key is its only way in)."""
        return not getattr(user, "is_machine", False) and super().user_can_authenticate(user)

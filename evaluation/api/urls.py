"""The construction and acceptance API. SKELETON: being written."""

from __future__ import annotations

urlpatterns: list = []

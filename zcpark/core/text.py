"""Text the database cannot hold: a NUL character (PostgreSQL's text refuses it) or an unpaired UTF-16
surrogate (no UTF-8 encodes it). Refused where it comes in, naming the field, instead of failing deep
inside with a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = _(
    "contains a character that cannot be stored (a NUL or an unpaired surrogate); remove it."
)


def is_unstorable(value: Any) -> bool:
    return isinstance(value, str) and UNSTORABLE.search(value) is not None


def unstorable_path(data: Any, path: str = "") -> str | None:
    """The dotted path of the first key or text in ``data`` (JSON values) the database cannot hold."""
    if is_unstorable(data):
        return path or "(body)"
    if isinstance(data, Mapping):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if is_unstorable(key):
                return child
            found = unstorable_path(value, child)
            if found is not None:
                return found
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = unstorable_path(value, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def unstorable_field(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The first field of a form or query string (``QueryDict.lists()``) whose name or value cannot be held."""
    for name, values in pairs:
        if is_unstorable(name) or any(is_unstorable(value) for value in values):
            return name
    return None

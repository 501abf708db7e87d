"""Machine credentials for a park's 能碳平台 (issue 15): what a key may do, and how a key is written.

A key reads ``zc_<prefix>_<secret>``: the prefix (public, in lists and the audit trail) finds the
account's row, the secret is random; the database keeps only the SHA-256 digest of the whole key, so a
copy of the database holds no key that works. The key is shown once, in the answer that made it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_SCHEME = "zc"
# 8 hex characters: 4 billion prefixes, unique per account (a clash at creation simply draws again).
PREFIX_BYTES = 4
# 32 random bytes, URL-safe base64 (43 characters).
SECRET_BYTES = 32
# The Authorization header's keyword (knox's personal tokens keep "Token").
AUTH_KEYWORD = "Bearer"


class MachineScope(models.TextChoices):
    """What an integration account's key may do (each API view declares the scope a method needs)."""

    DATASETS_WRITE = "datasets_write", _("Write yearly datasets")
    MONTHLY_WRITE = "monthly_write", _("Write monthly data")
    RESULTS_READ = "results_read", _("Read results")


class IntegrationAccountStatus(models.TextChoices):
    """An account's state (the machine ``integration_account``): revoked for good once revoked. Expiry is
    not a state: an active account whose ``expires_at`` has passed is refused by the time alone."""

    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


def key_digest(key: str) -> str:
    """The digest the database keeps of a key (hex SHA-256 of the whole key)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_generate() -> tuple[str, str]:
    """A new key and its public prefix."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}", prefix


def key_prefix(key: str) -> str | None:
    """The prefix a key names, or None when the text is not shaped like a key."""
    scheme, _sep, rest = key.partition("_")
    prefix, sep, secret = rest.partition("_")
    if scheme != KEY_SCHEME or not sep or not secret or len(prefix) != 2 * PREFIX_BYTES:
        return None
    return prefix

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor: pages that gather every app (home, navigation, notifications) and the demo seed."""

    name = "portal"
    verbose_name = _("Portal")

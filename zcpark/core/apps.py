from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zcpark.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .models import register_action_labels

        register_action_labels(
            {
                "admin_created": _("Created in the admin"),
                "admin_changed": _("Changed in the admin"),
                "admin_deleted": _("Deleted in the admin"),
            }
        )

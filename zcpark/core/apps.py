from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zcpark.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .imports import imports_ready
        from .models import register_action_labels, register_event_readers
        from .threads import ACTION_LABELS, anchor_change_read

        register_action_labels(
            {
                "admin_created": _("Created in the admin"),
                "admin_changed": _("Changed in the admin"),
                "admin_deleted": _("Deleted in the admin"),
                # A generated file (an export, a report): its job stored it, failed, or was asked for again.
                "file_ready": _("File prepared"),
                "file_failed": _("File not prepared"),
                "file_requeued": _("Asked for again"),
            }
        )
        register_action_labels(ACTION_LABELS)
        for action in ACTION_LABELS:
            register_event_readers(action, change=anchor_change_read)
        imports_ready()

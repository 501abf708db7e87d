from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and construction lists")

    def ready(self) -> None:
        from zcpark.core.machines import register_machines
        from zcpark.core.models import register_action_labels, register_event_readers, register_state_labels

        from . import (
            tasks,  # noqa: F401  (registers the Celery tasks the services queue by name)
            threads,
        )
        from .models import ApplicationStatus, CallStatus, ListStatus
        from .services.dossiers import section_change_read, section_comment_read
        from .workflow import ACTION_LABELS, APPLICATION, CALL, LIST

        for choices in (ApplicationStatus, CallStatus, ListStatus):
            register_state_labels(dict(choices.choices))
        register_action_labels(ACTION_LABELS)
        register_machines(CALL, APPLICATION, LIST)
        register_event_readers("section_saved", comment=section_comment_read, change=section_change_read)
        threads.register()

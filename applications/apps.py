from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and construction lists")

    def ready(self) -> None:
        from zcpark.core.machines import register_machines
        from zcpark.core.models import register_action_labels, register_event_readers, register_state_labels

        from . import tasks  # noqa: F401  (registers the Celery tasks the services queue by name)
        from .models import ApplicationStatus, CallStatus, ListStatus, ObjectionStatus
        from .services.documents import document_comment_read, document_link_read
        from .services.dossiers import section_change_read, section_comment_read
        from .workflow import ACTION_LABELS, APPLICATION, CALL, LIST, OBJECTION

        for choices in (ApplicationStatus, CallStatus, ListStatus, ObjectionStatus):
            register_state_labels(dict(choices.choices))
        register_action_labels(ACTION_LABELS)
        register_machines(CALL, APPLICATION, LIST, OBJECTION)
        register_event_readers("section_saved", comment=section_comment_read, change=section_change_read)
        for action in ("document_issued", "document_reissued"):
            register_event_readers(action, comment=document_comment_read, link=document_link_read)

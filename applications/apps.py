from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications and construction lists")

    def ready(self) -> None:
        from indicators.exemptions import register_exemption_source
        from zcpark.core.machines import register_machines
        from zcpark.core.models import register_action_labels, register_event_readers, register_state_labels

        from . import (
            tasks,  # noqa: F401  (registers the Celery tasks the services queue by name)
            threads,
        )
        from .dataset_holders import register as register_dataset_holders
        from .exemptions.models import ExemptionStatus
        from .exemptions.selectors import accepted_exemptions
        from .exemptions.workflow import ACTION_LABELS as EXEMPTION_ACTION_LABELS
        from .exemptions.workflow import EXEMPTION
        from .import_origins import register as register_import_origins
        from .models import ApplicationStatus, CallStatus, ListStatus, ObjectionStatus
        from .services.documents import document_comment_read, document_link_read
        from .services.dossiers import section_change_read, section_comment_read
        from .tables.importers import register_table_importers
        from .workflow import ACTION_LABELS, APPLICATION, CALL, LIST, OBJECTION

        for choices in (ApplicationStatus, CallStatus, ListStatus, ObjectionStatus, ExemptionStatus):
            register_state_labels(dict(choices.choices))
        register_action_labels(ACTION_LABELS)
        register_action_labels(EXEMPTION_ACTION_LABELS)
        register_machines(CALL, APPLICATION, LIST, OBJECTION, EXEMPTION)
        # Only the exemptions the province accepted count in a park's results (issue 14).
        register_exemption_source(accepted_exemptions)
        register_event_readers("section_saved", comment=section_comment_read, change=section_change_read)
        for action in ("document_issued", "document_reissued"):
            register_event_readers(action, comment=document_comment_read, link=document_link_read)
        threads.register()
        # The dossier tables from Excel (key projects, targets, cash flows, key enterprises): issue 15.
        register_table_importers()
        # A preview made from a dossier is saved (or undone) only while the dossier may change.
        register_import_origins()
        # A submitted dossier's energy years change only through the dossier (returned to the park).
        register_dataset_holders()

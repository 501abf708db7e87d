from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Construction and acceptance")

    def ready(self) -> None:
        from applications.models import ConstructionList
        from applications.signals import list_published
        from zcpark.core.events import register_named_actions
        from zcpark.core.machines import audit_labels, register_machines
        from zcpark.core.models import register_action_labels, register_state_labels

        from . import (
            tasks,  # noqa: F401  (registers the Celery tasks the services queue by name)
            threads,
        )
        from .dataset_holders import register as register_dataset_holders
        from .documents import documents_register
        from .import_origins import register as register_import_origins
        from .models import (
            CityReportStatus,
            EvaluationStatus,
            ExtensionStatus,
            OrderStatus,
            OutlookStatus,
            ProjectStatus,
            ReportStatus,
            ReviewStatus,
        )
        from .monthly.importer import register as monthly_importers
        from .monthly.labels import MONTHLY_ACTION_LABELS
        from .monthly.machine import OUTLOOK
        from .workflow import ACTION_LABELS, MACHINES, NAMED_ACTIONS

        for choices in (
            ProjectStatus,
            OrderStatus,
            ReportStatus,
            EvaluationStatus,
            ReviewStatus,
            CityReportStatus,
            ExtensionStatus,
        ):
            register_state_labels(dict(choices.choices))
        register_action_labels(ACTION_LABELS)
        register_action_labels(MONTHLY_ACTION_LABELS)
        register_machines(OUTLOOK)
        register_action_labels(audit_labels(OUTLOOK))
        monthly_importers()
        register_state_labels(dict(OutlookStatus.choices))
        register_machines(*MACHINES)
        documents_register()
        # A preview made from an annual report is saved (or undone) only while the report may change.
        register_import_origins()
        # A submitted annual report or self-assessment keeps its year's data as it was submitted.
        register_dataset_holders()
        register_named_actions(*NAMED_ACTIONS)
        threads.register()
        list_published.connect(
            _open_projects, sender=ConstructionList, dispatch_uid="evaluation.open_projects"
        )


def _open_projects(sender: Any, *, by: Any, construction_list: Any, **kwargs: Any) -> None:
    """A published list opens each park's construction project, inside the publishing transaction."""
    from .services import projects_open_for_list

    projects_open_for_list(by=by, construction_list=construction_list)

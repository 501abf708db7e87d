from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Construction and acceptance")

    def ready(self) -> None:
        from zcpark.core.models import register_action_labels, register_state_labels

        from .models import EvaluationStatus, OrderStatus, ProjectStatus, ReportStatus, ReviewStatus
        from .workflow import ACTION_LABELS

        for choices in (ProjectStatus, OrderStatus, ReportStatus, EvaluationStatus, ReviewStatus):
            register_state_labels(dict(choices.choices))
        register_action_labels(ACTION_LABELS)

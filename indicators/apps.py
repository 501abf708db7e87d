from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators and carbon accounting")

    def ready(self) -> None:
        from zcpark.core.machines import audit_labels, register_machines
        from zcpark.core.models import register_action_labels

        from . import tasks  # noqa: F401  (registers the Celery tasks the services queue by name)
        from .services.drafts import FACTOR_SET_DRAFT, SCHEME_DRAFT

        register_machines(FACTOR_SET_DRAFT, SCHEME_DRAFT)
        register_action_labels(audit_labels(FACTOR_SET_DRAFT, SCHEME_DRAFT))

        register_action_labels(
            {
                "factor_set_loaded": _("Factor set loaded"),
                "factor_set_grid_factor_added": _("Grid emission factor added"),
                "factor_set_grid_factor_replaced": _("Grid emission factor replaced"),
                "factor_set_coefficient_added": _("Equivalent-value coefficient added"),
                "factor_set_coefficient_replaced": _("Equivalent-value coefficient replaced"),
                "factor_set_constant_corrected": _("Method constant corrected"),
                "scheme_loaded": _("Indicator scheme loaded"),
                "scheme_version_created": _("Indicator scheme thresholds changed"),
                "dataset_created": _("Park-year data entered"),
                "dataset_updated": _("Park-year data changed"),
                "quality_rule_changed": _("Data-quality rule changed"),
                "dataset_deleted": _("Park-year data removed"),
            }
        )
        from .dataset_imports import dataset_imports_ready

        dataset_imports_ready()

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parks"
    verbose_name = _("Parks and people")

    def ready(self) -> None:
        from zcpark.core.machines import audit_labels, register_machines
        from zcpark.core.models import register_action_labels, register_state_labels

        from .integration import IntegrationAccountStatus
        from .integration_workflow import INTEGRATION_ACCOUNT
        from .models import ParkScope, ParkType, Role, ZoneKind, ZoneLevel

        for choices in (ParkScope, ParkType, Role, ZoneKind, ZoneLevel):
            register_state_labels(dict(choices.choices))
        register_state_labels({"active": _("active"), "inactive": _("inactive")})
        # An integration account's "active" reads as a user's; its "revoked" is its own.
        register_state_labels({IntegrationAccountStatus.REVOKED: IntegrationAccountStatus.REVOKED.label})
        register_machines(INTEGRATION_ACCOUNT)
        register_action_labels(audit_labels(INTEGRATION_ACCOUNT))

        register_action_labels(
            {
                "park_created": _("Park registered"),
                "park_updated": _("Park changed"),
                "user_created": _("Account created"),
                "user_updated": _("Account changed"),
                "user_activated": _("Account activated"),
                "user_deactivated": _("Account deactivated"),
                "password_set": _("Password set"),
                "user_unlocked": _("Sign-in lockout cleared"),
                "zone_imported_created": _("Zone added by catalog import"),
                "zone_imported_updated": _("Zone changed by catalog import"),
                "zone_import_removed": _("Zone removed by undoing a catalog import"),
                "province_updated": _("Province changed"),
                "api_token_issued": _("API token issued"),
                "api_token_revoked": _("API token revoked"),
                "integration_account_created": _("Integration account created"),
            }
        )
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete, post_save

        from . import geojson
        from .models import Province
        from .selectors import province_current

        user_logged_out.connect(_signed_out, dispatch_uid="parks.signed_out")
        post_save.connect(_province_saved, sender=Province, dispatch_uid="parks.province_saved")
        post_delete.connect(_province_deleted, sender=Province, dispatch_uid="parks.province_deleted")
        geojson.register_extent(lambda: (province_current().label, province_current().bounds))
        from .two_factor import two_factor_ready

        two_factor_ready()
        from .zone_catalog_imports import zone_catalog_imports_ready

        zone_catalog_imports_ready()


def _province_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .selectors import province_cache_set

    province_cache_set(instance)


def _province_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .selectors import province_cache_set

    province_cache_set(None)


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing out of the portal ends the account's API token too."""
    from .services import api_tokens_revoke

    if user is not None:
        api_tokens_revoke(user=user, by=user, reason="signed out")

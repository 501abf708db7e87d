"""A dossier as the origin of an import (``zcpark.core.import_origins``): a preview made from its energy
year or one of its tables is saved, and such an import undone, only while the dossier may change — the
same rule and message as a form save (``services.dossiers.check_editable``, less its who-may part: the
import's own importer says who may)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zcpark.core.exceptions import ApplicationError
from zcpark.core.import_origins import register_import_origin

from .models import EDITABLE_STATUSES, Application
from .permissions import is_frozen_by_call


def dossier_accepts_changes(application: Application) -> None:
    """Raise ApplicationError (why) unless the dossier may change now."""
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("The dossier is %(status)s and cannot be changed now.")
            % {"status": application.get_status_display()}
        )
    if is_frozen_by_call(application):
        raise ApplicationError(_("The call is closed: its dossiers are frozen."))


def register() -> None:
    """The applications app's ready()."""
    register_import_origin(Application, dossier_accepts_changes)

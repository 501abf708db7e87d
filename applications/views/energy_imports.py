"""A dossier's energy year uploaded: read and checked, then previewed through the import framework
(``zcpark.core.imports``; stored once the preview is saved), and the year's import history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse

from indicators.selectors import factor_set_current_document, park_year_find
from indicators.services import DatasetInputErrors
from indicators.services.dataset_imports import dataset_import_preview
from indicators.uploads import EnergyYearUploadForm, read_energy_upload
from zcpark.core.exceptions import error_messages
from zcpark.core.imports import import_history_for
from zcpark.core.models import ImportBatch

from .. import permissions
from ..models import Application


def energy_year_preview(
    request: HttpRequest, application: Application, year: int, form: EnergyYearUploadForm
) -> tuple[list[dict[str, str]], ImportBatch | None]:
    """Read and check the uploaded year and preview what it changes (nothing is stored until the preview
    is saved); the problems found, or the preview. The preview is the dossier's: it is saved (and undone)
    only while the dossier may change."""
    upload = form.cleaned_data["file"]
    outcome = read_energy_upload(upload, year=year, factor_set=factor_set_current_document())
    if outcome.errors:
        return outcome.errors, None
    if not permissions.can_edit_dossier(request.user, application):
        raise PermissionDenied
    try:
        batch = dataset_import_preview(
            by=request.user,
            park=application.park,
            year=year,
            document=outcome.dataset or {},
            file_name=upload.name,
            back_url=reverse("applications:energy-year", args=[application.pk, year]),
            origin=application,
        )
    except ValidationError as exc:
        for key, items in error_messages(exc, "").items():
            for message in items:
                outcome.add("" if key == "__all__" else key, "invalid", message)
        return outcome.errors, None
    except DatasetInputErrors as exc:
        return [outcome.located(dict(error)) for error in exc.errors], None
    return [], batch


def year_imports(request: HttpRequest, application: Application, year: int) -> list[ImportBatch]:
    """The year's import history (an undo on the latest saved one, to whoever may import into it)."""
    park_year = park_year_find(park_id=application.park_id, year=year)
    return import_history_for(request.user, park_year) if park_year else []

"""A park-year's dataset through the import framework (``zcpark.core.imports``): an upload is previewed on
its park-year, then committed or discarded; a push (the API, a machine) is committed at once and kept in
the same history, so every way a year's data changed can be undone from it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from parks.models import Park, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import ImportBatch, import_direct, import_preview
from zcpark.core.services import audit_event_record

from ..models import ParkDataset, ParkYear
from ..permissions import can_edit_park_dataset
from .datasets import dataset_checked, dataset_lock_unheld, park_dataset_save

ENERGY_KIND = "energy_workbook"


@transaction.atomic
def park_year_get(*, park: Park, year: int) -> ParkYear:
    """The park-year its imports are recorded on (made on its first import)."""
    park_year, _created = ParkYear.objects.get_or_create(park=park, year=year)
    return park_year


@transaction.atomic
def dataset_import_preview(
    *,
    by: User,
    park: Park,
    year: int,
    document: dict[str, Any],
    file_name: str = "",
    back_url: str = "",
    origin: models.Model | None = None,
) -> ImportBatch:
    """Preview an uploaded year: what it changes in the stored year, and the indicators it gives against
    the current ones. Nothing of the year changes. Checked first as a save checks it (ValidationError or
    DatasetInputErrors: no preview); saved only while no decided record holds the year (the save refuses).
    ``origin``: the record the preview is made from (a dossier, an annual report): it is saved or undone
    only while that record accepts changes (``zcpark.core.import_origins``)."""
    if not can_edit_park_dataset(by, park):
        raise PermissionDenied
    content = dataset_checked(park=park, year=year, document=document)
    return import_preview(
        kind=ENERGY_KIND,
        target=park_year_get(park=park, year=year),
        content=content,
        by=by,
        file_name=file_name,
        back_url=back_url,
        origin=origin,
    )


@transaction.atomic
def park_dataset_push(
    *,
    by: User | None,
    park: Park,
    year: int,
    document: dict[str, Any],
    comment: str = "",
    origin: models.Model | None = None,
) -> ParkDataset:
    """Store a pushed year at once (the API's PUT): as ``park_dataset_save``, recorded in the year's import
    history as an import committed at once, so it can be undone. A push by no one (the system) is stored
    directly. ``origin``: the record it is pushed through (a dossier, an annual report), kept on the import
    (undone only while that record accepts changes). Refused while a decided record holds the year."""
    if by is None or not isinstance(document, dict):
        return park_dataset_save(by=by, park=park, year=year, document=document, comment=comment)
    if not can_edit_park_dataset(by, park):
        raise PermissionDenied
    dataset_lock_unheld(park=park, year=year)
    content = dataset_checked(park=park, year=year, document=document)
    batch = import_direct(
        kind=ENERGY_KIND,
        target=park_year_get(park=park, year=year),
        content=content,
        by=by,
        file_name=comment,
        origin=origin,
    )
    if batch is None:  # the same data again: stored as it was (the save checks it and changes nothing)
        return park_dataset_save(by=by, park=park, year=year, document=document, comment=comment)
    return ParkDataset.objects.get(park=park, year=year)


@transaction.atomic
def park_dataset_delete(*, by: User | None, park: Park, year: int, comment: str = "") -> None:
    """Remove a park's year (the undo of its first import): its results go with it. Audited on the
    dataset (its timeline keeps the event). Refused while a decided record holds the year."""
    if by is not None and not can_edit_park_dataset(by, park):
        raise PermissionDenied
    dataset = ParkDataset.objects.select_for_update().filter(park=park, year=year).first()
    if dataset is None:
        return
    dataset_lock_unheld(park=park, year=year)
    audit_event_record(actor=by, target=dataset, action="dataset_deleted", comment=comment)
    try:
        dataset.delete()
    except ProtectedError as exc:
        # A submitted annual report or self-assessment holds the year: what it was judged on stays.
        raise ApplicationError(
            _("The %(year)s data is held by an annual report or a self-assessment; it cannot be removed.")
            % {"year": year}
        ) from exc

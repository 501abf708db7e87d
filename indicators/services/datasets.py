"""Park-year dataset writes: store a park's dataset document and schedule its results."""

from __future__ import annotations

from typing import Any

import structlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import Park, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import audit_event_record

from .. import engine
from ..dataset_holders import dataset_check_unheld
from ..engine.dataset import to_decimal
from ..models import YEAR_MAX, YEAR_MIN, ParkDataset
from ..permissions import can_edit_park_dataset
from .reference import _json_safe

logger = structlog.get_logger("indicators.services")


class DatasetInputErrors(ApplicationError):
    """The engine refused the dataset: ``errors`` is its errors list ({path, code, message}), as the
    calculator answers it. Nothing was stored."""

    # Deliberately the engine's errors list in place of the base's field → messages map (the views and
    # the API hand it on as the calculator's answer), so the override's type differs from the base's.
    errors: list[dict[str, str]]  # type: ignore[assignment]

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(_("The dataset has input errors; nothing was saved."))
        self.errors = errors

    def reasons(self) -> list[str]:
        return [f"{e['path']}: {e['message']}" if e.get("path") else e["message"] for e in self.errors]


def dataset_input_errors(document: dict[str, Any]) -> list[dict[str, str]]:
    """The engine's input errors for ``document`` under the current reference data (every way a dataset
    enters runs this before storing). Empty when it is valid, or when no reference data is loaded yet
    (then the sweep reports the errors once it is)."""
    from ..selectors import factor_set_current_version, scheme_current_versions

    factor_set, schemes = factor_set_current_version(), scheme_current_versions()
    if factor_set is None or not schemes:
        logger.warning("dataset_saved_unchecked", reason="no factor set or scheme loaded")
        return []
    evaluation = engine.evaluate(document, factor_set=factor_set.factor_set, scheme=schemes[0].scheme)
    return [] if evaluation.ok else [e.as_dict() for e in evaluation.errors]


def dataset_checked(*, park: Park, year: int, document: Any) -> dict[str, Any]:
    """``document`` as a park's dataset for ``year`` is stored (the registered park type written in, numbers
    as text), once checked: a JSON object, for ``year``, of the park's type, accepted by the engine
    (ValidationError or DatasetInputErrors otherwise). Every way a year enters runs it before storing."""
    if not isinstance(document, dict):
        raise ValidationError({"document": [_("The dataset must be a JSON object.")]})
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            {"year": [_("Enter a year from %(min)s to %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}]}
        )
    park_block = document["park"] if isinstance(document.get("park"), dict) else {}
    park_type = park_block.get("park_type")
    if park_type is not None and park_type != park.park_type:
        # The park type sets the core threshold (0.6 / 0.4): it is the province's registration, not the file's.
        raise ValidationError(
            {
                "park.park_type": [
                    _("The dataset says %(doc)s, but the park is registered as %(park)s.")
                    % {"doc": park_type, "park": park.get_park_type_display()}
                ]
            }
        )
    doc_year = to_decimal(document.get("year"))
    if doc_year is None or doc_year != year:
        raise ValidationError(
            {
                "year": [
                    _("The document is for %(doc)s, not %(year)s.")
                    % {"doc": document.get("year"), "year": year}
                ]
            }
        )
    # The registered park type is written into the stored document (it decides the thresholds).
    stored: dict[str, Any] = _json_safe({**document, "park": {**park_block, "park_type": park.park_type}})
    errors = dataset_input_errors(stored)
    if errors:
        raise DatasetInputErrors(errors)
    return stored


def dataset_lock_unheld(*, park: Park, year: int) -> None:
    """Lock the park-year's row (a record taking hold of it waits, or is waited for), then refuse
    (ApplicationError with the holding record's message) when a decided record holds the year."""
    list(ParkDataset.objects.select_for_update().filter(park=park, year=year).values_list("pk", flat=True))
    dataset_check_unheld(park, year)


@transaction.atomic
def park_dataset_save(
    *, by: User | None, park: Park, year: int, document: dict[str, Any], comment: str = ""
) -> ParkDataset:
    """Store a park's dataset document for ``year`` (creating or replacing it) and compute its results
    after commit. The park's own staff and the province may; ``document["year"]`` must be ``year``,
    a park type in the document must be the park's registered one, and the engine must accept it
    (DatasetInputErrors with its errors otherwise: nothing is stored). Refused (ApplicationError) while a
    decided record holds the year (``indicators.dataset_holders``), whoever saves it."""
    if by is not None and not can_edit_park_dataset(by, park):
        raise PermissionDenied
    dataset_lock_unheld(park=park, year=year)
    stored = dataset_checked(park=park, year=year, document=document)
    # A /1 document is stored upgraded to /2 (accounting.md §5.3), the document as sent kept beside it.
    stored, upgraded_from = engine.upgrade(stored)
    original = _json_safe(document) if upgraded_from else None
    # get_or_create (not filter().first()): two first saves of the same park-year cannot both insert.
    dataset, created = ParkDataset.objects.select_for_update().get_or_create(
        park=park,
        year=year,
        defaults={
            "document": stored,
            "original_document": original,
            "created_by": by if by is not None and by.is_authenticated else None,
        },
    )
    if not created and dataset.document == stored and dataset.original_document == original:
        return dataset
    dataset.document, dataset.original_document = stored, original
    dataset.full_clean()
    dataset.save()
    audit_event_record(
        actor=by, target=dataset, action="dataset_created" if created else "dataset_updated", comment=comment
    )
    task_enqueue_on_commit("indicators.results_compute", dataset.pk, "dataset saved")
    return dataset

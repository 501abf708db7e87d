"""Park-year dataset writes: store a park's dataset document and schedule its results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import Park, User
from zcpark.core.services import audit_event_record

from ..models import ParkDataset
from ..permissions import can_edit_park_dataset
from .reference import _json_safe


@transaction.atomic
def park_dataset_save(
    *, by: User | None, park: Park, year: int, document: dict[str, Any], comment: str = ""
) -> ParkDataset:
    """Store a park's dataset document for ``year`` (creating or replacing it) and compute its results
    after commit. The park's own staff and the province may; ``document["year"]`` must be ``year``."""
    if by is not None and not can_edit_park_dataset(by, park):
        raise PermissionDenied
    if not isinstance(document, dict):
        raise ValidationError({"document": [_("The dataset must be a JSON object.")]})
    if str(document.get("year")) != str(year):
        raise ValidationError(
            {
                "year": [
                    _("The document is for %(doc)s, not %(year)s.")
                    % {"doc": document.get("year"), "year": year}
                ]
            }
        )
    stored = _json_safe(document)
    dataset = ParkDataset.objects.select_for_update().filter(park=park, year=year).first()
    created = dataset is None
    if dataset is None:
        dataset = ParkDataset(
            park=park, year=year, created_by=by if by is not None and by.is_authenticated else None
        )
    elif dataset.document == stored:
        return dataset
    dataset.document = stored
    dataset.full_clean()
    dataset.save()
    audit_event_record(
        actor=by, target=dataset, action="dataset_created" if created else "dataset_updated", comment=comment
    )
    from ..tasks import indicator_results_compute_task

    dataset_id = dataset.pk
    transaction.on_commit(
        lambda: indicator_results_compute_task.delay(dataset_id, "dataset saved"), robust=True
    )
    return dataset

"""The data-quality warnings of a dossier's energy years (issue 15), for the energy pages and the API.

Each year is checked against the year before (the dossier's years as already loaded, and the year before the
first read once); the base year also against the key-enterprises table of the industry section (its
``energy_tce`` summed). A fixed number of queries whatever the number of years; never blocking.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from indicators.quality import (
    QualityWarning,
    dataset_warnings,
    enterprises_energy_tce,
    years_warnings,
)

from ..models import BASE_YEAR, Application, DossierSection, SectionCode
from .analysis import energy_years


def key_enterprises_tce(application: Application) -> Decimal | None:
    """The key enterprises' energy (tce) as the dossier's industry section lists it (one query)."""
    data = (
        DossierSection.objects.filter(application=application, code=SectionCode.INDUSTRY)
        .values_list("data", flat=True)
        .first()
    )
    return enterprises_energy_tce(data.get("key_enterprises")) if isinstance(data, Mapping) else None


def dossier_quality(
    application: Application, datasets: Mapping[int, Any], *, years: tuple[int, ...] | None = None
) -> list[tuple[int, list[QualityWarning]]]:
    """(year, warnings) of each stored year of ``datasets`` (year → ParkDataset or None) with a warning,
    restricted to ``years`` when given."""
    documents = {year: d.document for year, d in datasets.items() if d is not None}
    if not documents:
        return []
    found = years_warnings(
        application.park_id, documents, enterprises_tce={BASE_YEAR: key_enterprises_tce(application)}
    )
    return [(y, found[y]) for y in sorted(found) if found[y] and (years is None or y in years)]


def dossier_year_warnings(application: Application, year: int, document: Any) -> list[QualityWarning]:
    """The warnings of ``document`` as ``year`` of the dossier (the previous year read from the park)."""
    return dataset_warnings(
        application.park_id,
        year,
        document,
        enterprises_tce=key_enterprises_tce(application) if year == BASE_YEAR else None,
    )


def energy_section(application: Application) -> dict[str, Any]:
    """The energy section page's years (``analysis.energy_years``) and their warnings."""
    years = energy_years(application)
    return {"years": years, "quality_years": dossier_quality(application, {y.year: y.dataset for y in years})}

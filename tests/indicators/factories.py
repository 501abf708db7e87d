"""Factories for indicators: park-year datasets, and the reference factor data loaded from fixtures/."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import factory
from django.conf import settings
from factory.django import DjangoModelFactory

from indicators.models import ParkDataset
from indicators.services import factor_set_load_fixture, scheme_load_fixture
from tests.parks.factories import ParkFactory

FIXTURES = Path(settings.FIXTURES_DIR)
SCHEME_CODES = ("jiangxi-2025", "national-2025")

# A non-chemical park of mostly green electricity: under method cn-2025-trial (fixed grid factor
# 0.8325, 等价值 0.3007 tce/MWh) carbon_per_energy is 0.4372 (53064.97 tCO2 / 121380.67 tce),
# failing jiangxi's 0.4.
_DOCUMENT: dict[str, Any] = {
    "schema": "zcpark.dataset/2",
    "park": {"name": "赣江新区绿色智造产业园", "park_type": "non_chemical"},
    "year": 2025,
    "energy": [
        {"carrier": "natural_gas", "quantity": "500", "unit": "10^4 Nm3", "use": "fuel"},
        {"carrier": "diesel", "quantity": "200", "unit": "t", "use": "fuel"},
    ],
    "electricity_mwh": {
        "grid": "50000",
        "green_direct": "217000",
        "green_trade": "63000",
        "onsite_renewable": "52500",
    },
    "resources": {
        "solid_waste_t": {"generated": "125000", "utilized": "104300", "utilized_from_storage": "3000"},
        "water_m3": {"fresh_intake": "2400000", "reused": "11200000"},
        "green_buildings": 2,
    },
}


def dataset_document(*, year: int = 2025, **overrides: Any) -> dict[str, Any]:
    """A valid dataset document for ``year``; top-level keys in ``overrides`` replace the defaults."""
    document = copy.deepcopy(_DOCUMENT)
    document["year"] = year
    document.update(overrides)
    return document


def invalid_dataset_document(*, year: int = 2025) -> dict[str, Any]:
    """A dataset the engine rejects: a negative quantity and an unknown carrier."""
    return dataset_document(
        year=year,
        energy=[
            {"carrier": "natural_gas", "quantity": "-5", "unit": "10^4 Nm3", "use": "fuel"},
            {"carrier": "unobtainium", "quantity": "1", "unit": "t", "use": "fuel"},
        ],
    )


def load_factor_data() -> None:
    """Load cn-2026.1 and both schemes as the load_factor_data command does."""
    factor_set_load_fixture(path=FIXTURES / "factor_sets" / "cn-2026.1.json")
    for code in SCHEME_CODES:
        scheme_load_fixture(path=FIXTURES / "schemes" / f"{code}.json")


class ParkDatasetFactory(DjangoModelFactory):
    """A stored dataset (written directly: tests of park_dataset_save go through the service)."""

    class Meta:
        model = ParkDataset

    park = factory.SubFactory(ParkFactory)
    year = 2025
    document = factory.LazyAttribute(lambda o: dataset_document(year=o.year))

    class Params:
        invalid = factory.Trait(
            document=factory.LazyAttribute(lambda o: invalid_dataset_document(year=o.year))
        )

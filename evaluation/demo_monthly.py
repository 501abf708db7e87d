"""The demo's 能碳平台: an integration key for a park under construction and this year's months pushed with it.

九江经开区零碳园区 (the lagging park of the construction demo) gets a platform account with every scope and
the months of the current year up to the last full one, split from its lagging sample year by a fixed
seasonal profile, so its monthly page shows a year-to-date indicator and a projection that misses the
target (and its people have the crossing's notification). Run once: a park that already has months this year
is left as it is, and no new key is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from parks.models import Park

from .demo import OVERDUE_PARK
from .models import MonthlyFigure
from .monthly.services import monthly_push
from .samples import construction_dataset

PLATFORM_NAME = "园区能碳平台（演示）"
# January … December: each month's share of the year × 12 (they add up to 12).
SEASON = tuple(
    Decimal(f)
    for f in ("1.10", "1.05", "0.95", "0.90", "0.92", "1.00", "1.10", "1.12", "1.00", "0.93", "0.95", "0.98")
)
QUANTUM = Decimal("0.0001")


@dataclass(frozen=True)
class DemoPlatform:
    park: str
    park_id: int
    year: int
    months: int
    key: str  # shown once: empty when the platform was seeded before


def _share(quantity: Any, month: int) -> str:
    """The month's part of a year's quantity; December takes what is left, so the months add up exactly."""
    year = Decimal(str(quantity))
    parts = [(year * SEASON[m - 1] / 12).quantize(QUANTUM) for m in range(1, 12)]
    return str(parts[month - 1] if month < 12 else year - sum(parts))


def demo_month_rows(document: dict[str, Any], month: int) -> list[dict[str, Any]]:
    """The rows of ``month`` as a platform would push them: the year's energy, electricity and heat split by
    the season's share."""
    rows = [
        {
            "carrier": line["carrier"],
            "use": line.get("use", "fuel"),
            "quantity": _share(line["quantity"], month),
            "unit": line["unit"],
            "enterprise": line.get("enterprise", ""),
        }
        for line in document.get("energy", [])
    ]
    for block, carrier, unit in (("electricity_mwh", "electricity", "MWh"), ("heat_gj", "heat", "GJ")):
        for use, quantity in (document.get(block) or {}).items():
            rows.append({"carrier": carrier, "use": use, "quantity": _share(quantity, month), "unit": unit})
    return rows


@transaction.atomic
def demo_monthly_seed(*, today: date | None = None) -> DemoPlatform | None:
    """Seed the demo platform once; None when the park is not in the demo or has no full month this year."""
    today = today or date.today()
    park = Park.objects.filter(name=OVERDUE_PARK).first()
    months = today.month - 1
    if park is None or months < 1:
        return None
    if MonthlyFigure.objects.filter(park=park, year=today.year).exists():
        return DemoPlatform(park=park.name, park_id=park.pk, year=today.year, months=months, key="")
    account, key = integration_account_create(
        by=None, name=PLATFORM_NAME, park=park, scopes=[scope.value for scope in MachineScope]
    )
    document = construction_dataset(
        park_name=park.name, park_type=park.park_type, year=today.year, lagging=True
    )
    for month in range(1, months + 1):
        monthly_push(
            by=account.user, park=park, year=today.year, month=month, rows=demo_month_rows(document, month)
        )
    return DemoPlatform(park=park.name, park_id=park.pk, year=today.year, months=months, key=key)

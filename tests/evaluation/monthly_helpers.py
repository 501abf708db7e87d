"""Monthly figures for tests: a month of a non-chemical park, and pushing it through the service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evaluation.monthly.services import monthly_push


def month_rows(*, gas: str = "40", grid: str = "1000", green: str = "15000") -> list[dict[str, Any]]:
    return [
        {"carrier": "natural_gas", "use": "fuel", "quantity": gas, "unit": "10^4 Nm3"},
        {"carrier": "diesel", "quantity": "15", "unit": "t", "enterprise": "甲公司"},
        {"carrier": "electricity", "use": "grid", "quantity": grid, "unit": "MWh"},
        {"carrier": "electricity", "use": "green_direct", "quantity": green, "unit": "MWh"},
        {"carrier": "heat", "use": "purchased", "quantity": "300", "unit": "GJ"},
    ]


def push(user: Any, park: Any, year: int, months: range | list[int], **kwargs: Any) -> Any:
    result = None
    for month in months:
        result = monthly_push(by=user, park=park, year=year, month=month, rows=month_rows(**kwargs))
    return result


def dec(value: Any) -> Decimal:
    return Decimal(str(value))

"""Helpers of the calculator page tests: a calculator post and the blank form's post data."""

from __future__ import annotations

from django.urls import reverse


def _post(client, **data):
    return client.post(reverse("indicators:calculator"), {"scheme": "jiangxi-2025", **data})


def _rows(prefix, rows):
    """A formset's post data: its management form and its rows ({} = a row left empty)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def _form(*, energy=(), process=(), direct=(), products=(), **fields):
    return {
        "mode": "form",
        "park_type": "non_chemical",
        "year": "2025",
        **_rows("form", list(energy) or [{}]),
        **_rows("process", list(process) or [{}]),
        **_rows("direct", list(direct) or [{}]),
        **_rows("product", list(products) or [{}]),
        **fields,
    }


ENERGY_ROW = {"carrier": "natural_gas", "quantity": "10", "unit": "10^4 Nm3", "use": "fuel"}

"""The method behind the acceptance report's numbers: factors, method settings, provisional rules and
the sensitivity of the core indicator to the grid basis.
"""

from __future__ import annotations

from typing import Any

from indicators.engine import method_defaults
from indicators.models import (
    ELECTRICITY_TCE_BASIS_LABELS,
    GRID_BASIS_LABELS,
    METHOD_SETTING_LABELS,
    FactorSet,
    yes_no,
)


def _basis_label(basis: str | None) -> str:
    labels = GRID_BASIS_LABELS
    return str(labels.get(basis or "", basis or "—"))


def _factors(document: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """The factors a result used, each code named: the factor set and method by their titles, the grid
    basis and the electricity basis by their labels."""
    factors = document.get("factors") or {}
    tce_basis = factors.get("electricity_tce_basis")
    return {
        **factors,
        "set_title": titles.get(factors.get("set") or "", factors.get("set") or "—"),
        "method_title": titles.get(factors.get("method") or "", factors.get("method") or ""),
        "basis_label": _basis_label(factors.get("grid_ef_basis")),
        "tce_basis_label": str(ELECTRICITY_TCE_BASIS_LABELS.get(tce_basis, tce_basis or "")),
    }


def _setting_text(key: str, value: Any) -> str:
    if key == "grid_ef_basis":
        return str(_basis_label(value))
    if key == "electricity_tce_basis":
        return str(ELECTRICITY_TCE_BASIS_LABELS.get(value, value))
    return yes_no(value)


def _method_defaults(factor_set_name: str | None) -> dict[str, Any]:
    """The method defaults of the factor set the result used (the contract's where it names none)."""
    document = (
        FactorSet.objects.filter(name=factor_set_name).values_list("document", flat=True).first()
        if factor_set_name
        else None
    ) or {}
    return method_defaults(document)


def _method_rules(
    dataset_document: dict[str, Any], local_doc: dict[str, Any], national_doc: dict[str, Any]
) -> dict[str, Any]:
    """Every setting and provisional rule the result rests on: the settings as applied (a v2 result
    records them in ``factors``; for a v1 result, the dataset's or the factor set's default) and the
    engine's list of provisional rules of both schemes."""
    method = dataset_document.get("method") or {}
    factors = local_doc.get("factors") or {}
    labels = METHOD_SETTING_LABELS
    defaults = _method_defaults(factors.get("set"))
    settings_rows = []
    for key, default in defaults.items():
        given = method.get(key)
        if key in factors:
            value = factors[key]
        elif given is not None:
            value = given
        else:
            continue  # a v1 result that did not know the setting
        settings_rows.append(
            {
                "key": key,
                "label": labels[key],
                "value": _setting_text(key, value),
                "default": _setting_text(key, default),
                "from_dataset": given is not None,
            }
        )
    rules: list[str] = []
    for doc in (local_doc, national_doc):
        texts = [str(item.get("text") or item.get("code")) for item in doc.get("provisional") or []]
        texts += [str(rule) for rule in doc.get("provisional_rules") or []]  # a stored v1 result
        rules += [text for text in texts if text not in rules]
    return {"settings": settings_rows, "rules": rules}


def _sensitivity(document: dict[str, Any]) -> list[dict[str, Any]]:
    factors = document.get("factors") or {}
    core = next((i for i in document.get("indicators") or [] if i.get("category") == "core"), {})
    rows = [
        {
            "basis": factors.get("grid_ef_basis"),
            "basis_label": _basis_label(factors.get("grid_ef_basis")),
            "grid_ef": factors.get("grid_ef_tco2_per_mwh"),
            "carbon_per_energy": core.get("value"),
            "used": True,
        }
    ]
    rows += [
        {
            "basis": row.get("grid_ef_basis"),
            "basis_label": _basis_label(row.get("grid_ef_basis")),
            "grid_ef": row.get("grid_ef_tco2_per_mwh"),
            "carbon_per_energy": row.get("carbon_per_energy"),
            "used": False,
        }
        for row in document.get("sensitivity") or []
    ]
    return rows

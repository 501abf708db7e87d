"""Forms of the calculator page: upload a file, paste JSON, or fill a blank dataset form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .engine.dataset import DATASET_SCHEMA, ELECTRICITY_KEYS, HEAT_KEYS, UNITS
from .models import ENERGY_USE_LABELS, GRID_BASIS_LABELS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
USE_CHOICES = list(ENERGY_USE_LABELS.items())
ELECTRICITY_LABELS = {
    "grid": _("Received from the public grid (MWh)"),
    "green_direct": _("Direct green supply received (MWh)"),
    "green_trade": _("Green power trading received (MWh)"),
    "certificates": _("Separately bought green certificates (MWh)"),
    "onsite_renewable": _("On-site renewables consumed on site (MWh)"),
    "onsite_fossil": _("On-site generation from fuel (MWh)"),
    "export": _("Sent out: fuel-fired or passed-on power (MWh)"),
    "export_renewable": _("Sent out: on-site renewables as ordinary power (MWh)"),
    "export_green": _("Sent out: on-site renewables with their green attribute (MWh)"),
}
HEAT_LABELS = {
    "purchased": _("Fossil heat received (GJ)"),
    "purchased_renewable": _("Renewable heat received (GJ)"),
    "export": _("Fossil heat sent out (GJ)"),
    "export_renewable": _("Renewable heat sent out (GJ)"),
}
BASIS_CHOICES = [
    ("", _("Default of the factor set")),
    *((code, label) for code, label in GRID_BASIS_LABELS.items()),
]
PARK_TYPE_CHOICES = [("non_chemical", _("Non-chemical park")), ("chemical", _("Chemical park"))]


class SchemeForm(BootstrapFormMixin, forms.Form):
    scheme = forms.ChoiceField(label=_("Indicator scheme"), choices=())

    def __init__(self, *args: Any, schemes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(code, code) for code in schemes]


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Dataset file"),
        help_text=_("The Excel template filled in (.xlsx) or a dataset document (.json), at most 20 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".json")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a JSON file (.json)."))
        return upload


class PasteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Dataset document (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
    )


class BasicsForm(BootstrapFormMixin, forms.Form):
    park_name = forms.CharField(label=_("Park name"), required=False, max_length=128)
    park_type = forms.ChoiceField(label=_("Park type"), choices=PARK_TYPE_CHOICES)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=2025)
    grid_ef_basis = forms.ChoiceField(
        label=_("Grid emission factor basis"), choices=BASIS_CHOICES, required=False
    )
    grid_ef_tco2_per_mwh = forms.DecimalField(
        label=_("Custom grid factor (tCO2/MWh)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=6,
    )
    ccer = forms.DecimalField(label=_("CCER offsets (tCO2)"), required=False, min_value=Decimal(0))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quantities = [(f"el_{key}", ELECTRICITY_LABELS[key]) for key in ELECTRICITY_KEYS]
        quantities += [(f"heat_{key}", HEAT_LABELS[key]) for key in HEAT_KEYS]
        for name, label in quantities:
            # Added after the mixin styled the declared fields, so styled here.
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("grid_ef_basis") == "custom" and data.get("grid_ef_tco2_per_mwh") is None:
            self.add_error("grid_ef_tco2_per_mwh", _("A custom basis needs its factor."))
        return data


class EnergyRowForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"), required=False, choices=())
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=Decimal(0))
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—")] + [(u, u) for u in UNITS])
    use = forms.ChoiceField(label=_("Use"), required=False, choices=[("", "—"), *USE_CHOICES])

    def __init__(self, *args: Any, carriers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [("", "—"), *carriers]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [name for name in ("carrier", "quantity", "unit", "use") if data.get(name) not in (None, "")]
        if filled and len(filled) < 4:
            raise forms.ValidationError(_("Fill carrier, quantity, unit and use, or leave the row empty."))
        return data


EnergyFormSet = forms.formset_factory(EnergyRowForm, extra=6, max_num=200)


def dataset_from_forms(basics: BasicsForm, rows: Any) -> dict[str, Any]:
    """The dataset document the blank form describes (numbers as strings, as the contract allows)."""
    data = basics.cleaned_data
    method: dict[str, Any] = {}
    if data.get("grid_ef_basis"):
        method["grid_ef_basis"] = data["grid_ef_basis"]
    if data.get("grid_ef_tco2_per_mwh") is not None:
        method["grid_ef_tco2_per_mwh"] = str(data["grid_ef_tco2_per_mwh"])
    document: dict[str, Any] = {
        "schema": DATASET_SCHEMA,
        "park": {"name": data.get("park_name") or "", "park_type": data["park_type"]},
        "year": data["year"],
        "method": method,
        "energy": [
            {"carrier": r["carrier"], "quantity": str(r["quantity"]), "unit": r["unit"], "use": r["use"]}
            for r in (form.cleaned_data for form in rows.forms)
            if r.get("carrier")
        ],
        "electricity_mwh": {
            key: str(data[f"el_{key}"]) for key in ELECTRICITY_KEYS if data.get(f"el_{key}") is not None
        },
        "heat_gj": {
            key: str(data[f"heat_{key}"]) for key in HEAT_KEYS if data.get(f"heat_{key}") is not None
        },
    }
    if data.get("ccer") is not None:
        document["offsets_tco2"] = {"ccer": str(data["ccer"])}
    return document

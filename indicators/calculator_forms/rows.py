"""The row blocks of the blank form: energy rows, process rows, measured emissions and products; a
half-filled row is refused, naming its row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..engine.dataset import UNITS
from ..models import unit_label
from .common import (
    DIRECT_KIND_CHOICES,
    EMPTY,
    USE_CHOICES,
    _json_value,
)

# --- the row blocks -----------------------------------------------------------------------------


def _unit_choices() -> list[tuple[str, str]]:
    """The units as a person reads them (万Nm³, not 10^4 Nm3), in the language of the page."""
    return [("", "—")] + [(unit, unit_label(unit)) for unit in UNITS]


class RowForm(forms.Form):
    """One row of a list block: empty, or with every ``REQUIRED`` field (else refused, naming the row)."""

    KEYS: dict[str, str] = {}  # field name → key of the row object in the document
    REQUIRED: tuple[str, ...] = ()
    INCOMPLETE: Any = ""
    WIDTHS: dict[str, str] = {}  # field name → the least width of its column

    def __init__(self, *args: Any, row: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        for name, form_field in self.fields.items():
            form_field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(form_field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            form_field.widget.attrs["aria-label"] = str(form_field.label)
            if name in self.WIDTHS:  # a class of static/css/zcpark.css: the CSP refuses style="" attributes
                form_field.widget.attrs["class"] += " zc-minw-" + self.WIDTHS[name].replace(".", "_")
            if name in self.REQUIRED:
                form_field.widget.attrs["data-required"] = "1"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [name for name in self.fields if data.get(name) not in EMPTY]
        missing = [name for name in self.REQUIRED if data.get(name) in EMPTY and name not in self.errors]
        if filled and missing:
            raise forms.ValidationError(
                gettext("Row %(row)s: %(error)s") % {"row": self.row, "error": self.INCOMPLETE}
            )
        return data

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in EMPTY for name in self.fields)

    def row_document(self) -> dict[str, Any]:
        return {
            key: _json_value(self.cleaned_data[name])
            for name, key in self.KEYS.items()
            if self.cleaned_data.get(name) not in EMPTY
        }


class RowFormSet(forms.BaseFormSet):
    """Rows know their number (1-based) to name themselves in their messages."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["row"] = None if index is None else index + 1
        return kwargs

    def filled_forms(self) -> list[RowForm]:
        return [form for form in self.forms if form.is_filled()]


class EnergyRowForm(RowForm):
    carrier = forms.ChoiceField(label=_("Carrier"), required=False, choices=())
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=Decimal(0))
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=_unit_choices)
    use = forms.ChoiceField(label=_("Use"), required=False, choices=[("", "—"), *USE_CHOICES])
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=128)
    ncv = forms.DecimalField(label=_("Measured NCV (GJ per base unit)"), required=False, min_value=Decimal(0))
    cc = forms.DecimalField(label=_("Measured CC (tC/GJ)"), required=False, min_value=Decimal(0))
    of = forms.DecimalField(label=_("Measured OF (0–1)"), required=False, min_value=Decimal(0))

    KEYS = {name: name for name in ("carrier", "quantity", "unit", "use", "enterprise", "ncv", "cc", "of")}
    REQUIRED = ("carrier", "quantity", "unit", "use")
    INCOMPLETE = _("Fill carrier, quantity, unit and use, or leave the row empty.")
    WIDTHS = {
        "carrier": "10rem",
        "quantity": "6.5rem",
        "unit": "8rem",
        "use": "13rem",
        "enterprise": "7rem",
        "ncv": "6rem",
        "cc": "6rem",
        "of": "5rem",
    }

    def __init__(self, *args: Any, carriers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [("", "—"), *carriers]


class ProcessRowForm(RowForm):
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    quantity_t = forms.DecimalField(label=_("Output (t)"), required=False, min_value=Decimal(0))
    ef_tco2_per_t = forms.DecimalField(
        label=_("Emission factor (tCO2/t)"), required=False, min_value=Decimal(0)
    )
    basis = forms.CharField(label=_("Basis of the factor"), required=False, max_length=1000)
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=128)

    KEYS = {name: name for name in ("product", "quantity_t", "ef_tco2_per_t", "basis", "enterprise")}
    REQUIRED = ("product", "quantity_t", "ef_tco2_per_t", "basis")
    INCOMPLETE = _("Fill product, output, emission factor and basis, or leave the row empty.")
    WIDTHS = {
        "product": "10rem",
        "quantity_t": "7rem",
        "ef_tco2_per_t": "7rem",
        "basis": "16rem",
        "enterprise": "8rem",
    }


class DirectEmissionRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Counted under"), required=False, choices=[("", "—"), *DIRECT_KIND_CHOICES]
    )
    source = forms.CharField(label=_("Emission source"), required=False, max_length=200)
    tco2 = forms.DecimalField(label=_("CO2 emitted (tCO2)"), required=False, min_value=Decimal(0))

    KEYS = {"kind": "kind", "source": "source", "tco2": "tco2"}
    REQUIRED = ("kind", "tco2")
    INCOMPLETE = _("Fill the term it is counted under and the CO2 emitted, or leave the row empty.")
    WIDTHS = {"kind": "12rem", "source": "16rem", "tco2": "8rem"}


class ProductRowForm(RowForm):
    name = forms.CharField(label=_("Product"), required=False, max_length=200)
    standard = forms.CharField(label=_("Energy consumption limit standard"), required=False, max_length=200)
    value = forms.DecimalField(
        label=_("Energy use per unit of product"), required=False, min_value=Decimal(0)
    )
    grade2_limit = forms.DecimalField(label=_("Grade 2 limit"), required=False, min_value=Decimal(0))

    KEYS = {"name": "name", "standard": "standard", "value": "value", "grade2_limit": "grade2_limit"}
    REQUIRED = ("name", "value", "grade2_limit")
    INCOMPLETE = _("Fill product, energy use per unit and grade 2 limit, or leave the row empty.")
    WIDTHS = {"name": "10rem", "standard": "10rem", "value": "8rem", "grade2_limit": "8rem"}


EnergyFormSet = forms.formset_factory(EnergyRowForm, formset=RowFormSet, extra=6, max_num=200)
ProcessFormSet = forms.formset_factory(ProcessRowForm, formset=RowFormSet, extra=2, max_num=200)
DirectEmissionFormSet = forms.formset_factory(DirectEmissionRowForm, formset=RowFormSet, extra=2, max_num=200)
ProductFormSet = forms.formset_factory(ProductRowForm, formset=RowFormSet, extra=3, max_num=200)

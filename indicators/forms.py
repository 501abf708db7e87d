"""Forms of the factor-set and scheme pages: a new grid factor, new scheme thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .models import METHOD_CONSTANT_LABELS, YEAR_MAX, YEAR_MIN, GridBasis
from .selectors import ThresholdItem


class GridFactorForm(BootstrapFormMixin, forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=GridBasis.choices)
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    value = forms.DecimalField(
        label=_("Emission factor (tCO2/MWh)"),
        max_digits=8,
        decimal_places=6,
        help_text=_("As published, e.g. 0.5306; above 0 and below 10."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("Publisher, document and table, e.g. the MEE/NBS announcement of the year."),
    )
    provisional = forms.BooleanField(
        label=_("Provisional value (not yet officially published)"), required=False
    )
    replace = forms.BooleanField(label=_("Replace the value this year already has"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EquivalentCoefficientForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year of the coal rate"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text=_("Data of the next year and later use it (the previous year's coal rate)."),
    )
    value = forms.DecimalField(
        label=_("Coefficient (tce/MWh)"),
        max_digits=8,
        decimal_places=6,
        help_text=_("The coal rate in kgce/kWh, e.g. 0.3007 for 300.7 gce/kWh."),
    )
    source = forms.CharField(label=_("Source"), max_length=500)
    provisional = forms.BooleanField(
        label=_("Provisional value (not yet officially published)"), required=False, initial=True
    )
    replace = forms.BooleanField(label=_("Replace the value this year already has"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MethodConstantForm(BootstrapFormMixin, forms.Form):
    key = forms.ChoiceField(
        label=_("Constant"),
        choices=[
            (key, f"{label}（{unit}）" if unit else label)
            for key, (label, unit) in METHOD_CONSTANT_LABELS.items()
        ],
    )
    value = forms.DecimalField(label=_("Corrected value"), max_digits=12, decimal_places=6)
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("The official text the corrected value comes from (document number and article)."),
    )
    provisional = forms.BooleanField(label=_("Provisional value"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _field_name(key: str) -> str:
    return "t_" + key.replace(":", "__")


class SchemeThresholdsForm(BootstrapFormMixin, forms.Form):
    """One field per threshold of a scheme's current version, pre-filled with its value."""

    def __init__(self, *args: Any, items: list[ThresholdItem], **kwargs: Any) -> None:
        self.items = items
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[_field_name(item.key)] = forms.DecimalField(
                label=item.label,
                initial=item.value,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=4,
                help_text=f"{item.operator} … {item.unit}",
            )
        self.fields["comment"] = forms.CharField(
            label=_("Reason for the change"),
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("The decision or document the new thresholds come from."),
        )
        # The mixin styled the fields that existed during its __init__; these came after.
        for item in items:
            self.fields[_field_name(item.key)].widget.attrs["class"] = "form-control"
        self.fields["comment"].widget.attrs["class"] = "form-control"

    def thresholds(self) -> dict[str, Decimal]:
        """The submitted thresholds keyed as scheme_new_version expects them."""
        return {item.key: self.cleaned_data[_field_name(item.key)] for item in self.items}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Attach scheme_new_version's errors (keyed by threshold) to their fields, or to the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = _field_name(key)
            self.add_error(name if name in self.fields else None, errors)

"""The form that creates an integration account (a park's 能碳平台 machine credential)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .integration import MachineScope
from .models import Park


class IntegrationAccountForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Platform name"), max_length=64, help_text=_("Which system holds the key, e.g. its vendor.")
    )
    park = forms.ModelChoiceField(
        label=_("Park"),
        required=False,
        queryset=Park.objects.none(),
        empty_label=_("— the province's own platform —"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("May"), choices=MachineScope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The key stops working at the start of this day (empty: the default lifetime)."),
    )

    def __init__(self, *args: Any, parks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parks is None:  # park staff: their own park, not a choice
            del self.fields["park"]
        else:
            self.fields["park"].queryset = parks

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(day, time.min)) if day else None

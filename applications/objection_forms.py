"""Forms of 公示 objections on the province's list page: recording one, answering it, dropping a park."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .models import ConstructionList


class ObjectionForm(BootstrapFormMixin, forms.Form):
    park = forms.TypedChoiceField(label=_("Park"), coerce=int, choices=())
    raised_by = forms.CharField(
        label=_("Raised by"),
        max_length=128,
        help_text=_("The person or organisation, as they gave their name."),
    )
    contact = forms.CharField(label=_("Contact details"), max_length=128, required=False)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)

    def __init__(self, *args: Any, construction_list: ConstructionList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = construction_list.entries.select_related("park").order_by("park__name")
        park_field = self.fields["park"]
        assert isinstance(park_field, forms.TypedChoiceField)
        park_field.choices = [(e.park_id, e.park.name) for e in entries]


class ObjectionAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("The answer is final: it cannot be changed once saved."),
    )


class ParkDropForm(BootstrapFormMixin, forms.Form):
    park = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

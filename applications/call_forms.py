"""Forms of the province's call pages: a call's details, and the open/close confirmation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .models import Call
from .workflow import CALL

CALL_ACTIONS = [(t.verb, t.button) for t in CALL.transitions]


class CallForm(BootstrapFormMixin, forms.ModelForm):
    """Title, description, deadline and per-city quota (the status moves only through open/close)."""

    class Meta:
        model = Call
        fields = ["title", "description", "deadline", "quota_per_city"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            # ISO format: the browser's date picker reads and writes YYYY-MM-DD whatever the language.
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CallTransitionForm(BootstrapFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=CALL_ACTIONS, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

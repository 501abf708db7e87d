"""The form that issues an official document: its 文号 and issue date (the service checks both)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .document_models import DOCUMENT_NUMBER_MAX_LENGTH


class DocumentIssueForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Document number (文号)"),
        max_length=DOCUMENT_NUMBER_MAX_LENGTH,
        help_text=_("As the authority numbered it, like 赣发改环资〔2027〕12号."),
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))

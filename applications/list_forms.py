"""Forms of the province's construction-list pages: drafting a list and moving it on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from . import selectors
from .models import Application, ApplicationStatus, ConstructionList
from .workflow import LIST

LIST_ACTIONS = [(t.verb, t.button) for t in LIST.transitions]


def list_candidates(construction_list: ConstructionList | None) -> QuerySet[Application]:
    """Approved applications a list may hold: those on no list, plus (when editing) its own."""
    if construction_list is None:
        candidates = selectors.applications_approved_unlisted()
    else:
        candidates = Application.objects.with_places().filter(
            Q(list_entry__isnull=True) | Q(list_entry__construction_list=construction_list),
            status=ApplicationStatus.APPROVED,
        )
    return candidates.order_by("park__zone__city__code", "park__name")


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return obj.park.name


class ConstructionListForm(BootstrapFormMixin, forms.Form):
    """A draft list: title, document number and the approved applications on it."""

    title = forms.CharField(label=_("Title"), max_length=128)
    document_no = forms.CharField(
        label=_("Document number"),
        max_length=64,
        required=False,
        help_text=_("The notice's document number (文号), when assigned."),
    )
    applications = ApplicationChoiceField(
        label=_("Approved applications"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one approved application.")},
    )

    def __init__(self, *args: Any, construction_list: ConstructionList | None = None, **kwargs: Any) -> None:
        if construction_list is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": construction_list.title,
                "document_no": construction_list.document_no,
                "applications": [e.application_id for e in construction_list.entries.all()],
            }
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        field.queryset = list_candidates(construction_list)
        field.widget.attrs["class"] = "form-check-input"

    def application_ids(self) -> list[int]:
        return [application.pk for application in self.cleaned_data["applications"]]


class ListTransitionForm(BootstrapFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=LIST_ACTIONS, widget=forms.HiddenInput)
    objection_deadline = forms.DateField(
        label=_("Last day for objections"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The public notice (公示) usually runs for five working days."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

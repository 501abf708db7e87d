"""Forms of the province's construction-list pages (drafting a list and moving it on), and the filters of
the lists a civil servant works from (queues, applications, calls, construction lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from . import selectors
from .models import Application, ApplicationStatus, ConstructionList, ListStatus
from .selectors.review import ApplicationFilters
from .workflow import LIST_STEPS

LIST_ACTIONS = [(t.verb, t.button) for t in LIST_STEPS]


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


# ---- list filters ----------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The GET filters of a list page: every field optional; a value that does not parse (a mistyped
    date, an unknown state) filters nothing rather than failing the page. ``values()`` is what to filter
    by, ``shown()`` the filters in words, for the head of an export."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}

    def shown(self, names: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, str]:
        """{label: value as read} for each filter set; ``names`` turns a code into its name per field
        (a city code into the city, a call's id into its title)."""
        names = names or {}
        shown = {}
        for name, value in self.values().items():
            if value in (None, ""):
                continue
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            shown[str(self.fields[name].label)] = str(names.get(name, {}).get(text, text))
        return shown


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d"])


class ApplicationFilterForm(FilterForm):
    """Search (park or zone name), city, call, state and submission dates: the queues and the
    applications list. ``statuses`` are the states the page offers; ``default_status`` applies when the
    URL names none ("all" asks for every state)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city = forms.CharField(label=_("City"), required=False, max_length=12)
    call = forms.IntegerField(label=_("Call for applications"), required=False, min_value=1)
    status = forms.CharField(label=_("Status"), required=False, max_length=16)
    submitted_from = _date_field(_("Submitted from"))
    submitted_to = _date_field(_("Submitted until"))

    def __init__(self, data: Any, *, statuses: list[str], default_status: str = "") -> None:
        super().__init__(data)
        self.statuses = [str(s) for s in statuses]
        self.default_status = default_status

    def clean_status(self) -> str:
        if "status" not in self.data:
            return self.default_status
        status = self.cleaned_data["status"]
        return status if status in self.statuses else ""

    def filters(self) -> ApplicationFilters:
        values = self.values()
        return ApplicationFilters(
            q=(values["q"] or "").strip(),
            city=values["city"] or "",
            call=values["call"],
            # A status that failed to clean (too long) counts as "all", like any unknown one.
            status=values["status"] or "",
            submitted_from=values["submitted_from"],
            submitted_to=values["submitted_to"],
        )


class CallFilterForm(FilterForm):
    """The calls list: search in the title, state, deadline between two dates."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "")])
    deadline_from = _date_field(_("Deadline from"))
    deadline_to = _date_field(_("Deadline until"))

    def __init__(self, data: Any, *, statuses: list[tuple[str, Any]]) -> None:
        super().__init__(data)
        self.fields["status"].choices = [("", ""), *statuses]  # type: ignore[attr-defined]


class ConstructionListFilterForm(FilterForm):
    """The province's construction lists: search in title or document number, state, publication dates."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", ""), *ListStatus.choices])
    published_from = _date_field(_("Published from"))
    published_to = _date_field(_("Published until"))


class ListEntryFilterForm(FilterForm):
    """The parks on one construction list: search in park or zone name, city."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    city = forms.CharField(label=_("City"), required=False, max_length=12)

"""Forms of the construction-project pages: orders, removal, incentives, annual reports, self-assessment.

The services check every rule (deadlines, required texts, progress from 0 to 100 with one decimal); these
forms only name the inputs, parse dates and amounts, and carry the services' errors back to their inputs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.uploads import EnergyYearUploadForm
from zcpark.core.forms import BootstrapFormMixin

from .models import Conclusion, KeyProject

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class OrderIssueForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    requirements = forms.CharField(
        label=gettext_lazy("What must be rectified"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Each problem found and what the park must do about it."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=gettext_lazy("The park answers by this day; the order is marked overdue the day after."),
    )
    document_no = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("The rectification notice's document number (文号), when assigned."),
    )


class OrderAnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("What has been rectified"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("For each requirement: what was done, when, and where the evidence is."),
    )


class OrderCloseForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrderReturnForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What is still missing"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=gettext_lazy("New deadline"), widget=forms.DateInput(**DATE_WIDGET))


class OrderExtendForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=gettext_lazy("New deadline"),
        widget=forms.DateInput(**DATE_WIDGET),
        help_text=gettext_lazy("After today; the missed deadline stays on the order's history."),
    )


class OrderEscalateForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Reason for the removal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The public list shows it with the order's number and title."),
    )
    document_no = forms.CharField(
        label=gettext_lazy("Document number of the removal"),
        max_length=64,
        help_text=gettext_lazy("The decision's document number (文号), shown on the public list."),
    )


class ExtensionRequestForm(BootstrapFormMixin, forms.Form):
    years = forms.TypedChoiceField(label=gettext_lazy("Extension (years)"), coerce=int, choices=())
    reason = forms.CharField(
        label=gettext_lazy("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Why the park missed the core indicator and how it will meet it in the extra years."
        ),
    )

    def __init__(self, *args: Any, room: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(n, str(n)) for n in range(1, room + 1)]  # type: ignore[attr-defined]


class ExtensionDecisionForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("The province's opinion"), widget=forms.Textarea(attrs={"rows": 3})
    )
    document_no = forms.CharField(
        label=gettext_lazy("Document number (optional)"), max_length=64, required=False
    )


class ProjectRemoveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the removal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown on the public construction list next to the park."),
    )
    document_no = forms.CharField(
        label=gettext_lazy("Document number of the removal"),
        max_length=64,
        help_text=gettext_lazy("The decision's document number (文号), shown on the public list."),
    )


class IncentiveForm(BootstrapFormMixin, forms.Form):
    granted_on = forms.DateField(label=gettext_lazy("Granted on"), widget=forms.DateInput(**DATE_WIDGET))
    description = forms.CharField(
        label=gettext_lazy("Incentive"),
        max_length=500,
        help_text=gettext_lazy("Funding, a title or a policy preference, e.g. 省级预算内投资补助."),
    )
    amount_wan = forms.DecimalField(
        label=gettext_lazy("Amount (10,000 yuan, optional)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    document_no = forms.CharField(label=gettext_lazy("Document number"), max_length=64, required=False)


class ReportForm(EnergyYearUploadForm):
    """An annual report draft: the narrative, each key project's progress, and (optionally) the year's
    dataset, uploaded as the indicators' Excel template or a JSON document like an energy year."""

    narrative = forms.CharField(
        label=gettext_lazy("Progress narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What was built this year, what changed in energy use and emissions, and what is behind plan."
        ),
    )

    def __init__(
        self, *args: Any, year: int, key_projects: list[KeyProject], saved: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, year=year, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = _("The %(year)s dataset (optional)") % {"year": year}
        self.key_projects = key_projects
        for key_project in key_projects:
            progress = saved.get(key_project.pk)
            self.fields[f"progress_{key_project.pk}"] = forms.CharField(
                label=_("%(project)s: progress (%%)") % {"project": key_project.name},
                required=False,
                max_length=8,
                initial=progress.progress_pct if progress else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control text-end"}),
            )
            self.fields[f"note_{key_project.pk}"] = forms.CharField(
                label=_("%(project)s: note") % {"project": key_project.name},
                required=False,
                max_length=500,
                initial=progress.note if progress else "",
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        self.order_fields(["narrative"])

    def clean_file(self) -> Any:
        if not self.cleaned_data.get("file"):
            return None
        return super().clean_file()

    def progress_rows(self) -> list[tuple[KeyProject, forms.BoundField, forms.BoundField]]:
        return [(kp, self[f"progress_{kp.pk}"], self[f"note_{kp.pk}"]) for kp in self.key_projects]

    def progress(self) -> dict[int, dict[str, str]]:
        """The progress as ``annual_report_save`` takes it; a blank percentage leaves what was saved."""
        return {
            kp.pk: {"progress_pct": pct, "note": self.cleaned_data.get(f"note_{kp.pk}", "")}
            for kp in self.key_projects
            if (pct := self.cleaned_data.get(f"progress_{kp.pk}", "").strip())
        }

    def field_for(self, key: str) -> str | None:
        """The input a service error key names (``progress.12`` → ``progress_12``)."""
        name = key.replace("progress.", "progress_", 1)
        return name if name in self.fields else None


class SelfAssessmentForm(BootstrapFormMixin, forms.Form):
    conclusion = forms.ChoiceField(
        label=gettext_lazy("Conclusion"),
        required=False,
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=gettext_lazy("Assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "How the park did against each target over the period, the key projects, and the evidence."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons take Bootstrap's check class, not the select's.
        self.fields["conclusion"].widget.attrs["class"] = "form-check-input"


class EvidenceForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional: what the file shows (the file name is used otherwise)."),
    )
    file = forms.FileField(label=gettext_lazy("File"))


class NationalRecommendationForm(BootstrapFormMixin, forms.Form):
    recommended_on = forms.DateField(
        label=gettext_lazy("Recommended on"), widget=forms.DateInput(**DATE_WIDGET)
    )
    document_no = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=64,
        help_text=gettext_lazy("The number of the province's recommendation document (文号)."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

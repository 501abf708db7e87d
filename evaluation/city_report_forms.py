"""Forms of the city progress report page: the narrative, a typical practice, the province's return."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from zcpark.core.forms import BootstrapFormMixin

from .models import PracticeScene
from .workflow.city_reports import NARRATIVE_MAX


class CityReportForm(BootstrapFormMixin, forms.Form):
    narrative = forms.CharField(
        label=gettext_lazy("Progress narrative"),
        max_length=NARRATIVE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "How the city's parks progressed this period: work done, problems met, what comes next."
        ),
    )


class PracticeForm(BootstrapFormMixin, forms.Form):
    project = forms.TypedChoiceField(label=gettext_lazy("Park"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    scene = forms.ChoiceField(label=gettext_lazy("Scene"), choices=PracticeScene.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label=gettext_lazy("Photo or attachment"),
        required=False,
        help_text=gettext_lazy("Optional; checked like the dossier's attachments."),
    )

    def __init__(self, *args: Any, projects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.TypedChoiceField)
        project.choices = projects


class CityReportReturnForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What the city should revise"), widget=forms.Textarea(attrs={"rows": 3})
    )

"""The acceptance evaluation's forms: assigning experts, the expert's scores and opinion, the decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Role, User
from zcpark.core.forms import BootstrapFormMixin

from .models import ConflictKind, ConstructionProject, Decision
from .scoring import POINTS_STEP, SCORE_AREAS
from .workflow.common import extension_room, extension_years_error

YES_NO = [("yes", gettext_lazy("Yes, I recommend acceptance")), ("no", gettext_lazy("No, I do not"))]
OPINION_MAX = 20000
COMMENT_MAX = 5000


class ExpertAssignForm(BootstrapFormMixin, forms.Form):
    """The province picks active review experts not yet assigned to the evaluation."""

    experts = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Experts"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one expert.")},
    )

    def __init__(self, *args: Any, assigned: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experts"]
        field.queryset = (
            User.objects.filter(role=Role.EXPERT, is_active=True)
            .exclude(pk__in=assigned)
            .order_by("last_name", "first_name", "username")
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.username
        # Checkboxes: the mixin's form-control class does not suit them.
        field.widget.attrs["class"] = "form-check-input"


class ConflictDeclarationForm(BootstrapFormMixin, forms.Form):
    """The expert's declaration before it reads an assignment: none, or a conflict described."""

    conflict = forms.ChoiceField(
        label=gettext_lazy("Conflict of interest"),
        choices=ConflictKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Say whether you have a conflict of interest.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Describe the conflict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when you declare a conflict: the province reads it when assigning."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conflict"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        conflict = data.get("conflict")
        if conflict and conflict != ConflictKind.NONE and not (data.get("note") or "").strip():
            self.add_error("note", _("Describe the conflict of interest."))
        return data


def score_field_name(code: str) -> str:
    return f"score_{code}"


class ExpertReviewForm(BootstrapFormMixin, forms.Form):
    """One points field per scoring area (0 to its maximum, steps of 0.5), the recommendation, the opinion."""

    recommends_acceptance = forms.TypedChoiceField(
        label=gettext_lazy("Do you recommend acceptance?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Say whether you recommend acceptance.")},
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("Write your opinion.")},
    )

    field_order = [*(score_field_name(area.code) for area in SCORE_AREAS), "recommends_acceptance", "opinion"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in SCORE_AREAS:
            self.fields[score_field_name(area.code)] = forms.DecimalField(
                label=area.label,
                min_value=Decimal(0),
                max_value=Decimal(area.max_points),
                max_digits=4,
                decimal_places=1,
                step_size=POINTS_STEP,
                help_text=_("0 to %(max)s points") % {"max": area.max_points},
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control",
                        "step": str(POINTS_STEP),
                        "min": "0",
                        "max": str(area.max_points),
                        "data-points": "",
                    }
                ),
                error_messages={"required": gettext_lazy("Give a score.")},
            )
        self.order_fields(self.field_order)
        self.fields["recommends_acceptance"].widget.attrs["class"] = "form-check-input"

    def scores(self) -> dict[str, str]:
        return {area.code: str(self.cleaned_data[score_field_name(area.code)]) for area in SCORE_AREAS}

    def add_service_error(self, exc: ValidationError) -> None:
        """The service's errors (``scores.<area>``, ``opinion``, ``recommends_acceptance``) on their fields."""
        for key, messages in exc.message_dict.items():
            name = score_field_name(key.split(".", 1)[1]) if key.startswith("scores.") else key
            self.add_error(name if name in self.fields else None, messages)


class DecisionForm(BootstrapFormMixin, forms.Form):
    """The province's decision; removal is asked to be confirmed before it is recorded."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a decision.")},
    )
    extension_years = forms.TypedChoiceField(
        label=gettext_lazy("Extension (years)"),
        choices=(),  # 1 to the project's ``extension_room``, set on creation
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("Only when the construction period is extended."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Opinion"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write the opinion that goes with this decision.")},
    )
    document_no = forms.CharField(
        label=gettext_lazy("Decision document number"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Required for acceptance and for removal, e.g. 赣发改环资〔2029〕12号."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: ConstructionProject, **kwargs: Any) -> None:
        """``project``: its ``workflow.common.extension_room`` sets the years it may still be given."""
        super().__init__(*args, **kwargs)
        self.project = project
        self.room = room = extension_room(project)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        self.fields["extension_years"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(n), str(n)) for n in range(1, room + 1)),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") != Decision.EXTENDED:
            return cleaned
        years = cleaned.get("extension_years")
        if self.room and not years:
            self.add_error("extension_years", _("Choose by how many years the period is extended."))
        elif error := extension_years_error(self.project, years):
            self.add_error("extension_years", error)
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        return self.cleaned_data["decision"] == Decision.REMOVED and not self.cleaned_data["confirm"]

"""The review panel's forms: one transition form (action, opinion, checklist, conditions, confirmation)
and the descriptions the panel template renders for each action the user may take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ReviewStage, SectionCode
from .workflow import TRANSITIONS, review_stage

# The city's eligibility checklist (plan 三、(一)), in the order the reviewer reads it.
CHECKLIST: dict[str, Any] = {
    "zone_in_catalog": gettext_lazy("The development zone is in the catalog at provincial or national level"),
    "boundary_stated": gettext_lazy("The park within a park states its four borders"),
    "statistics_capability": gettext_lazy("Energy and carbon statistics capability is declared"),
    "no_major_accident": gettext_lazy("No major accident in the last three years is declared"),
    "energy_years": gettext_lazy("Energy data for 2023, 2024 and 2025 is present"),
}
# Actions that end or abandon the application: the panel asks for a confirmation first.
DESTRUCTIVE_ACTIONS = ("withdraw", "decline", "reject")
# Error groups that are not dossier sections.
ERROR_GROUPS: dict[str, Any] = {
    "call": gettext_lazy("Call for applications"),
    "eligibility": gettext_lazy("Eligibility"),
    "quota": gettext_lazy("Recommendation quota"),
    "comment": gettext_lazy("Opinion"),
    "conditions": gettext_lazy("Conditions"),
    "action": gettext_lazy("Action"),
    "__all__": gettext_lazy("Application"),
}


def error_group_title(key: str) -> str:
    """A section's title, or the name of a non-section group (``conditions.2`` reads as Conditions)."""
    if key in SectionCode.values:
        return str(SectionCode(key).label)
    base = key.split(".", 1)[0]
    return str(ERROR_GROUPS.get(key) or ERROR_GROUPS.get(base) or key)


def grouped_errors(errors: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(title, messages) per group, in the dossier's section order, then the other groups as given."""
    order = {code: index for index, code in enumerate(["call", "eligibility", *SectionCode.values])}
    keys = sorted(errors, key=lambda key: order.get(key, len(order)))
    return [(error_group_title(key), [str(m) for m in errors[key]]) for key in keys]


class TransitionForm(forms.Form):
    """What a transition POST carries; which fields matter depends on the action's stage."""

    action = forms.ChoiceField(choices=[(a, a) for a in TRANSITIONS])
    comment = forms.CharField(required=False, max_length=5000, widget=forms.Textarea)
    conditions = forms.CharField(required=False, max_length=20000, widget=forms.Textarea)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        transition = TRANSITIONS.get(cleaned.get("action", ""))
        if transition and review_stage(transition) and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Write the opinion that goes with this decision."))
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        return self.cleaned_data["action"] in DESTRUCTIVE_ACTIONS and not self.cleaned_data["confirm"]

    def checklist(self) -> dict[str, bool] | None:
        """The ticked checklist, for the city's decisions only (only the items the panel showed)."""
        if review_stage(TRANSITIONS[self.cleaned_data["action"]]) != ReviewStage.CITY:
            return None
        shown = [key for key in CHECKLIST if f"shown_{key}" in self.data]
        return {key: bool(self.cleaned_data[f"check_{key}"]) for key in shown}

    def conditions_list(self) -> list[str] | None:
        if self.cleaned_data["action"] != "approve":
            return None
        return [line.strip() for line in self.cleaned_data["conditions"].splitlines() if line.strip()]


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    checked: bool


@dataclass
class ActionForm:
    """One action's form as the panel renders it."""

    action: str
    verb: str
    opinion_required: bool
    destructive: bool
    stage: str | None
    checklist: list[ChecklistItem] = field(default_factory=list)
    conditions: bool = False
    comment: str = ""
    conditions_text: str = ""


def action_forms(
    actions: list[tuple[str, str]], *, facts: dict[str, bool] | None, posted: dict[str, Any] | None = None
) -> list[ActionForm]:
    """The forms for ``actions`` (from ``services.actions_for``); the city's carry the checklist prefilled
    from ``facts``; ``posted`` (after a refused attempt) refills what the user typed."""
    posted = posted or {}
    forms_ = []
    for action, verb in actions:
        transition = TRANSITIONS[action]
        mine = posted.get("action") == action
        checklist = []
        if review_stage(transition) == ReviewStage.CITY and facts is not None:
            checklist = [
                ChecklistItem(
                    key=key,
                    label=str(CHECKLIST[key]),
                    checked=bool(posted.get(f"check_{key}")) if mine else value,
                )
                for key, value in facts.items()
            ]
        forms_.append(
            ActionForm(
                action=action,
                verb=str(verb),
                opinion_required=bool(review_stage(transition)),
                destructive=action in DESTRUCTIVE_ACTIONS,
                stage=review_stage(transition),
                checklist=checklist,
                conditions=action == "approve",
                comment=str(posted.get("comment", "")) if mine else "",
                conditions_text=str(posted.get("conditions", "")) if mine else "",
            )
        )
    return forms_

"""The review panel's form: what a transition POST carries (action, opinion, checklist, conditions,
confirmation), and what the panel renders: one opinion, the city's eligibility checklist once, and one
button per decision, each saying what it does and whether it can be undone."""

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
    "exemptions": gettext_lazy("Indicator exemptions"),
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
    """One eligibility item: what the dossier declares (a hint) and whether the reviewer ticked it."""

    key: str
    label: str
    declared: bool
    checked: bool


# What each decision does, said in its confirmation before it is taken: who gets the application next
# (``%(city)s`` is the park's city) and whether it can be undone.
EFFECTS: dict[str, Any] = {
    "submit": gettext_lazy(
        "The dossier goes to the %(city)s Development and Reform Commission for review; while it is under "
        "review it cannot be changed."
    ),
    "resubmit": gettext_lazy(
        "The revised dossier goes back to the %(city)s Development and Reform Commission, which sees what "
        "changed since the last revision; while it is under review it cannot be changed."
    ),
    "withdraw": gettext_lazy(
        "The application ends in this call and the %(city)s Development and Reform Commission is told."
    ),
    "return": gettext_lazy(
        "The dossier goes back to the park with your opinion, and the park's staff are notified."
    ),
    "recommend": gettext_lazy(
        "The dossier goes to the Provincial Development and Reform Commission with your opinion, and the "
        "park is told. It uses one of %(city)s's recommendations in this call, even if the province later "
        "rejects it."
    ),
    "decline": gettext_lazy(
        "The application ends in this call: it is not recommended. The park's staff receive your opinion."
    ),
    "approve": gettext_lazy(
        "The application is approved, with the conditions written above, and can be put on a construction "
        "list. The park and the %(city)s Development and Reform Commission are notified."
    ),
    "reject": gettext_lazy(
        "The application ends: it is not approved. The park and the %(city)s Development and Reform "
        "Commission are notified."
    ),
}
UNDO: dict[str, Any] = {
    "submit": gettext_lazy(
        "If the city returns it, you can revise and resubmit it; until the city decides you can withdraw it."
    ),
    "resubmit": gettext_lazy(
        "If the city returns it again, you can revise and resubmit it; until the city decides you can "
        "withdraw it."
    ),
    "withdraw": gettext_lazy(
        "This cannot be undone. While the call is open, the park can start a new application."
    ),
    "return": gettext_lazy("The park can revise and resubmit it; you will then review it again."),
    "recommend": gettext_lazy("A recommendation cannot be withdrawn."),
    "decline": gettext_lazy("This cannot be undone."),
    "approve": gettext_lazy("This cannot be undone."),
    "reject": gettext_lazy("This cannot be undone."),
}


# The panel's buttons: the decision that moves the application on first, the ones that end it last.
BUTTON_ORDER = ("submit", "resubmit", "recommend", "approve", "return", "withdraw", "decline", "reject")


def action_effect(action: str, *, city: str) -> str:
    return str(EFFECTS[action]) % {"city": city} if action in EFFECTS else ""


def action_undo(action: str) -> str:
    return str(UNDO.get(action, ""))


def _button_rank(action: str) -> int:
    return BUTTON_ORDER.index(action) if action in BUTTON_ORDER else len(BUTTON_ORDER)


@dataclass
class ActionForm:
    """One decision the panel offers: a submit button of the panel's form, confirmed before it is sent."""

    action: str
    verb: str
    destructive: bool
    effect: str
    undo: str


@dataclass
class ReviewPanel:
    """The panel's one form: the opinion, the eligibility checklist (the city's, once) and the conditions
    (the province's), with one button per decision the user may take."""

    forms: list[ActionForm]
    stage: str | None
    opinion_required: bool
    checklist: list[ChecklistItem] = field(default_factory=list)
    conditions: bool = False
    comment: str = ""
    conditions_text: str = ""


def review_panel(
    actions: list[tuple[str, str]],
    *,
    facts: dict[str, bool] | None,
    city: str,
    posted: dict[str, Any] | None = None,
) -> ReviewPanel:
    """The panel for ``actions`` (from ``services.actions_for``). The city's checklist shows what the
    dossier declares beside each item (``facts``) and starts unticked: the reviewer ticks what they
    confirm. ``posted`` (after a refused attempt) refills what the user typed and ticked."""
    posted = posted or {}
    stages = {review_stage(TRANSITIONS[action]) for action, _verb in actions}
    stage = next((s for s in stages if s), None)
    checklist = []
    if stage == ReviewStage.CITY and facts is not None:
        checklist = [
            ChecklistItem(
                key=key, label=str(CHECKLIST[key]), declared=value, checked=bool(posted.get(f"check_{key}"))
            )
            for key, value in facts.items()
        ]
    return ReviewPanel(
        forms=[
            ActionForm(
                action=action,
                verb=str(verb),
                destructive=action in DESTRUCTIVE_ACTIONS,
                effect=action_effect(action, city=city),
                undo=action_undo(action),
            )
            for action, verb in sorted(actions, key=lambda pair: _button_rank(pair[0]))
        ],
        stage=stage,
        opinion_required=stage is not None,
        checklist=checklist,
        conditions=any(action == "approve" for action, _verb in actions),
        comment=str(posted.get("comment", "")),
        conditions_text=str(posted.get("conditions", "")),
    )

"""The province's page of data-quality rules (issue 15): the list, and the form changing one rule.

Read-only for observers and city reviewers; only the province changes a rule (403 for everyone else).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zcpark.core.forms import BootstrapFormMixin, add_service_errors

from . import permissions, services
from .models_quality import THRESHOLD_PLACES, QualityRule, QualityRuleKind, QualitySeverity


class QualityRuleForm(BootstrapFormMixin, forms.Form):
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=QualitySeverity.choices)
    threshold = forms.DecimalField(
        label=gettext_lazy("Threshold"), min_value=Decimal(0), max_digits=9, decimal_places=THRESHOLD_PLACES
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, rule: QualityRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threshold = self.fields["threshold"]
        threshold.validators.append(MaxValueValidator(rule.threshold_max))
        threshold.widget.attrs["max"] = str(rule.threshold_max)
        threshold.label = _("Threshold (%(unit)s)") % {"unit": rule.unit_label}
        threshold.help_text = _("From 0 to %(max)s.") % {"max": rule.threshold_max}


def _rules() -> list[QualityRule]:
    """Every rule, in the order of the kinds."""
    order = {kind: n for n, kind in enumerate(QualityRuleKind.values)}
    return sorted(
        QualityRule.objects.select_related("updated_by"), key=lambda rule: order.get(rule.kind, len(order))
    )


@login_required
@require_GET
def quality_rule_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_quality_rules(request.user):
        raise PermissionDenied
    return render(
        request,
        "indicators/quality_rules.html",
        {
            "rules": _rules(),
            "can_manage": permissions.can_manage_quality_rules(request.user),
            "can_view_factors": permissions.can_view_factors(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quality_rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if not permissions.can_manage_quality_rules(request.user):
        raise PermissionDenied
    rule = QualityRule.objects.filter(kind=kind).first()
    if rule is None:
        raise Http404
    initial = {"enabled": rule.enabled, "severity": rule.severity, "threshold": rule.threshold}
    form = QualityRuleForm(request.POST or None, initial=initial, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.quality_rule_update(by=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rule “%(rule)s” was saved.") % {"rule": rule})
            return redirect("indicators:quality-rule-list")
    return render(request, "indicators/quality_rule_form.html", {"form": form, "rule": rule})

"""The province's edits of the data-quality rules: on/off, severity, threshold (issue 15).

One rule per kind (seeded by a migration); a change is checked, saved under a row lock and audited with
every changed field old → new. Province admins only (``can_manage_factors``, like the other reference data).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.services import audit_event_record

from ..models_quality import THRESHOLD_PLACES, QualityRule, QualitySeverity
from ..permissions import can_manage_quality_rules


def _validate(rule: QualityRule, *, severity: str, threshold: Decimal) -> None:
    errors: dict[str, list[str]] = {}
    if severity not in QualitySeverity.values:
        errors["severity"] = [_("Choose one of the severities.")]
    if not isinstance(threshold, Decimal) or not threshold.is_finite():
        errors["threshold"] = [_("Enter a number.")]
    elif threshold < 0:
        errors["threshold"] = [_("The threshold cannot be negative.")]
    elif threshold > rule.threshold_max:
        errors["threshold"] = [
            _("The threshold can be at most %(max)s %(unit)s.")
            % {"max": rule.threshold_max, "unit": rule.unit_label}
        ]
    elif threshold != threshold.quantize(Decimal(1).scaleb(-THRESHOLD_PLACES)):
        errors["threshold"] = [_("Use at most %(places)s decimal places.") % {"places": THRESHOLD_PLACES}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def quality_rule_update(
    *, by: User | None, kind: str, enabled: bool, severity: str, threshold: Decimal, comment: str = ""
) -> QualityRule:
    """Change one rule (audited old → new); nothing is saved or audited when nothing changes."""
    if not can_manage_quality_rules(by):
        raise PermissionDenied
    rule = QualityRule.objects.select_for_update().get(kind=kind)
    _validate(rule, severity=severity, threshold=threshold)
    new = {"enabled": bool(enabled), "severity": severity, "threshold": threshold}
    changes = {
        name: (getattr(rule, name), value) for name, value in new.items() if getattr(rule, name) != value
    }
    if not changes:
        return rule
    for name, value in new.items():
        setattr(rule, name, value)
    rule.updated_by = by
    rule.save(update_fields=[*new, "updated_by", "updated_at"])
    audit_event_record(actor=by, target=rule, action="quality_rule_changed", comment=comment, changes=changes)
    return rule

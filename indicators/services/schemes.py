"""The province's edits of an indicator scheme: new thresholds drafted as the scheme's next version.

The thresholds are those ``selectors.scheme_threshold_items`` lists (the core indicator's tiers and
the guiding indicators); the new version is a draft with its impact preview (``drafts``), audited from
→ to; publishing it makes it current and recomputes every stored result after commit (``publish=True``
publishes at once: scripts and fixtures). Province admins only (``can_manage_factors``).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.services import audit_event_record

from .. import selectors
from ..models import INDICATOR_UNITS, IndicatorCode, Scheme
from .drafts import _draft_save, reference_draft_publish
from .versions import _check_factor_manager, _decimal_text, _next_version, _parse_scheme


def _validate_threshold(key: str, code: str, value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError({key: [_("Enter a number of at least 0.")]})
    if INDICATOR_UNITS.get(code) == "%" and value > 100:
        raise ValidationError({key: [_("A percentage cannot exceed 100.")]})
    if code == IndicatorCode.GREEN_BUILDINGS and value != value.to_integral_value():
        raise ValidationError({key: [_("Enter a whole number of buildings.")]})
    return value


@transaction.atomic
def scheme_new_version(
    *, by: User | None, code: str, thresholds: dict[str, Decimal], comment: str = "", publish: bool = False
) -> Scheme:
    """Draft new thresholds for scheme ``code`` as its next version (``publish``: made current at once).

    ``thresholds`` maps a guiding indicator's code, or ``"<core code>:<tier index>"`` for a tier of
    the core indicator (see ``selectors.scheme_threshold_items``), to its new value; keys left out
    keep their value. Audited from → to; publishing recomputes every result after commit. Province only.
    """
    _check_factor_manager(by)
    current = Scheme.objects.select_for_update().filter(code=code, is_current=True).first()
    if current is None:
        raise ValidationError({"code": [_("Unknown indicator scheme.")]})
    items = {item.key: item for item in selectors.scheme_threshold_items(document=current.document)}
    unknown = sorted(set(thresholds) - set(items))
    if unknown:
        raise ValidationError({"__all__": [_("Unknown thresholds: %(keys)s") % {"keys": ", ".join(unknown)}]})
    changes: dict[str, tuple[Any, Any]] = {}
    document = copy.deepcopy(current.document)
    core_code = document["core"]["code"]
    for key, value in thresholds.items():
        item = items[key]
        value = _validate_threshold(key, item.code, value)
        if value == item.value:
            continue
        changes[key] = (_decimal_text(item.value), _decimal_text(value))
        if item.category == "core":
            document["core"]["tiers"][int(key.removeprefix(f"{core_code}:"))]["value"] = _decimal_text(value)
        else:
            rule = next(rule for rule in document["guiding"] if rule["code"] == key)
            rule["value"] = _decimal_text(value)
    if not changes:
        raise ValidationError({"__all__": [_("No threshold was changed.")]})
    _parse_scheme(document)
    scheme = _draft_save(
        current,
        Scheme(code=code, version=_next_version(Scheme, code=code)),
        document=document,
        by=by,
        comment=comment,
        preview=not publish,
    )
    audit_event_record(
        actor=by,
        target=scheme,
        action="scheme_version_created",
        from_state=str(current),
        to_state=str(scheme),
        comment=comment,
        changes=changes,
    )
    if publish:
        return reference_draft_publish(draft=scheme, by=by, comment=comment)
    return scheme

"""The province's edits of the current factor set: grid factors, equivalent-value coefficients, constants.

Each edit changes a copy of the current document (``_factor_set_edit``): the copy is checked, becomes
the next version of the family as a draft with its impact preview (``drafts``), audited from → to.
Publishing the draft makes it current and recomputes every stored result after commit; ``publish=True``
publishes it at once (scripts and fixtures; the pages always stop at the draft). Province admins only
(``can_manage_factors``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record

from ..models import YEAR_MAX, YEAR_MIN, FactorSet, GridBasis
from .drafts import _draft_save, reference_draft_publish
from .versions import _check_factor_manager, _decimal_text, _next_version, _parse_factor_set

GRID_FACTOR_MAX = Decimal("10")  # tCO2/MWh; no real grid comes near it, so larger is a typo
GRID_FACTOR_MAX_PLACES = 6


def _validate_grid_factor(*, basis: str, year: int, value: Decimal, source: str) -> None:
    errors = _validated_value(value, upper=GRID_FACTOR_MAX, source=source, upper_open=True)
    if basis not in GridBasis.values:
        errors["basis"] = [_("Choose one of the grid bases.")]
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [_("The year must be between 2000 and 2100.")]
    if errors:
        raise ValidationError(errors)


# The method constants a province admin may correct (accounting.md §4.1), with their admissible range
# (exclusive lower, inclusive upper bound): a value outside is a typing mistake.
CONSTANT_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "national_fossil_fixed_tco2_per_mwh": (Decimal(0), Decimal(10)),
    "heat_ef_tco2_per_gj": (Decimal(0), Decimal(1)),
    "transform_of": (Decimal(0), Decimal(1)),
    "heat_tce_per_gj": (Decimal(0), Decimal(1)),
    "electricity_calorific_tce_per_mwh": (Decimal(0), Decimal(1)),
    "tce_gj": (Decimal(0), Decimal(100)),
}
EQUIVALENT_COEFFICIENT_MAX = Decimal(1)  # tce/MWh; coal rates are near 0.3


def _factor_set_edit(
    *,
    by: User | None,
    comment: str,
    edit: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]],
    publish: bool = False,
) -> FactorSet:
    """The one way a factor set changes: ``edit`` changes a copy of the current document and returns the
    audit action and changes; the copy becomes the next version as a draft, audited from → to (published
    at once with ``publish``: made current, every stored result recomputed after commit). Province only."""
    _check_factor_manager(by)
    # Lock the current version: two concurrent edits must not both build on it.
    current = (
        FactorSet.objects.select_for_update().filter(is_current=True).order_by("-created_at", "-pk").first()
    )
    if current is None:
        raise ApplicationError(_("No factor set is loaded yet (run load_factor_data)."))
    document = copy.deepcopy(current.document)
    action, changes = edit(document)
    factor_set = _factor_set_new_version(
        current=current, document=document, by=by, comment=comment, preview=not publish
    )
    audit_event_record(
        actor=by,
        target=factor_set,
        action=action,
        from_state=current.name,
        to_state=factor_set.name,
        comment=comment,
        changes=changes,
    )
    if publish:
        return reference_draft_publish(draft=factor_set, by=by, comment=comment)
    return factor_set


def _year_entry(
    rows: list[dict[str, Any]],
    entry: dict[str, Any],
    *,
    matches: Callable[[dict[str, Any]], bool],
    replace: bool,
) -> dict[str, Any] | None:
    """The existing row ``entry`` would replace (None: a new year); refused when it exists and ``replace``
    is not given, or when it already holds exactly ``entry``."""
    old = next((row for row in rows if matches(row)), None)
    if old is not None and not replace:
        raise ValidationError(
            {
                "year": [
                    _("%(year)s already has a value; tick “replace” to change it.") % {"year": entry["year"]}
                ]
            }
        )
    if (
        old is not None
        and {**old, "year": int(old["year"]), "value": _decimal_text(Decimal(str(old["value"])))} == entry
    ):
        raise ValidationError({"value": [_("This is the value the current factor set already has.")]})
    return old


def _described(row: dict[str, Any] | None) -> str | None:
    return None if row is None else f"{row['value']} ({row.get('source', '')})"


@transaction.atomic
def factor_set_add_grid_factor(
    *,
    by: User | None,
    basis: str,
    year: int,
    value: Decimal,
    source: str,
    provisional: bool = False,
    replace: bool = False,
    comment: str = "",
    publish: bool = False,
) -> FactorSet:
    """Draft a by-year grid emission factor (tCO2/MWh) as the next version of the current factor set.

    An existing (basis, year) value is replaced only with ``replace=True``. Province admins only.
    """
    _check_factor_manager(by)
    _validate_grid_factor(basis=basis, year=year, value=value, source=source)
    entry = {
        "basis": basis,
        "year": year,
        "value": _decimal_text(value),
        "source": source.strip(),
        "provisional": provisional,
    }

    def edit(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        old = _year_entry(
            document["grid_factors"],
            entry,
            matches=lambda row: row["basis"] == basis and int(row["year"]) == year,
            replace=replace,
        )
        rows = [row for row in document["grid_factors"] if row is not old] + [entry]
        order = {basis_code: index for index, basis_code in enumerate(GridBasis.values)}
        document["grid_factors"] = sorted(
            rows, key=lambda row: (order.get(row["basis"], len(order)), int(row["year"]))
        )
        action = "factor_set_grid_factor_replaced" if old else "factor_set_grid_factor_added"
        return action, {f"grid_factor {basis} {year}": (_described(old), _described(entry))}

    return _factor_set_edit(by=by, comment=comment, edit=edit, publish=publish)


@transaction.atomic
def factor_set_add_equivalent_coefficient(
    *,
    by: User | None,
    year: int,
    value: Decimal,
    source: str,
    provisional: bool = True,
    replace: bool = False,
    comment: str = "",
    publish: bool = False,
) -> FactorSet:
    """Publish the electricity equivalent-value coefficient (等价值, tce/MWh) of ``year``, the coal rate a
    dataset of ``year + 1`` and later uses (accounting.md §4.3), as the next factor-set version (a draft)."""
    _check_factor_manager(by)
    errors = _validated_value(value, upper=EQUIVALENT_COEFFICIENT_MAX, source=source)
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [_("The year must be between 2000 and 2100.")]
    if errors:
        raise ValidationError(errors)
    entry = {
        "year": year,
        "value": _decimal_text(value),
        "source": source.strip(),
        "provisional": provisional,
    }

    def edit(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        rows = document.setdefault("electricity_equivalent", [])
        old = _year_entry(rows, entry, matches=lambda row: int(row["year"]) == year, replace=replace)
        document["electricity_equivalent"] = sorted(
            [row for row in rows if row is not old] + [entry], key=lambda row: int(row["year"])
        )
        action = "factor_set_coefficient_replaced" if old else "factor_set_coefficient_added"
        return action, {f"electricity_equivalent {year}": (_described(old), _described(entry))}

    return _factor_set_edit(by=by, comment=comment, edit=edit, publish=publish)


@transaction.atomic
def factor_set_correct_constant(
    *,
    by: User | None,
    key: str,
    value: Decimal,
    source: str,
    provisional: bool = False,
    comment: str = "",
    publish: bool = False,
) -> FactorSet:
    """Draft a corrected method constant (accounting.md §4.1) as the next factor-set version."""
    _check_factor_manager(by)
    if key not in CONSTANT_RANGES:
        raise ValidationError({"key": [_("Choose one of the method's constants.")]})
    lower, upper = CONSTANT_RANGES[key]
    errors = _validated_value(value, upper=upper, source=source, lower=lower)
    if errors:
        raise ValidationError(errors)
    entry = {"value": _decimal_text(value), "source": source.strip(), "provisional": provisional}

    def edit(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        old = document["constants"][key]
        if (
            _decimal_text(Decimal(str(old["value"]))) == entry["value"]
            and old.get("source") == entry["source"]
        ):
            raise ValidationError({"value": [_("This is the value the current factor set already has.")]})
        document["constants"][key] = entry
        return "factor_set_constant_corrected", {f"constant {key}": (_described(old), _described(entry))}

    return _factor_set_edit(by=by, comment=comment, edit=edit, publish=publish)


def _validated_value(
    value: Any, *, upper: Decimal, source: str, lower: Decimal = Decimal(0), upper_open: bool = False
) -> dict[str, list[str]]:
    """The errors of a published value: a number above ``lower`` and at most ``upper`` (below it when
    ``upper_open``) with at most 6 decimal places, and a named source."""
    errors: dict[str, list[str]] = {}
    if not isinstance(value, Decimal) or not value.is_finite():
        errors["value"] = [_("Enter a number.")]
    elif not lower < value <= upper or (upper_open and value == upper):
        bounds = {"lower": lower, "upper": upper}
        errors["value"] = [
            _("The value must be above %(lower)s and below %(upper)s.") % bounds
            if upper_open
            else _("The value must be above %(lower)s and at most %(upper)s.") % bounds
        ]
    elif -value.as_tuple().exponent > GRID_FACTOR_MAX_PLACES:  # type: ignore[operator]
        errors["value"] = [_("Use at most 6 decimal places.")]
    if not source.strip():
        errors["source"] = [_("Name the source of the value (publication and table).")]
    return errors


def _factor_set_new_version(
    *, current: FactorSet, document: dict[str, Any], by: User | None, comment: str, preview: bool
) -> FactorSet:
    version = _next_version(FactorSet, family=current.family)
    name = FactorSet.versioned_name(current.family, version)
    document["name"] = name
    if document.get("title"):
        # The fixture's title carries its edition ("第 1 版"); keep it in step with the version.
        document["title"] = re.sub(r"第\s*\d+\s*版", f"第 {version} 版", document["title"])
    _parse_factor_set(document)
    return _draft_save(
        current,
        FactorSet(family=current.family, version=version, name=name),
        document=document,
        by=by,
        comment=comment,
        preview=preview,
    )

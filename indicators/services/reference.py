"""Reference-data writes: factor-set and scheme versions, from fixtures or from the province's edits.

Every change is a new immutable version made current in one transaction, with an audit event, and a
recomputation of every stored result scheduled after commit.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record
from zcpark.core.tasks import task_enqueue_on_commit

from .. import engine, selectors
from ..models import (
    INDICATOR_UNITS,
    YEAR_MAX,
    YEAR_MIN,
    FactorSet,
    GridBasis,
    IndicatorCode,
    Scheme,
)
from ..permissions import can_manage_factors

logger = structlog.get_logger("indicators.services")

GRID_FACTOR_MAX = Decimal("10")  # tCO2/MWh; no real grid comes near it, so larger is a typo
GRID_FACTOR_MAX_PLACES = 6


# --- documents -----------------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    """A JSON-storable copy of ``value``: Decimals and floats become strings, so none is ever rounded
    through float on the way back (the engine reads numeric strings as exact Decimals)."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return value


def _read_fixture(path: Path) -> dict[str, Any]:
    return _json_safe(engine.loads(path.read_text(encoding="utf-8")))


def _decimal_text(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 80.0 → "80", 0.58300 → "0.583"."""
    return format(value.normalize(), "f")


def _next_version(model: type[FactorSet] | type[Scheme], **family: str) -> int:
    return (model.objects.filter(**family).aggregate(top=Max("version"))["top"] or 0) + 1


def _schedule_recompute(reason: str) -> None:
    # After commit, robust: a failing recomputation is logged, not shown as a failed save.
    task_enqueue_on_commit("indicators.results_recompute", reason)


def _check_factor_manager(by: User | None) -> None:
    if not can_manage_factors(by):
        raise PermissionDenied


# --- fixtures ------------------------------------------------------------------------------------


@transaction.atomic
def factor_set_load_fixture(*, path: Path) -> tuple[FactorSet, bool]:
    """Create the factor-set version a fixture names (``cn-2026.1``) unless it exists; idempotent.

    The new version becomes current only if its family has no current version yet. Returns the
    row and whether it was created.
    """
    document = _read_fixture(path)
    name = str(document.get("name", ""))
    family, _sep, version_text = name.rpartition(".")
    if not family or not version_text.isdigit():
        raise ValidationError(
            {"name": _("A factor-set name must read <family>.<version>: %(name)s") % {"name": name}}
        )
    existing = FactorSet.objects.filter(name=name).first()
    if existing is not None:
        return existing, False
    _parse_factor_set(document)
    factor_set = FactorSet(
        family=family,
        version=int(version_text),
        name=name,
        title=document.get("title", ""),
        document=document,
        is_current=not FactorSet.objects.filter(family=family, is_current=True).exists(),
        comment=_("Loaded from %(file)s") % {"file": path.name},
    )
    factor_set.full_clean()
    factor_set.save()
    audit_event_record(actor=None, target=factor_set, action="factor_set_loaded", to_state=name)
    if factor_set.is_current:
        _schedule_recompute(f"factor set {name} loaded")
    return factor_set, True


@transaction.atomic
def scheme_load_fixture(*, path: Path) -> tuple[Scheme, bool]:
    """Create version 1 of the scheme a fixture holds unless the scheme exists; a changed fixture becomes the
    next version while the province has published none (``_scheme_fixture_update``); idempotent."""
    document = _read_fixture(path)
    code = str(document.get("name", ""))
    existing = Scheme.objects.filter(code=code, version=1).first()
    if existing is not None:
        return _scheme_fixture_update(code=code, document=document, path=path)
    _parse_scheme(document)
    scheme = Scheme(
        code=code,
        version=1,
        title=document.get("title", ""),
        document=document,
        is_current=not Scheme.objects.filter(code=code, is_current=True).exists(),
        comment=_("Loaded from %(file)s") % {"file": path.name},
    )
    scheme.full_clean()
    scheme.save()
    audit_event_record(actor=None, target=scheme, action="scheme_loaded", to_state=str(scheme))
    if scheme.is_current:
        _schedule_recompute(f"scheme {scheme} loaded")
    return scheme, True


def _scheme_fixture_update(*, code: str, document: dict[str, Any], path: Path) -> tuple[Scheme, bool]:
    """A scheme fixture that changed since it was loaded (e.g. the national scheme's advisory of contract v2)
    is published as the next version, when the current version is still one loaded from a fixture; a
    version the province published is never overridden (the difference is logged)."""
    current = Scheme.objects.select_for_update().get(code=code, is_current=True)
    if current.document == document:
        return current, False
    if current.created_by_id is not None:
        logger.warning("scheme_fixture_not_applied", scheme=str(current), reason="the province published it")
        return current, False
    _parse_scheme(document)
    scheme = _publish_version(
        current,
        Scheme(code=code, version=_next_version(Scheme, code=code)),
        document=document,
        by=None,
        comment=_("Loaded from %(file)s") % {"file": path.name},
    )
    audit_event_record(
        actor=None, target=scheme, action="scheme_loaded", from_state=str(current), to_state=str(scheme)
    )
    _schedule_recompute(f"scheme {scheme} loaded")
    return scheme, True


def _parse_factor_set(document: dict[str, Any]) -> engine.FactorSet:
    try:
        return engine.FactorSet.from_document(document)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            {"document": _("Not a valid factor-set document: %(error)s") % {"error": exc}}
        ) from exc


def _parse_scheme(document: dict[str, Any]) -> engine.Scheme:
    try:
        return engine.Scheme.from_document(document)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            {"document": _("Not a valid scheme document: %(error)s") % {"error": exc}}
        ) from exc


# --- factor sets ---------------------------------------------------------------------------------


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
    *, by: User | None, comment: str, edit: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
) -> FactorSet:
    """The one way a factor set changes: ``edit`` changes a copy of the current document and returns the
    audit action and changes; the copy becomes the next version, made current, audited from → to, and
    every stored result is recomputed after commit. Province admins only."""
    _check_factor_manager(by)
    # Lock the current version: two concurrent edits must not both build on it.
    current = (
        FactorSet.objects.select_for_update().filter(is_current=True).order_by("-created_at", "-pk").first()
    )
    if current is None:
        raise ApplicationError(_("No factor set is loaded yet (run load_factor_data)."))
    document = copy.deepcopy(current.document)
    action, changes = edit(document)
    factor_set = _factor_set_new_version(current=current, document=document, by=by, comment=comment)
    audit_event_record(
        actor=by,
        target=factor_set,
        action=action,
        from_state=current.name,
        to_state=factor_set.name,
        comment=comment,
        changes=changes,
    )
    _schedule_recompute(f"factor set {factor_set.name}")
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
) -> FactorSet:
    """Publish a by-year grid emission factor (tCO2/MWh) as the next version of the current factor set.

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

    return _factor_set_edit(by=by, comment=comment, edit=edit)


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
) -> FactorSet:
    """Publish the electricity equivalent-value coefficient (等价值, tce/MWh) of ``year``, the coal rate a
    dataset of ``year + 1`` and later uses (accounting.md §4.3), as the next factor-set version."""
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

    return _factor_set_edit(by=by, comment=comment, edit=edit)


@transaction.atomic
def factor_set_correct_constant(
    *, by: User | None, key: str, value: Decimal, source: str, provisional: bool = False, comment: str = ""
) -> FactorSet:
    """Publish a corrected method constant (accounting.md §4.1) as the next factor-set version."""
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

    return _factor_set_edit(by=by, comment=comment, edit=edit)


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
    *, current: FactorSet, document: dict[str, Any], by: User | None, comment: str
) -> FactorSet:
    version = _next_version(FactorSet, family=current.family)
    name = FactorSet.versioned_name(current.family, version)
    document["name"] = name
    if document.get("title"):
        # The fixture's title carries its edition ("第 1 版"); keep it in step with the version.
        document["title"] = re.sub(r"第\s*\d+\s*版", f"第 {version} 版", document["title"])
    _parse_factor_set(document)
    return _publish_version(
        current,
        FactorSet(family=current.family, version=version, name=name),
        document=document,
        by=by,
        comment=comment,
    )


def _publish_version(
    current: Any, new: Any, *, document: dict[str, Any], by: User | None, comment: str
) -> Any:
    """Retire ``current`` and save ``new`` (a FactorSet or Scheme) as the current version after it."""
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    new.title = document.get("title", "")
    new.document = document
    new.is_current = True
    new.based_on = current
    new.created_by = by if by is not None and by.is_authenticated else None
    new.comment = comment
    new.full_clean()
    new.save()
    return new


# --- schemes -------------------------------------------------------------------------------------


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
    *, by: User | None, code: str, thresholds: dict[str, Decimal], comment: str = ""
) -> Scheme:
    """Publish new thresholds for scheme ``code`` as its next version, made current.

    ``thresholds`` maps a guiding indicator's code, or ``"<core code>:<tier index>"`` for a tier of
    the core indicator (see ``selectors.scheme_threshold_items``), to its new value; keys left out
    keep their value. Audited from → to; every result is recomputed after commit. Province only.
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
    scheme = _publish_version(
        current,
        Scheme(code=code, version=_next_version(Scheme, code=code)),
        document=document,
        by=by,
        comment=comment,
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
    _schedule_recompute(f"scheme {scheme}")
    return scheme

"""Data-quality warnings on a park-year's dataset (issue 15): beside the engine's hard errors, never blocking.

``dataset_warnings(park, year, document)`` applies the province's enabled ``QualityRule`` rows to one
dataset document (and the previous year's, looked up when not given) and returns one dict per warning:
``{"rule", "severity", "severity_label", "message", "path"}``. The figures come from the engine
(``indicators.engine.evaluate`` with the current factor set and the province's scheme), as reported (rounded),
like every other decision of the portal; each change, excess or difference is a percentage reported like the
engine's (2 places, half-up, ``engine.rounding``), and that one value is compared with the rule's threshold and
printed in its message (never "rose by 30% (threshold ±30%)"). A park's figures count its accepted exemptions
only, as its stored results do (``exemptions.park_document_for_engine``). A document the engine refuses gives
no figures, hence no warning (its input errors are shown instead); nothing here raises on odd input.

What each rule compares (the dataset paths name where a reader looks):

- ``energy_change``: ``totals.energy_tce`` of the year against the previous year's, |change| > X %.
- ``emissions_change``: ``totals.emissions_gross_tco2`` (E园区, before CCER offsets) likewise.
- ``core_indicator_change``: the core indicator ``carbon_per_energy`` (tCO2/tce) likewise.
- ``enterprises_vs_park``: ``enterprises_tce`` (the dossier's key-enterprises table, ``energy_tce`` summed;
  the dataset's energy rows name enterprises but carry quantities, not tce) exceeds ``totals.energy_tce``
  by more than X % of it.
- ``electricity_vs_purchases``: electricity used (the engine's ``electricity_used_mwh``, or the consumption
  lines' sum given as ``electricity_used_mwh``) against electricity purchased, ``electricity_mwh.grid +
  green_direct + green_trade``: |used − purchased| > X % of purchased.
- ``share_jump_to_full``: an indicator in % reported 100 whose previous-year value was below X.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import engine
from .calculator import calculator_reference
from .engine.rounding import PLACES_PERCENT, PLACES_QUANTITY, report
from .exemptions import park_document_for_engine, park_exemptions
from .models import INDICATOR_UNITS, IndicatorCode, ParkDataset, QualityRule, indicator_name
from .models_quality import QualityRuleKind, QualitySeverity

logger = logging.getLogger(__name__)

HUNDRED = Decimal(100)
Reference = tuple[engine.FactorSet, engine.Scheme]
QualityWarning = dict[str, str]

CHANGE_FIGURES = {
    QualityRuleKind.ENERGY_CHANGE: ("energy_tce", gettext_lazy("Total energy consumed"), "tce", "energy"),
    QualityRuleKind.EMISSIONS_CHANGE: ("emissions_tco2", gettext_lazy("Total emissions"), "tCO2", ""),
    QualityRuleKind.CORE_CHANGE: ("core", gettext_lazy("The core indicator"), "tCO2/tce", ""),
}
# Where in a dataset document each percentage indicator's inputs are.
SHARE_PATHS = {
    IndicatorCode.CLEAN_ENERGY_SHARE: "energy",
    IndicatorCode.PRODUCT_ENERGY_GRADE: "resources.products",
    IndicatorCode.SOLID_WASTE_UTILIZATION: "resources.solid_waste_t",
    IndicatorCode.WATER_REUSE: "resources.water_m3",
    IndicatorCode.WASTE_ENERGY_UTILIZATION: "resources.waste_energy_tce",
    IndicatorCode.CLEAN_TRANSPORT_SHARE: "resources.freight_t",
    IndicatorCode.PUBLIC_NEV_SHARE: "resources.public_vehicles",
    IndicatorCode.GREEN_POWER_DIRECT_SHARE: "electricity_mwh",
    IndicatorCode.OFFSET_SHARE: "offsets_tco2.ccer",
}
PURCHASE_KEYS = ("grid", "green_direct", "green_trade")


@dataclass(frozen=True)
class Figures:
    """The reported (rounded) figures of one park-year that the rules compare."""

    year: int
    energy_tce: Decimal
    emissions_tco2: Decimal
    core: Decimal | None
    electricity_used_mwh: Decimal
    electricity_purchased_mwh: Decimal
    shares: dict[str, Decimal] = field(default_factory=dict)  # % indicators with a value


def quality_rules() -> dict[str, QualityRule]:
    """The enabled rules by kind (one query)."""
    return {rule.kind: rule for rule in QualityRule.objects.filter(enabled=True)}


def quality_reference() -> Reference | None:
    """The current factor set and the province's scheme for the engine (None before any is loaded)."""
    try:
        return calculator_reference()
    except ValidationError:
        return None


def figures_of(
    document: Any, reference: Reference | None, exemptions: Mapping[str, str] | None = None
) -> Figures | None:
    """The figures of ``document`` as the engine reports them; None when it does not compute.

    ``exemptions`` are the park's counted exemptions (``exemptions.park_exemptions``): the document reaches
    the engine as the park's stored results compute it (``exemptions.park_document_for_engine``); None (no
    park) leaves it as typed."""
    if reference is None or not isinstance(document, Mapping):
        return None
    document = park_document_for_engine(document, exemptions)
    try:
        evaluation = engine.evaluate(document, factor_set=reference[0], scheme=reference[1])
    except Exception:  # the engine reports input errors; anything else is a bug, never a blocked page
        logger.exception("data-quality figures: the engine failed on a document")
        return None
    result = evaluation.result
    if result is None:
        return None
    totals = result.totals
    core = result.indicators[0].value if result.indicators else None
    shares = {
        i.code: i.value
        for i in result.indicators
        if i.value is not None and INDICATOR_UNITS.get(i.code) == "%"
    }
    purchased = sum((result.dataset.electricity.get(key, Decimal(0)) for key in PURCHASE_KEYS), Decimal(0))
    return Figures(
        year=result.year,
        energy_tce=report(totals.energy_tce, PLACES_QUANTITY),
        emissions_tco2=report(totals.gross_tco2, PLACES_QUANTITY),
        core=core,
        electricity_used_mwh=report(totals.electricity_used_mwh, PLACES_QUANTITY),
        electricity_purchased_mwh=report(purchased, PLACES_QUANTITY),
        shares=shares,
    )


def _plain(value: Decimal) -> str:
    """A number as typed: no exponent, no trailing zeros after the point (30.00 → 30, 0.50 → 0.5)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(value: Decimal) -> Decimal:
    """A percentage as reported (accounting.md §0: 2 places, half-up): what a rule compares with its
    threshold and what its message prints, one value."""
    return report(value, PLACES_PERCENT)


def _warning(rule: QualityRule, message: str, path: str) -> QualityWarning:
    return {
        "rule": rule.kind,
        "severity": rule.severity,
        "severity_label": str(QualitySeverity(rule.severity).label)
        if rule.severity in QualitySeverity.values
        else rule.severity,
        "message": message,
        "path": path,
    }


def _change(rule: QualityRule, current: Figures, previous: Figures) -> QualityWarning | None:
    attribute, figure, unit, path = CHANGE_FIGURES[QualityRuleKind(rule.kind)]
    now, before = getattr(current, attribute), getattr(previous, attribute)
    if now is None or before is None or before <= 0:
        return None
    change = _percent((now - before) / before * HUNDRED)
    if abs(change) <= rule.threshold:
        return None
    text = (
        _(
            "%(figure)s rose by %(change)s%% compared with %(previous_year)s "
            "(%(previous)s → %(current)s %(unit)s; threshold ±%(threshold)s%%)."
        )
        if change > 0
        else _(
            "%(figure)s fell by %(change)s%% compared with %(previous_year)s "
            "(%(previous)s → %(current)s %(unit)s; threshold ±%(threshold)s%%)."
        )
    )
    values = {
        "figure": figure,
        "change": _plain(abs(change)),
        "previous_year": previous.year,
        "previous": _plain(before),
        "current": _plain(now),
        "unit": unit,
        "threshold": _plain(rule.threshold),
    }
    return _warning(rule, text % values, path)


def _enterprises(
    rule: QualityRule, current: Figures, enterprises_tce: Decimal | None
) -> QualityWarning | None:
    if enterprises_tce is None or current.energy_tce <= 0:
        return None
    excess = _percent((enterprises_tce - current.energy_tce) / current.energy_tce * HUNDRED)
    if excess <= rule.threshold:
        return None
    message = _(
        "The key enterprises' energy (%(enterprises)s tce) exceeds the park's total energy consumed "
        "(%(park)s tce) by %(excess)s%% (threshold %(threshold)s%%)."
    ) % {
        "enterprises": _plain(enterprises_tce),
        "park": _plain(current.energy_tce),
        "excess": _plain(excess),
        "threshold": _plain(rule.threshold),
    }
    return _warning(rule, message, "energy")


def _electricity(rule: QualityRule, current: Figures, used_mwh: Decimal | None) -> QualityWarning | None:
    used = current.electricity_used_mwh if used_mwh is None else used_mwh
    purchased = current.electricity_purchased_mwh
    if purchased <= 0:
        return None
    difference = _percent(abs(used - purchased) / purchased * HUNDRED)
    if difference <= rule.threshold:
        return None
    message = _(
        "Electricity used (%(used)s MWh) differs from electricity purchased (%(purchased)s MWh) by "
        "%(difference)s%% (threshold ±%(threshold)s%%)."
    ) % {
        "used": _plain(used),
        "purchased": _plain(purchased),
        "difference": _plain(difference),
        "threshold": _plain(rule.threshold),
    }
    return _warning(rule, message, "electricity_mwh")


def _shares(rule: QualityRule, current: Figures, previous: Figures) -> list[QualityWarning]:
    found = []
    for code, value in current.shares.items():
        before = previous.shares.get(code)
        if value != HUNDRED or before is None or before >= rule.threshold:
            continue
        message = _(
            "%(indicator)s reaches 100%% from %(previous)s%% in %(previous_year)s (threshold: below "
            "%(threshold)s%% the year before)."
        ) % {
            "indicator": indicator_name(code),
            "previous": _plain(before),
            "previous_year": previous.year,
            "threshold": _plain(rule.threshold),
        }
        found.append(_warning(rule, message, SHARE_PATHS.get(code, "")))
    return found


def rule_warnings(
    rules: Mapping[str, QualityRule],
    current: Figures,
    previous: Figures | None,
    *,
    enterprises_tce: Decimal | None = None,
    electricity_used_mwh: Decimal | None = None,
) -> list[QualityWarning]:
    """The warnings of the enabled ``rules`` (by kind) on ``current`` against ``previous`` (None: only the
    rules that need no previous year)."""
    found: list[QualityWarning | None] = []
    for kind, rule in rules.items():
        if not rule.enabled:
            continue
        if kind in CHANGE_FIGURES and previous is not None:
            found.append(_change(rule, current, previous))
        elif kind == QualityRuleKind.ENTERPRISES_VS_PARK:
            found.append(_enterprises(rule, current, enterprises_tce))
        elif kind == QualityRuleKind.ELECTRICITY_VS_PURCHASES:
            found.append(_electricity(rule, current, electricity_used_mwh))
        elif kind == QualityRuleKind.SHARE_JUMP and previous is not None:
            found.extend(_shares(rule, current, previous))
    return [w for w in found if w is not None]


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def enterprises_energy_tce(rows: Any) -> Decimal | None:
    """The sum of ``energy_tce`` over the key-enterprises table's rows (None when no row gives one)."""
    if not isinstance(rows, Iterable) or isinstance(rows, str | bytes | Mapping):
        return None
    values = [_decimal(row.get("energy_tce")) for row in rows if isinstance(row, Mapping)]
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def _park_id(park: Any) -> Any:
    return getattr(park, "pk", park)


def dataset_warnings(
    park: Any,
    year: Any,
    document: Any,
    *,
    previous: Any = None,
    lookup_previous: bool = True,
    enterprises_tce: Decimal | None = None,
    electricity_used_mwh: Decimal | None = None,
    rules: Mapping[str, QualityRule] | None = None,
    reference: Reference | None = None,
) -> list[QualityWarning]:
    """The data-quality warnings of ``park``'s ``year`` with ``document``; never raises, never blocks.

    ``previous`` is the previous year's document; when not given it is read from the park's stored datasets
    (one query; ``lookup_previous=False`` skips it). ``rules`` and ``reference`` let a caller checking many
    years read them once (one query for the rules, the engine's reference data as the calculator reads it).
    """
    try:
        if rules is None:
            rules = quality_rules()
        if not rules:
            return []
        if reference is None:
            reference = quality_reference()
        exemptions = park_exemptions(_park_id(park))
        current = figures_of(document, reference, exemptions)
        if current is None:
            return []
        if previous is None and lookup_previous and isinstance(year, int):
            previous = (
                ParkDataset.objects.filter(park_id=_park_id(park), year=year - 1)
                .values_list("document", flat=True)
                .first()
            )
        before = figures_of(previous, reference, exemptions) if previous is not None else None
        return rule_warnings(
            rules,
            current,
            before,
            enterprises_tce=enterprises_tce,
            electricity_used_mwh=electricity_used_mwh,
        )
    except Exception:  # a warning never stands in the way: log it, show nothing
        logger.exception("data-quality warnings failed for park %s, year %s", _park_id(park), year)
        return []


def years_warnings(
    park: Any,
    documents: Mapping[int, Any],
    *,
    enterprises_tce: Mapping[int, Decimal | None] | None = None,
) -> dict[int, list[QualityWarning]]:
    """The warnings of each year in ``documents`` (year → document or None), each against the previous
    year's: the documents given, and the year before the earliest read in one query. A fixed number of
    queries whatever the number of years (rules, reference data, that one previous year); each document is
    evaluated once."""
    years = sorted(y for y, d in documents.items() if d is not None)
    if not years:
        return {}
    try:
        rules = quality_rules()
        if not rules:
            return {year: [] for year in years}
        reference = quality_reference()
        earlier = years[0] - 1
        known = {year: documents[year] for year in years}
        if earlier not in documents:
            known[earlier] = (
                ParkDataset.objects.filter(park_id=_park_id(park), year=earlier)
                .values_list("document", flat=True)
                .first()
            )
        exemptions = park_exemptions(_park_id(park))
        figures = {
            year: figures_of(doc, reference, exemptions) for year, doc in known.items() if doc is not None
        }
        found = {}
        for year in years:
            current = figures.get(year)
            found[year] = (
                rule_warnings(
                    rules,
                    current,
                    figures.get(year - 1),
                    enterprises_tce=(enterprises_tce or {}).get(year),
                )
                if current is not None
                else []
            )
        return found
    except Exception:
        logger.exception("data-quality warnings failed for park %s", _park_id(park))
        return {year: [] for year in years}

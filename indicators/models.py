"""Versioned reference data (factor sets, indicator schemes), park-year datasets and their results.

Factor sets and schemes are immutable documents: a change is a new version that becomes current,
so every stored result can name exactly what it was computed with. Results are append-only too:
a recomputation that changes a result supersedes the old row instead of overwriting it, so
``[computed_at, superseded_at)`` says when each result was the current one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .dataset_labels import DATASET_FIELD_LABELS as DATASET_FIELD_LABELS
from .dataset_labels import DATASET_PART_LABELS as DATASET_PART_LABELS
from .dataset_labels import ROW_FIELD_LABELS as ROW_FIELD_LABELS
from .models_quality import QualityRule, QualityRuleKind, QualitySeverity  # noqa: F401  (models of this app)

# ParkYear: a model of this app, kept in its own module (with the years a dataset may be for).
from .park_years import YEAR_MAX as YEAR_MAX
from .park_years import YEAR_MIN as YEAR_MIN
from .park_years import ParkYear as ParkYear


class GridBasis(models.TextChoices):
    """The grid emission-factor bases of accounting.md §4.3, in its order."""

    NATIONAL_AVERAGE = "national_average", _("National average")
    NATIONAL_EXCL_MARKET = "national_excl_market", _("National, excluding market-traded non-fossil power")
    NATIONAL_FOSSIL = "national_fossil", _("National fossil-fuel power")
    PROVINCIAL = "provincial", _("Jiangxi provincial")


class IndicatorCode(models.TextChoices):
    """The indicators of accounting.md §3, in its table's order."""

    CARBON_PER_ENERGY = "carbon_per_energy", _("Carbon emissions per unit of energy consumed")
    CLEAN_ENERGY_SHARE = "clean_energy_share", _("Clean energy share of consumption")
    PRODUCT_ENERGY_GRADE = "product_energy_grade", _("Products at energy-consumption grade 2 or better")
    SOLID_WASTE_UTILIZATION = "solid_waste_utilization", _("Industrial solid waste utilisation rate")
    WATER_REUSE = "water_reuse", _("Industrial water reuse rate")
    WASTE_ENERGY_UTILIZATION = "waste_energy_utilization", _("Waste heat, cold and pressure utilisation rate")
    CLEAN_TRANSPORT_SHARE = "clean_transport_share", _("Clean freight transport share")
    PUBLIC_NEV_SHARE = "public_nev_share", _("New-energy share of public-service vehicles")
    GREEN_BUILDINGS = "green_buildings", _("Ultra-low-energy, near-zero-energy and high-star green buildings")
    GREEN_POWER_DIRECT_SHARE = "green_power_direct_share", _("Directly supplied green power share")
    OFFSET_SHARE = "offset_share", _("Carbon offset share")


INDICATOR_UNITS: dict[str, str] = {
    IndicatorCode.CARBON_PER_ENERGY: "tCO2/tce",
    IndicatorCode.GREEN_BUILDINGS: "栋",
    **{
        code: "%"
        for code in IndicatorCode.values
        if code not in (IndicatorCode.CARBON_PER_ENERGY, IndicatorCode.GREEN_BUILDINGS)
    },
}


# Every grid basis a result can name (accounting.md §4.4): the method's fixed factor, the by-year
# bases above, and a dataset's own custom factor. Defined once; pages, PDFs and sheets read them here.
# How an indicator stands against its threshold (a result) or its yearly target (the trajectory).
INDICATOR_STATUS_LABELS = {
    "pass": _("Pass"),
    "fail": _("Fail"),
    "no_data": _("No data"),
    "exempt": _("Exempt"),
    "not_applicable": _("Not applicable"),
    "meets": _("Meets the target"),
    "misses": _("Misses the target"),
    "unknown": _("Unknown"),
}


def indicator_status_labels() -> dict[str, str]:
    """The status labels in the active language (for a document's context)."""
    return {status: str(label) for status, label in INDICATOR_STATUS_LABELS.items()}


# The national scheme (national-2025) sits beside the province's own (named by the province's reference
# data: ``selectors.local_scheme_code``); results are computed under both.
NATIONAL_SCHEME = "national-2025"


# A threshold's comparison as printed.
OPERATOR_SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


def op_symbol(op: str) -> str:
    return OPERATOR_SYMBOLS.get(op, op)


GRID_BASIS_LABELS = {
    "national_fossil_fixed": _("National fossil-fuel power, fixed by the method (0.8325)"),
    **dict(GridBasis.choices),
    "custom": _("Custom factor"),
}

# The method settings of accounting.md §5.2 and the two ways electricity counts in the energy total (§2).
METHOD_SETTING_LABELS = {
    "grid_ef_basis": _("Grid emission-factor basis"),
    "electricity_tce_basis": _("Electricity in the energy total"),
    "feedstock_in_energy": _("Feedstock energy counts in comprehensive energy consumption"),
    "certificates_as_green_power": _("Separately bought green certificates count as green power"),
    "renewable_export_at_grid_factor": _(
        "On-site renewable power sent out as ordinary power is deducted at the grid factor"
    ),
}
ELECTRICITY_TCE_BASIS_LABELS = {
    "equivalent": _("Equivalent value (previous year's coal rate)"),
    "calorific": _("Calorific value (0.1229 tce/MWh)"),
}

# The constants of the accounting method (accounting.md §4.1) with their units, as a factor set holds them.
METHOD_CONSTANT_LABELS = {
    "national_fossil_fixed_tco2_per_mwh": (_("National fossil-fuel power factor (fixed)"), "tCO2/MWh"),
    "heat_ef_tco2_per_gj": (_("Fossil heat emission factor (default)"), "tCO2/GJ"),
    "transform_of": (_("Oxidation rate in energy transformation"), ""),
    "heat_tce_per_gj": (_("Heat to standard coal"), "tce/GJ"),
    "electricity_calorific_tce_per_mwh": (_("Electricity to standard coal, calorific value"), "tce/MWh"),
    "tce_gj": (_("Energy of one tonne of standard coal"), "GJ/tce"),
}

# The terms of 附件4 (accounting.md §6, totals.by_source_tco2), in its order.
EMISSION_SOURCE_LABELS = {
    "fuel_use": _("Energy used as fuel"),
    "transform": _("Energy transformation"),
    "electricity": _("Net electricity received"),
    "heat": _("Net heat received"),
    "process": _("Industrial processes"),
}
# A result document of engine v1 named two of the terms otherwise; stored v1 results are read through this.
EMISSION_SOURCE_V1_KEYS = {"fuel": "fuel_use", "conversion": "transform"}

# What an energy row is used for (accounting.md §1, §5.1), in the contract's order.
ENERGY_USE_LABELS = {
    "fuel": _("End use as fuel"),
    "power_heat": _("Own power and heat plants"),
    "transform_in": _("Transformation input"),
    "transform_out": _("Transformation output"),
    "feedstock": _("Feedstock (raw material)"),
    "bunker": _("International bunker fuel"),
}
# The electricity and heat quantities of a dataset (accounting.md §1.4, §1.5), grouped as Annex 1, 1(3)
# reads them: received, supplied by the park itself, sent out, and the certificates (not energy).
ELECTRICITY_RECEIVED_LABELS = {
    "grid": _("Received from the public grid"),
    "green_direct": _("Direct green supply received"),
    "green_trade": _("Green power trading received"),
}
ELECTRICITY_SELF_LABELS = {
    "onsite_renewable": _("On-site renewables consumed on site"),
    "onsite_fossil": _("On-site generation from fuel"),
}
ELECTRICITY_SENT_LABELS = {
    "export": _("Sent out: fuel-fired or passed-on power"),
    "export_renewable": _("Sent out: on-site renewables as ordinary power"),
    "export_green": _("Sent out: on-site renewables with their green attribute"),
}
ELECTRICITY_CERTIFICATE_LABELS = {"certificates": _("Separately bought green certificates")}
ELECTRICITY_LABELS = {
    **ELECTRICITY_RECEIVED_LABELS,
    **ELECTRICITY_SELF_LABELS,
    **ELECTRICITY_SENT_LABELS,
    **ELECTRICITY_CERTIFICATE_LABELS,
}
HEAT_LABELS = {
    "purchased": _("Fossil heat received"),
    "purchased_renewable": _("Renewable heat received"),
    "export": _("Fossil heat sent out"),
    "export_renewable": _("Renewable heat sent out"),
}

# A v1 dataset's use that the upgrade renames (accounting.md §5.3).
ENERGY_USE_V1 = {"conversion": "power_heat"}

# The totals of a result document (accounting.md §6) with their units: pages, PDFs and the export's
# 排放汇总 sheet (indicators.workbook.value_labels reads them in Chinese) name them from here.
TOTAL_LABELS = {
    "energy_tce": (_("Annual comprehensive energy consumption"), "tce"),
    "emissions_gross_tco2": (_("Gross carbon emissions (E park)"), "tCO2"),
    "energy_activity_tco2": (_("of which energy activities (E energy activities)"), "tCO2"),
    "offsets_tco2": (_("CCER offsets"), "tCO2"),
    "emissions_net_tco2": (_("Net emissions"), "tCO2"),
    "bunker_tco2": (_("Listed apart: international bunker fuel emissions"), "tCO2"),
    "certificates_counted_mwh": (_("Green certificates counted as green power"), "MWh"),
}
# Totals a result also holds that the export's sheet does not list.
TOTAL_EXTRA_LABELS = {
    "clean_tce": (_("of which clean energy"), "tce"),
    "electricity_used_mwh": (_("Electricity consumed"), "MWh"),
}

# Units as printed (accounting.md §4.1 and the engine's), by the code a document stores; a unit not
# listed (t, kg, GJ, MWh, tce, tCO2, %) prints as it is written.
UNIT_LABELS = {
    "10^4 t": _("10,000 t"),
    "10^4 Nm3": _("10,000 Nm³"),
    "10^8 Nm3": _("100 million Nm³"),
    "Nm3": "Nm³",
    "m3": "m³",
    "栋": _("buildings"),
    "年": _("years"),
}


def unit_label(unit: str | None) -> str:
    """A unit as a person reads it: 10^4 Nm3 → 万Nm³, 10^4 t → 万吨 (10,000 t in English)."""
    return str(UNIT_LABELS.get(unit or "", unit or ""))


YES_NO_LABELS = {True: _("Yes"), False: _("No")}


def yes_no(value: object) -> str:
    """A setting's true/false as a word (是/否), a missing one as a dash."""
    return "—" if value is None else str(YES_NO_LABELS[bool(value)])


def indicator_name(code: str | None, fallback: str | None = None) -> str:
    """An indicator's name in the active language (a result document holds it in Chinese only)."""
    if code in IndicatorCode.values:
        return str(IndicatorCode(code).label)
    return fallback or code or "—"


# direct_emissions[].kind: the 附件4 term the measured tonnes are added to.
DIRECT_KIND_LABELS = {
    "process": EMISSION_SOURCE_LABELS["process"],
    "conversion": EMISSION_SOURCE_LABELS["transform"],
}


def emission_sources(document: dict | None) -> dict[str, object]:
    """``totals.by_source_tco2`` of a stored result document, v1 keys read as their v2 terms."""
    by_source = ((document or {}).get("totals") or {}).get("by_source_tco2") or {}
    return {EMISSION_SOURCE_V1_KEYS.get(key, key): value for key, value in by_source.items()}


class VersionStatus(models.TextChoices):
    """A version's life: a draft (no computation uses it but its impact preview), then published or discarded."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class VersionedDocument(BaseModel):
    """An immutable version of a reference document; only ``is_current`` changes after creation.

    An edit is a draft first (``status``): never current, so no computation reads it, while its impact
    preview (``impact``, see ``services.impact``) says which stored results it would change; publishing
    makes it current, discarding ends it. Its number is taken when drafted and never reused.
    """

    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.PUBLISHED
    )
    impact = models.JSONField(_("impact preview"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    document = models.JSONField(_("document"))
    is_current = models.BooleanField(_("current"), default=False)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived_versions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_%(class)ss",
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True


class FactorSet(VersionedDocument):
    """One version of a factor-set family (``cn-2026.1``, ``cn-2026.2``, …); never edited once saved.

    ``document`` is the full ``zcpark.factor_set/1`` document with ``name`` set to this version's
    name; only ``is_current`` changes after creation (when a newer version takes over).
    """

    family = models.CharField(_("family"), max_length=32)
    name = models.CharField(_("name"), max_length=48, unique=True)

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("factor set")
        verbose_name_plural = _("factor sets")
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="factor_set_family_version_unique"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="factor_set_one_current_per_family"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="factor_set_version_positive"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(status="draft"), name="factor_set_one_draft_per_family"
            ),
            models.CheckConstraint(
                condition=Q(status="published") | Q(is_current=False), name="factor_set_current_is_published"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def versioned_name(family: str, version: int) -> str:
        return f"{family}.{version}"


class Scheme(VersionedDocument):
    """One version of an indicator scheme (thresholds as data); never edited once saved.

    ``document`` is the ``zcpark.scheme/1`` document; its ``name`` stays the scheme code, which is
    what results report, while ``version`` tells the versions apart.
    """

    code = models.CharField(_("code"), max_length=32)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("indicator scheme")
        verbose_name_plural = _("indicator schemes")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="scheme_one_current_per_code"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="scheme_version_positive"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="draft"), name="scheme_one_draft_per_code"
            ),
            models.CheckConstraint(
                condition=Q(status="published") | Q(is_current=False), name="scheme_current_is_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class ParkDataset(BaseModel):
    """A park's data for one calendar year: the dataset document (accounting.md §5) as submitted.

    Non-integer numbers are stored as strings so that they reach the engine as exact Decimals.
    """

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="datasets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.JSONField(_("document"))
    # The document as it was stored before an upgrade to a newer dataset schema (accounting.md §5.3),
    # kept unchanged; null when the document was stored in the current schema.
    original_document = models.JSONField(_("original document"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_datasets",
    )

    class Meta:
        ordering = ["park_id", "-year"]
        verbose_name = _("park-year dataset")
        verbose_name_plural = _("park-year datasets")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year"],
                name="dataset_one_per_park_year",
                violation_error_message=_("This park already has data for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX),
                name="dataset_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year}"


class IndicatorResultQuerySet(models.QuerySet["IndicatorResult"]):
    def current(self) -> IndicatorResultQuerySet:
        return self.filter(superseded_at__isnull=True)

    def current_at(self, instant) -> IndicatorResultQuerySet:  # type: ignore[no-untyped-def]
        """The rows that were current at ``instant``: computed_at ≤ instant < superseded_at."""
        return self.filter(computed_at__lte=instant).filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__gt=instant)
        )


class IndicatorResult(BaseModel):
    """The engine's answer for one dataset under one scheme: a result document or an errors document.

    Append-only. The current row of a (dataset, scheme) has ``superseded_at`` null; a changed
    recomputation sets the old row's ``superseded_at`` to the new row's ``computed_at``.
    """

    dataset = models.ForeignKey(
        ParkDataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="results"
    )
    scheme_code = models.CharField(_("scheme"), max_length=32)
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    factor_set_name = models.CharField(_("factor set"), max_length=48)
    engine_version = models.CharField(_("engine version"), max_length=32)
    ok = models.BooleanField(_("computed"))
    core_passed = models.BooleanField(_("core indicator passed"), null=True, blank=True)
    document = models.JSONField(_("document"))
    # The numbers lists show and sort on, copied from the document when computed (see result_summary), so
    # that a page of parks reads a few hundred bytes per row instead of whole documents with their traces.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # Set on a current result that a newer engine refused to recompute (e.g. a year the factor set has
    # no coefficient for yet): the result stays current, and these are the newer engine's input errors.
    # The document is never touched; a later successful recomputation supersedes the row as usual.
    not_recomputable_errors = models.JSONField(_("not recomputable: errors"), default=list, blank=True)
    not_recomputable_engine = models.CharField(_("not recomputable under engine"), max_length=32, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = IndicatorResultQuerySet.as_manager()

    class Meta:
        ordering = ["dataset_id", "scheme_code", "-computed_at", "-id"]
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        indexes = [models.Index(fields=["dataset", "scheme_code", "-computed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "scheme_code"],
                condition=Q(superseded_at__isnull=True),
                name="result_one_current_per_dataset_scheme",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True) | Q(superseded_at__gte=F("computed_at")),
                name="result_superseded_after_computed",
            ),
            models.CheckConstraint(
                condition=Q(ok=True) | Q(core_passed__isnull=True), name="result_core_passed_only_when_ok"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.scheme_code} @ {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

"""The plain blocks of the blank form: park and year, method settings, electricity and heat, offsets,
resources and exemptions. Each field names its path in the dataset document (``PATHS``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..engine.dataset import ELECTRICITY_KEYS, HEAT_FACTOR_KEYS, HEAT_KEYS
from ..engine.factors import BOOLEAN_SETTINGS, ELECTRICITY_TCE_BASES, SETTING_DEFAULTS
from ..models import (
    ELECTRICITY_CERTIFICATE_LABELS,
    ELECTRICITY_LABELS,
    ELECTRICITY_RECEIVED_LABELS,
    ELECTRICITY_SELF_LABELS,
    ELECTRICITY_SENT_LABELS,
    GRID_BASIS_LABELS,
    HEAT_LABELS,
    IndicatorCode,
)
from .common import (
    BASIS_CHOICES,
    ELECTRICITY_TCE_LABELS,
    GUIDING_CODES,
    PARK_TYPE_CHOICES,
    SETTING_LABELS,
    YES_NO,
    YES_NO_CHOICES,
    BlockForm,
    Path,
    _count,
    _decimal,
    _setting,
)

# --- the plain blocks ---------------------------------------------------------------------------


class BasicsForm(BlockForm):
    park_name = forms.CharField(label=_("Park name"), required=False, max_length=128)
    park_type = forms.ChoiceField(label=_("Park type"), choices=PARK_TYPE_CHOICES)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=2025)

    PATHS = {"park_name": ("park", "name"), "park_type": ("park", "park_type"), "year": ("year",)}
    GROUPS = [("", ["park_name", "park_type", "year"], 4)]


class MethodForm(BlockForm):
    """The method settings of accounting.md §5.2; each empty choice is the factor set's default."""

    grid_ef_basis = forms.ChoiceField(
        label=_("Grid emission factor basis"), choices=BASIS_CHOICES, required=False
    )
    factor_year = forms.IntegerField(
        label=_("Factor year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only for the by-year bases; leave empty for the latest year that has a factor."),
    )
    grid_ef_tco2_per_mwh = forms.DecimalField(
        label=_("Custom grid factor (tCO2/MWh)"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=6,
        help_text=_("Only with the custom basis."),
    )
    electricity_tce_basis = _setting(
        _("Electricity in the energy total"), list(ELECTRICITY_TCE_LABELS.items())
    )
    feedstock_in_energy = _setting(SETTING_LABELS["feedstock_in_energy"], boolean=True)
    certificates_as_green_power = _setting(SETTING_LABELS["certificates_as_green_power"], boolean=True)
    renewable_export_at_grid_factor = _setting(
        SETTING_LABELS["renewable_export_at_grid_factor"], boolean=True
    )

    PATHS = {
        name: ("method", name)
        for name in (
            "grid_ef_basis",
            "factor_year",
            "grid_ef_tco2_per_mwh",
            "electricity_tce_basis",
            *BOOLEAN_SETTINGS,
        )
    }
    GROUPS = [
        (_("Grid emission factor"), ["grid_ef_basis", "factor_year", "grid_ef_tco2_per_mwh"], 4),
        (_("Energy total and green power"), ["electricity_tce_basis", *BOOLEAN_SETTINGS], 6),
    ]

    def __init__(self, *args: Any, defaults: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = {**SETTING_DEFAULTS, **{k: v for k, v in (defaults or {}).items() if v is not None}}

        def default_choice(value: Any, labels: Mapping[Any, Any]) -> tuple[str, str]:
            label = labels.get(value, value)
            return ("", gettext("Default of the factor set (%(value)s)") % {"value": label})

        self.fields["grid_ef_basis"].choices = [
            default_choice(defaults["grid_ef_basis"], GRID_BASIS_LABELS),
            *GRID_BASIS_LABELS.items(),
        ]
        self.fields["electricity_tce_basis"].choices = [
            default_choice(defaults["electricity_tce_basis"], ELECTRICITY_TCE_LABELS),
            *((code, ELECTRICITY_TCE_LABELS[code]) for code in ELECTRICITY_TCE_BASES),
        ]
        for name in BOOLEAN_SETTINGS:
            self.fields[name].choices = [default_choice(bool(defaults[name]), YES_NO), *YES_NO_CHOICES]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        custom = data.get("grid_ef_basis") == "custom"
        if custom and data.get("grid_ef_tco2_per_mwh") is None:
            self.add_error("grid_ef_tco2_per_mwh", _("A custom basis needs its factor."))
        if not custom and data.get("grid_ef_tco2_per_mwh") is not None:
            self.add_error(
                "grid_ef_tco2_per_mwh", _("Choose the custom basis to use this factor, or clear it.")
            )
        return data


class SupplyForm(BlockForm):
    """electricity_mwh (nine quantities, §1.4) and heat_gj (four quantities and two factors, §1.5)."""

    PATHS = {
        **{f"el_{key}": ("electricity_mwh", key) for key in ELECTRICITY_KEYS},
        **{f"heat_{key}": ("heat_gj", key) for key in (*HEAT_KEYS, *HEAT_FACTOR_KEYS)},
    }
    GROUPS = [
        (_("Electricity received"), [f"el_{key}" for key in ELECTRICITY_RECEIVED_LABELS], 4),
        (
            _("Electricity generated and used in the park"),
            [f"el_{key}" for key in ELECTRICITY_SELF_LABELS],
            4,
        ),
        (_("Electricity sent out"), [f"el_{key}" for key in ELECTRICITY_SENT_LABELS], 4),
        (_("Green certificates"), [f"el_{key}" for key in ELECTRICITY_CERTIFICATE_LABELS], 4),
        (_("Heat"), [f"heat_{key}" for key in HEAT_KEYS], 3),
        (_("Heat emission factors"), [f"heat_{key}" for key in HEAT_FACTOR_KEYS], 6),
    ]


SupplyForm.base_fields.update(
    {
        **{
            f"el_{key}": _decimal(format_lazy("{} (MWh)", ELECTRICITY_LABELS[key]))
            for key in ELECTRICITY_KEYS
        },
        **{f"heat_{key}": _decimal(format_lazy("{} (GJ)", HEAT_LABELS[key])) for key in HEAT_KEYS},
        "heat_purchased_ef_tco2_per_gj": _decimal(
            _("Emission factor of the heat received (tCO2/GJ)"),
            _("Measured value; leave empty for the default 0.11."),
        ),
        "heat_export_ef_tco2_per_gj": _decimal(
            _("Emission factor of the heat sent out (tCO2/GJ)"),
            _("Measured value; leave empty for the default 0.11."),
        ),
    }
)
SupplyForm.base_fields["el_onsite_renewable"].help_text = _(
    "Only what the park uses itself; renewable power sent out goes under “sent out”."
)
SupplyForm.base_fields["el_certificates"].help_text = _(
    "Certificates bought without the power; they are not energy."
)


class OffsetsForm(BlockForm):
    ccer = _decimal(_("CCER offsets (tCO2)"))

    PATHS = {"ccer": ("offsets_tco2", "ccer")}
    GROUPS = [("", ["ccer"], 4)]


# resources (§5): each sub-block is created by its first filled field, so an empty one stays absent.
RESOURCE_FIELDS: list[tuple[Any, list[tuple[str, Path, Any, bool]]]] = [
    (
        IndicatorCode.SOLID_WASTE_UTILIZATION.label,
        [
            ("generated", ("solid_waste_t", "generated"), _("Industrial solid waste generated (t)"), False),
            ("utilized", ("solid_waste_t", "utilized"), _("Industrial solid waste utilised (t)"), False),
            (
                "from_storage",
                ("solid_waste_t", "utilized_from_storage"),
                _("Utilised from earlier years' storage (t)"),
                False,
            ),
        ],
    ),
    (
        IndicatorCode.WATER_REUSE.label,
        [
            ("fresh_intake", ("water_m3", "fresh_intake"), _("Fresh water intake (m³)"), False),
            ("reused", ("water_m3", "reused"), _("Water reused (m³)"), False),
        ],
    ),
    (
        IndicatorCode.WASTE_ENERGY_UTILIZATION.label,
        [
            (
                "heat_recoverable",
                ("waste_energy_tce", "heat", "recoverable"),
                _("Waste heat recoverable (tce)"),
                False,
            ),
            (
                "heat_utilized",
                ("waste_energy_tce", "heat", "utilized"),
                _("Waste heat utilised (tce)"),
                False,
            ),
            (
                "cold_recoverable",
                ("waste_energy_tce", "cold", "recoverable"),
                _("Waste cold recoverable (tce)"),
                False,
            ),
            (
                "cold_utilized",
                ("waste_energy_tce", "cold", "utilized"),
                _("Waste cold utilised (tce)"),
                False,
            ),
            (
                "pressure_recoverable",
                ("waste_energy_tce", "pressure", "recoverable"),
                _("Waste pressure recoverable (tce)"),
                False,
            ),
            (
                "pressure_utilized",
                ("waste_energy_tce", "pressure", "utilized"),
                _("Waste pressure utilised (tce)"),
                False,
            ),
        ],
    ),
    (
        IndicatorCode.CLEAN_TRANSPORT_SHARE.label,
        [
            ("freight_clean", ("freight_t", "clean"), _("Freight carried by clean transport (t)"), False),
            ("freight_total", ("freight_t", "total"), _("Freight in total (t)"), False),
        ],
    ),
    (
        IndicatorCode.PUBLIC_NEV_SHARE.label,
        [
            (
                "vehicles_new_energy",
                ("public_vehicles", "new_energy"),
                _("New-energy public-service vehicles"),
                True,
            ),
            ("vehicles_total", ("public_vehicles", "total"), _("Public-service vehicles in total"), True),
        ],
    ),
    (
        IndicatorCode.GREEN_BUILDINGS.label,
        [
            (
                "green_buildings",
                ("green_buildings",),
                _("Number of buildings"),
                True,
            )
        ],
    ),
]


class ResourcesForm(BlockForm):
    """The resources block without its products (a formset of its own)."""

    PATHS = {
        f"res_{name}": ("resources", *path)
        for _title, items in RESOURCE_FIELDS
        for name, path, _l, _c in items
    }
    GROUPS = [
        (title, [f"res_{name}" for name, _p, _l, _c in items], 4 if len(items) == 3 else 6)
        for title, items in RESOURCE_FIELDS
    ]


ResourcesForm.base_fields.update(
    {
        f"res_{name}": _count(label) if count else _decimal(label)
        for _title, items in RESOURCE_FIELDS
        for name, _path, label, count in items
    }
)


class ExemptionsForm(BlockForm):
    """A reason for a guiding indicator exempts it (accounting.md §3); the core indicator cannot be."""

    PATHS = {f"exempt_{code}": ("exemptions", code) for code in GUIDING_CODES}
    GROUPS = [("", [f"exempt_{code}" for code in GUIDING_CODES], 6)]


ExemptionsForm.base_fields.update(
    {
        f"exempt_{code}": forms.CharField(
            label=IndicatorCode(code).label,
            required=False,
            max_length=500,
            widget=forms.TextInput(
                attrs={"placeholder": _("Reason for the exemption (empty: not exempted)")}
            ),
        )
        for code in GUIDING_CODES
    }
)

"""Forms of the calculator page: upload a file, paste JSON, or fill a blank dataset form.

The blank form covers every block of a ``zcpark.dataset/2`` document (docs/accounting.md §5): one
form or formset per block, bundled by ``DatasetForms``, which also writes the document. Plain
forms name the document path of each field (``PATHS``), so that the document, and the place on the
page of every engine error, follow from one table; a field left empty leaves its key out, and a
block (or resources sub-block) with nothing filled in is left out altogether (absent = no data).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from .engine.dataset import CORE_CODE, DATASET_SCHEMA, ELECTRICITY_KEYS, HEAT_FACTOR_KEYS, HEAT_KEYS, UNITS
from .engine.factors import BOOLEAN_SETTINGS, ELECTRICITY_TCE_BASES, SETTING_DEFAULTS
from .models import (
    ELECTRICITY_CERTIFICATE_LABELS,
    ELECTRICITY_LABELS,
    ELECTRICITY_RECEIVED_LABELS,
    ELECTRICITY_SELF_LABELS,
    ELECTRICITY_SENT_LABELS,
    EMISSION_SOURCE_LABELS,
    ENERGY_USE_LABELS,
    GRID_BASIS_LABELS,
    HEAT_LABELS,
    IndicatorCode,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
USE_CHOICES = list(ENERGY_USE_LABELS.items())
BASIS_CHOICES = [
    ("", _("Default of the factor set")),
    *((code, label) for code, label in GRID_BASIS_LABELS.items()),
]
PARK_TYPE_CHOICES = [("non_chemical", _("Non-chemical park")), ("chemical", _("Chemical park"))]
ELECTRICITY_TCE_LABELS = {
    "equivalent": _("Equivalent value (previous year's coal rate)"),
    "calorific": _("Calorific value (0.1229 tce/MWh)"),
}
SETTING_LABELS = {
    "feedstock_in_energy": _("Feedstock energy counts in comprehensive energy consumption"),
    "certificates_as_green_power": _("Separately bought green certificates count as green power"),
    "renewable_export_at_grid_factor": _(
        "On-site renewable power sent out as ordinary power is deducted at the grid factor"
    ),
}
YES_NO = {True: _("Yes"), False: _("No")}
YES_NO_CHOICES = [("true", YES_NO[True]), ("false", YES_NO[False])]
# direct_emissions[].kind (§1.2, §1.6): the 附件4 term the measured tonnes are added to.
DIRECT_KIND_CHOICES = [
    ("process", EMISSION_SOURCE_LABELS["process"]),
    ("conversion", EMISSION_SOURCE_LABELS["transform"]),
]
GUIDING_CODES = [code for code in IndicatorCode.values if code != CORE_CODE]
EMPTY = (None, "")

Path = tuple[str, ...]


class SchemeForm(BootstrapFormMixin, forms.Form):
    scheme = forms.ChoiceField(label=_("Indicator scheme"), choices=())

    def __init__(self, *args: Any, schemes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(code, code) for code in schemes]


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Dataset file"),
        help_text=_("The Excel template filled in (.xlsx) or a dataset document (.json), at most 20 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".json")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a JSON file (.json)."))
        return upload


class PasteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Dataset document (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
    )


# --- building blocks ----------------------------------------------------------------------------


def _decimal(label: Any, help_text: Any = "") -> forms.DecimalField:
    """A quantity ≥ 0, read as Decimal (never float); the document gets it as a string."""
    return forms.DecimalField(label=label, required=False, min_value=Decimal(0), help_text=help_text)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0)


def _is_true(value: str) -> bool:
    return value == "true"


def _setting(label: Any, choices: Iterable[tuple[Any, Any]] = (), *, boolean: bool = False) -> forms.Field:
    """A method setting: the empty choice (relabelled with the factor set's default) leaves the key out."""
    if boolean:
        choices = YES_NO_CHOICES
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", _("Default of the factor set")), *choices],
        coerce=_is_true if boolean else str,
        empty_value=None,
    )


def _json_value(value: Any) -> Any:
    """A cleaned value as the document holds it: numbers as strings, counts and booleans as JSON."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def _put(document: dict[str, Any], path: Path, value: Any) -> None:
    node = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _dotted(path: Path) -> str:
    return ".".join(path)


@dataclass
class Group:
    """Fields shown together under a small heading; ``width`` is their Bootstrap column width."""

    title: Any
    fields: list[forms.BoundField]
    width: int = 4


class BlockForm(BootstrapFormMixin, forms.Form):
    """A form whose fields are document paths (``PATHS``), shown in ``GROUPS`` of field names."""

    PATHS: dict[str, Path] = {}
    GROUPS: list[tuple[Any, list[str], int]] = []

    def groups(self) -> list[Group]:
        return [Group(title, [self[name] for name in names], width) for title, names, width in self.GROUPS]

    def put_into(self, document: dict[str, Any]) -> None:
        for name, path in self.PATHS.items():
            value = self.cleaned_data.get(name)
            if value not in EMPTY:
                _put(document, path, _json_value(value))

    def places(self) -> dict[str, str]:
        """Document path → the label of its field, for engine errors."""
        return {_dotted(path): str(self.fields[name].label) for name, path in self.PATHS.items()}


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


# --- the row blocks -----------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a list block: empty, or with every ``REQUIRED`` field (else refused, naming the row)."""

    KEYS: dict[str, str] = {}  # field name → key of the row object in the document
    REQUIRED: tuple[str, ...] = ()
    INCOMPLETE: Any = ""
    WIDTHS: dict[str, str] = {}  # field name → the least width of its column

    def __init__(self, *args: Any, row: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        for name, form_field in self.fields.items():
            form_field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(form_field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            form_field.widget.attrs["aria-label"] = str(form_field.label)
            if name in self.WIDTHS:
                form_field.widget.attrs["style"] = f"min-width: {self.WIDTHS[name]}"
            if name in self.REQUIRED:
                form_field.widget.attrs["data-required"] = "1"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [name for name in self.fields if data.get(name) not in EMPTY]
        missing = [name for name in self.REQUIRED if data.get(name) in EMPTY and name not in self.errors]
        if filled and missing:
            raise forms.ValidationError(
                gettext("Row %(row)s: %(error)s") % {"row": self.row, "error": self.INCOMPLETE}
            )
        return data

    def is_filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) not in EMPTY for name in self.fields)

    def row_document(self) -> dict[str, Any]:
        return {
            key: _json_value(self.cleaned_data[name])
            for name, key in self.KEYS.items()
            if self.cleaned_data.get(name) not in EMPTY
        }


class RowFormSet(forms.BaseFormSet):
    """Rows know their number (1-based) to name themselves in their messages."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["row"] = None if index is None else index + 1
        return kwargs

    def filled_forms(self) -> list[RowForm]:
        return [form for form in self.forms if form.is_filled()]


class EnergyRowForm(RowForm):
    carrier = forms.ChoiceField(label=_("Carrier"), required=False, choices=())
    quantity = forms.DecimalField(label=_("Quantity"), required=False, min_value=Decimal(0))
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[("", "—")] + [(u, u) for u in UNITS])
    use = forms.ChoiceField(label=_("Use"), required=False, choices=[("", "—"), *USE_CHOICES])
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=128)
    ncv = forms.DecimalField(label=_("Measured NCV (GJ per base unit)"), required=False, min_value=Decimal(0))
    cc = forms.DecimalField(label=_("Measured CC (tC/GJ)"), required=False, min_value=Decimal(0))
    of = forms.DecimalField(label=_("Measured OF (0–1)"), required=False, min_value=Decimal(0))

    KEYS = {name: name for name in ("carrier", "quantity", "unit", "use", "enterprise", "ncv", "cc", "of")}
    REQUIRED = ("carrier", "quantity", "unit", "use")
    INCOMPLETE = _("Fill carrier, quantity, unit and use, or leave the row empty.")
    WIDTHS = {
        "carrier": "10rem",
        "quantity": "6.5rem",
        "unit": "8rem",
        "use": "13rem",
        "enterprise": "7rem",
        "ncv": "6rem",
        "cc": "6rem",
        "of": "5rem",
    }

    def __init__(self, *args: Any, carriers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [("", "—"), *carriers]


class ProcessRowForm(RowForm):
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    quantity_t = forms.DecimalField(label=_("Output (t)"), required=False, min_value=Decimal(0))
    ef_tco2_per_t = forms.DecimalField(
        label=_("Emission factor (tCO2/t)"), required=False, min_value=Decimal(0)
    )
    basis = forms.CharField(label=_("Basis of the factor"), required=False, max_length=1000)
    enterprise = forms.CharField(label=_("Enterprise"), required=False, max_length=128)

    KEYS = {name: name for name in ("product", "quantity_t", "ef_tco2_per_t", "basis", "enterprise")}
    REQUIRED = ("product", "quantity_t", "ef_tco2_per_t", "basis")
    INCOMPLETE = _("Fill product, output, emission factor and basis, or leave the row empty.")
    WIDTHS = {
        "product": "10rem",
        "quantity_t": "7rem",
        "ef_tco2_per_t": "7rem",
        "basis": "16rem",
        "enterprise": "8rem",
    }


class DirectEmissionRowForm(RowForm):
    kind = forms.ChoiceField(
        label=_("Counted under"), required=False, choices=[("", "—"), *DIRECT_KIND_CHOICES]
    )
    source = forms.CharField(label=_("Emission source"), required=False, max_length=200)
    tco2 = forms.DecimalField(label=_("CO2 emitted (tCO2)"), required=False, min_value=Decimal(0))

    KEYS = {"kind": "kind", "source": "source", "tco2": "tco2"}
    REQUIRED = ("kind", "tco2")
    INCOMPLETE = _("Fill the term it is counted under and the CO2 emitted, or leave the row empty.")
    WIDTHS = {"kind": "12rem", "source": "16rem", "tco2": "8rem"}


class ProductRowForm(RowForm):
    name = forms.CharField(label=_("Product"), required=False, max_length=200)
    standard = forms.CharField(label=_("Energy consumption limit standard"), required=False, max_length=200)
    value = forms.DecimalField(
        label=_("Energy use per unit of product"), required=False, min_value=Decimal(0)
    )
    grade2_limit = forms.DecimalField(label=_("Grade 2 limit"), required=False, min_value=Decimal(0))

    KEYS = {"name": "name", "standard": "standard", "value": "value", "grade2_limit": "grade2_limit"}
    REQUIRED = ("name", "value", "grade2_limit")
    INCOMPLETE = _("Fill product, energy use per unit and grade 2 limit, or leave the row empty.")
    WIDTHS = {"name": "10rem", "standard": "10rem", "value": "8rem", "grade2_limit": "8rem"}


EnergyFormSet = forms.formset_factory(EnergyRowForm, formset=RowFormSet, extra=6, max_num=200)
ProcessFormSet = forms.formset_factory(ProcessRowForm, formset=RowFormSet, extra=2, max_num=200)
DirectEmissionFormSet = forms.formset_factory(DirectEmissionRowForm, formset=RowFormSet, extra=2, max_num=200)
ProductFormSet = forms.formset_factory(ProductRowForm, formset=RowFormSet, extra=3, max_num=200)


# --- the whole blank form -----------------------------------------------------------------------


@dataclass
class Table:
    """A formset shown as a table; ``path`` is its list in the document."""

    formset: RowFormSet
    path: Path
    title: Any = ""

    @property
    def prefix(self) -> str:
        return self.formset.prefix

    @property
    def headers(self) -> list[Any]:
        form = self.formset.empty_form
        return [(form_field.label, name in form.REQUIRED) for name, form_field in form.fields.items()]


@dataclass
class Section:
    key: str
    title: Any
    hint: Any = ""
    forms: list[BlockForm] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    blocks: tuple[str, ...] = ()  # the document's blocks this section fills, for engine errors
    default_open: bool = False
    bound: bool = False

    def parts(self) -> list[Any]:
        return [*self.forms, *(table.formset for table in self.tables)]

    @property
    def has_errors(self) -> bool:
        return self.bound and any(_has_errors(part) for part in self.parts())

    @property
    def open(self) -> bool:
        if not self.bound:
            return self.default_open
        return self.key == "basics" or self.has_errors or any(part.has_changed() for part in self.parts())


def _has_errors(part: Any) -> bool:
    if isinstance(part, forms.BaseFormSet):
        return bool(part.non_form_errors()) or any(form.errors for form in part.forms)
    return bool(part.errors)


def _with_management_forms(data: Any, prefixes: Iterable[str]) -> Any:
    """``data`` with an empty table for each formset it has no management form of (a post from a
    script or an older page), instead of refusing the whole form."""
    missing = [prefix for prefix in prefixes if f"{prefix}-TOTAL_FORMS" not in data]
    if not missing:
        return data
    data = data.copy()
    for prefix in missing:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


class DatasetForms:
    """The blank form: one form or formset per block of a ``zcpark.dataset/2`` document, in sections."""

    def __init__(
        self,
        data: Any = None,
        *,
        carriers: list[tuple[str, str]],
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        self.bound = data is not None
        if data is not None:
            data = _with_management_forms(data, ("form", "process", "direct", "product"))
        self.basics = BasicsForm(data)
        self.method = MethodForm(data, defaults=defaults)
        # The energy rows keep Django's default prefix ("form-0-carrier"), as before.
        self.energy = EnergyFormSet(data, form_kwargs={"carriers": carriers})
        self.supply = SupplyForm(data)
        self.process = ProcessFormSet(data, prefix="process")
        self.direct = DirectEmissionFormSet(data, prefix="direct")
        self.offsets = OffsetsForm(data)
        self.resources = ResourcesForm(data)
        self.products = ProductFormSet(data, prefix="product")
        self.exemptions = ExemptionsForm(data)
        self.energy_table = Table(self.energy, ("energy",))
        self.process_table = Table(self.process, ("process",))
        self.direct_table = Table(self.direct, ("direct_emissions",))
        self.products_table = Table(
            self.products, ("resources", "products"), IndicatorCode.PRODUCT_ENERGY_GRADE.label
        )
        self.sections = [
            Section("basics", _("Park and year"), forms=[self.basics], blocks=("park",), default_open=True),
            Section(
                "method",
                _("Accounting method settings"),
                _("Leave these at the defaults of the factor set unless the province has decided otherwise."),
                forms=[self.method],
                blocks=("method",),
            ),
            Section(
                "energy",
                _("Energy consumption"),
                _(
                    "One row per carrier and use. The measured NCV, CC and OF are optional: "
                    "empty means the default of the factor set."
                ),
                tables=[self.energy_table],
                default_open=True,
            ),
            Section(
                "supply",
                _("Electricity and heat"),
                forms=[self.supply],
                blocks=("electricity_mwh", "heat_gj"),
                default_open=True,
            ),
            Section(
                "process",
                _("Industrial processes"),
                _(
                    "Output is the qualified output (sold plus own use); the basis says where the factor "
                    "comes from, e.g. a mass balance and its reference coefficients."
                ),
                tables=[self.process_table],
            ),
            Section(
                "direct",
                _("Emissions computed outside the system"),
                _(
                    "Measured or mass-balance results in tCO2, added to industrial processes or to energy "
                    "transformation (e.g. coke burn-off in catalytic cracking)."
                ),
                tables=[self.direct_table],
            ),
            Section("offsets", _("Carbon offsets"), forms=[self.offsets], blocks=("offsets_tco2",)),
            Section(
                "resources",
                _("Resources, transport and buildings"),
                _("Fill only what you have data for: a part left empty counts as no data for its indicator."),
                forms=[self.resources],
                tables=[self.products_table],
                blocks=("resources",),
            ),
            Section(
                "exemptions",
                _("Exemptions"),
                _("A guiding indicator with a reason is exempt; the core indicator cannot be exempted."),
                forms=[self.exemptions],
                blocks=("exemptions",),
            ),
        ]
        for section in self.sections:
            section.bound = self.bound

    def parts(self) -> list[Any]:
        return [part for section in self.sections for part in section.parts()]

    def is_valid(self) -> bool:
        results = [part.is_valid() for part in self.parts()]  # every part, so every error shows
        return all(results)

    def document(self) -> dict[str, Any]:
        """The dataset document the valid forms describe (numbers as strings, as the contract allows)."""
        document: dict[str, Any] = {"schema": DATASET_SCHEMA}
        self.basics.put_into(document)
        self.method.put_into(document)
        document["energy"] = [form.row_document() for form in self.energy.filled_forms()]
        self.supply.put_into(document)
        for table in (self.process_table, self.direct_table):
            rows = [form.row_document() for form in table.formset.filled_forms()]
            if rows:
                _put(document, table.path, rows)
        self.offsets.put_into(document)
        self.resources.put_into(document)
        products = [form.row_document() for form in self.products.filled_forms()]
        if products:
            _put(document, self.products_table.path, products)
        self.exemptions.put_into(document)
        return document

    def places(self) -> dict[str, str]:
        """Document path → where it is on the form (field label; table, row and column for rows)."""
        places: dict[str, str] = {}
        for section in self.sections:
            for form in section.forms:
                places.update(form.places())
            for table in section.tables:
                places[_dotted(table.path)] = str(table.title or section.title)
                for i, form in enumerate(table.formset.filled_forms()):
                    where = {
                        "table": table.title or section.title,
                        "row": gettext("row %(n)s") % {"n": form.row},
                    }
                    row_path = f"{_dotted(table.path)}[{i}]"
                    places[row_path] = gettext("%(table)s, %(row)s") % where
                    for name, key in form.KEYS.items():
                        places[f"{row_path}.{key}"] = gettext("%(table)s, %(row)s, %(column)s") % {
                            **where,
                            "column": form.fields[name].label,
                        }
            for block in section.blocks:
                places.setdefault(block, str(section.title))
        return places

    def where(self, path: str) -> str:
        """Where on the form an engine error's path is: its own place or that of its nearest block."""
        places = self.places()
        while path:
            if path in places:
                return places[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return ""

    def problems(self) -> list[tuple[str, str]]:
        """(where, message) of every form error, for the list above the sections."""
        if not self.bound:
            return []
        found: list[tuple[str, str]] = []
        for section in self.sections:
            for form in section.forms:
                found += [("", str(e)) for e in form.non_field_errors()]
                for name, errors in form.errors.items():
                    if name in form.fields:
                        found += [(str(form.fields[name].label), str(e)) for e in errors]
            for table in section.tables:
                title = str(table.title or section.title)
                found += [(title, str(e)) for e in table.formset.non_form_errors()]
                for row in table.formset.forms:
                    found += [(title, str(e)) for e in row.non_field_errors()]
                    for name, errors in row.errors.items():
                        if name in row.fields:
                            where = gettext("%(table)s, %(row)s, %(column)s") % {
                                "table": title,
                                "row": gettext("row %(n)s") % {"n": row.row},
                                "column": row.fields[name].label,
                            }
                            found += [(where, str(e)) for e in errors]
        return found

"""The whole blank form: its sections and tables, and ``DatasetForms``, which validates every block and
writes the ``zcpark.dataset/2`` document (and places engine errors back on the form)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..engine.dataset import DATASET_SCHEMA
from ..models import (
    IndicatorCode,
)
from .blocks import (
    BasicsForm,
    ExemptionsForm,
    MethodForm,
    OffsetsForm,
    ResourcesForm,
    SupplyForm,
)
from .common import (
    BlockForm,
    Path,
    _dotted,
    _put,
)
from .rows import (
    DirectEmissionFormSet,
    EnergyFormSet,
    ProcessFormSet,
    ProductFormSet,
    RowFormSet,
)

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

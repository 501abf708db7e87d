"""What an upload may say: carriers, units and drop-down values, with the spellings the reader accepts.

Built once per upload from the factor-set document, labels.py and the template version of the
upload; each lookup maps a cell's text (normalised by ``cells.lookup_key`` or ``labels.unit_key``)
to its code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import labels as L
from .cells import BAD, BLANK, Cell, cell_text, is_blank, lookup, lookup_key
from .method import required_parameters
from .template import grid_bases


@dataclass(frozen=True)
class Vocabulary:
    """The carriers of one factor set and every code → spelling table the reader looks values up in."""

    set_name: str
    set_title: str  # what messages name the factor set by
    layout: L.Layout  # the template version being read
    carriers: dict[str, Mapping[str, Any]]  # code → factor-set carrier row
    allowed_units: dict[str, frozenset[str]]  # carrier code → units of its base dimension
    # carrier code → use code → measured parameters a row must give (no default in the factor set)
    required_params: dict[str, dict[str, tuple[str, ...]]]
    carrier_lookup: dict[str, str]
    unit_lookup: dict[str, str]
    use_lookup: dict[str, str]
    kind_lookup: dict[str, str]
    park_type_lookup: dict[str, str]
    basis_lookup: dict[str, str]
    tce_basis_lookup: dict[str, str]
    indicator_lookup: dict[str, str]

    def carrier_code(self, value: Cell) -> Any:
        """The carrier code of a cell: BLANK, BAD when unknown."""
        return _code(self.carrier_lookup, lookup_key, value)

    def unit_code(self, value: Cell) -> Any:
        """The unit of a cell: BLANK, BAD when unknown."""
        return _code(self.unit_lookup, L.unit_key, value)

    def use_code(self, value: Cell) -> Any:
        """The use code of a cell: BLANK, BAD when unknown."""
        return _code(self.use_lookup, lookup_key, value)


def vocabulary(factor_set: Mapping[str, Any], layout: L.Layout = L.LAYOUT) -> Vocabulary:
    """The vocabulary of an upload of template ``layout`` checked against ``factor_set``.

    A v2 upload takes the v2 uses (codes, labels and ``labels.USE_ALIASES``); a v1 upload the v1
    uses only, so 加工转换 (conversion) means power_heat there (after the engine's upgrade) and is
    an error in a v2 upload.
    """
    carriers = list(factor_set.get("carriers", []))
    short_names = [row["name"].split("（")[0].split("(")[0] for row in carriers]
    allowed_units = {}
    for row in carriers:
        dimension = L.UNIT_DIMENSION.get(row.get("base_unit", ""))
        allowed_units[row["code"]] = frozenset(
            unit for unit in L.UNITS if dimension is None or L.UNIT_DIMENSION[unit] == dimension
        )
    # Codes and drop-down labels win over another spelling of the same text.
    uses = _codes_and_labels(layout.uses)
    bases = _codes_and_labels(grid_bases(factor_set))
    if layout.version == L.TEMPLATE_VERSION:
        uses = lookup(L.USE_ALIASES.items()) | uses
    else:
        bases = lookup(L.GRID_BASIS_ALIASES_V1.items()) | bases
    return Vocabulary(
        set_name=str(factor_set.get("name", "")),
        set_title=str(factor_set.get("title") or factor_set.get("name", "")),
        layout=layout,
        carriers={row["code"]: row for row in carriers},
        allowed_units=allowed_units,
        required_params={
            row["code"]: {use: required_parameters(row, use) for use in layout.uses} for row in carriers
        },
        carrier_lookup=lookup(
            [(row["name"], row["code"]) for row in carriers]
            + [(row["code"], row["code"]) for row in carriers]
            + [
                (short, row["code"])
                for short, row in zip(short_names, carriers, strict=True)
                if short_names.count(short) == 1
            ]
        ),
        unit_lookup={L.unit_key(unit): unit for unit in L.UNITS}
        | L.UNIT_ALIASES
        | {L.unit_key(label): unit for label, unit in L.unit_spellings().items()},
        use_lookup=uses,
        kind_lookup=_codes_and_labels(L.DIRECT_KINDS),
        park_type_lookup=_codes_and_labels(L.PARK_TYPES),
        basis_lookup=bases,
        tce_basis_lookup=_codes_and_labels(L.TCE_BASES),
        indicator_lookup=_codes_and_labels(L.INDICATOR_NAMES),
    )


def _code(table: Mapping[str, str], key: Callable[[str], str], value: Cell) -> Any:
    if is_blank(value):
        return BLANK
    return table.get(key(cell_text(value)), BAD)


def _codes_and_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """A lookup accepting each code and its Chinese label; codes win over a label spelled the same."""
    return lookup([*((code, code) for code in labels), *((label, code) for code, label in labels.items())])

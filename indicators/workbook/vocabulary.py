"""What an upload may say: carriers, units and drop-down values, with the spellings the reader accepts.

Built once per upload from the factor-set document and labels.py; each lookup maps a cell's text
(normalised by ``cells.lookup_key`` or ``labels.unit_key``) to its code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import labels as L
from .cells import BAD, BLANK, Cell, cell_text, is_blank, lookup, lookup_key
from .template import grid_bases, required_parameters


@dataclass(frozen=True)
class Vocabulary:
    """The carriers of one factor set and every code → spelling table the reader looks values up in."""

    set_name: str
    carriers: dict[str, Mapping[str, Any]]  # code → factor-set carrier row
    allowed_units: dict[str, frozenset[str]]  # carrier code → units of its base dimension
    required_params: dict[str, tuple[str, ...]]  # carrier code → measured parameters it must give
    carrier_lookup: dict[str, str]
    unit_lookup: dict[str, str]
    use_lookup: dict[str, str]
    kind_lookup: dict[str, str]
    park_type_lookup: dict[str, str]
    basis_lookup: dict[str, str]
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


def vocabulary(factor_set: Mapping[str, Any]) -> Vocabulary:
    """The vocabulary of an upload checked against ``factor_set``."""
    carriers = list(factor_set.get("carriers", []))
    short_names = [row["name"].split("（")[0].split("(")[0] for row in carriers]
    allowed_units = {}
    for row in carriers:
        dimension = L.UNIT_DIMENSION.get(row.get("base_unit", ""))
        allowed_units[row["code"]] = frozenset(
            unit for unit in L.UNITS if dimension is None or L.UNIT_DIMENSION[unit] == dimension
        )
    return Vocabulary(
        set_name=str(factor_set.get("name", "")),
        carriers={row["code"]: row for row in carriers},
        allowed_units=allowed_units,
        required_params={row["code"]: required_parameters(row) for row in carriers},
        carrier_lookup=lookup(
            [(row["name"], row["code"]) for row in carriers]
            + [(row["code"], row["code"]) for row in carriers]
            + [
                (short, row["code"])
                for short, row in zip(short_names, carriers, strict=True)
                if short_names.count(short) == 1
            ]
        ),
        unit_lookup={L.unit_key(unit): unit for unit in L.UNITS} | L.UNIT_ALIASES,
        use_lookup=_codes_and_labels(L.USES),
        kind_lookup=_codes_and_labels(L.DIRECT_KINDS),
        park_type_lookup=_codes_and_labels(L.PARK_TYPES),
        basis_lookup=_codes_and_labels(grid_bases(factor_set)),
        indicator_lookup=_codes_and_labels(L.INDICATOR_NAMES),
    )


def _code(table: Mapping[str, str], key: Callable[[str], str], value: Cell) -> Any:
    if is_blank(value):
        return BLANK
    return table.get(key(cell_text(value)), BAD)


def _codes_and_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """A lookup accepting each code and its Chinese label; codes win over a label spelled the same."""
    return lookup([*((code, code) for code in labels), *((label, code) for code, label in labels.items())])

"""Reading the 能源消费 sheet: validate every row, then sum rows that describe the same consumption.

This is the hot path of an upload (hundreds of thousands of rows, ≥ 20,000 rows/s in
bench/excel_upload.py), so the row loop is written for speed: each distinct cell value is looked up
once and cached, and a row's fields are checked inline rather than through per-field calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal, localcontext
from typing import Any

from django.utils.translation import gettext as _

from . import labels as L
from .cells import (
    BAD,
    BLANK,
    SUM_PRECISION,
    Cell,
    cell_text,
    column_letter,
    field_names,
    float_text,
    is_blank,
    lookup_key,
    month_number,
    number_text,
    shown,
    sum_text,
)
from .checks import Checker
from .locate import Locator, column_letters
from .vocabulary import Vocabulary

SHEET = L.SHEET_ENERGY


def read_energy(
    rows: Iterable[list[Cell]], check: Checker, vocab: Vocabulary, locator: Locator
) -> tuple[list[dict[str, Any]], int]:
    """(energy entries, non-blank rows read); an entry per enterprise, carrier, unit, use and NCV/CC/OF.

    Rows that agree on all of those are summed exactly (months collapse), in first-appearance order.
    ``locator`` learns the sheet row of the first row summed into each entry (``energy[i]``).
    """
    iterator: Iterator[list[Cell]] = iter(rows)
    columns = check.map_columns(SHEET, next(iterator, None), L.ENERGY_COLUMNS)
    if columns is None:
        return [], 0
    keys = [column.key for column in L.ENERGY_COLUMNS]
    table = locator.table(
        "energy",
        SHEET,
        column_letters(columns, L.ENERGY_COLUMNS, skip="month"),
        anchor="carrier",
        header_cell="A1",
    )
    ie, im, ic, iq, iu, ius, incv, icc, iof = (columns[key] for key in keys)
    letter = {key: column_letter(columns[key]) for key in keys}
    header = field_names(L.ENERGY_COLUMNS)
    width = max(columns.values()) + 1
    padding: list[Cell] = [""] * width

    carrier_cache: dict[Cell, Any] = {}
    unit_cache: dict[Cell, Any] = {}
    use_cache: dict[Cell, Any] = {}
    month_cache: dict[Cell, Any] = {}
    name_cache: dict[Cell, str | None] = {}
    allowed = vocab.allowed_units
    required = vocab.required_params
    errors = check.errors
    groups: dict[tuple[Any, ...], list[Any]] = {}
    read = 0
    number = 1
    with localcontext(prec=SUM_PRECISION):
        for row in iterator:
            number += 1
            if len(row) < width:
                row = row + padding[len(row) :]
            enterprise, month, carrier, quantity = row[ie], row[im], row[ic], row[iq]
            unit, use, ncv, cc, of = row[iu], row[ius], row[incv], row[icc], row[iof]
            if (
                carrier == ""
                and quantity == ""
                and unit == ""
                and use == ""
                and enterprise == ""
                and month == ""
                and ncv == ""
                and cc == ""
                and of == ""
            ):
                continue

            code = carrier_cache.get(carrier)
            if code is None:
                code = carrier_cache[carrier] = vocab.carrier_code(carrier)
            unit_code = unit_cache.get(unit)
            if unit_code is None:
                unit_code = unit_cache[unit] = vocab.unit_code(unit)
            use_code = use_cache.get(use)
            if use_code is None:
                use_code = use_cache[use] = vocab.use_code(use)
            # Only str and float cells are cached: True == 1.0 would otherwise share an entry.
            month_value = month_cache.get(month)
            if month_value is None or type(month) is bool:
                month_value = month_number(month)
                if type(month) is not bool:
                    month_cache[month] = month_value
            name = name_cache.get(enterprise, BAD) if type(enterprise) is str else BAD
            if name is BAD:
                name = None if is_blank(enterprise) else cell_text(enterprise)
                if type(enterprise) is str:
                    name_cache[enterprise] = name

            if type(quantity) is float and quantity >= 0:
                quantity_text = float_text(quantity)
            else:
                quantity_text = BLANK if is_blank(quantity) else number_text(quantity)
            if (
                code is BLANK
                and unit_code is BLANK
                and use_code is BLANK
                and quantity_text is BLANK
                and is_blank(ncv)
                and is_blank(cc)
                and is_blank(of)
            ):
                # Whitespace, or an enterprise/month pre-listed with nothing consumed: no data.
                continue
            read += 1

            errors_before = len(errors)
            if code is BLANK:
                check.required(SHEET, f"{letter['carrier']}{number}", header["carrier"])
            elif code is BAD:
                _unknown_carrier(check, vocab, f"{letter['carrier']}{number}", carrier)
            if unit_code is BLANK:
                check.required(SHEET, f"{letter['unit']}{number}", header["unit"])
            elif unit_code is BAD:
                _unknown_unit(check, f"{letter['unit']}{number}", unit)
            elif type(code) is str and unit_code not in allowed[code]:
                _unit_mismatch(check, vocab, f"{letter['unit']}{number}", code, unit_code)
            if use_code is BLANK:
                check.required(SHEET, f"{letter['use']}{number}", header["use"])
            elif use_code is BAD:
                _unknown_use(check, vocab, f"{letter['use']}{number}", use)
            if month_value is BAD:
                check.bad_month(SHEET, f"{letter['month']}{number}", month)
            if quantity_text is BLANK:
                check.required(SHEET, f"{letter['quantity']}{number}", header["quantity"])
            elif quantity_text is None:
                check.not_a_number(SHEET, f"{letter['quantity']}{number}", quantity, header["quantity"])
            elif quantity_text.startswith("-") and Decimal(quantity_text) < 0:
                check.negative(SHEET, f"{letter['quantity']}{number}", quantity, header["quantity"])
            measured: list[str | None] = []
            needed = required[code][use_code] if type(code) is str and type(use_code) is str else ()
            for key, value in (("ncv", ncv), ("cc", cc), ("of", of)):
                if value == "" or is_blank(value):
                    measured.append(None)
                    if key in needed:
                        _missing_parameter(
                            check, vocab, f"{letter[key]}{number}", code, use_code, key, header[key]
                        )
                    continue
                text = check.number(SHEET, f"{letter[key]}{number}", value, header[key])
                if key == "of" and text is not None and Decimal(str(text)) > 1:
                    _oxidation_over_one(check, f"{letter[key]}{number}", value)
                measured.append(None if text is None else str(text))
            if len(errors) != errors_before:
                continue

            ncv_text, cc_text, of_text = measured
            group_key = (
                name,
                code,
                unit_code,
                use_code,
                None if ncv_text is None else Decimal(ncv_text),
                None if cc_text is None else Decimal(cc_text),
                None if of_text is None else Decimal(of_text),
            )
            assert isinstance(quantity_text, str)
            group = groups.get(group_key)
            if group is None:
                entry: dict[str, Any] = {
                    "carrier": code,
                    "quantity": quantity_text,
                    "unit": unit_code,
                    "use": use_code,
                }
                if name:
                    entry["enterprise"] = name
                for key, text in (("ncv", ncv_text), ("cc", cc_text), ("of", of_text)):
                    if text is not None:
                        entry[key] = text
                groups[group_key] = [entry, Decimal(quantity_text), 1, number]
            else:
                group[1] += Decimal(quantity_text)
                group[2] += 1
    energy = []
    first_rows = table.rows
    for entry, total, count, first_row in groups.values():
        entry["quantity"] = sum_text(entry["quantity"], total, count)
        energy.append(entry)
        first_rows.append(first_row)
    return energy, read


# --- messages only this sheet gives --------------------------------------------------------------


def _unknown_carrier(check: Checker, vocab: Vocabulary, cell: str, value: Cell) -> None:
    names = [row["name"] for row in vocab.carriers.values()]
    check.error(
        SHEET,
        cell,
        "unknown",
        _(
            "Unknown energy carrier “%(value)s”. Choose one from the drop-down list (e.g. %(examples)s) "
            "or enter a carrier code of factor set %(set)s."
        )
        % {"value": shown(value), "examples": "、".join(names[:5]), "set": vocab.set_title},
    )


def _unknown_unit(check: Checker, cell: str, value: Cell) -> None:
    check.error(
        SHEET,
        cell,
        "unknown",
        _("Unknown unit “%(value)s”. Use one of: %(units)s.")
        % {"value": shown(value), "units": "、".join(L.unit_sheet_label(unit) for unit in L.UNITS)},
    )


def _unit_mismatch(check: Checker, vocab: Vocabulary, cell: str, code: str, unit: str) -> None:
    carrier = vocab.carriers[code]
    check.error(
        SHEET,
        cell,
        "unit_mismatch",
        _("The unit %(unit)s does not fit %(carrier)s, which is measured in %(base)s. Use one of: %(units)s.")
        % {
            "unit": L.unit_sheet_label(unit),
            "carrier": carrier["name"],
            "base": L.unit_sheet_label(carrier.get("base_unit", "")),
            "units": "、".join(
                L.unit_sheet_label(allowed)
                for allowed in sorted(vocab.allowed_units[code], key=L.UNITS.index)
            ),
        },
    )


def _unknown_use(check: Checker, vocab: Vocabulary, cell: str, value: Cell) -> None:
    options = "、".join(f"{label}（{code}）" for code, label in vocab.layout.uses.items())
    retired = vocab.layout.version == L.TEMPLATE_VERSION and lookup_key(cell_text(value)) in (
        lookup_key(L.RETIRED_USE),
        lookup_key(L.USES_V1[L.RETIRED_USE]),
    )
    if retired:
        check.error(
            SHEET,
            cell,
            "invalid",
            _(
                "“%(value)s” is a use of template version 1 that this template splits in two: choose "
                "%(power_heat)s for fuel burned in the park's own power or heat plants, or "
                "%(transform_in)s / %(transform_out)s for refining, coal-to-liquids or gas making. "
                "Choose one of: %(options)s."
            )
            % {
                "value": shown(value),
                "power_heat": L.USES["power_heat"],
                "transform_in": L.USES["transform_in"],
                "transform_out": L.USES["transform_out"],
                "options": options,
            },
        )
        return
    check.error(
        SHEET,
        cell,
        "invalid",
        _("“%(value)s” is not a valid use. Choose one of: %(options)s.")
        % {"value": shown(value), "options": options},
    )


def _missing_parameter(
    check: Checker, vocab: Vocabulary, cell: str, code: str, use: str, key: str, field_name: str
) -> None:
    check.error(
        SHEET,
        cell,
        "required",
        _(
            "%(carrier)s has no default %(parameter)s in factor set %(set)s, so every row of it with use "
            "%(use)s must give the measured value in “%(field)s”."
        )
        % {
            "carrier": vocab.carriers[code]["name"],
            "parameter": key.upper(),
            "set": vocab.set_title,
            "use": vocab.layout.uses.get(use, use),
            "field": field_name,
        },
    )


def _oxidation_over_one(check: Checker, cell: str, value: Cell) -> None:
    check.error(
        SHEET,
        cell,
        "invalid",
        _("The oxidation rate OF is a fraction from 0 to 1 (e.g. 0.98), not a percentage (found %(value)s).")
        % {"value": shown(value)},
    )

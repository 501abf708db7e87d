"""Helpers of the dossier-table Excel tests: a template as bytes, edited cell by cell with openpyxl."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import load_workbook

from applications.tables.specs import TABLE_KINDS
from applications.tables.template import build_table_template

PROJECT = {
    "name": "屋顶光伏一期",
    "implementing_body": "园区能源公司",
    "content": "屋顶分布式光伏 20 MW",
    "investment_wan": "8000.5",
    "start_year": 2026,
    "end_year": 2027,
    "schedule": None,
    "supports_indicators": ["clean_energy_share", "green_buildings"],
    "supports_tasks": ["energy_transition"],
    "energy_saved_tce": None,
    "green_power_added_mwh": "22000",
    "co2_reduced_tco2": "12000.25",
}
ROWS: dict[str, list[dict[str, Any]]] = {
    "key_projects": [
        PROJECT,
        {
            **PROJECT,
            "name": "余热回收",
            "supports_indicators": [],
            "supports_tasks": [],
            "investment_wan": "300",
        },
    ],
    "targets": [
        {
            "indicator": "carbon_per_energy",
            "y2026": "1.5",
            "y2027": "1.2",
            "y2028": "1",
            "y2029": None,
            "y2030": None,
        },
        {
            "indicator": "clean_energy_share",
            "y2026": "50",
            "y2027": "60",
            "y2028": "90",
            "y2029": None,
            "y2030": None,
        },
    ],
    "cash_flows": [
        {"year": 2026, "cost_wan": "100", "revenue_wan": "20.5", "note": "=设备投资"},
        {"year": 2027, "cost_wan": "0", "revenue_wan": "50", "note": None},
    ],
    "key_enterprises": [
        {"name": "001 号企业", "industry": "化工", "output_value_wan": "1234567.89", "energy_tce": "1.5"},
        {"name": "江西某钢铁", "industry": "钢铁", "output_value_wan": "10", "energy_tce": "0"},
    ],
}


def template(kind: str, rows: list[dict[str, Any]] | None = None) -> bytes:
    return build_table_template(TABLE_KINDS[kind], ROWS[kind] if rows is None else rows)


def edited(
    data: bytes,
    cells: dict[str, Any],
    *,
    sheet: str | None = None,
    formats: dict[str, str] | None = None,
) -> bytes:
    """``data`` with ``cells`` ({"D3": value}) set on the first sheet (or ``sheet``), and the number
    ``formats`` ({"C4": "0%"}) of some cells."""
    book = load_workbook(io.BytesIO(data))
    target = book[sheet] if sheet else book.worksheets[0]
    for address, value in cells.items():
        target[address].value = value
    for address, number_format in (formats or {}).items():
        target[address].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(rows: list[list[Any]], *, title: str = "重点项目") -> bytes:
    """A workbook of one sheet holding ``rows`` from A1."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached_formula(data: bytes, address: str, formula: str, cached: str) -> bytes:
    """``data`` whose first sheet's cell ``address`` (holding the number 987654.321) becomes a formula
    with the value Excel cached for it, as Excel saves it: ``<f>0.1+0.2</f><v>0.30000000000000004</v>``
    (openpyxl writes formulas without a cached value)."""
    marker = "987654.321"
    data = edited(data, {address: float(marker)})
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                assert text.count(f"<v>{marker}</v>") == 1
                content = text.replace(f"<v>{marker}</v>", f"<f>{formula}</f><v>{cached}</v>").encode()
            target.writestr(item, content)
    return buffer.getvalue()

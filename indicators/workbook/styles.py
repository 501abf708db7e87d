"""The template's drop-down and number validations. Cell styles and writing are the portal's
(zcpark.core.sheets), which every list export shares."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet


def add_validation(sheet: Worksheet, sqref: str, validation: DataValidation, error: str) -> None:
    validation.allow_blank = True
    validation.error = error
    validation.errorTitle = "输入有误"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(sqref)


def list_validation(sheet: Worksheet, sqref: str, source: str, *, strict: bool = False) -> None:
    # Warning style by default: the reader also accepts codes and common spellings, and a hard stop
    # would block them; the upload still reports anything it cannot map.
    validation = DataValidation(type="list", formula1=source)
    validation.errorStyle = "stop" if strict else "warning"
    add_validation(sheet, sqref, validation, "请从下拉列表中选择")


def number_validation(sheet: Worksheet, sqref: str) -> None:
    validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    validation.errorStyle = "warning"
    add_validation(sheet, sqref, validation, "请填写不小于 0 的数字，不带单位")


def month_validation(sheet: Worksheet, sqref: str) -> None:
    validation = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    add_validation(sheet, sqref, validation, "月份为 1–12 的整数；年度合计请留空")

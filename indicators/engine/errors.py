"""Input errors: every problem of a dataset at once, each with a dotted path, a code and Chinese text."""

from __future__ import annotations

from dataclasses import dataclass

MESSAGES = {
    "required": "缺少必填项",
    "not_a_number": "不是数值",
    "negative": "不能为负数",
    "unknown": "未知能源品种",
    "invalid": "取值无效",
    "unit_mismatch": "计量单位与能源品种不符",
    "exceeds_available": "利用量超过可利用量",
    "exceeds_total": "超过总量",
    "no_factor": "该口径在所选年份没有电网排放因子",
    "core_not_exemptible": "核心指标不得豁免",
    "non_positive_energy": "综合能源消费量必须大于 0",
    "exceeds_emissions": "抵销量超过碳排放总量",
}


@dataclass(frozen=True, slots=True)
class InputError:
    path: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "message": self.message}


class Errors:
    """Collects errors while a dataset is read; ``add`` fills in the code's default message."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[InputError] = []

    def add(self, path: str, code: str, message: str | None = None) -> None:
        self.items.append(InputError(path=path, code=code, message=message or MESSAGES[code]))

    def __bool__(self) -> bool:
        return bool(self.items)

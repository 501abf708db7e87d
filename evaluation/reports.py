"""The acceptance report (验收评估报告). SKELETON: being written."""

from __future__ import annotations


def acceptance_report_render(report_id: int) -> str:
    raise NotImplementedError

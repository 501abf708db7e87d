"""The national package (国家级零碳园区推荐材料): the dossier's latest submitted revision re-cut to the
national outline, the national-scheme results of the accepting evaluation, and the acceptance report.

The national outline is 附件2 of 发改环资〔2025〕910号; its headings are not in the texts this portal
was given, so ``NATIONAL_OUTLINE`` is the assumed order (decisions.md, issue 14): chapters that group the
dossier's sections (Annex 1 of the Jiangxi plan), the province's eligibility declarations left out.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import exports as dossier
from applications.models import SectionCode
from zcpark.core.archives import ArchiveWriter, json_bytes
from zcpark.core.sheets import Column, table_workbook

from .. import reports, selectors
from ..models import AcceptanceEvaluation, ConstructionProject, Decision, EvaluationStatus
from ..reports.context import assessment_document

# (chapter title, the dossier sections it holds, in order)
NATIONAL_OUTLINE = (
    (gettext_lazy("Basic situation of the park"), (SectionCode.OVERVIEW, SectionCode.INDUSTRY)),
    (gettext_lazy("Energy and carbon emissions today"), (SectionCode.ENERGY, SectionCode.EMISSIONS)),
    (gettext_lazy("Construction targets"), (SectionCode.TARGETS,)),
    (gettext_lazy("Key tasks"), (SectionCode.TASKS,)),
    (gettext_lazy("Key projects and investment"), (SectionCode.PROJECTS,)),
    (gettext_lazy("Feasibility"), (SectionCode.FEASIBILITY,)),
    (gettext_lazy("Safeguards"), (SectionCode.ORGANISATION,)),
    (gettext_lazy("Attachments"), (SectionCode.ATTACHMENTS,)),
)


def national_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dossier's sections in the national outline's order, numbered by chapter ("2.1", "2.2"), each
    titled with its chapter; sections the outline does not hold are left out."""
    by_code = {section["code"]: section for section in sections}
    ordered = []
    for chapter, (title, codes) in enumerate(NATIONAL_OUTLINE, start=1):
        present = [by_code[code] for code in codes if code in by_code]
        for sub, section in enumerate(present, start=1):
            single = len(present) == 1
            ordered.append(
                {
                    **section,
                    "number": str(chapter) if single else f"{chapter}.{sub}",
                    "title": str(title) if single else f"{title}：{section['title']}",
                }
            )
    return ordered


def accepting_evaluation(project: ConstructionProject) -> AcceptanceEvaluation | None:
    """The evaluation whose decision accepted the park."""
    return (
        project.evaluations.filter(status=EvaluationStatus.DECIDED, decision=Decision.ACCEPTED)
        .order_by("-decided_at")
        .first()
    )


def national_results(evaluation: AcceptanceEvaluation) -> dict[str, Any] | None:
    """The assessment year's national-scheme result as decided (rows of indicator, value, threshold)."""
    results = selectors.assessment_results(
        evaluation.project, evaluation.assessment_year, selectors.results_as_of(evaluation)
    )
    return reports.result_part(results.national, assessment_document(evaluation.project, results))


def _results_workbook(part: dict[str, Any], year: int) -> bytes:
    columns = [
        Column(_("Indicator"), width=30),
        Column(_("Core indicator"), width=10),
        Column(_("Value"), width=16),
        Column(_("Unit"), width=14),
        Column(_("National threshold"), width=16),
        Column(_("Status"), width=14),
    ]
    rows = [
        [
            r["name"],
            _("yes") if r["core"] else _("no"),
            r["value"],
            r["unit"],
            r["threshold"],
            r["status_label"],
        ]
        for r in part["indicators"]
    ]
    title = _("%(scheme)s: results for %(year)s") % {"scheme": part["scheme_title"], "year": year}
    return table_workbook(title=title, columns=columns, rows=rows)


def national_package_write(project: ConstructionProject, writer: ArchiveWriter) -> None:
    """The package's files: the re-cut dossier PDF, the national results (sheet and JSON), the report."""
    application = project.application
    context = dossier.build_dossier_context(application)
    context["sections"] = national_sections(context["sections"])
    context["title"] = _("National Zero-Carbon Park Construction Plan")
    writer.add("1-建设方案（国家级大纲）.pdf", dossier.render_dossier_pdf(context))
    evaluation = accepting_evaluation(project)
    if evaluation is None:
        return
    part = national_results(evaluation)
    if part is not None:
        writer.add("2-国家级指标结果.xlsx", _results_workbook(part, evaluation.assessment_year))
        writer.add("2-national-results.json", json_bytes(part))
    report = selectors.report_ready(evaluation)
    if report is not None:
        with report.file.open("rb") as stored:
            writer.copy("3-验收评估报告.pdf", stored)
    else:
        rendered = reports.acceptance_report_pdf(reports.acceptance_report_context(evaluation))
        writer.add("3-验收评估报告.pdf", rendered.content)

"""The Annex-1 form sections (Annex 1 of the plan: 建设基础, 建设目标, 重点任务, 重点项目, 可行性分析, 组织实施)
plus the eligibility declarations. Energy, emissions and attachments are not forms: they come from the
park-year datasets, the engine and uploaded files (see ``services.dossiers``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import INDICATOR_UNITS, IndicatorCode

from ..exemptions.section import EXEMPTIONS_TABLE, exemptions_errors
from ..models import BASE_YEAR, PERIOD_YEARS_MAX, PERIOD_YEARS_MIN, SectionCode
from .schema import WAN_YUAN, Field, SectionSpec, Table

ZERO = Decimal("0")
MONEY_MAX = Decimal("100000000")  # 1 trillion yuan in 10k yuan: anything above is a unit slip.
PCT_MAX = Decimal("100")
YEAR_FIRST, YEAR_LAST = 2015, 2040
TARGET_YEARS = tuple(range(BASE_YEAR + 1, BASE_YEAR + PERIOD_YEARS_MAX + 1))


class TaskCategory(models.TextChoices):
    """The six key-task categories of the plan (二、建设任务)."""

    ENERGY_TRANSITION = "energy_transition", gettext_lazy("Low-carbon energy transition")
    INDUSTRY_STRUCTURE = "industry_structure", gettext_lazy("Industrial structure optimisation")
    EFFICIENCY = "efficiency", gettext_lazy("Energy saving and carbon reduction")
    INFRASTRUCTURE = "infrastructure", gettext_lazy("Low-carbon infrastructure")
    INNOVATION_DIGITAL = "innovation_digital", gettext_lazy("Technology innovation and digital empowerment")
    REFORM = "reform", gettext_lazy("Reform and institutional innovation")


class TaskStatus(models.TextChoices):
    APPLIES = "applies", gettext_lazy("Applies: measures below")
    NOT_APPLICABLE = "not_applicable", gettext_lazy("Not applicable: reason below")


def money(name: str, label: Any, *, required: bool = True, help: Any = "") -> Field:
    return Field(
        name,
        label,
        "decimal",
        required=required,
        unit=WAN_YUAN,
        min_value=ZERO,
        max_value=MONEY_MAX,
        help=help,
    )


def quantity(name: str, label: Any, unit: str, *, required: bool = True, decimal_places: int = 2) -> Field:
    return Field(
        name, label, "decimal", required=required, unit=unit, min_value=ZERO, decimal_places=decimal_places
    )


def year(name: str, label: Any, *, required: bool = True) -> Field:
    return Field(
        name, label, "int", required=required, min_value=Decimal(YEAR_FIRST), max_value=Decimal(YEAR_LAST)
    )


def text(name: str, label: Any, *, required: bool = True, help: Any = "", max_length: int = 200) -> Field:
    return Field(name, label, "text", required=required, help=help, max_length=max_length)


def textarea(name: str, label: Any, *, required: bool = True, help: Any = "") -> Field:
    return Field(name, label, "textarea", required=required, help=help)


def _overview_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    total, above = data.get("enterprise_count"), data.get("above_scale_enterprise_count")
    if total is not None and above is not None and above > total:
        return {"above_scale_enterprise_count": [_("Cannot exceed the number of enterprises.")]}
    return {}


OVERVIEW = SectionSpec(
    SectionCode.OVERVIEW,
    gettext_lazy("Park overview"),
    gettext_lazy(
        "Annex 1, 1(1): the application boundary, the managing body, location, spatial layout and the level "
        "of economic and industrial development."
    ),
    (
        text("managing_body", gettext_lazy("Managing body")),
        textarea(
            "boundary_text",
            gettext_lazy("Boundary (four borders)"),
            required=False,
            help=gettext_lazy("East, south, west and north borders. Required for a park within a park."),
        ),
        quantity("area_km2", gettext_lazy("Area"), "km²"),
        textarea("location", gettext_lazy("Location and conditions")),
        textarea("layout", gettext_lazy("Planned spatial layout")),
        money("industrial_output_wan", gettext_lazy("Gross industrial output value (last year)")),
        money("revenue_wan", gettext_lazy("Operating revenue (last year)"), required=False),
        money("tax_wan", gettext_lazy("Tax revenue (last year)"), required=False),
        Field("enterprise_count", gettext_lazy("Enterprises"), "int", min_value=ZERO),
        Field(
            "above_scale_enterprise_count",
            gettext_lazy("Enterprises above designated size"),
            "int",
            min_value=ZERO,
        ),
        Field("employees", gettext_lazy("Employees"), "int", required=False, min_value=ZERO),
        textarea("economy", gettext_lazy("Economic development")),
    ),
    extra_errors=_overview_errors,
)


INDUSTRY = SectionSpec(
    SectionCode.INDUSTRY,
    gettext_lazy("Industrial development"),
    gettext_lazy(
        "Annex 1, 1(2): leading industries, how the key enterprises are doing, and the key projects introduced "
        "or planned with their investment."
    ),
    (
        text("leading_industries", gettext_lazy("Leading industries"), help=gettext_lazy("Separate with 、")),
        textarea("description", gettext_lazy("Industrial development")),
        Table(
            "key_enterprises",
            gettext_lazy("Key enterprises"),
            (
                text("name", gettext_lazy("Enterprise")),
                text("industry", gettext_lazy("Industry")),
                money("output_value_wan", gettext_lazy("Output value")),
                quantity("energy_tce", gettext_lazy("Comprehensive energy consumption"), "tce"),
            ),
            min_rows=1,
        ),
        Table(
            "introduced_projects",
            gettext_lazy("Projects introduced or planned"),
            (
                text("name", gettext_lazy("Project")),
                Field(
                    "stage",
                    gettext_lazy("Stage"),
                    "choice",
                    choices=(
                        ("introduced", gettext_lazy("Introduced")),
                        ("planned", gettext_lazy("Planned")),
                    ),
                ),
                money("investment_wan", gettext_lazy("Investment")),
                text("description", gettext_lazy("Description"), required=False, max_length=500),
            ),
        ),
    ),
)


# A share target (%) is at most the whole.
PERCENT_MAX = Decimal(100)

TARGETS_TABLE = Table(
    "targets",
    gettext_lazy("Yearly targets"),
    (
        Field("indicator", gettext_lazy("Indicator"), "choice", choices=tuple(IndicatorCode.choices)),
        *(
            Field(f"y{y}", str(y), "decimal", required=False, decimal_places=4, min_value=ZERO)
            for y in TARGET_YEARS
        ),
    ),
    max_rows=len(IndicatorCode.values),
    help=gettext_lazy(
        "One row per indicator; fill every year of the construction period (units: tCO2/tce for the core "
        "indicator, buildings for green buildings, per cent for the others)."
    ),
)


def _targets_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    period = data.get("period_years")
    rows = {row.get("indicator"): row for row in data.get("targets") or []}
    for code, label in IndicatorCode.choices:
        row = rows.get(code)
        if row is None:
            problems.append(_("Yearly targets: %(indicator)s has no row.") % {"indicator": label})
            continue
        if period is None:
            continue
        missing = [str(y) for y in TARGET_YEARS[: int(period)] if row.get(f"y{y}") in (None, "")]
        if missing:
            problems.append(
                _("Yearly targets: %(indicator)s has no target for %(years)s.")
                % {"indicator": label, "years": "、".join(missing)}
            )
    return problems


def _targets_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = exemptions_errors(data)
    seen: set[str] = set()
    for index, row in enumerate(data.get("targets") or []):
        if row.get("indicator") in seen:
            errors[f"targets.{index + 1}.indicator"] = [_("This indicator already has a row.")]
        seen.add(row.get("indicator"))
        if INDICATOR_UNITS.get(row.get("indicator")) == "%":
            for year in TARGET_YEARS:
                value = row.get(f"y{year}")
                if value not in (None, "") and Decimal(str(value)) > PERCENT_MAX:
                    errors[f"targets.{index + 1}.y{year}"] = [
                        _("Must be at most %(max)s.") % {"max": PERCENT_MAX}
                    ]
    for index, row in enumerate(data.get("stages") or []):
        start, end = row.get("from_year"), row.get("to_year")
        if start is not None and end is not None and end < start:
            errors[f"stages.{index + 1}.to_year"] = [_("Must not be before the first year.")]
    return errors


TARGETS = SectionSpec(
    SectionCode.TARGETS,
    gettext_lazy("Construction targets"),
    gettext_lazy(
        "Annex 1, 2: with 2025 as the base year, the construction period, the targets, the roadmap and "
        "timetable, and each stage's priorities."
    ),
    (
        Field(
            "period_years",
            gettext_lazy("Construction period"),
            "int",
            unit="年",
            min_value=Decimal(PERIOD_YEARS_MIN),
            max_value=Decimal(PERIOD_YEARS_MAX),
            help=gettext_lazy("3 to 5 years from the base year 2025."),
        ),
        TARGETS_TABLE,
        textarea("roadmap", gettext_lazy("Roadmap and timetable")),
        Table(
            "stages",
            gettext_lazy("Stages"),
            (
                year("from_year", gettext_lazy("From")),
                year("to_year", gettext_lazy("To")),
                text("priorities", gettext_lazy("Priorities"), max_length=1000),
            ),
            min_rows=1,
        ),
        EXEMPTIONS_TABLE,
    ),
    extra_problems=_targets_problems,
    extra_errors=_targets_errors,
)


def _task_items() -> tuple[Field, ...]:
    items: list[Field] = []
    for code, label in TaskCategory.choices:
        items.append(Field(f"{code}_status", label, "choice", choices=tuple(TaskStatus.choices)))
        items.append(textarea(f"{code}_measures", gettext_lazy("Measures"), required=False))
        items.append(textarea(f"{code}_reason", gettext_lazy("Why it does not apply"), required=False))
    items.append(textarea("other_tasks", gettext_lazy("Other innovative tasks"), required=False))
    return tuple(items)


def _tasks_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for code, label in TaskCategory.choices:
        status = data.get(f"{code}_status")
        if status == TaskStatus.APPLIES and not data.get(f"{code}_measures"):
            problems.append(_("%(task)s: describe the measures.") % {"task": label})
        if status == TaskStatus.NOT_APPLICABLE and not data.get(f"{code}_reason"):
            problems.append(_("%(task)s: say why it does not apply.") % {"task": label})
    return problems


TASKS = SectionSpec(
    SectionCode.TASKS,
    gettext_lazy("Key tasks"),
    gettext_lazy(
        "Annex 1, 3: concrete measures for each of the plan's six tasks (a task the construction does not "
        "involve may be marked not applicable), and any other innovative task."
    ),
    _task_items(),
    extra_problems=_tasks_problems,
)

PROJECTS_TABLE = Table(
    "projects",
    gettext_lazy("Key projects"),
    (
        text("name", gettext_lazy("Project")),
        text("implementing_body", gettext_lazy("Implementing body")),
        text("content", gettext_lazy("Construction content"), max_length=1000),
        money("investment_wan", gettext_lazy("Investment")),
        year("start_year", gettext_lazy("Start year")),
        year("end_year", gettext_lazy("Completion year")),
        text("schedule", gettext_lazy("Implementation plan"), required=False, max_length=500),
        Field(
            "supports_indicators",
            gettext_lazy("Indicators supported"),
            "multichoice",
            required=False,
            choices=tuple(IndicatorCode.choices),
        ),
        Field(
            "supports_tasks",
            gettext_lazy("Tasks supported"),
            "multichoice",
            required=False,
            choices=tuple(TaskCategory.choices),
        ),
        quantity("energy_saved_tce", gettext_lazy("Energy saved per year"), "tce", required=False),
        quantity("green_power_added_mwh", gettext_lazy("Green power added per year"), "MWh", required=False),
        quantity("co2_reduced_tco2", gettext_lazy("CO2 reduced per year"), "tCO2", required=False),
    ),
    min_rows=1,
)


def _projects_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors = {}
    for index, row in enumerate(data.get("projects") or []):
        start, end = row.get("start_year"), row.get("end_year")
        if start is not None and end is not None and end < start:
            errors[f"projects.{index + 1}.end_year"] = [_("Must not be before the start year.")]
    return errors


PROJECTS = SectionSpec(
    SectionCode.PROJECTS,
    gettext_lazy("Key projects"),
    gettext_lazy(
        "Annex 1, 4: the key projects supporting the key tasks: name, implementing body, content, investment, "
        "period, plan, and what each contributes (its expected yearly effect once complete)."
    ),
    (PROJECTS_TABLE,),
    extra_errors=_projects_errors,
)


def _feasibility_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors = {}
    seen: set[int] = set()
    for index, row in enumerate(data.get("cash_flows") or []):
        if row.get("year") in seen:
            errors[f"cash_flows.{index + 1}.year"] = [_("This year already has a row.")]
        seen.add(row.get("year"))
    return errors


FEASIBILITY = SectionSpec(
    SectionCode.FEASIBILITY,
    gettext_lazy("Feasibility analysis"),
    gettext_lazy(
        "Annex 1, 5: energy and emission trends from the 2025 baseline and the key projects, whether the "
        "targets are achievable, the integrated energy-supply plan, and the economics (cost, revenue, "
        "payback period, internal rate of return)."
    ),
    (
        Field(
            "growth_pct",
            gettext_lazy("Yearly growth of energy use without the projects"),
            "decimal",
            required=False,
            unit="%",
            min_value=Decimal("-50"),
            max_value=Decimal("50"),
            help=gettext_lazy("Business-as-usual growth from new capacity; leave empty for none."),
        ),
        textarea("trend_analysis", gettext_lazy("Energy consumption and emission trends")),
        textarea("achievability", gettext_lazy("Achievability of the targets")),
        textarea("supply_plan", gettext_lazy("Integrated energy-supply plan")),
        Table(
            "supply_mix",
            gettext_lazy("Supply mix at the end of the period"),
            (
                text("source", gettext_lazy("Source")),
                quantity("quantity_mwh", gettext_lazy("Yearly supply (MWh equivalent)"), "MWh"),
                Field("is_clean", gettext_lazy("Clean energy"), "bool", required=False),
                Field(
                    "is_direct_green", gettext_lazy("Directly supplied green power"), "bool", required=False
                ),
            ),
            min_rows=1,
        ),
        Field(
            "discount_rate_pct",
            gettext_lazy("Discount rate"),
            "decimal",
            unit="%",
            min_value=ZERO,
            max_value=Decimal("30"),
        ),
        Table(
            "cash_flows",
            gettext_lazy("Cash flows"),
            (
                year("year", gettext_lazy("Year")),
                money("cost_wan", gettext_lazy("Cost")),
                money("revenue_wan", gettext_lazy("Revenue")),
                text(
                    "note", gettext_lazy("Cost structure and revenue sources"), required=False, max_length=500
                ),
            ),
            min_rows=2,
        ),
        textarea("economics", gettext_lazy("Economic analysis")),
    ),
    extra_errors=_feasibility_errors,
)


ORGANISATION = SectionSpec(
    SectionCode.ORGANISATION,
    gettext_lazy("Organisation and implementation"),
    gettext_lazy(
        "Annex 1, 6: practical safeguards for leadership, policy support, funding and capacity building."
    ),
    (
        textarea("leadership", gettext_lazy("Organisation and leadership")),
        textarea("policy", gettext_lazy("Policy support")),
        textarea("funding", gettext_lazy("Funding")),
        textarea("capacity", gettext_lazy("Capacity building")),
    ),
)


def _declaration_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    if not data.get("statistics_capability"):
        problems.append(
            _(
                "Declare that the park can do energy and carbon statistics, accounting, metering and monitoring."
            )
        )
    if not data.get("no_major_accident"):
        problems.append(
            _(
                "Declare that no major safety, environmental or ecological accident happened in the last three years."
            )
        )
    return problems


DECLARATIONS = SectionSpec(
    SectionCode.DECLARATIONS,
    gettext_lazy("Eligibility declarations"),
    gettext_lazy(
        "The conditions of 三、(一) of the plan that the park declares itself; the development zone's level "
        "and catalog entry are checked from the registration."
    ),
    (
        Field(
            "statistics_capability",
            gettext_lazy(
                "The park has energy and carbon statistics, accounting, metering and monitoring capability"
            ),
            "bool",
            required=False,
        ),
        textarea("statistics_description", gettext_lazy("How (systems, platform, staff)")),
        Field(
            "no_major_accident",
            gettext_lazy("No major safety, environmental or ecological accident in the last three years"),
            "bool",
            required=False,
        ),
        text("declarant", gettext_lazy("Declared by (name and position)")),
        text("declared_on", gettext_lazy("Date"), max_length=32),
    ),
    extra_problems=_declaration_problems,
)

FORM_SECTIONS: dict[str, SectionSpec] = {
    spec.code: spec
    for spec in (OVERVIEW, INDUSTRY, TARGETS, TASKS, PROJECTS, FEASIBILITY, ORGANISATION, DECLARATIONS)
}

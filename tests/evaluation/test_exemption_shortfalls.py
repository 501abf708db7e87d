"""At the acceptance decision, every guiding indicator not met without an accepted exemption is listed to
the experts and the province (issue 14: a park was accepted with product grade 50 against 100, unsaid)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import ExemptionClaim
from evaluation import reports
from evaluation.archives.national import national_results
from indicators.models import ParkDataset
from indicators.services import indicator_results_compute
from tests.evaluation.factories import evaluation_requested, experts_reviewed

pytestmark = pytest.mark.django_db
GRADE = "product_energy_grade"
REASON = "产品无国家能耗限额标准"


def _grade_exempted(world, evaluation) -> None:
    """The province accepted the park's claim to exempt the product grade; the results recomputed."""
    application = evaluation.project.application
    ExemptionClaim.objects.create(
        application=application,
        revision_number=application.revision,
        indicator=GRADE,
        reason=REASON,
        status="granted",
        city_agrees=True,
        decided_at=timezone.now(),
    )
    indicator_results_compute(
        dataset=ParkDataset.objects.get(park=world.park_a, year=evaluation.assessment_year)
    )


def _listed(rows: list[dict]) -> dict[str, tuple]:
    return {row["code"]: (row["value"], row["threshold"], row["status"]) for row in rows}


def test_product_grade_50_against_100_is_listed_to_the_experts_and_the_province(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    [expert, _other] = experts_reviewed(evaluation, world.province)
    context = reports.acceptance_report_context(evaluation)
    assert _listed(context["shortfalls"])[GRADE] == ("50.00", "≥100", "fail")
    assert all(not row["core"] for row in context["shortfalls"])
    url = reverse("evaluation:evaluation-detail", args=[evaluation.pk])
    province_page = login(world.province).get(url).content.decode()
    # The list on the page, and again in the decision form before deciding.
    assert province_page.count(f'data-indicator="{GRADE}"') >= 3
    assert 'id="decide-shortfalls"' in province_page
    expert_page = login(expert).get(url).content.decode()
    assert 'id="shortfalls"' in expert_page and 'id="decide-shortfalls"' not in expert_page


def test_an_accepted_exemption_takes_the_indicator_off_the_list(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    _grade_exempted(world, evaluation)
    context = reports.acceptance_report_context(evaluation)
    assert GRADE not in _listed(context["shortfalls"])
    exempt = next(row for row in context["local"]["indicators"] if row["code"] == GRADE)
    # Exempt, with the accepted claim's reason (the data give none).
    assert (exempt["status"], exempt["exemption"]) == ("exempt", REASON)


def test_the_report_prints_the_list(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    with translation.override("en"):
        html = reports.acceptance_report_html(reports.acceptance_report_context(evaluation))
    heading = html.index("Guiding indicators not met without an accepted exemption")
    assert "Products at energy-consumption grade 2 or better" in html[heading:]


def _exempt_reason(part: dict | None) -> object:
    return next(
        row["exemption"] for row in (part or {"indicators": []})["indicators"] if row["code"] == GRADE
    )


def test_the_expert_and_the_national_package_print_the_accepted_reason(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    [expert, _other] = experts_reviewed(evaluation, world.province)
    _grade_exempted(world, evaluation)
    page = login(expert).get(reverse("evaluation:expert-review", args=[evaluation.pk]))
    (efficiency,) = [area for area in page.context["areas"] if area["area"].code == "efficiency"]
    (grade,) = [row for row in efficiency["indicators"] if row["code"] == GRADE]
    assert (grade["status"], grade["exemption"]) == ("exempt", REASON)
    assert _exempt_reason(national_results(evaluation)) == REASON

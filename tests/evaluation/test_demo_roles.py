"""The demo shows every role's work (issue 13, point 8): the expert has one blind review to score and
its past reviews on its home page, and every year of the sample data, 2029–2032 included, can be filed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from applications.samples import sample_dataset
from evaluation.demo import (
    ACCEPTED_PARK,
    IN_REVIEW_PARK,
    LATER_LIST_TITLE,
    OVERDUE_PARK,
    PENDING_EXPERT,
    PILOT_LIST_TITLE,
    SUBMITTED_EXPERT,
    _accepted_story,
    _listed,
    _overdue_story,
    demo_construction_seed,
)
from evaluation.models import (
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    EvaluationStatus,
    ExpertReview,
    ProjectStatus,
    ReportStatus,
    ReviewStatus,
)
from evaluation.samples import construction_dataset
from indicators.engine.evaluate import evaluate
from indicators.models import IndicatorResult
from indicators.selectors import factor_set_current, local_scheme_code, scheme_current
from parks.demo import demo_seed
from parks.models import Park, User

pytestmark = pytest.mark.django_db

# The construction period runs to 2030 at most, plus an extension of two years.
SAMPLE_YEARS = range(2023, 2033)


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password="pw-demo-1")


def _seed(django_capture_on_commit_callbacks, seed=demo_construction_seed):
    # As after the seed's commit: the indicator results and the acceptance report are built (eagerly).
    with django_capture_on_commit_callbacks(execute=True):
        return seed()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = "en"
    return client


def test_every_sample_year_can_be_filed(reference):
    factor_set, scheme = factor_set_current(), scheme_current(local_scheme_code())
    for year in SAMPLE_YEARS:
        documents = {
            "dossier": sample_dataset(park_name="园区", park_type="non_chemical", year=year),
            "on track": construction_dataset(park_name="园区", park_type="non_chemical", year=year),
            "lagging": construction_dataset(
                park_name="园区", park_type="non_chemical", year=year, lagging=True
            ),
            "large": construction_dataset(park_name="园区", park_type="non_chemical", year=year, large=True),
        }
        for name, document in documents.items():
            vehicles = document["resources"]["public_vehicles"]
            assert vehicles["new_energy"] <= vehicles["total"], (year, name)
            outcome = evaluate(document, factor_set=factor_set, scheme=scheme)
            assert outcome.ok, (year, name, [error.as_dict() for error in outcome.errors])


def test_the_demo_gives_the_expert_a_blind_review_to_score_and_its_past_ones(
    reference, django_capture_on_commit_callbacks
):
    projects = _seed(django_capture_on_commit_callbacks)
    assert {p.park for p in projects} == {ACCEPTED_PARK, OVERDUE_PARK, IN_REVIEW_PARK}
    project = ConstructionProject.objects.get(park__name=IN_REVIEW_PARK)
    assert project.status == ProjectStatus.ACCEPTANCE_REVIEW
    assert project.list_entry.construction_list.title == PILOT_LIST_TITLE
    evaluation = AcceptanceEvaluation.objects.get(project=project)
    assert evaluation.status == EvaluationStatus.IN_REVIEW
    states = dict(evaluation.reviews.values_list("expert__username", "status"))
    assert states == {PENDING_EXPERT: ReviewStatus.ASSIGNED, SUBMITTED_EXPERT: ReviewStatus.SUBMITTED}

    # Exactly one review waits for expert_demo, and it is blind: the other expert's scores stay hidden.
    pending = ExpertReview.objects.filter(expert__username=PENDING_EXPERT, status=ReviewStatus.ASSIGNED)
    assert list(pending.values_list("evaluation_id", flat=True)) == [evaluation.pk]
    expert = _client(PENDING_EXPERT)
    detail = expert.get(reverse("evaluation:evaluation-detail", args=[evaluation.pk]))
    assert [row["visible"] for row in detail.context["review_rows"]] == [False, False]
    assert expert.get(reverse("evaluation:expert-review", args=[evaluation.pk])).context["form"] is not None

    # The expert's home: the review to score (with its link) and the past one, with its outcome.
    home = expert.get(reverse("portal:home"))
    assert [r.evaluation_id for r in home.context["construction_todo"].reviews] == [evaluation.pk]
    past = home.context["past_reviews"]
    assert [r.evaluation.project.park.name for r in past] == [ACCEPTED_PARK]
    html = home.content.decode()
    assert reverse("evaluation:expert-review", args=[evaluation.pk]) in html
    assert 'id="expert-past"' in html and f'data-review="{past[0].pk}"' in html
    assert past[0].evaluation.get_decision_display() in html
    assert "You have no evaluation assigned" not in html

    # Every report the demo filed was valid, and the seed stays idempotent with the third park.
    submitted = AnnualReport.objects.filter(status=ReportStatus.SUBMITTED)
    assert submitted.count() == 7 and all(report.dataset_id for report in submitted)
    results = IndicatorResult.objects.current().filter(
        dataset_id__in=submitted.values("dataset_id"), scheme_code=local_scheme_code()
    )
    assert results.count() == 7 and all(result.ok for result in results)
    again = _seed(django_capture_on_commit_callbacks)
    assert len(again) == 3 and ConstructionProject.objects.count() == 3
    assert AcceptanceEvaluation.objects.count() == 2


def test_a_demo_seeded_before_the_park_in_review_existed_gets_it_on_a_list_of_its_own(
    reference, django_capture_on_commit_callbacks
):
    def before():
        province = User.objects.get(username="province_demo")
        parks = [Park.objects.select_related("zone__city").get(name=n) for n in (ACCEPTED_PARK, OVERDUE_PARK)]
        _listed(parks, province)
        _accepted_story(ConstructionProject.objects.get(park=parks[0]), province)
        _overdue_story(ConstructionProject.objects.get(park=parks[1]), province)

    _seed(django_capture_on_commit_callbacks, before)
    assert not ConstructionProject.objects.filter(park__name=IN_REVIEW_PARK).exists()
    _seed(django_capture_on_commit_callbacks)
    project = ConstructionProject.objects.get(park__name=IN_REVIEW_PARK)
    assert project.list_entry.construction_list.title == LATER_LIST_TITLE
    review = ExpertReview.objects.get(evaluation__project=project, expert__username=PENDING_EXPERT)
    assert review.status == ReviewStatus.ASSIGNED

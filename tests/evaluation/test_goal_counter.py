"""The dashboard's goal counter counts what the plan counts: the parks put on a published construction list
("推动 10 个左右零碳园区建设"), accepted ones included, not only the projects building today."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from evaluation import services
from evaluation.models import ConstructionProject, ProjectStatus
from evaluation.selectors.dashboard import dashboard_overview, listed_parks, programme_rows
from tests.evaluation.factories import listed_project
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def _listed(world, n: int) -> list[ConstructionProject]:
    """``n`` parks of 南昌 on published lists, each with its own staff."""
    projects = []
    for index in range(n):
        park = ParkFactory(zone=ZoneFactory(city=world.nanchang), name=f"南昌名单园区{index}")
        staff = UserFactory(staff=True, park=park)
        actors = {"staff": staff, "reviewer": world.reviewer_a, "province": world.province}
        projects.append(listed_project(actors))
    return projects


def test_three_listed_parks_count_with_no_project_under_way(world, login):
    """Three parks on the lists, none building any more (all accepted): the counter reads 3 / 10, where
    counting only the projects under way read 0 / 10."""
    _listed(world, 3)
    ConstructionProject.objects.update(status=ProjectStatus.ACCEPTED)
    assert not ConstructionProject.objects.active().exists()

    response = login(world.province).get(reverse("evaluation:dashboard"))

    listed, accepted = response.context["board"].goals
    assert (listed.key, listed.count, listed.full) == ("under_construction", 3, 10)
    assert accepted.count == 3
    html = response.content.decode()
    assert 'id="goal-under_construction" data-count="3" data-goal-min="10" data-goal-max="10"' in html


def test_parks_building_and_accepted_count_once_each(world):
    building, accepted = _listed(world, 2)
    ConstructionProject.objects.filter(pk=accepted.pk).update(status=ProjectStatus.ACCEPTED)

    board = dashboard_overview(today=datetime.date(2027, 5, 1))

    assert board.goals[0].count == 2
    assert listed_parks(programme_rows()) == 2
    assert {p.pk for p in programme_rows() if p.listed} == {building.pk, accepted.pk}


def test_a_park_removed_from_the_list_no_longer_counts(world, actors_a):
    kept, removed = listed_project(actors_a), _listed(world, 1)[0]
    services.project_remove(
        by=world.province,
        project=removed,
        reason="未按期整改",
        document_no="赣发改环资〔2027〕3号",
        today=datetime.date(2027, 6, 1),
    )

    rows = programme_rows()

    assert [p.pk for p in rows if p.listed] == [kept.pk]
    assert dashboard_overview(today=datetime.date(2027, 6, 2)).goals[0].count == 1

"""The construction period in the Django admin: the province reads it; nobody writes there."""

from __future__ import annotations

import pytest

from parks import services
from parks.models import Role
from tests.evaluation.factories import listed_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(world):
    """A province admin as the portal creates one (with staff status, which the admin site needs)."""
    return services.user_create(by=world.province, username="admin2", password=None, role=Role.PROVINCE_ADMIN)


MODELS = (
    "constructionproject",
    "annualreport",
    "rectificationorder",
    "selfassessment",
    "acceptanceevaluation",
    "expertreview",
    "acceptancereport",
    "cityprogressreport",
    "nationalrecommendation",
    "parkarchive",
)


@pytest.mark.parametrize("model", MODELS)
def test_the_province_reads_and_cannot_add(admin_user, login, model):
    client = login(admin_user)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 403


def test_a_project_cannot_be_changed_or_deleted_in_the_admin(admin_user, actors_a, login):
    project = listed_project(actors_a)
    client = login(admin_user)
    page = client.get(f"/admin/evaluation/constructionproject/{project.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert (
        client.post(
            f"/admin/evaluation/constructionproject/{project.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert project.__class__.objects.filter(pk=project.pk).exists()


def test_a_city_reviewer_does_not_see_the_admin(world, login):
    assert login(world.reviewer_a).get("/admin/evaluation/constructionproject/").status_code in (302, 403)

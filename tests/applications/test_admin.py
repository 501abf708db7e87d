"""Applications in the Django admin: the province reads a dossier's page with its sections and opinions.

The sections' inline lists a timestamp (auto_now), which cannot be a form field: before the inlines made
every shown field read-only, an application with a section answered 500 (found by bench/probe.py).
"""

from __future__ import annotations

import pytest
from django.utils import translation

from applications import services
from applications.models import SectionCode
from parks import services as park_services
from parks.models import Role
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(world):
    """A province admin as the portal creates one (with staff status, which the admin site needs)."""
    return park_services.user_create(
        by=world.province, username="admin2", password=None, role=Role.PROVINCE_ADMIN
    )


def test_an_application_with_sections_opens_read_only(admin_user, world, login):
    application = ApplicationFactory(park=world.park_a)
    services.dossier_section_save(
        by=world.staff_a,
        application=application,
        code=SectionCode.OVERVIEW,
        data={"managing_body": "南昌经济技术开发区管理委员会"},
    )
    page = login(admin_user).get(f"/admin/applications/application/{application.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    with translation.override("zh-hans"):
        assert str(SectionCode.OVERVIEW.label).encode() in page.content  # the section's row is listed

"""Two people editing one section never silently undo each other: the save made on top of another answers
409 and keeps both; an API PATCH changes only the fields it names (issue 12, finding 3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import services
from applications.models import DossierSection, SectionCode
from applications.services.dossiers import StaleSection
from tests.applications.factories import ApplicationFactory
from tests.parks.factories import UserFactory

pytestmark = pytest.mark.django_db

ORG = SectionCode.ORGANISATION


def _section(application):
    return DossierSection.objects.get(application=application, code=ORG)


def test_a_save_on_top_of_someone_elses_is_refused_and_keeps_theirs(world):
    application = ApplicationFactory(park=world.park_a)
    colleague = UserFactory(staff=True, park=world.park_a)
    services.dossier_section_save(by=world.staff_a, application=application, code=ORG, data={"funding": "甲"})
    read = _section(application).version
    services.dossier_section_save(
        by=colleague, application=application, code=ORG, data={"funding": "乙"}, expected_version=read
    )
    with pytest.raises(StaleSection) as caught:
        services.dossier_section_save(
            by=world.staff_a, application=application, code=ORG, data={"funding": "丙"}, expected_version=read
        )
    assert caught.value.status_code == 409
    assert _section(application).data["funding"] == "乙"


def test_the_section_page_answers_409_with_the_typed_values_kept(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:section-edit", args=[application.pk, ORG])
    client = login(world.staff_a)
    assert client.post(url, {"funding": "甲", "version": "0"}).status_code == 302
    response = client.post(url, {"funding": "丙", "version": "0"})
    assert response.status_code == 409
    assert "丙" in response.content.decode()  # the user's typing is on the page, not lost
    assert _section(application).data["funding"] == "甲"


def test_an_api_patch_changes_only_the_fields_it_names(world, login):
    application = ApplicationFactory(park=world.park_a)
    services.dossier_section_save(
        by=world.staff_a, application=application, code=ORG, data={"funding": "甲", "policy": "政策"}
    )
    url = reverse("api-application-detail", args=[application.pk])
    response = login(world.staff_a).patch(
        url, {"sections": {ORG: {"funding": "乙"}}}, content_type="application/json"
    )
    assert response.status_code == 200
    data = _section(application).data
    assert (data["funding"], data["policy"]) == ("乙", "政策")


def test_an_api_patch_with_a_stale_version_answers_409_and_saves_nothing(world, login):
    application = ApplicationFactory(park=world.park_a)
    services.dossier_section_save(by=world.staff_a, application=application, code=ORG, data={"funding": "甲"})
    url = reverse("api-application-detail", args=[application.pk])
    client = login(world.staff_a)
    read = client.get(url).json()["sections"][ORG]["version"]
    services.dossier_section_save(by=world.staff_a, application=application, code=ORG, data={"funding": "乙"})
    response = client.patch(
        url, {"sections": {ORG: {"funding": "丙"}}, "versions": {ORG: read}}, content_type="application/json"
    )
    assert response.status_code == 409 and list(response.json()["errors"]) == ["version"]
    assert _section(application).data["funding"] == "乙"

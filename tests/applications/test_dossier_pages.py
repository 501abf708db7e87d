"""The dossier pages' permission matrix, and the application list, start and detail pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import ApplicationStatus
from tests.applications.dossier_helpers import _computed, _draft, _url
from tests.applications.factories import ApplicationFactory, CallFactory, ready_application

pytestmark = pytest.mark.django_db


# Every page of a dossier: (URL name, extra URL arguments, the marker of its edit form).
PAGES = [
    ("applications:section-edit", ["overview"], 'id="section-form"'),
    ("applications:section-edit", ["projects"], 'id="section-form"'),
    ("applications:section-energy", [], 'href="/applications/{pk}/energy/2025/"'),
    ("applications:energy-year", [2025], 'id="energy-upload-form"'),
    ("applications:section-emissions", [], None),
    ("applications:section-attachments", [], 'id="attachment-form"'),
]
PAGE_IDS = [f"{name.split(':')[1]}-{args}" for name, args, _marker in PAGES]


# --- Permission matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_redirects_to_login_when_anonymous(world, client, name, args, marker):
    response = client.get(_url(name, _draft(world), *args))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["staff_b", "reviewer_b", "expert"])
@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_answers_404_when_outside_scope(world, login, who, name, args, marker):
    response = login(world.users()[who]).get(_url(name, _draft(world), *args))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_answers_404_when_observer_reads_a_draft(world, login, name, args, marker):
    assert login(world.observer).get(_url(name, _draft(world), *args)).status_code == 404


@pytest.mark.parametrize("who", ["reviewer_a", "province", "observer"])
@pytest.mark.parametrize(("name", "args", "marker"), PAGES, ids=PAGE_IDS)
def test_dossier_page_is_read_only_when_reader(world, login, who, name, args, marker):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.users()[who]).get(_url(name, application, *args))
    assert response.status_code == 200
    html = response.content.decode()
    # No form on the dossier; the questions-and-answers panel below it is not the dossier.
    assert 'method="post"' not in html.split('id="section-title"')[1].split('id="threads"')[0]
    assert 'id="read-only-reason"' not in html


@pytest.mark.parametrize(("name", "args", "marker"), PAGES, ids=PAGE_IDS)
def test_dossier_page_shows_its_form_when_staff_of_the_park_edit_a_draft(world, login, name, args, marker):
    application = _draft(world)
    response = login(world.staff_a).get(_url(name, application, *args))
    assert response.status_code == 200
    if marker:
        assert marker.format(pk=application.pk) in response.content.decode()


def test_section_edit_is_read_only_with_the_reason_when_staff_view_a_submitted_dossier(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    html = (
        login(world.staff_a).get(_url("applications:section-edit", application, "overview")).content.decode()
    )
    assert 'id="section-readonly"' in html
    assert 'id="read-only-reason"' in html
    assert 'id="section-form"' not in html


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("applications:section-edit", ["overview"], {"area_km2": "3"}),
        ("applications:energy-year", [2025], {}),
        ("applications:section-attachments", [], {"kind": "other"}),
    ],
)
def test_dossier_post_answers_403_when_a_reader_writes(world, login, name, args, data):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    assert login(world.reviewer_a).post(_url(name, application, *args), data).status_code == 403
    assert login(world.staff_a).post(_url(name, application, *args), data).status_code == 403


# --- List, start, detail ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_application_list_query_count_is_constant(world, login, django_assert_num_queries, count):
    for _ in range(count):
        ApplicationFactory(park=world.park_a)
    client = login(world.staff_a)
    # session, user (park, zone, city joined), the calls the filter offers, count, whether an open call is
    # left for the park (EXISTS, the park's calls excluded), unread notifications (navigation), page of
    # applications (park, zone, city and call joined)
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:application-list"))
    assert len(response.context["page"].object_list) == count


def test_application_list_shows_the_scope_only_when_city_reviewer(world, login):
    ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(park=world.park_b, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).get(reverse("applications:application-list"))
    assert [a.park for a in response.context["page"].object_list] == [world.park_a]
    assert world.park_b.name not in response.content.decode()


def test_application_list_answers_403_when_expert(world, login):
    assert login(world.expert).get(reverse("applications:application-list")).status_code == 403


def test_application_list_offers_start_when_an_open_call_has_no_application_of_the_park(world, login):
    CallFactory()
    html = login(world.staff_a).get(reverse("applications:application-list")).content.decode()
    assert 'id="application-start"' in html


def test_application_list_hides_start_when_the_park_applies_in_every_open_call(world, login):
    ApplicationFactory(park=world.park_a, call=CallFactory())
    CallFactory(closed=True)
    html = login(world.staff_a).get(reverse("applications:application-list")).content.decode()
    assert 'id="application-start"' not in html


def test_application_start_creates_a_draft_when_staff_choose_an_open_call(world, login):
    call = CallFactory()
    response = login(world.staff_a).post(reverse("applications:application-start"), {"call": call.pk})
    application = world.park_a.applications.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-detail", args=[application.pk])
    assert application.call == call and application.status == ApplicationStatus.DRAFT


def test_application_start_answers_403_when_not_park_staff(world, login):
    CallFactory()
    assert login(world.reviewer_a).get(reverse("applications:application-start")).status_code == 403


def test_application_start_refuses_a_call_the_park_already_applies_in(world, login):
    call = CallFactory()
    ApplicationFactory(park=world.park_a, call=call)
    response = login(world.staff_a).post(reverse("applications:application-start"), {"call": call.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["call"]
    assert world.park_a.applications.count() == 1


def test_application_detail_lists_every_unmet_condition_when_staff_view_a_draft(world, login):
    application = _draft(world)
    response = login(world.staff_a).get(_url("applications:application-detail", application))
    groups = {group["key"]: group for group in response.context["checklist"]}
    assert {"overview", "energy", "targets", "attachments", "declarations"} <= set(groups)
    html = response.content.decode()
    assert 'id="submission-checklist"' in html
    assert "缺少 2023 年度能源数据。" in html
    assert _url("applications:section-edit", application, "targets") in html


def test_application_detail_hides_the_checklist_when_reviewer(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).get(_url("applications:application-detail", application))
    assert response.context["checklist"] is None
    assert 'id="dossier-progress"' in response.content.decode()


def test_application_detail_shows_the_indicators_of_each_year_when_computed(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:application-detail", application))
    core = response.context["indicators"][0]
    assert core["code"] == "carbon_per_energy"
    assert all(item is not None for _year, item in core["cells"])
    assert 'id="ready-to-submit"' in response.content.decode()

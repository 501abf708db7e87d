"""Actions on several items at once: the province assigns experts to several evaluations (all or nothing,
each audited and notified as on its own page), and the province or a city reminds every park late with its
annual report (one notice per park, once a day, one audit event)."""

from __future__ import annotations

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from evaluation.models import (
    AcceptanceEvaluation,
    ConstructionProject,
    EvaluationStatus,
    ExpertReview,
    ProjectStatus,
)
from evaluation.selectors.projects import late_reminder_url
from evaluation.services.acceptance import experts_assign_bulk
from evaluation.services.annual_reports import late_reports_remind
from tests.evaluation.factories import bare_evaluation, listed_project, report_year
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
BULK = reverse("evaluation:experts-assign-bulk")
REMIND = reverse("evaluation:late-reports-remind")


def _at(day: datetime.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


def _decide(evaluation: AcceptanceEvaluation) -> None:
    AcceptanceEvaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.DECIDED, decision="accepted", decided_at=timezone.now()
    )
    evaluation.refresh_from_db()


# ---------------------------------------------------------------- experts for several evaluations


@pytest.fixture
def two_evaluations(world) -> list[AcceptanceEvaluation]:
    return [bare_evaluation(world.park_a), bare_evaluation(world.park_b)]


def test_the_list_offers_ticking_to_the_province_only(world, login, two_evaluations):
    html = login(world.province).get(reverse("evaluation:evaluation-list")).content.decode()
    assert 'id="bulk-assign"' in html
    assert html.count("data-bulk-item") == 2
    other = login(world.observer).get(reverse("evaluation:evaluation-list")).content.decode()
    assert "data-bulk-item" not in other and 'id="bulk-assign"' not in other


def test_ticked_evaluations_lead_to_a_page_naming_the_parks_before_anything_is_sent(
    world, login, two_evaluations
):
    response = login(world.province).post(BULK, {"evaluations": [e.pk for e in two_evaluations]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "南昌测试园" in html and "赣州测试园" in html
    assert f'name="experts" value="{world.expert.pk}"' in html
    assert not ExpertReview.objects.exists()


def test_confirmed_assignment_reaches_every_evaluation_each_audited_and_notified(
    world, login, two_evaluations
):
    second = UserFactory(expert=True)
    data = {"evaluations": [e.pk for e in two_evaluations], "experts": [world.expert.pk, second.pk]}

    response = login(world.province).post(BULK, {**data, "confirm": "on"})

    assert response.status_code == 302
    for evaluation in two_evaluations:
        assert set(evaluation.reviews.values_list("expert_id", flat=True)) == {world.expert.pk, second.pk}
        (event,) = AuditEvent.objects.for_object(evaluation).filter(action="experts_assigned")
        assert event.actor == world.province
    assert Notification.objects.filter(recipient=world.expert).count() == 2
    assert Notification.objects.filter(recipient=second).count() == 2


def test_an_expert_already_on_an_evaluation_stays_as_is_there(world, two_evaluations):
    first, other = two_evaluations
    ExpertReview.objects.create(evaluation=first, expert=world.expert)

    assigned = experts_assign_bulk(by=world.province, evaluations=two_evaluations, experts=[world.expert])

    assert (len(assigned[first.pk]), len(assigned[other.pk])) == (0, 1)
    assert first.reviews.count() == other.reviews.count() == 1


def test_one_decided_evaluation_undoes_the_whole_batch_naming_its_park(world, two_evaluations):
    first, decided = two_evaluations
    _decide(decided)

    with pytest.raises(ApplicationError) as refused:
        experts_assign_bulk(by=world.province, evaluations=[first, decided], experts=[world.expert])

    assert "赣州测试园" in refused.value.message
    assert not ExpertReview.objects.exists()
    assert not AuditEvent.objects.filter(action="experts_assigned").exists()


def test_a_refusal_on_the_page_assigns_nothing_and_says_why(world, login, two_evaluations):
    observer = world.observer  # not a review expert: refused as on the evaluation's own page
    data = {"evaluations": [e.pk for e in two_evaluations], "experts": [world.expert.pk, observer.pk]}

    response = login(world.province).post(BULK, {**data, "confirm": "on"})

    assert response.status_code == 400
    assert 'id="bulk-assign-error"' in response.content.decode()
    assert not ExpertReview.objects.exists()
    with pytest.raises(ValidationError):
        experts_assign_bulk(by=world.province, evaluations=two_evaluations, experts=[observer])


def test_a_decided_evaluation_among_the_ticked_ones_is_refused_before_the_confirmation(
    world, login, two_evaluations
):
    _decide(two_evaluations[1])
    response = login(world.province).post(BULK, {"evaluations": [e.pk for e in two_evaluations]}, follow=True)
    assert "赣州测试园" in response.content.decode()
    assert not ExpertReview.objects.exists()


@pytest.mark.parametrize("who", ["observer", "reviewer_a", "staff_a", "expert"])
def test_only_the_province_assigns_in_bulk(world, login, two_evaluations, who):
    data = {"evaluations": [two_evaluations[0].pk], "experts": [world.expert.pk], "confirm": "on"}
    assert login(world.users()[who]).post(BULK, data).status_code == 403
    with pytest.raises(PermissionDenied):
        experts_assign_bulk(by=world.users()[who], evaluations=two_evaluations, experts=[world.expert])
    assert not ExpertReview.objects.exists()


def test_an_unknown_evaluation_is_not_found(world, login, two_evaluations):
    data = {"evaluations": [two_evaluations[0].pk, 999999], "experts": [world.expert.pk], "confirm": "on"}
    assert login(world.province).post(BULK, data).status_code == 404
    assert not ExpertReview.objects.exists()


# ---------------------------------------------------------------- reminding the late parks


@pytest.fixture
def late_a(world, actors_a, actors_b) -> ConstructionProject:
    """park_a has not submitted its 2026 report (due 2027-03-31); park_b has."""
    project_a, project_b = listed_project(actors_a), listed_project(actors_b)
    report_year(project_b, actors_b["staff"], 2026)
    return project_a


def test_the_confirmation_names_the_late_parks_and_their_count(world, login, late_a):
    with _at(datetime.date(2027, 5, 1)):  # (sign in on the day: a session lasts 8 hours)
        response = login(world.province).get(REMIND)
    html = response.content.decode()
    assert response.status_code == 200
    assert [late.project.pk for late in response.context["pending"]] == [late_a.pk]
    assert "南昌测试园" in html and "赣州测试园" not in html
    assert "2027-03-31" in html
    assert not Notification.objects.filter(url=late_reminder_url(late_a)).exists()


def test_one_notice_per_late_park_once_a_day_and_one_audit_event(world, login, late_a):
    with _at(datetime.date(2027, 5, 1)):
        client = login(world.province)
        first = client.post(REMIND, follow=True)
    with _at(datetime.date(2027, 5, 1), hour=16):
        second = client.post(REMIND, follow=True)

    (notice,) = Notification.objects.filter(url=late_reminder_url(late_a))
    assert notice.recipient == world.staff_a
    assert "南昌测试园" in notice.title and "2026" in notice.title
    assert not Notification.objects.filter(recipient=world.staff_b, url__endswith="#reports").exists()
    (event,) = AuditEvent.objects.filter(action="late_reports_reminded")
    assert event.actor == world.province and "1" in event.comment and "南昌测试园" in event.comment
    assert "南昌测试园" in first.content.decode()
    assert [m.level_tag for m in second.context["messages"]] == ["info"]

    with _at(datetime.date(2027, 5, 2)):
        late_reports_remind(by=world.province)
    assert Notification.objects.filter(url=late_reminder_url(late_a)).count() == 2
    assert AuditEvent.objects.filter(action="late_reports_reminded").count() == 2


def test_a_park_late_with_two_years_gets_one_notice_naming_both(world, late_a):
    with _at(datetime.date(2028, 5, 1)):
        result = late_reports_remind(by=world.province)
    assert result.sent == ["南昌测试园", "赣州测试园"]  # park_b is late with 2027 only
    (notice,) = Notification.objects.filter(url=late_reminder_url(late_a))
    assert "2026、2027" in notice.title
    assert "2027-03-31、2028-03-31" in notice.body


def test_a_city_reminds_its_own_parks_only(world, login, late_a, actors_b):
    with _at(datetime.date(2027, 5, 1)):
        assert late_reports_remind(by=world.reviewer_b).sent == []
        assert late_reports_remind(by=world.reviewer_a).sent == ["南昌测试园"]
    (event,) = AuditEvent.objects.filter(action="late_reports_reminded")
    assert event.target == world.nanchang
    # The province the same day: park_a has been told today already.
    with _at(datetime.date(2027, 5, 1), hour=15):
        result = late_reports_remind(by=world.province)
    assert (result.sent, result.already) == ([], ["南昌测试园"])


def test_a_park_without_an_active_account_is_named_not_counted(world, late_a):
    world.staff_a.is_active = False
    world.staff_a.save()
    with _at(datetime.date(2027, 5, 1)):
        result = late_reports_remind(by=world.province)
    assert (result.sent, result.unreachable) == ([], ["南昌测试园"])
    assert not AuditEvent.objects.filter(action="late_reports_reminded").exists()


@pytest.mark.parametrize("who", ["observer", "staff_a", "expert"])
def test_only_the_province_and_cities_remind(world, login, late_a, who):
    with _at(datetime.date(2027, 5, 1)):
        client = login(world.users()[who])
        assert client.get(REMIND).status_code == 403
        assert client.post(REMIND).status_code == 403
    assert not Notification.objects.filter(url=late_reminder_url(late_a)).exists()


def test_the_buttons_show_to_those_who_may_remind(world, login, late_a):
    with _at(datetime.date(2027, 5, 1)):
        for user, shown in ((world.province, True), (world.reviewer_a, True), (world.observer, False)):
            html = login(user).get(reverse("evaluation:project-list")).content.decode()
            assert ('id="remind-late"' in html) is shown
        dashboard = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    assert f'href="{REMIND}?next=' in dashboard


def test_a_park_outside_the_list_of_projects_under_way_is_not_late(world, late_a):
    ConstructionProject.objects.filter(pk=late_a.pk).update(status=ProjectStatus.ACCEPTED)
    with _at(datetime.date(2027, 5, 1)):
        assert late_reports_remind(by=world.province).sent == []


def test_a_more_parks_page_costs_the_same_queries(world, login, django_assert_num_queries, late_a):
    for index in range(3):
        park = ParkFactory(zone=ZoneFactory(city=world.nanchang), name=f"南昌迟报园区{index}")
        staff = UserFactory(staff=True, park=park)
        listed_project({"staff": staff, "reviewer": world.reviewer_a, "province": world.province})
    with _at(datetime.date(2027, 5, 1)):
        client = login(world.province)
        client.get(REMIND)  # the content types and the session warm
        # session, user, late reports with their projects, reminders sent today, unread notifications
        with django_assert_num_queries(5):
            response = client.get(REMIND)
    assert len(response.context["pending"]) == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers itself")
def test_two_clicks_at_once_send_one_reminder(world, actors_a):
    """The province and the city click at the same moment: the park is told once, one event is written."""
    project = listed_project(actors_a)
    barrier, results, errors = threading.Barrier(2), [], []

    def click(user):
        try:
            barrier.wait()
            results.append(late_reports_remind(by=user, today=datetime.date(2027, 5, 1)))
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(user,)) for user in (world.province, world.reviewer_a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert sorted(len(result.sent) for result in results) == [0, 1]
    assert Notification.objects.filter(url=late_reminder_url(project)).count() == 1
    assert AuditEvent.objects.filter(action="late_reports_reminded").count() == 1

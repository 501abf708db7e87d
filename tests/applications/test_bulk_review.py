"""The province decides on several recommended dossiers at once: one opinion, a confirmation naming the parks,
each decision as a single one would be (opinion, audit event, notifications), all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from applications.models import Application, ReviewOpinion
from applications.services import bulk
from tests.applications.review_helpers import S, _bare
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

URL = "applications:review-province-decide"
OPINION = "经省级审核，同意列入。"


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


@pytest.fixture
def recommended(world):
    """Two recommended dossiers in two cities, each with its park's staff and city reviewer to notify."""
    return [_bare(world, S.RECOMMENDED), _bare(world, S.RECOMMENDED, park=world.park_b)]


def _post(client, applications, action="approve", comment=OPINION, **extra):
    data = {"applications": [a.pk for a in applications], "action": action, "comment": comment, **extra}
    return client.post(reverse(URL), data)


def _statuses(applications) -> list[str]:
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_the_first_post_asks_for_confirmation_naming_the_parks_and_changes_nothing(world, login, recommended):
    response = _post(login(world.province), recommended)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.park_a.name in html and world.park_b.name in html
    assert 'name="confirmed" value="1"' in html
    assert OPINION in html
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]
    assert not ReviewOpinion.objects.exists()


def test_confirmed_approval_decides_each_as_a_single_decision_would(world, login, recommended):
    notes_before = Notification.objects.count()
    response = _post(login(world.province), recommended, confirmed="1", query="status=recommended&city=")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:review-province") + "?status=recommended&city="
    assert _statuses(recommended) == [S.APPROVED, S.APPROVED]
    for application in recommended:
        opinion = ReviewOpinion.objects.get(application=application)
        assert (opinion.stage, opinion.action, opinion.text, opinion.author) == (
            "province",
            "approve",
            OPINION,
            world.province,
        )
        (event,) = AuditEvent.objects.for_object(application).filter(action="approve")
        assert (event.from_state, event.to_state, event.comment) == (S.RECOMMENDED, S.APPROVED, OPINION)
    # each park's staff and its city's reviewer hear of their own dossier
    recipients = set(Notification.objects.order_by().values_list("recipient__username", flat=True))
    assert recipients == {"staff_a", "reviewer_a", "staff_b", "reviewer_b"}
    assert Notification.objects.count() - notes_before == 4


def test_confirmed_rejection_rejects_every_selected_one(world, login, recommended):
    _post(login(world.province), recommended, action="reject", confirmed="1")
    assert _statuses(recommended) == [S.REJECTED, S.REJECTED]
    assert ReviewOpinion.objects.filter(action="reject").count() == 2


def test_a_dossier_in_another_state_refuses_the_whole_batch_naming_it(world, login, recommended):
    other = ParkFactory(zone=ZoneFactory(city=world.nanchang), name="已批准园")
    approved = _bare(world, S.APPROVED, park=other)
    response = _post(login(world.province), [*recommended, approved], confirmed="1")
    assert response.status_code == 400
    message = response.context["error"]
    assert "已批准园" in message
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]
    assert not AuditEvent.objects.filter(action="approve").exists()
    assert 'id="bulk-confirm-submit"' not in response.content.decode()


def test_an_unknown_dossier_refuses_the_batch_by_its_number(world, login, recommended):
    response = login(world.province).post(
        reverse(URL), {"applications": [recommended[0].pk, 999999], "action": "approve", "comment": OPINION}
    )
    assert response.status_code == 400
    assert "999999" in response.context["error"]
    assert _statuses(recommended)[0] == S.RECOMMENDED


def test_a_refusal_midway_rolls_back_the_decisions_already_taken(world, monkeypatch, recommended):
    real, calls = bulk.application_transition, []

    def second_refused(**kwargs):
        calls.append(kwargs["application"].pk)
        if len(calls) == 2:
            raise ApplicationError("名额已满。")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "application_transition", second_refused)
    with pytest.raises(ApplicationError) as refused:
        bulk.applications_decide(
            by=world.province, application_ids=[a.pk for a in recommended], action="approve", comment=OPINION
        )
    blocked = Application.objects.get(pk=calls[1]).park.name
    assert blocked in refused.value.message and "名额已满。" in refused.value.message
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]
    assert not ReviewOpinion.objects.exists()
    assert not AuditEvent.objects.filter(action="approve").exists()
    assert not Notification.objects.exists()


def test_a_refusal_midway_shows_on_the_confirmation_page(world, login, monkeypatch, recommended):
    def refused(**kwargs):
        raise ApplicationError("名额已满。")

    monkeypatch.setattr(bulk, "application_transition", refused)
    response = _post(login(world.province), recommended, confirmed="1")
    assert response.status_code == 400
    assert "名额已满。" in response.context["error"]
    assert world.park_a.name in response.context["error"]


@pytest.mark.parametrize("who", ["observer", "reviewer_a", "staff_a", "expert"])
def test_only_the_province_decides_in_bulk(world, login, recommended, who):
    assert _post(login(world.users()[who]), recommended, confirmed="1").status_code == 403
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]


def test_the_service_refuses_another_role_with_permission_denied(world, recommended):
    with pytest.raises(PermissionDenied):
        bulk.applications_decide(
            by=UserFactory(observer=True), application_ids=[recommended[0].pk], action="approve", comment="x"
        )


def test_nothing_selected_goes_back_to_the_queue_with_a_message(world, login):
    response = login(world.province).post(
        reverse(URL), {"action": "approve", "comment": OPINION}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("applications:review-province")
    assert [str(m) for m in response.context["messages"]] == [
        zh("Choose at least one recommended application.")
    ]


def test_an_unknown_action_goes_back_with_a_message(world, login, recommended):
    client = login(world.province)
    data = {"applications": [a.pk for a in recommended], "action": "recommend", "comment": OPINION}
    response = client.post(reverse(URL), {**data, "confirmed": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:review-province")
    assert [str(m) for m in response.context["messages"]] == [
        zh("Choose approve or reject for the selected applications.")
    ]
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]


def test_confirming_without_an_opinion_asks_for_one(world, login, recommended):
    response = _post(login(world.province), recommended, comment="  ", confirmed="1")
    assert response.status_code == 400
    assert response.context["error"] == zh("Write the opinion that goes with this decision.")
    assert _statuses(recommended) == [S.RECOMMENDED, S.RECOMMENDED]


def test_the_queue_offers_the_selection_to_the_province_only(world, login, recommended):
    _bare(world, S.APPROVED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    page = login(world.province).get(reverse("applications:review-province"), {"status": "all"})
    html = page.content.decode()
    assert html.count("data-bulk-item") == 2  # the approved one cannot be picked
    assert 'id="bulk-form"' in html and 'id="bulk-approve"' in html and 'id="bulk-reject"' in html
    observer = login(world.observer).get(reverse("applications:review-province")).content.decode()
    assert "data-bulk-item" not in observer and 'id="bulk-form"' not in observer


@pytest.mark.parametrize("extra", [0, 4])
def test_the_confirmation_page_query_count_is_constant(world, login, django_assert_num_queries, extra):
    parks = [world.park_a, *(ParkFactory(zone=ZoneFactory(city=world.nanchang)) for _ in range(extra))]
    applications = [_bare(world, S.RECOMMENDED, park=park) for park in parks]
    client = login(world.province)
    # session, user, the selected applications (places and call joined), unread notifications (header)
    with django_assert_num_queries(4):
        response = _post(client, applications)
    assert len(response.context["applications"]) == 1 + extra

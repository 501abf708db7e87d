"""Every edge of the application workflow, every forbidden edge, the gate, the quota and the timeline."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from applications import services
from applications.models import Application, ApplicationRevision, ApplicationStatus, ReviewOpinion
from applications.workflow import TRANSITIONS
from indicators.models import ELECTRICITY_LABELS
from tests.applications.factories import (
    CallFactory,
    application_in,
    ready_application,
    resubmitted_with_changes,
)
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

S = ApplicationStatus
WHO = {
    "submit": "staff",
    "resubmit": "staff",
    "withdraw": "staff",
    "return": "reviewer",
    "recommend": "reviewer",
    "decline": "reviewer",
    "approve": "province",
    "reject": "province",
}
ALLOWED = sorted((action, source) for action, t in TRANSITIONS.items() for source in t.sources)
STARTS = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.APPROVED, S.DECLINED, S.REJECTED, S.WITHDRAWN]
FORBIDDEN = sorted(
    (action, status)
    for action in TRANSITIONS
    for status in STARTS
    if status not in TRANSITIONS[action].sources
)


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_application_transition_moves_and_records_when_edge_is_allowed(world, actors_a, action, source):
    application = application_in(source, actors=actors_a)
    moved = services.application_transition(
        by=actors_a[WHO[action]], application=application, action=action, comment="意见"
    )
    assert moved.status == TRANSITIONS[action].target
    event = AuditEvent.objects.for_object(moved).filter(action=action).get()
    assert (event.from_state, event.to_state, event.comment, event.actor) == (
        source,
        TRANSITIONS[action].target,
        "意见",
        actors_a[WHO[action]],
    )


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_application_transition_refuses_and_keeps_state_when_edge_is_forbidden(
    world, actors_a, action, status
):
    application = application_in(status, actors=actors_a)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError):
        services.application_transition(
            by=actors_a[WHO[action]], application=application, action=action, comment="x"
        )
    application.refresh_from_db()
    assert application.status == status
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("who", ["staff_b", "reviewer_b", "observer", "expert"])
def test_application_transition_is_forbidden_to_other_roles_and_scopes(world, actors_a, action, who):
    source = TRANSITIONS[action].sources[0]
    application = application_in(source, actors=actors_a)
    with pytest.raises(PermissionDenied):
        services.application_transition(
            by=getattr(world, who), application=application, action=action, comment="x"
        )


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_application_transition_is_forbidden_to_roles_other_than_the_actor(world, actors_a, action):
    source = TRANSITIONS[action].sources[0]
    application = application_in(source, actors=actors_a)
    for role, user in actors_a.items():
        if role == WHO[action]:
            continue
        with pytest.raises(PermissionDenied):
            services.application_transition(by=user, application=application, action=action, comment="x")


def test_submit_lists_every_unmet_condition_when_dossier_is_empty(world, factor_data):
    application = services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory())
    with pytest.raises(ApplicationError) as raised:
        services.application_transition(by=world.staff_a, application=application, action="submit")
    errors = raised.value.errors
    assert set(errors) == {
        "industry",
        "energy",
        "targets",
        "tasks",
        "projects",
        "feasibility",
        "organisation",
        "attachments",
        "declarations",
        "overview",
    }
    assert any("2023" in message for message in errors["energy"])
    assert any("statistics" in message.lower() or "统计" in message for message in errors["declarations"])
    application.refresh_from_db()
    assert (application.status, application.revision) == (S.DRAFT, 0)


def test_submit_refuses_when_call_deadline_has_passed(world, actors_a, time_machine):
    application = ready_application(staff=world.staff_a)
    time_machine.move_to(application.call.deadline + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as raised:
        services.application_transition(by=world.staff_a, application=application, action="submit")
    assert list(raised.value.errors) == ["call"]


def test_submit_requires_the_boundary_map_for_a_park_in_a_park(world, actors_a):
    world.park_a.scope, world.park_a.boundary_text = "park_in_park", "东至甲路，南至乙路，西至丙河，北至丁山"
    world.park_a.save()
    application = ready_application(staff=world.staff_a)
    services.attachment_remove(by=world.staff_a, attachment=application.attachments.get(kind="boundary_map"))
    with pytest.raises(ApplicationError) as raised:
        services.application_transition(by=world.staff_a, application=application, action="submit")
    assert list(raised.value.errors) == ["attachments"]


def test_submit_keeps_a_revision_snapshot_with_datasets_and_indicators(world, actors_a):
    application = application_in(S.SUBMITTED, actors=actors_a)
    revision = ApplicationRevision.objects.get(application=application)
    assert revision.number == application.revision == 1
    assert set(revision.snapshot["datasets"]) == {"2023", "2024", "2025"}
    assert revision.snapshot["results"]["2025"]["indicators"][0]["code"] == "carbon_per_energy"
    assert revision.snapshot["sections"]["projects"]["projects"][0]["name"] == "园区分布式光伏二期"


def test_resubmit_keeps_the_earlier_revision_and_shows_changed_numbers(world, actors_a):
    from applications import selectors

    application = resubmitted_with_changes(actors_a)
    new, old = application.revisions.order_by("-number")[:2]
    assert (new.number, old.number) == (2, 1)
    rows = selectors.revision_diff(old.snapshot, new.snapshot)
    changed = {(row.label, row.old, row.new) for row in rows}
    assert any("52,000" in new_value and "48,000" in old_value for _label, old_value, new_value in changed)
    grid = f"{gettext('Electricity')} · {ELECTRICITY_LABELS['grid']} (MWh)"
    assert any(label == grid and (o, n) == ("50,000", "40,000") for label, o, n in changed)
    assert any(label == "单位能耗碳排放" and o != n for label, o, n in changed)
    projects = application.sections.get(code="projects").data
    assert application.total_investment_wan == sum(Decimal(p["investment_wan"]) for p in projects["projects"])


def test_review_decisions_require_an_opinion(world, actors_a):
    application = application_in(S.SUBMITTED, actors=actors_a)
    with pytest.raises(ValidationError) as raised:
        services.application_transition(
            by=world.reviewer_a, application=application, action="recommend", comment=" "
        )
    assert "comment" in raised.value.message_dict


def test_recommend_refuses_beyond_the_city_quota(world, actors_a):
    call = CallFactory(quota_per_city=1)
    first = application_in(S.SUBMITTED, actors=actors_a, call=call)
    services.application_transition(
        by=world.reviewer_a, application=first, action="recommend", comment="推荐"
    )
    from tests.parks.factories import ParkFactory, UserFactory

    other_park = ParkFactory(zone=world.park_a.zone, scope="park_in_park", boundary_text="东至甲路，南至乙路")
    other_staff = UserFactory(username="staff_a2", staff=True, park=other_park)
    second = application_in(S.SUBMITTED, actors={**actors_a, "staff": other_staff}, call=call)
    with pytest.raises(ApplicationError) as raised:
        services.application_transition(
            by=world.reviewer_a, application=second, action="recommend", comment="推荐"
        )
    assert "quota" in raised.value.errors
    # Another city's quota is its own.
    third = application_in(
        S.SUBMITTED,
        actors={"staff": world.staff_b, "reviewer": world.reviewer_b, "province": world.province},
        call=call,
    )
    assert (
        services.application_transition(
            by=world.reviewer_b, application=third, action="recommend", comment="推荐"
        ).status
        == S.RECOMMENDED
    )


def test_approve_records_conditions_and_an_opinion(world, actors_a):
    application = application_in(S.RECOMMENDED, actors=actors_a)
    approved = services.application_transition(
        by=world.province,
        application=application,
        action="approve",
        comment="同意",
        conditions=["2027 年底前完成能碳平台建设", "  "],
    )
    assert approved.conditions == ["2027 年底前完成能碳平台建设"]
    opinion = ReviewOpinion.objects.get(application=approved, stage="province")
    assert (opinion.action, opinion.text, opinion.conditions) == ("approve", "同意", approved.conditions)


def test_submit_notifies_the_city_reviewers_in_app_and_by_email(
    world, actors_a, django_capture_on_commit_callbacks
):
    world.reviewer_a.email = "reviewer@nc.example"
    world.reviewer_a.save()
    application = ready_application(staff=world.staff_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(by=world.staff_a, application=application, action="submit")
    assert Notification.objects.filter(recipient=world.reviewer_a).count() == 1
    assert not Notification.objects.filter(recipient=world.reviewer_b).exists()
    assert [m.to for m in mail.outbox] == [["reviewer@nc.example"]]


def test_dossier_is_frozen_outside_draft_and_returned(world, actors_a):
    application = application_in(S.SUBMITTED, actors=actors_a)
    with pytest.raises(ApplicationError):
        services.dossier_section_save(by=world.staff_a, application=application, code="organisation", data={})
    assert Application.objects.get(pk=application.pk).sections.get(code="organisation").data["policy"]


def test_returned_dossier_is_revised_and_resubmitted_after_the_deadline_and_the_call_closing(
    world, actors_a, time_machine
):
    application = application_in(S.RETURNED, actors=actors_a)
    time_machine.move_to(application.call.deadline + datetime.timedelta(days=10))
    services.call_transition(by=world.province, call=application.call, action="close")
    services.dossier_section_save(
        by=world.staff_a,
        application=application,
        code="organisation",
        data={**application.sections.get(code="organisation").data, "funding": "省级专项资金"},
    )
    resubmitted = services.application_transition(
        by=world.staff_a, application=application, action="resubmit"
    )
    assert (resubmitted.status, resubmitted.revision) == (S.SUBMITTED, 2)


def test_draft_is_frozen_once_its_call_is_closed(world, actors_a):
    application = ready_application(staff=world.staff_a)
    services.call_transition(by=world.province, call=application.call, action="close")
    with pytest.raises(ApplicationError):
        services.dossier_section_save(by=world.staff_a, application=application, code="organisation", data={})
    with pytest.raises(ApplicationError) as raised:
        services.application_transition(by=world.staff_a, application=application, action="submit")
    assert "call" in raised.value.errors


def test_revision_diff_reads_a_v1_snapshot_as_its_v2_equivalent_and_names_the_new_method(db):
    """A revision submitted before engine v2 against one after: the upgrade of the dataset is no change,
    the recomputed indicators are, with the factor set and engine they come from."""
    v1 = {
        "schema": "zcpark.dataset/1",
        "year": 2025,
        "energy": [{"carrier": "bituminous", "quantity": "100", "unit": "t", "use": "conversion"}],
        "electricity_mwh": {"grid": "5000"},
    }
    v2 = {**v1, "schema": "zcpark.dataset/2", "energy": [{**v1["energy"][0], "use": "power_heat"}]}
    old = {
        "datasets": {"2025": v1},
        "results": {"2025": {"factors": {"set": "cn-2025.1"}, "engine_version": "1.0.0", "indicators": []}},
    }
    new = {
        "datasets": {"2025": v2},
        "results": {"2025": {"factors": {"set": "cn-2026.1"}, "engine_version": "2.0.0", "indicators": []}},
    }
    from applications import selectors

    rows = [(row.label, row.old, row.new) for row in selectors.revision_diff(old, new)]
    assert (gettext("Factor set"), "cn-2025.1", "cn-2026.1") in rows
    assert (gettext("Engine version"), "1.0.0", "2.0.0") in rows
    assert not [row for row in rows if row[0].startswith(("energy", "schema"))]

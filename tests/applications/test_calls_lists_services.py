"""Calls and construction lists: every edge and forbidden edge, deadlines on both sides (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ConstructionList,
    ConstructionListEntry,
    ListStatus,
)
from evaluation.models import ConstructionProject
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import ApplicationFactory, CallFactory
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = dt.date(2026, 3, 31)
OUTSIDERS = ["observer", "expert", "reviewer_a", "staff_a"]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Jiangxi. 00:30 there is still the previous day in UTC: local dates must win."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def list_in(status: str, *, by, applications: list[Application] | None = None) -> ConstructionList:
    """A list of approved applications walked to ``status`` (objection deadline: today)."""
    return make_list(status, by=by, applications=applications)


# ---- calls -------------------------------------------------------------------------------------


def test_call_create_drafts_and_records_when_province_creates(world):
    call = services.call_create(by=world.province, title="2026年第一批", deadline=DEADLINE, quota_per_city=2)
    assert (call.status, call.quota_per_city, call.created_by) == (CallStatus.DRAFT, 2, world.province)
    event = AuditEvent.objects.for_object(call).get()
    assert (event.action, event.to_state, event.actor) == ("call_created", CallStatus.DRAFT, world.province)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_call_create_is_forbidden_when_user_is_not_the_province(world, who):
    with pytest.raises(PermissionDenied):
        services.call_create(by=getattr(world, who), title="越权批次", deadline=DEADLINE)
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("action", "source", "target"),
    [("open", CallStatus.DRAFT, CallStatus.OPEN), ("close", CallStatus.OPEN, CallStatus.CLOSED)],
)
def test_call_transition_moves_and_records_when_edge_is_allowed(world, action, source, target):
    call = CallFactory(status=source)
    moved = services.call_transition(by=world.province, call=call, action=action, comment="按计划")
    assert moved.status == target
    assert (moved.opened_at if action == "open" else moved.closed_at) is not None
    event = AuditEvent.objects.for_object(call).get(action=f"call_{action}")
    assert (event.from_state, event.to_state, event.comment) == (source, target, "按计划")


@pytest.mark.parametrize(
    ("action", "source"),
    [
        ("open", CallStatus.OPEN),
        ("open", CallStatus.CLOSED),
        ("close", CallStatus.DRAFT),
        ("close", CallStatus.CLOSED),
    ],
)
def test_call_transition_refuses_and_keeps_state_when_edge_is_forbidden(world, action, source):
    call = CallFactory(status=source)
    with pytest.raises(ApplicationError):
        services.call_transition(by=world.province, call=call, action=action)
    call.refresh_from_db()
    assert call.status == source
    assert not AuditEvent.objects.for_object(call).exists()


def test_call_transition_refuses_when_action_is_unknown(world):
    with pytest.raises(ValidationError) as raised:
        services.call_transition(by=world.province, call=CallFactory(draft=True), action="reopen")
    assert "action" in raised.value.message_dict


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("action", "source"), [("open", CallStatus.DRAFT), ("close", CallStatus.OPEN)])
def test_call_transition_is_forbidden_when_user_is_not_the_province(world, who, action, source):
    call = CallFactory(status=source)
    with pytest.raises(PermissionDenied):
        services.call_transition(by=getattr(world, who), call=call, action=action)
    call.refresh_from_db()
    assert call.status == source


def test_call_open_succeeds_when_today_is_the_deadline_in_shanghai(world, time_machine):
    time_machine.move_to(at(DEADLINE, 23, 30), tick=False)
    call = CallFactory(draft=True, deadline=DEADLINE)
    assert services.call_transition(by=world.province, call=call, action="open").status == CallStatus.OPEN


def test_call_open_refuses_when_deadline_passed_in_shanghai(world, time_machine):
    time_machine.move_to(at(DEADLINE + dt.timedelta(days=1), 0, 30), tick=False)
    call = CallFactory(draft=True, deadline=DEADLINE)
    with pytest.raises(ValidationError) as raised:
        services.call_transition(by=world.province, call=call, action="open")
    assert "deadline" in raised.value.message_dict


def test_call_update_changes_fields_and_records_them_when_call_is_open(world):
    call = CallFactory(quota_per_city=2)
    services.call_update(by=world.province, call=call, data={"quota_per_city": 3, "description": "补充说明"})
    call.refresh_from_db()
    assert (call.quota_per_city, call.description) == (3, "补充说明")
    event = AuditEvent.objects.for_object(call).get(action="call_updated")
    assert event.changes["quota_per_city"] == [2, 3]


def test_call_update_refuses_when_call_is_closed(world):
    call = CallFactory(closed=True, quota_per_city=2)
    with pytest.raises(ApplicationError):
        services.call_update(by=world.province, call=call, data={"quota_per_city": 5})
    call.refresh_from_db()
    assert call.quota_per_city == 2


def test_calls_close_expired_keeps_open_when_today_is_the_deadline_in_shanghai(world, time_machine):
    time_machine.move_to(at(DEADLINE, 23, 30), tick=False)
    call = CallFactory(deadline=DEADLINE)
    assert services.calls_close_expired() == []
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_calls_close_expired_closes_when_deadline_passed_in_shanghai(world, time_machine):
    # 00:30 on 1 April in Jiangxi is still 31 March in UTC.
    time_machine.move_to(at(DEADLINE + dt.timedelta(days=1), 0, 30), tick=False)
    call = CallFactory(deadline=DEADLINE)
    assert [c.pk for c in services.calls_close_expired()] == [call.pk]
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    event = AuditEvent.objects.for_object(call).get(action="call_close")
    assert (event.actor, event.from_state, event.to_state) == (None, CallStatus.OPEN, CallStatus.CLOSED)


def test_calls_close_expired_leaves_drafts_and_closed_calls_alone(world, time_machine):
    time_machine.move_to(at(DEADLINE + dt.timedelta(days=10), 9), tick=False)
    draft = CallFactory(draft=True, deadline=DEADLINE)
    CallFactory(closed=True, deadline=DEADLINE)
    assert services.calls_close_expired() == []
    draft.refresh_from_db()
    assert draft.status == CallStatus.DRAFT


def test_dossier_section_save_raises_when_the_call_is_closed(world):
    call = CallFactory()
    application = ApplicationFactory(call=call, park=world.park_a)
    services.call_transition(by=world.province, call=call, action="close")
    with pytest.raises(ApplicationError) as raised:
        services.dossier_section_save(by=world.staff_a, application=application, code="organisation", data={})
    assert "锁定" in raised.value.message
    assert not application.sections.filter(code="organisation").exists()


# ---- construction lists ------------------------------------------------------------------------


def test_construction_list_create_drafts_one_entry_per_approved_application(world):
    first, second = approved(park=world.park_a), approved(park=world.park_b)
    clist = services.construction_list_create(
        by=world.province,
        title="第一批",
        document_no="赣发改环资〔2026〕1号",
        application_ids=[first.pk, second.pk],
    )
    assert clist.status == ListStatus.DRAFT
    assert sorted(clist.entries.values_list("park_id", flat=True)) == sorted(
        [world.park_a.pk, world.park_b.pk]
    )
    assert AuditEvent.objects.for_object(clist).get().action == "list_created"


@pytest.mark.parametrize("status", [s for s in ApplicationStatus.values if s != ApplicationStatus.APPROVED])
def test_construction_list_create_refuses_when_application_is_not_approved(world, status):
    application = ApplicationFactory(status=status)
    with pytest.raises(ValidationError) as raised:
        services.construction_list_create(by=world.province, title="名单", application_ids=[application.pk])
    assert "applications" in raised.value.message_dict
    assert not ConstructionList.objects.exists()


def test_construction_list_create_refuses_when_application_is_on_another_list(world):
    application = approved()
    list_in(ListStatus.DRAFT, by=world.province, applications=[application])
    with pytest.raises(ValidationError) as raised:
        services.construction_list_create(by=world.province, title="另一份", application_ids=[application.pk])
    assert "已列入其他名单" in " ".join(raised.value.message_dict["applications"])
    assert ConstructionList.objects.count() == 1


def test_construction_list_create_refuses_when_no_application_is_chosen(world):
    with pytest.raises(ValidationError) as raised:
        services.construction_list_create(by=world.province, title="空名单", application_ids=[])
    assert "applications" in raised.value.message_dict


@pytest.mark.parametrize("who", OUTSIDERS)
def test_construction_list_create_is_forbidden_when_user_is_not_the_province(world, who):
    with pytest.raises(PermissionDenied):
        services.construction_list_create(
            by=getattr(world, who), title="越权", application_ids=[approved().pk]
        )


def test_construction_list_update_keeps_its_own_applications_and_adds_others_when_draft(world):
    first, second = approved(), approved()
    clist = list_in(ListStatus.DRAFT, by=world.province, applications=[first])
    services.construction_list_update(
        by=world.province,
        construction_list=clist,
        data={"title": "改名", "applications": [first.pk, second.pk]},
    )
    clist.refresh_from_db()
    assert clist.title == "改名"
    assert sorted(clist.entries.values_list("application_id", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.parametrize("status", [ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED])
def test_construction_list_update_refuses_when_list_is_not_a_draft(world, status):
    clist = list_in(status, by=world.province)
    with pytest.raises(ApplicationError):
        services.construction_list_update(by=world.province, construction_list=clist, data={"title": "改名"})
    clist.refresh_from_db()
    assert clist.title != "改名"


@pytest.mark.parametrize(
    ("action", "source", "target"),
    [
        ("notice", ListStatus.DRAFT, ListStatus.PUBLIC_NOTICE),
        ("publish", ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED),
    ],
)
def test_construction_list_transition_moves_and_records_when_edge_is_allowed(world, action, source, target):
    clist = list_in(source, by=world.province)
    moved = services.construction_list_transition(
        by=world.province, construction_list=clist, action=action, objection_deadline=timezone.localdate()
    )
    assert moved.status == target
    event = AuditEvent.objects.for_object(clist).get(action=f"list_{action}")
    assert (event.from_state, event.to_state, event.actor) == (source, target, world.province)


@pytest.mark.parametrize(
    ("action", "source"),
    [
        ("notice", ListStatus.PUBLIC_NOTICE),
        ("notice", ListStatus.PUBLISHED),
        ("publish", ListStatus.DRAFT),
        ("publish", ListStatus.PUBLISHED),
    ],
)
def test_construction_list_transition_refuses_and_keeps_state_when_edge_is_forbidden(world, action, source):
    clist = list_in(source, by=world.province)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError):
        services.construction_list_transition(
            by=world.province, construction_list=clist, action=action, objection_deadline=timezone.localdate()
        )
    clist.refresh_from_db()
    assert clist.status == source
    assert AuditEvent.objects.count() == events


def test_construction_list_transition_refuses_when_action_is_unknown(world):
    clist = list_in(ListStatus.DRAFT, by=world.province)
    with pytest.raises(ValidationError) as raised:
        services.construction_list_transition(by=world.province, construction_list=clist, action="withdraw")
    assert "action" in raised.value.message_dict


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(
    ("action", "source"), [("notice", ListStatus.DRAFT), ("publish", ListStatus.PUBLIC_NOTICE)]
)
def test_construction_list_transition_is_forbidden_when_user_is_not_the_province(world, who, action, source):
    clist = list_in(source, by=world.province)
    with pytest.raises(PermissionDenied):
        services.construction_list_transition(
            by=getattr(world, who),
            construction_list=clist,
            action=action,
            objection_deadline=timezone.localdate(),
        )


def test_construction_list_notice_refuses_when_objection_deadline_is_missing(world):
    clist = list_in(ListStatus.DRAFT, by=world.province)
    with pytest.raises(ValidationError) as raised:
        services.construction_list_transition(by=world.province, construction_list=clist, action="notice")
    assert "objection_deadline" in raised.value.message_dict


def test_construction_list_notice_refuses_when_objection_deadline_is_yesterday_in_shanghai(
    world, time_machine
):
    time_machine.move_to(at(DEADLINE, 0, 30), tick=False)
    clist = list_in(ListStatus.DRAFT, by=world.province)
    with pytest.raises(ValidationError) as raised:
        services.construction_list_transition(
            by=world.province,
            construction_list=clist,
            action="notice",
            objection_deadline=DEADLINE - dt.timedelta(days=1),
        )
    assert "objection_deadline" in raised.value.message_dict


def test_construction_list_notice_refuses_when_list_has_no_parks(world):
    clist = list_in(ListStatus.DRAFT, by=world.province)
    ConstructionListEntry.objects.filter(construction_list=clist).delete()
    with pytest.raises(ApplicationError):
        services.construction_list_transition(
            by=world.province,
            construction_list=clist,
            action="notice",
            objection_deadline=timezone.localdate(),
        )


def _noticed_until(deadline: dt.date, *, by) -> ConstructionList:
    clist = list_in(ListStatus.DRAFT, by=by)
    return services.construction_list_transition(
        by=by, construction_list=clist, action="notice", objection_deadline=deadline
    )


def test_construction_list_publish_refuses_when_objection_period_runs_in_shanghai(world, time_machine):
    time_machine.move_to(at(DEADLINE - dt.timedelta(days=5), 10), tick=False)
    clist = _noticed_until(DEADLINE, by=world.province)
    time_machine.move_to(at(DEADLINE - dt.timedelta(days=1), 23, 30), tick=False)
    with pytest.raises(ApplicationError) as raised:
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    assert "objection_deadline" in raised.value.errors
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE


def test_construction_list_publish_succeeds_when_the_objection_deadline_is_today_in_shanghai(
    world, time_machine
):
    time_machine.move_to(at(DEADLINE - dt.timedelta(days=5), 10), tick=False)
    clist = _noticed_until(DEADLINE, by=world.province)
    # 00:30 on the deadline in Jiangxi is still the day before in UTC.
    time_machine.move_to(at(DEADLINE, 0, 30), tick=False)
    published = services.construction_list_transition(
        by=world.province, construction_list=clist, action="publish"
    )
    assert published.status == ListStatus.PUBLISHED
    assert published.published_at is not None


def test_construction_list_publish_moves_applications_to_listed_and_notifies_park_staff(world):
    first, second = approved(park=world.park_a), approved(park=world.park_b)
    clist = list_in(ListStatus.PUBLIC_NOTICE, by=world.province, applications=[first, second])
    services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    statuses = set(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    assert statuses == {ApplicationStatus.LISTED}
    event = AuditEvent.objects.for_object(first).get(action="listed")
    assert (event.from_state, event.to_state, event.comment) == ("approved", "listed", clist.title)
    told = Notification.objects.values_list("recipient__username", "url")
    assert {user for user, url in told if url == "/public/lists/"} == {"staff_a", "staff_b"}
    # Each park's construction project opens, and its city hears of it.
    projects = {p.park_id: p.pk for p in ConstructionProject.objects.all()}
    assert set(projects) == {world.park_a.pk, world.park_b.pk}
    assert {user for user, url in told if url.startswith("/projects/")} == {"reviewer_a", "reviewer_b"}


def test_construction_list_publish_refuses_when_an_application_is_no_longer_approved(world):
    application = approved()
    clist = list_in(ListStatus.PUBLIC_NOTICE, by=world.province, applications=[application])
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.REJECTED)
    with pytest.raises(ApplicationError):
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE

"""公示 objections: recording (only on notice), answering (final), dropping a park (its application stays
approved, with the reason on its timeline) and publishing (refused while an objection is unanswered)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from applications import services
from applications.models import (
    ApplicationStatus,
    ConstructionList,
    ListDrop,
    ListObjection,
    ListStatus,
    ObjectionStatus,
)
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import pdf_file
from tests.applications.objection_helpers import notice_list, objection_to
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are read in English here (their Chinese is the catalogue's business)."""
    with translation.override("en"):
        yield


def _after_deadline(clist: ConstructionList):
    moment = dt.datetime.combine(
        clist.objection_deadline, dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    return time_machine.travel(moment)


def _notified(*users) -> set[str]:
    return set(Notification.objects.filter(recipient__in=users).values_list("recipient__username", flat=True))


# ---- recording -----------------------------------------------------------------------------------


def test_recording_an_objection_keeps_it_open_audits_it_and_tells_the_park_and_its_city(world):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    assert (objection.status, objection.park, objection.recorded_by) == (
        ObjectionStatus.OPEN, world.park_a, world.province
    )  # fmt: skip
    assert AuditEvent.objects.for_object(objection).get().action == "objection_recorded"
    everyone = [world.staff_a, world.staff_b, world.reviewer_a, world.reviewer_b]
    assert _notified(*everyone) == {"staff_a", "reviewer_a"}


@pytest.mark.parametrize("status", [ListStatus.DRAFT, ListStatus.PUBLISHED])
def test_an_objection_is_refused_when_the_list_is_not_on_public_notice(world, status):
    clist = make_list(status, by=world.province, applications=[approved(park=world.park_a)])
    with pytest.raises(ApplicationError, match="only while the list is on public notice"):
        objection_to(world, clist, world.park_a)
    assert not ListObjection.objects.exists()


def test_an_objection_names_the_field_when_the_park_is_not_on_the_list_or_the_day_is_wrong(world):
    clist = notice_list(world)
    other = approved()
    cases = [
        ({"park": other.park}, "park"),
        ({"received_on": timezone.localdate() + dt.timedelta(days=1)}, "received_on"),
        ({"received_on": timezone.localdate() - dt.timedelta(days=1)}, "received_on"),
        ({"raised_by": " "}, "raised_by"),
        ({"text": ""}, "text"),
    ]
    for change, field in cases:
        park = change.pop("park", world.park_a)
        with pytest.raises(ValidationError) as caught:
            objection_to(world, clist, park, **change)
        assert field in caught.value.message_dict
    assert not ListObjection.objects.exists()


def test_an_objection_received_after_the_deadline_is_refused(world):
    clist = notice_list(world, days=0)
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later), pytest.raises(ValidationError) as caught:
        objection_to(world, clist, world.park_a, received_on=timezone.localdate())
    assert "received_on" in caught.value.message_dict


def test_evidence_is_checked_and_kept_with_its_digest(world):
    clist = notice_list(world)
    objection = objection_to(
        world, clist, world.park_a, evidence=pdf_file("举报材料.pdf"), evidence_name="举报材料.pdf"
    )
    assert (objection.evidence_name, len(objection.evidence_sha256)) == ("举报材料.pdf", 64)
    fake = pdf_file("假的.pdf")
    fake.seek(0)
    fake.write(b"not a pdf at all")
    fake.seek(0)
    with pytest.raises(ValidationError) as caught:
        objection_to(world, clist, world.park_a, evidence=fake, evidence_name="假的.pdf")
    assert "evidence" in caught.value.message_dict
    assert ListObjection.objects.count() == 1


@pytest.mark.parametrize("who", ["observer", "reviewer_a", "staff_a", "expert"])
def test_only_the_province_records_answers_and_drops(world, who):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.objection_record(
            by=user, construction_list=clist, park_id=world.park_a.pk, raised_by="甲",
            received_on=timezone.localdate(), text="异议",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.objection_answer(by=user, objection=objection, answer="答复")
    with pytest.raises(PermissionDenied):
        services.list_park_drop(by=user, construction_list=clist, park_id=world.park_a.pk, reason="理由")


# ---- answering -----------------------------------------------------------------------------------


def test_an_answer_is_final_and_tells_the_park_and_its_city(world):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    Notification.objects.all().delete()
    answered = services.objection_answer(by=world.province, objection=objection, answer="经核实，边界无误。")
    assert (answered.status, answered.answer, answered.answered_by) == (
        ObjectionStatus.ANSWERED, "经核实，边界无误。", world.province
    )  # fmt: skip
    assert answered.answered_at is not None
    assert _notified(world.staff_a, world.staff_b, world.reviewer_a, world.reviewer_b) == {
        "staff_a",
        "reviewer_a",
    }
    with pytest.raises(ApplicationError, match="answer is final"):
        services.objection_answer(by=world.province, objection=answered, answer="改一下")
    assert ListObjection.objects.get().answer == "经核实，边界无误。"


def test_an_answer_needs_its_text(world):
    objection = objection_to(world, notice_list(world), world.park_a)
    with pytest.raises(ValidationError) as caught:
        services.objection_answer(by=world.province, objection=objection, answer="  ")
    assert "comment" in caught.value.message_dict


# ---- dropping a park -----------------------------------------------------------------------------


def test_dropping_a_park_keeps_the_record_and_the_application_approved_with_the_reason(world):
    clist = notice_list(world)
    application = clist.entries.get(park=world.park_a).application
    Notification.objects.all().delete()
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="用地手续不全"
    )
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE
    assert list(clist.entries.values_list("park", flat=True)) == [world.park_b.pk]
    drop = ListDrop.objects.get()
    assert (drop.park, drop.application, drop.reason, drop.dropped_by) == (
        world.park_a, application, "用地手续不全", world.province
    )  # fmt: skip
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    event = AuditEvent.objects.for_object(application).get(action="list_park_dropped")
    assert "用地手续不全" in event.comment
    assert AuditEvent.objects.for_object(clist).filter(action="list_drop").exists()
    assert _notified(world.staff_a, world.staff_b, world.reviewer_a, world.reviewer_b) == {
        "staff_a",
        "reviewer_a",
    }


def test_a_dropped_park_may_go_on_a_later_list(world):
    clist = notice_list(world)
    application = clist.entries.get(park=world.park_a).application
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="补材料"
    )
    later = services.construction_list_create(
        by=world.province, title="第二批", application_ids=[application.pk]
    )
    assert later.entries.get().application == application


def test_dropping_needs_a_reason_a_park_on_the_list_and_a_list_on_notice(world):
    clist = notice_list(world)
    with pytest.raises(ValidationError) as caught:
        services.list_park_drop(
            by=world.province, construction_list=clist, park_id=world.park_a.pk, reason=""
        )
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.list_park_drop(
            by=world.province, construction_list=clist, park_id=approved().park_id, reason="x"
        )
    assert "park" in caught.value.message_dict
    published = make_list(ListStatus.PUBLISHED, by=world.province, applications=[approved()])
    park = published.entries.get().park
    with pytest.raises(ApplicationError, match="only from a list on public notice"):
        services.list_park_drop(by=world.province, construction_list=published, park_id=park.pk, reason="x")
    assert published.entries.count() == 1 and not ListDrop.objects.exists()


# ---- publishing ----------------------------------------------------------------------------------


def test_publishing_is_refused_while_a_park_on_the_list_has_an_unanswered_objection(world):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    with _after_deadline(clist):
        with pytest.raises(ApplicationError, match=world.park_a.name):
            services.construction_list_transition(
                by=world.province, construction_list=clist, action="publish"
            )
        services.objection_answer(by=world.province, objection=objection, answer="不成立。")
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLISHED


def test_publishing_lists_only_the_parks_left_after_a_drop(world):
    clist = notice_list(world)
    objection_to(world, clist, world.park_a)  # left unanswered: the park is dropped instead
    dropped = clist.entries.get(park=world.park_a).application
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="异议属实"
    )
    with _after_deadline(clist):
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    clist.refresh_from_db()
    assert [e.park for e in clist.entries.all()] == [world.park_b]
    assert clist.entries.get().application.status == ApplicationStatus.LISTED
    dropped.refresh_from_db()
    assert dropped.status == ApplicationStatus.APPROVED


def test_a_list_whose_every_park_was_dropped_is_not_published(world):
    clist = notice_list(world)
    for park in (world.park_a, world.park_b):
        services.list_park_drop(by=world.province, construction_list=clist, park_id=park.pk, reason="撤出")
    with _after_deadline(clist), pytest.raises(ApplicationError, match="nothing to publish"):
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE

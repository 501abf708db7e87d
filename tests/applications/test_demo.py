"""The demo gives each demo park a complete draft in an open call, ready to submit, and is idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications import selectors, services
from applications.demo import DEMO_CALL_TITLE, demo_applications_seed
from applications.models import Application, ApplicationStatus, CallStatus
from parks.demo import demo_seed
from parks.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password="pw-demo-1")
    # As after the seed's commit: the datasets' indicator tasks run (eagerly).
    with django_capture_on_commit_callbacks(execute=True):
        return demo_applications_seed()


def test_demo_applications_are_complete_drafts_in_an_open_call(demo):
    assert [a.park.name for a in demo] == ["南昌经开区零碳示范园", "赣州经开区零碳园区"]
    for application in demo:
        assert application.call.title == DEMO_CALL_TITLE
        assert application.call.status == CallStatus.OPEN
        assert application.status == ApplicationStatus.DRAFT
        assert selectors.submission_problems(application, today=timezone.localdate()) == {}


def test_demo_application_can_be_submitted_by_the_demo_park_account(demo):
    staff = User.objects.get(username="park_nanchang")
    submitted = services.application_transition(by=staff, application=demo[0], action="submit")
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_demo_applications_seed_is_idempotent_and_keeps_walked_applications(demo):
    staff = User.objects.get(username="park_ganzhou")
    services.application_transition(by=staff, application=demo[1], action="submit")
    again = demo_applications_seed()
    assert [a.pk for a in again] == [a.pk for a in demo]
    assert Application.objects.count() == 2
    assert Application.objects.get(pk=demo[1].pk).status == ApplicationStatus.SUBMITTED

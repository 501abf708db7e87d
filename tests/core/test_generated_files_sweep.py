"""An export or report whose job died (worker killed mid-render, message lost) fails visibly after 20
minutes instead of pending forever; a fresh one is left to its job (issue 12, jobs that always end)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import DossierExport
from tests.applications.factories import ApplicationFactory
from zcpark.core.models import FileStatus
from zcpark.core.services import STALE_ERROR, generated_files_fail_stale
from zcpark.core.tasks import generated_files_sweep_task

pytestmark = pytest.mark.django_db


def _export(world, minutes_ago: int) -> DossierExport:
    export = DossierExport.objects.create(
        application=ApplicationFactory(park=world.park_a), kind="pdf", revision_number=0
    )
    DossierExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return export


def test_a_job_pending_past_its_time_fails_with_a_message_and_a_fresh_one_waits(world):
    stale, fresh = _export(world, 45), _export(world, 5)
    assert generated_files_fail_stale() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.error) == (FileStatus.FAILED, STALE_ERROR)
    assert fresh.status == FileStatus.PENDING
    assert generated_files_sweep_task() == 0


def test_the_sweep_runs_from_the_one_schedule():
    from zcpark.celery import app

    assert app.conf.beat_schedule["generated-files-sweep"]["task"] == "core.generated_files_sweep"

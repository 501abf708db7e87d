"""A worker killed (kill -9) in the middle of an acceptance report's rendering: the job still ends. Its
message was never acknowledged (acks_late), so Redis hands it to the next worker once the visibility
timeout has passed (2 s here, an hour in production), and that worker renders the report: one file, one
event, nothing left pending (issue 12, jobs that always end)."""

from __future__ import annotations

import signal

from evaluation import services
from evaluation.models import AcceptanceReport
from tests.evaluation.factories import evaluation_requested
from tests.faults.conftest import needs_postgres_and_broker, wait_for
from tests.parks.factories import UserFactory
from zcpark.core.models import AuditEvent, FileStatus

pytestmark = needs_postgres_and_broker

VISIBILITY = "2"


def test_a_report_whose_worker_is_killed_mid_render_is_finished_by_the_next_worker(
    world, sent_to, workers, tmp_path
):
    actors = {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    evaluation = evaluation_requested(actors)  # eagerly, as every test: its own tasks are not under test
    sent_to()
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)])
    report = AcceptanceReport.objects.get(evaluation=evaluation)
    assert report.status == FileStatus.PENDING

    mark = tmp_path / "rendering"
    first = workers.start(
        ZCPARK_FAULT_RENDER_DELAY="120",
        ZCPARK_FAULT_RENDER_MARK=str(mark),
        CELERY_VISIBILITY_TIMEOUT=VISIBILITY,
    )
    wait_for(mark.exists, timeout=120, what=f"the first worker to start rendering\n{workers.logs()}")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    report.refresh_from_db()
    assert report.status == FileStatus.PENDING  # the job died with its worker

    workers.start(CELERY_VISIBILITY_TIMEOUT=VISIBILITY)

    def ended() -> bool:
        report.refresh_from_db()
        return report.status != FileStatus.PENDING

    # (Generous: the next worker starts, finds the message after its first restore tick, 10 s, and renders,
    # on a machine busy with the rest of the suite.)
    wait_for(ended, timeout=180, what=f"the next worker to render the report\n{workers.logs()}")
    assert (report.status, report.error) == (FileStatus.READY, ""), workers.logs()
    assert report.file.name.endswith(f"acceptance-{evaluation.pk}-{report.pk}.pdf")
    assert report.page_count > 5
    events = [e.action for e in AuditEvent.objects.for_object(report)]
    assert events == ["file_ready"]
    assert AcceptanceReport.objects.filter(evaluation=evaluation).count() == 1

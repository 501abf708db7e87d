"""The recommendation to the national programme (the province's act), and the park archives built by a
task: requesting one (a request while the same one is being built is answered with it), asking again for
one that failed, and building it into a temporary file streamed into storage."""

from __future__ import annotations

import tempfile
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Park, Role, User
from zcpark.core.archives import ARCHIVE_SPOOL_BYTES
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import Notice
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import generated_file_build, generated_file_pending, generated_file_requeue

from .. import archives
from ..models import ArchiveKind, ConstructionProject, NationalRecommendation, ParkArchive, ProjectStatus
from ..permissions import archive_audience, can_archive_park, can_recommend_nationally
from .common import lock_project, notify, record, require

BUILD_TASK = "evaluation.park_archive_build"


# ---- the recommendation ----------------------------------------------------------------------------


@transaction.atomic
def national_recommend(
    *,
    by: User,
    project: ConstructionProject,
    recommended_on: date | None,
    document_no: str,
    note: str = "",
) -> NationalRecommendation:
    """Recommend an accepted park that meets the national scheme to the national programme, with the
    date and number of the province's document: recorded once (never changed), on the timeline, the park
    and its city told."""
    require(can_recommend_nationally(by))
    locked = lock_project(project)
    if locked.status != ProjectStatus.ACCEPTED:
        raise ApplicationError(_("Only an accepted park can be recommended to the national programme."))
    if not locked.national_recommended:
        raise ApplicationError(
            _(
                "The park's assessment-year result does not meet the national scheme: it cannot be recommended."
            )
        )
    if NationalRecommendation.objects.filter(project=locked).exists():
        raise ApplicationError(_("The park has already been recommended to the national programme."))
    errors: dict[str, list[str]] = {}
    document_no = (document_no or "").strip()
    if not document_no:
        errors["document_no"] = [_("Give the number of the recommendation document.")]
    if recommended_on is None:
        errors["recommended_on"] = [_("Give the date of the recommendation.")]
    elif recommended_on > timezone.localdate():
        errors["recommended_on"] = [_("The recommendation date cannot be in the future.")]
    elif locked.accepted_at and recommended_on < timezone.localdate(locked.accepted_at):
        errors["recommended_on"] = [_("The recommendation date cannot be before the park was accepted.")]
    if errors or recommended_on is None:
        raise ValidationError(errors)
    recommendation = NationalRecommendation(
        project=locked,
        recommended_on=recommended_on,
        document_no=document_no,
        note=(note or "").strip(),
        decided_by=by,
    )
    recommendation.full_clean()
    recommendation.save()
    comment = f"{document_no} · {recommended_on:%Y-%m-%d}" + (f" · {recommendation.note}" if note else "")
    record(by, locked, "national_recommended", comment=comment)
    notify(
        locked,
        (Role.PARK_STAFF, Role.CITY_REVIEWER),
        event=gettext_lazy("Recommended to the national zero-carbon park programme"),
        body=Notice(
            gettext_lazy("Document %(document_no)s of %(date)s."),
            document_no=document_no,
            date=f"{recommended_on:%Y-%m-%d}",
        ),
    )
    return recommendation


# ---- archives --------------------------------------------------------------------------------------


def _may_request(by: User, park: Park, kind: str) -> bool:
    if kind == ArchiveKind.NATIONAL:
        return can_recommend_nationally(by)
    return can_archive_park(by, park.pk, park.zone.city_id)


def _pending(park: Park, project: ConstructionProject | None, kind: str, audience: str) -> ParkArchive | None:
    """The same archive (the same copy) still being built, if its job is alive (one whose job is lost is
    marked failed on the way). The caller holds the park's row lock."""
    return generated_file_pending(
        ParkArchive.objects.filter(park=park, project=project, kind=kind, audience=audience)
    )


@transaction.atomic
def park_archive_request(
    *, by: User, park: Park, kind: str, project: ConstructionProject | None = None
) -> ParkArchive:
    """A pending archive of ``kind`` (the national package or a project's archive need the project; the
    park's archive takes all its applications and projects), built by a task once committed. The same
    archive still being built answers a second request (requests queue on the park's row)."""
    if kind not in ArchiveKind.values:
        raise ValidationError(
            {"kind": [_("Choose the national package, the project's or the park's archive.")]}
        )
    if not _may_request(by, park, kind):
        raise PermissionDenied
    if kind != ArchiveKind.PARK and (project is None or project.park_id != park.pk):
        raise ValidationError({"project": [_("Choose the construction project to archive.")]})
    if kind == ArchiveKind.NATIONAL and project is not None and project.status != ProjectStatus.ACCEPTED:
        raise ApplicationError(_("The national package is built for an accepted park."))
    Park.objects.select_for_update().filter(pk=park.pk).values_list("pk").first()
    project = None if kind == ArchiveKind.PARK else project
    audience = archive_audience(by)
    pending = _pending(park, project, kind, audience)
    if pending is not None:
        return pending
    archive = ParkArchive(park=park, project=project, kind=kind, audience=audience, requested_by=by)
    archive.full_clean()
    archive.save()
    task_enqueue_on_commit(BUILD_TASK, archive.pk)
    return archive


@transaction.atomic
def park_archive_retry(*, by: User, archive: ParkArchive) -> ParkArchive:
    """Ask again for a failed archive (of one's own copy); the same archive being built since is the answer
    instead."""
    if not _may_request(by, archive.park, archive.kind) or archive.audience != archive_audience(by):
        raise PermissionDenied
    Park.objects.select_for_update().filter(pk=archive.park_id).values_list("pk").first()
    pending = _pending(archive.park, archive.project, archive.kind, archive.audience)
    if pending is not None and pending.pk != archive.pk:
        return pending
    return generated_file_requeue(ParkArchive, archive.pk, by=by, task=BUILD_TASK)


def _build(archive: ParkArchive, spool: IO[bytes]) -> tuple[str, File[bytes], dict[str, Any]]:
    manifest = archives.archive_write(archive, spool)
    spool.flush()
    size = spool.tell()
    spool.seek(0)
    name = f"{archive.kind}-{archive.park_id}-{archive.project_id or 'all'}-{archive.pk}.zip"
    return name, File(spool, name=name), {"size_bytes": size, "file_count": len(manifest)}


def park_archive_build(archive_id: int) -> str:
    """Build a requested archive into a temporary file (spilling to disk past ``ARCHIVE_SPOOL_BYTES``)
    and stream it into storage; an error marks it failed. Idempotent: an archive no longer pending is left
    as it is. Returns its status ("missing" if the row is gone)."""
    with tempfile.SpooledTemporaryFile(
        max_size=ARCHIVE_SPOOL_BYTES, dir=settings.FILE_UPLOAD_TEMP_DIR
    ) as spool:
        built = generated_file_build(ParkArchive, archive_id, lambda pending: _build(pending, spool))
    return "missing" if built is None else str(built.status)

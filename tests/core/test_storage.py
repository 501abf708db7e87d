"""Media storage: every file path works on a storage without a filesystem path, and the S3 backend is
chosen from the environment.

The storage under test keeps files in memory (Django's InMemoryStorage) and, like S3, answers ``path()``
with NotImplementedError: a leftover ``.path`` or ``open(path)`` anywhere on these paths fails the test.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.translation import gettext as _

from applications import exports, selectors, services
from applications.models import ApplicationStatus, ExportKind
from applications.services.exports import dossier_export_request
from evaluation import reports
from evaluation.models import AcceptanceReport, Evidence
from evaluation.reports import RenderedReport
from evaluation.services import acceptance_report_render
from tests.applications.factories import PDF_BYTES, ApplicationFactory, ready_application
from tests.core.test_settings import PRODUCTION
from tests.evaluation.factories import bare_evaluation
from zcpark.core.archives import json_bytes, unique_name
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
IN_MEMORY = {
    "default": {"BACKEND": "tests.core.test_storage.PathlessStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STAND_IN_PDF = b"%PDF-1.7 stand-in\n%%EOF\n"


class PathlessStorage(InMemoryStorage):
    """In memory, and without the made-up local path InMemoryStorage would give (S3 has none either)."""

    def _relative_path(self, name: str) -> str:
        # InMemoryStorage finds its nodes through path(); they keep doing so, callers may not.
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name: str) -> str:
        raise NotImplementedError("This storage has no local paths.")


@pytest.fixture
def memory(settings):
    """The default storage for the test: in memory, with no filesystem path."""
    settings.STORAGES = IN_MEMORY
    default_storage._setup()
    assert isinstance(default_storage._wrapped, PathlessStorage)
    return default_storage


def _scan(n: int, size: int = 3 * 1024 * 1024) -> SimpleUploadedFile:
    """A PDF-headed file of random bytes (they do not compress), larger than the archive's copy chunk."""
    return SimpleUploadedFile(f"扫描件{n}.pdf", b"%PDF-1.7\n" + os.urandom(size) + b"\n%%EOF\n")


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


# ---- attachments ----------------------------------------------------------------------------------


def test_an_attachment_is_uploaded_downloaded_and_deleted_without_a_filesystem_path(
    world, login, memory, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(park=world.park_a)
    client = login(world.staff_a)
    page = reverse("applications:section-attachments", args=[application.pk])
    upload = SimpleUploadedFile("园区批复.pdf", PDF_BYTES)
    assert client.post(page, {"kind": "zone_approval", "file": upload}).status_code == 302
    attachment = application.attachments.get()
    name = attachment.file.name
    assert memory.exists(name)
    with pytest.raises(NotImplementedError):
        attachment.file.path  # noqa: B018 — the storage has none: nothing may rely on one
    download = client.get(reverse("applications:attachment-download", args=[application.pk, attachment.pk]))
    assert _content(download) == PDF_BYTES
    delete = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not memory.exists(name)


def test_evidence_is_downloaded_from_storage_without_a_filesystem_path(world, login, memory):
    evaluation = bare_evaluation(world.park_a)
    evidence = Evidence(
        self_assessment=evaluation.self_assessment,
        title="自评估报告",
        original_name="自评估报告.pdf",
        size_bytes=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
    )
    evidence.file.save("evidence.pdf", ContentFile(PDF_BYTES))
    response = login(world.province).get(reverse("evaluation:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200 and _content(response) == PDF_BYTES


# ---- the dossier archive --------------------------------------------------------------------------


def _archive_as_before(application, revision_number: int) -> bytes:
    """The archive as it was built before it was streamed (every file read whole, the ZIP in memory):
    the reference the streamed export must match, name for name and byte for byte."""
    context = exports.build_dossier_context(application, revision_number)
    opinions, events = exports.opinion_rows(application), exports.timeline_rows(application)
    files = [(exports.PDF_NAME, exports.render_dossier_pdf(context))]
    snapshot = application.revisions.get(number=revision_number).snapshot
    digests = {a["sha256"] for a in snapshot.get("attachments") or []}
    taken: set[str] = set()
    for attachment in selectors.attachment_list(application):
        if attachment.sha256 in digests:
            with attachment.file.open("rb") as handle:
                content = handle.read()
            name = f"{attachment.kind}-{attachment.original_name}".replace("/", "_").replace("\\", "_")
            files.append((f"attachments/{unique_name(name, taken)}", content))
    files += [
        ("opinions.json", json_bytes(opinions)),
        ("审核意见.txt", exports.opinions_text(opinions).encode()),
    ]
    files += [
        ("timeline.json", json_bytes(events)),
        ("时间线.txt", exports.timeline_text(events).encode()),
    ]
    files += [
        (f"revisions/r{r.number}.json", json_bytes(r.snapshot))
        for r in application.revisions.order_by("number")
    ]
    manifest = [{"name": n, "size_bytes": len(c), "sha256": hashlib.sha256(c).hexdigest()} for n, c in files]
    header = {
        "park": context["park"].get("name"),
        "call": context["call_title"],
        "application": application.pk,
        "revision": context["revision_number"],
        "generated_at": exports.local_iso(timezone.now()),
    }
    readme = "\n".join(
        [
            f"{context['title']} · {header['park']} · {header['call']} · "
            + _("Revision %(n)s") % {"n": header["revision"]},
            _("Generated at %(when)s.") % {"when": header["generated_at"]},
            _("SHA-256 of each file (check with: sha256sum -c README.txt):"),
            "",
            *(f"{m['sha256']}  {m['name']}" for m in manifest),
            "",
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
        archive.writestr("manifest.json", json_bytes({**header, "files": manifest}))
        archive.writestr("README.txt", readme.encode())
    return buffer.getvalue()


def _entries(data: bytes) -> list[tuple[str, int, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, i.compress_type, i.external_attr, archive.read(i)) for i in archive.infolist()]


def test_the_dossier_archive_is_streamed_into_storage_with_the_same_content_as_before(
    world, login, memory, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "render_dossier_pdf", lambda context: STAND_IN_PDF)
    monkeypatch.setattr(exports, "local_iso", lambda value: "2026-06-01 09:30")  # one timestamp for both
    staff = world.staff_a
    application = ready_application(staff=staff)
    for n in (1, 2, 2):  # the third has the second's name: the archive numbers it
        services.attachment_add(
            by=staff, application=application, kind="other", file=_scan(n), name=f"扫描件{n}.pdf"
        )
    for action, who in (("submit", staff), ("return", world.reviewer_a)):
        application = services.application_transition(
            by=who, application=application, action=action, comment="意见"
        )
    with django_capture_on_commit_callbacks(execute=True):
        export = dossier_export_request(by=staff, application=application, kind=ExportKind.ZIP)
    export.refresh_from_db()
    assert export.status == FileStatus.READY and memory.exists(export.file.name)
    response = login(staff).get(reverse("applications:export-download", args=[application.pk, export.pk]))
    streamed = _entries(_content(response))
    assert streamed == _entries(_archive_as_before(application, export.revision_number))
    names = [name for name, *_rest in streamed]
    assert {
        "attachments/other-扫描件1.pdf",
        "attachments/other-扫描件2.pdf",
        "attachments/other-扫描件2-2.pdf",
    } <= set(names)
    assert application.status == ApplicationStatus.RETURNED and "revisions/r1.json" in names


# ---- the acceptance report ------------------------------------------------------------------------


def test_an_acceptance_report_is_stored_and_downloaded_without_a_filesystem_path(
    world, login, memory, monkeypatch
):
    evaluation = bare_evaluation(world.park_a)
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(reports, "acceptance_report_pdf", lambda context: RenderedReport(STAND_IN_PDF, 2))
    report = AcceptanceReport.objects.create(evaluation=evaluation, inputs_digest="x")
    assert acceptance_report_render(report.pk) == FileStatus.READY
    report.refresh_from_db()
    assert memory.exists(report.file.name)
    response = login(world.province).get(reverse("evaluation:report-download", args=[evaluation.pk]))
    assert response.status_code == 200 and _content(response) == STAND_IN_PDF


# ---- choosing the backend -------------------------------------------------------------------------

STORAGE_SUMMARY = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
summary = {"backend": f"{type(storage).__module__}.{type(storage).__name__}",
           "static": settings.STORAGES["staticfiles"]["BACKEND"]}
if hasattr(storage, "bucket_name"):
    summary.update(bucket=storage.bucket_name, overwrite=storage.file_overwrite, acl=storage.default_acl,
                   style=storage.addressing_style, spool=storage.max_memory_size, url=storage.url("a/b.pdf"))
print(json.dumps(summary))
"""


def _storage_summary(extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-c", STORAGE_SUMMARY],
        cwd=ROOT,
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_files_in_the_private_bucket_when_one_is_named():
    summary = _storage_summary(
        {
            **PRODUCTION,
            "AWS_STORAGE_BUCKET_NAME": "zcpark-media",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_ACCESS_KEY_ID": "minio-user",
            "AWS_SECRET_ACCESS_KEY": "minio-secret",  # a stand-in, never sent
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
    )
    assert summary["backend"] == "storages.backends.s3.S3Storage"
    assert summary["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert (summary["bucket"], summary["overwrite"], summary["acl"]) == ("zcpark-media", False, None)
    assert summary["style"] == "path" and summary["spool"] > 0
    # A signed URL would be short-lived and path-style on the MinIO host (none is handed out today).
    assert summary["url"].startswith("http://minio:9000/zcpark-media/a/b.pdf?")
    assert "X-Amz-Expires=300" in summary["url"]


def test_files_stay_on_local_disk_without_a_bucket():
    summary = _storage_summary({"DJANGO_SETTINGS_MODULE": "zcpark.settings.test"})
    assert summary["backend"] == "django.core.files.storage.filesystem.FileSystemStorage"

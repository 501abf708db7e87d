"""Backup and restore: a round trip gives every row and every media file back (SQLite here; PostgreSQL when
DATABASE_URL names one, as CI's does), and a damaged, foreign or newer backup is refused before any change."""

from __future__ import annotations

import io
import json
import secrets
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from parks.models import City, Park, User
from tests.parks.factories import CityFactory
from zcpark.core import backup
from zcpark.core.backup import BackupError, create_backup, prune_backups, restore_backup, verify_backup

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump and SQLite's backup read committed rows
EVIDENCE = "evidence/2026/计量证明.pdf"


def _manifest(path):
    return json.loads((path / "manifest.json").read_text(encoding="utf-8"))


def _rewrite_manifest(path, **changes):
    manifest = {**_manifest(path), **changes}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path_factory):
    """Media of its own: other tests in this process leave their files in the shared test media folder."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def evidence():
    name = default_storage.save(EVIDENCE, ContentFile("PDF 内容".encode()))
    assert name == EVIDENCE
    yield name
    if default_storage.exists(name):
        default_storage.delete(name)


def test_a_backup_holds_the_database_the_media_and_a_manifest(world, evidence, tmp_path):
    path = create_backup(tmp_path)
    assert path.name.startswith("zcpark-backup-") and not list(tmp_path.glob(".*partial"))
    manifest = verify_backup(path)
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"][User._meta.db_table] == 7 and manifest["counts"][Park._meta.db_table] == 2
    assert manifest["migrations"]["parks"].startswith("00")
    assert manifest["media"]["files"] == 1
    with tarfile.open(path / "media.tar.gz") as archive:
        assert archive.extractfile(EVIDENCE).read() == "PDF 内容".encode()


def test_restore_gives_every_row_and_file_back(world, evidence, tmp_path):
    path = create_backup(tmp_path)
    users = sorted(User.objects.values_list("username", flat=True))
    User.objects.all().delete()
    Park.objects.all().delete()
    CityFactory(code="361100", name="上饶市", plate="赣E")  # made after the backup: gone after restore
    default_storage.delete(evidence)

    report = restore_backup(path)

    assert sorted(User.objects.values_list("username", flat=True)) == users
    assert set(Park.objects.values_list("name", flat=True)) == {"南昌测试园", "赣州测试园"}
    assert not City.objects.filter(code="361100").exists()
    assert report.counts == _manifest(path)["counts"] and report.media_files == 1
    with default_storage.open(evidence, "rb") as handle:
        assert handle.read() == "PDF 内容".encode()


def test_restore_refuses_a_database_with_users_unless_forced(world, evidence, tmp_path):
    path = create_backup(tmp_path)
    world.park_a.name = "改过的名字"
    world.park_a.save()
    with pytest.raises(BackupError, match="already holds 7 user accounts"):
        restore_backup(path)
    assert Park.objects.get(pk=world.park_a.pk).name == "改过的名字"  # nothing was touched
    restore_backup(path, force=True)
    assert Park.objects.get(pk=world.park_a.pk).name == "南昌测试园"


def test_a_damaged_backup_is_refused_before_anything_changes(world, tmp_path):
    path = create_backup(tmp_path, media=False)
    dump = path / _manifest(path)["database"]["file"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    User.objects.all().delete()
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(path)
    assert not User.objects.exists()
    (path / "manifest.json").unlink()
    with pytest.raises(BackupError, match=r"no readable manifest\.json"):
        verify_backup(path)


def test_a_backup_from_a_newer_version_is_refused(world, tmp_path):
    path = create_backup(tmp_path, media=False)
    _rewrite_manifest(path, migrations={**_manifest(path)["migrations"], "parks": "9999_from_the_future"})
    with pytest.raises(
        BackupError, match=r"newer version .* lacks the migrations parks\.9999_from_the_future"
    ):
        restore_backup(path, force=True)


def test_a_backup_older_than_the_code_says_to_migrate(world, tmp_path):
    path = create_backup(tmp_path, media=False)
    _rewrite_manifest(path, migrations={**_manifest(path)["migrations"], "parks": "0001_initial"})
    report = restore_backup(path, force=True)
    assert any("run `manage.py migrate`" in note and "parks" in note for note in report.notes)
    assert any("holds no media files" in note for note in report.notes)


def test_a_media_archive_reaching_outside_the_storage_is_refused(world, tmp_path):
    path = create_backup(tmp_path)
    with tarfile.open(path / "media.tar.gz", "w:gz") as archive:
        info = tarfile.TarInfo("../../etc/cron.d/x")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    manifest = _manifest(path)
    manifest["media"]["sha256"] = backup._sha256(path / "media.tar.gz")
    _rewrite_manifest(path, media=manifest["media"])
    with pytest.raises(BackupError, match="is not a media file"):
        restore_backup(path, force=True)


def test_the_commands_write_check_and_restore(world, evidence, tmp_path, capsys):
    call_command("backup", str(tmp_path))
    path = next(tmp_path.glob("zcpark-backup-*"))
    assert f"Backup written to {path}" in capsys.readouterr().out
    call_command("restore", str(path), "--check")
    assert "is complete: " in capsys.readouterr().out
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path))
    call_command("restore", str(path), "--force")
    out = capsys.readouterr().out
    assert f"{User._meta.db_table}: 7" in out and "1 media files." in out


def test_old_backups_are_pruned_newest_kept(tmp_path):
    for stamp in ("20260101T000000Z", "20260102T000000Z", "20260103T000000Z"):
        (tmp_path / f"zcpark-backup-{stamp}").mkdir()
        (tmp_path / f"zcpark-backup-{stamp}" / "manifest.json").write_text("{}")
    (tmp_path / ".zcpark-backup-20260104T000000Z.partial").mkdir()  # unfinished: not counted, not removed
    deleted = prune_backups(tmp_path, keep=2)
    assert [p.name for p in deleted] == ["zcpark-backup-20260101T000000Z"]
    assert len(list(tmp_path.iterdir())) == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (CI runs it)")
def test_postgresql_round_trip_into_a_fresh_database(world, evidence, tmp_path):
    import psycopg2

    path = create_backup(tmp_path)
    assert path.joinpath("database.pgdump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    scratch = f"test_restore_{secrets.token_hex(4)}"
    db = {**connection.settings_dict, "NAME": scratch}
    admin = psycopg2.connect(**{**_params(connection.settings_dict), "dbname": "postgres"})
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{scratch}"')
    try:
        report = restore_backup(path, database=db, media=False)
        assert report.counts == _manifest(path)["counts"]
        assert report.counts[User._meta.db_table] == 7
        with pytest.raises(BackupError, match="already holds 7 user accounts"):
            restore_backup(path, database=db, media=False)
        assert restore_backup(path, database=db, media=False, force=True).counts == report.counts
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()


def _params(db):
    return {"user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"] or None}

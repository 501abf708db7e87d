"""Backup and restore: the database and the media files, with a manifest a restore checks before it touches
anything (docs/operations.md says when and how to run them).

A backup is one directory ``zcpark-backup-<UTC time>/`` holding

- ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online backup API),
- ``media.tar.gz``: every file of the default storage, read through Django's storage API, so local disk and
  S3/MinIO are backed up alike (``--no-media`` leaves them to the bucket's versioning and replication),
- ``manifest.json``: when, which version, the last migration of each app, the row count of every table, and
  each part's SHA-256.

The counts and the dump come from one snapshot (PostgreSQL: pg_dump runs in the snapshot the counting
transaction exported; SQLite: they are counted in the copy), so a restore can prove it got every row back
even from a backup made while the portal was in use. The directory is written under a hidden ``.partial``
name and renamed when complete: a backup cut off half way never looks like one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import structlog
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

logger = structlog.get_logger(__name__)

FORMAT = "zcpark-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
PREFIX = "zcpark-backup-"
# pg_restore gives up instead of queueing behind a running portal's locks (stop web, worker and beat first).
RESTORE_LOCK_TIMEOUT = "-c lock_timeout=30000"


class BackupError(Exception):
    """The backup cannot be made, or cannot be restored as it is; the message says what to do."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    counts: dict[str, int]
    media_files: int
    notes: list[str] = field(default_factory=list)


# -- the database's contents ----------------------------------------------------------------------------


def model_tables() -> list[str]:
    """Every table the installed apps' models keep (many-to-many tables too)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def inventory(
    cursor: Any, vendor: str, tables: list[str] | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """The row count of every model table present (or of ``tables``), and the last applied migration of each
    app, read through any DB-API cursor (psycopg2's, sqlite3's, Django's)."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    present = {row[0] for row in cursor.fetchall()}
    counts = {}
    for table in model_tables() if tables is None else tables:
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (a model's table name)
            counts[table] = int(cursor.fetchone()[0])
    heads: dict[str, str] = {}
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            heads[app] = max(heads.get(app, ""), name)
    return counts, heads


def _vendor(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never appears on a command line (ps)."""
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db["PORT"]) if db.get("PORT") else "",
    }
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        values["PG" + key.upper()] = options.get(key)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({k: str(v) for k, v in values.items() if v})
    return env


@contextmanager
def _pg_connection(db: dict[str, Any]) -> Iterator[Any]:
    """A connection of its own (Django's carries a 30 s statement timeout; a count may take longer)."""
    import psycopg2

    env = _pg_env(db)
    try:
        conn = psycopg2.connect(
            dbname=env.get("PGDATABASE"),
            user=env.get("PGUSER"),
            password=env.get("PGPASSWORD"),
            host=env.get("PGHOST"),
            port=env.get("PGPORT"),
            sslmode=env.get("PGSSLMODE"),
        )
    except psycopg2.OperationalError as exc:
        raise BackupError(f"Cannot connect to the database {db.get('NAME')}: {str(exc).strip()}") from exc
    try:
        yield conn
    finally:
        conn.close()


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools).") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_postgresql(db: dict[str, Any], target: Path) -> tuple[dict[str, int], dict[str, str]]:
    with _pg_connection(db) as conn:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, heads = inventory(cursor, "postgresql")
            # The counting transaction stays open while pg_dump reads the same snapshot.
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--lock-wait-timeout=60s",
                    "-f",
                    str(target),
                ],
                _pg_env(db),
            )
        conn.rollback()
    return counts, heads


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return inventory(copy.cursor(), "sqlite")
    finally:
        copy.close()


# -- media -------------------------------------------------------------------------------------------------


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # local storage before the first upload: no MEDIA_ROOT yet
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _write_media(storage: Storage, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in sorted(_storage_files(storage)):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mtime = int(datetime.now(UTC).timestamp())
            with storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
            count += 1
    return count


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _restore_media(storage: Storage, archive_path: Path) -> int:
    """Every file back under its own name (one already there is replaced; others are left as they are)."""
    count = 0
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(f"{archive_path.name} holds {member.name!r}, which is not a media file.")
            handle = archive.extractfile(member)
            assert handle is not None  # a regular file
            if storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, File(handle, name=member.name))
            if saved != member.name:
                raise BackupError(f"The storage saved {member.name} as {saved}.")
            count += 1
    return count


# -- backup ------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _version() -> str:
    if settings.APP_VERSION:
        return str(settings.APP_VERSION)
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def _operator() -> str:
    """Who ran it, for the log line (the shell account; a container may have no name for its user)."""
    return os.environ.get("USER") or os.environ.get("LOGNAME") or str(os.getuid())


def _part(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    return {"file": name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def create_backup(destination: Path, *, media: bool = True) -> Path:
    """Write a complete backup under ``destination``; return its directory."""
    db = connection.settings_dict
    vendor = _vendor(db)
    now = datetime.now(UTC)
    final = destination / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} already exists.")
    work = destination / f".{final.name}.partial"
    work.mkdir(parents=True)
    try:
        database_file = DATABASE_FILES[vendor]
        if vendor == "postgresql":
            counts, heads = _dump_postgresql(db, work / database_file)
        else:
            counts, heads = _dump_sqlite(work / database_file)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "version": _version(),
            "database": {"vendor": vendor, **_part(work, database_file)},
            "media": None,
            "migrations": heads,
            "counts": counts,
        }
        if media:
            files = _write_media(default_storage, work / MEDIA)
            manifest["media"] = {"files": files, **_part(work, MEDIA)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info(
        "backup_created",
        path=str(final),
        rows=sum(counts.values()),
        media_files=(manifest["media"] or {}).get("files"),
    )
    return final


def prune_backups(destination: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest complete backups in ``destination``; return those deleted."""
    backups = sorted(p for p in destination.glob(PREFIX + "*") if (p / MANIFEST).is_file())
    old = backups[: max(len(backups) - keep, 0)]
    for path in old:
        shutil.rmtree(path)
    return old


# -- restore -----------------------------------------------------------------------------------------------


def verify_backup(path: Path) -> dict[str, Any]:
    """The manifest, once every part it lists is there with its checksum; BackupError otherwise."""
    try:
        manifest: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} has no readable {MANIFEST}: is it a zcpark backup directory?") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is in format {manifest.get('format')!r}; this version reads {FORMAT}.")
    for part in (manifest["database"], manifest["media"]):
        if part is None:
            continue
        file = path / part["file"]
        if not file.is_file():
            raise BackupError(f"{file} is missing.")
        if _sha256(file) != part["sha256"]:
            raise BackupError(f"{file} does not match its checksum: the copy is damaged.")
    return manifest


def _migration_notes(heads: dict[str, str]) -> tuple[list[str], list[str]]:
    """(migrations the backup has but this code lacks, apps whose newer migrations must be run after)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unknown = [f"{app}.{name}" for app, name in sorted(heads.items()) if (app, name) not in graph.nodes]
    behind = sorted({app for app, name in graph.leaf_nodes() if app in heads and heads[app] < name})
    return unknown, behind


def _users_in(cursor: Any, vendor: str) -> int:
    table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    counts, _heads = inventory(cursor, vendor, tables=[table])
    return counts.get(table, 0)


def _restore_postgresql(db: dict[str, Any], dump: Path, force: bool) -> dict[str, int]:
    with _pg_connection(db) as conn, conn.cursor() as cursor:
        users = _users_in(cursor, "postgresql")
        conn.rollback()
    if users and not force:
        raise BackupError(
            f"The database {db['NAME']} already holds {users} user accounts: a restore replaces everything in "
            "it. Run again with --force if that is what you want."
        )
    connections.close_all()  # this process's own connection must hold no lock on a table being replaced
    env = {**_pg_env(db), "PGOPTIONS": RESTORE_LOCK_TIMEOUT}
    # One transaction: a restore that fails half way leaves the database as it was.
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(dump),
        ],
        env,
    )
    with _pg_connection(db) as conn, conn.cursor() as cursor:
        return inventory(cursor, "postgresql")[0]


def _restore_sqlite(dump: Path, force: bool) -> dict[str, int]:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    users = _users_in(connection.connection.cursor(), "sqlite")
    if users and not force:
        raise BackupError(
            f"The database already holds {users} user accounts: a restore replaces everything in it. "
            "Run again with --force if that is what you want."
        )
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    return inventory(connection.connection.cursor(), "sqlite")[0]


def restore_backup(
    path: Path, *, force: bool = False, media: bool = True, database: dict[str, Any] | None = None
) -> RestoreReport:
    """Put the backup at ``path`` back: the database (all of it, replacing what is there), then the media.

    ``database`` is a Django database settings dict (PostgreSQL only; default: the portal's own)."""
    manifest = verify_backup(path)
    db = database or connection.settings_dict
    vendor = _vendor(db)
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The backup holds a {manifest['database']['vendor']} database; this one is {vendor}."
        )
    unknown, behind = _migration_notes(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"The backup was made by a newer version ({manifest['version']}): this code lacks the migrations "
            f"{', '.join(unknown)}. Restore with that version."
        )
    dump = path / manifest["database"]["file"]
    counts = _restore_postgresql(db, dump, force) if vendor == "postgresql" else _restore_sqlite(dump, force)
    differ = sorted(t for t in manifest["counts"] if counts.get(t) != manifest["counts"][t])
    if differ:
        raise BackupError(
            f"Restored, but these tables' row counts differ from the backup's: {', '.join(differ)}."
        )
    media_files = 0
    if media and manifest["media"] is not None:
        media_files = _restore_media(default_storage, path / manifest["media"]["file"])
    notes = []
    if manifest["media"] is None:
        notes.append("The backup holds no media files (made with --no-media): restore them from the bucket.")
    if behind:
        notes.append(f"The backup predates migrations of {', '.join(behind)}: run `manage.py migrate` now.")
    logger.info(
        "backup_restored",
        path=str(path),
        created_at=manifest["created_at"],
        rows=sum(counts.values()),
        media_files=media_files,
        by=_operator(),
    )
    return RestoreReport(manifest=manifest, counts=counts, media_files=media_files, notes=notes)

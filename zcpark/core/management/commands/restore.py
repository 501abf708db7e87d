"""Restore a backup made by `manage.py backup` (docs/operations.md). Output is for operators: English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zcpark.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Check a backup's checksums, then replace the database with it and put its media files back. "
        "Stop the web, worker and beat first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="the backup directory (zcpark-backup-…)")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds user accounts"
        )
        parser.add_argument("--no-media", action="store_true", help="the database only")
        parser.add_argument(
            "--check", action="store_true", help="only verify the backup's checksums; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                manifest = verify_backup(options["backup"])
                self.stdout.write(
                    f"The backup of {manifest['created_at']} (version {manifest['version']}) is complete: "
                    f"{sum(manifest['counts'].values())} rows in {len(manifest['counts'])} tables, "
                    f"{(manifest['media'] or {}).get('files', 'no')} media files."
                )
                return
            report = restore_backup(options["backup"], force=options["force"], media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = report.manifest
        self.stdout.write(f"Restored the backup of {manifest['created_at']} (version {manifest['version']}).")
        for table, count in sorted(report.counts.items()):
            if count:
                self.stdout.write(f"  {table}: {count}")
        self.stdout.write(
            f"{sum(report.counts.values())} rows in {len(report.counts)} tables; "
            f"{report.media_files} media files."
        )
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))

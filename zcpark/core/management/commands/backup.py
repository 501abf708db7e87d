"""Back up the database and the media files (docs/operations.md). Output is for operators: English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zcpark.core.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = "Write a backup directory (database dump, media files, manifest) and print its path."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination", nargs="?", type=Path, help="where to write it (default: BACKUP_DIR, var/backups)"
        )
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="the database only (the media bucket has its own versioning and replication)",
        )
        parser.add_argument("--keep", type=int, help="then delete all but this many newest backups there")

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["destination"] or Path(settings.BACKUP_DIR)
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            path = create_backup(destination, media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = (path / "manifest.json").read_text(encoding="utf-8")
        self.stdout.write(f"Backup written to {path}")
        if options["verbosity"] > 1:
            self.stdout.write(manifest)
        if options["keep"] is not None:
            for old in prune_backups(destination, options["keep"]):
                self.stdout.write(f"Deleted the older backup {old}")

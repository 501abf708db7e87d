"""Import the development-zone catalog (开发区审核公告目录) from a CSV or Excel file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parks.zone_import import ZoneImportError, zone_catalog_import


class Command(BaseCommand):
    help = (
        "Create or update development zones from a CSV or Excel file with the columns "
        "name, city_code, level, kind, catalog_code. Nothing is written if any row is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the catalog file (.csv, .xlsx or .xlsm)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and count, but write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        dry_run: bool = options["dry_run"]
        try:
            with path.open("rb") as fh:
                result = zone_catalog_import(file=fh, filename=path.name, by=None, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        except ZoneImportError as exc:
            for error in exc.row_errors:
                self.stderr.write(error.message)
            raise CommandError(f"{path}: {exc.message}") from exc
        summary = f"Zones: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        self.stdout.write(f"Dry run, nothing written. {summary}" if dry_run else summary)

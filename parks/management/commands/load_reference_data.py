"""Load the reference data from fixtures/: the province this portal runs (settings.PROVINCE_DIR: its
document, cities and starting zone catalog), then the factor set and indicator schemes (load_factor_data).

A deploy runs it every time, so by default it only adds what is missing: a city, zone or province value
the province has changed since is kept, and what differs from the fixtures is listed. ``--update`` shows
the same list and, once confirmed (or with ``--no-input``), makes the stored data match the fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from parks.services import cities_load
from parks.zone_import import ZoneImportError, zone_catalog_import
from zcpark.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Load the province, its cities and zone catalog, and the factor data shipped in fixtures/ (adds what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update", action="store_true", help="also change stored data that differs from the fixtures"
        )
        parser.add_argument("--no-input", action="store_true", help="with --update: do not ask")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                differences: list[str] = []
                cities = cities_load(update=False, differences=differences)
                zones = self._zones(create_only=True)
                differences += zones.differences
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Cities: {cities}. Zones: {zones.created} created, {zones.unchanged} already there."
        )
        if differences and options["update"]:
            self.stdout.write("Differ from the fixtures:\n  " + "\n  ".join(differences))
            if options["no_input"] or self._confirmed():
                with transaction.atomic():
                    cities_load(update=True)
                    updated = self._zones(create_only=False).updated
                self.stdout.write(f"Updated to the fixtures ({updated} zone(s) changed).")
            else:
                self.stdout.write("Nothing changed.")
        elif differences:
            self.stdout.write(
                "Kept as the province changed them (they differ from the fixtures; --update resets them):\n  "
                + "\n  ".join(differences)
            )
        call_command("load_factor_data", stdout=self.stdout)

    def _zones(self, *, create_only: bool) -> Any:
        path = Path(settings.PROVINCE_DIR) / "zones.csv"
        try:
            with path.open("rb") as fh:
                return zone_catalog_import(file=fh, filename=path.name, by=None, create_only=create_only)
        except ZoneImportError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc

    def _confirmed(self) -> bool:
        return input("Make the stored reference data match the fixtures? [y/N] ").strip().lower() in (
            "y",
            "yes",
        )

"""Load the reference data from fixtures/: the province this portal runs (settings.PROVINCE_DIR: its
document, cities and starting zone catalog), then the factor set and indicator schemes (load_factor_data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from parks.services import cities_load
from parks.zone_import import ZoneImportError, zone_catalog_import
from zcpark.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Load the province, its cities and zone catalog, and the factor data shipped in fixtures/ (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            cities = cities_load()
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        path = Path(settings.PROVINCE_DIR) / "zones.csv"
        try:
            with path.open("rb") as fh:
                result = zone_catalog_import(file=fh, filename=path.name, by=None)
        except ZoneImportError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        self.stdout.write(
            f"Cities: {cities}. Zones: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        call_command("load_factor_data", stdout=self.stdout)

"""Load Jiangxi's reference data from fixtures/: the 11 cities and the starting zone catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parks.services import cities_load
from parks.zone_import import ZoneImportError, zone_catalog_import


class Command(BaseCommand):
    help = "Load the 11 设区市 and the development-zone catalog shipped in fixtures/ (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        cities = cities_load()
        path = Path(settings.FIXTURES_DIR) / "zones.csv"
        try:
            with path.open("rb") as fh:
                result = zone_catalog_import(file=fh, filename=path.name, by=None)
        except ZoneImportError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        self.stdout.write(
            f"Cities: {cities}. Zones: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )

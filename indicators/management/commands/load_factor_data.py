"""Load the reference factor set and indicator schemes shipped in fixtures/ (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from indicators.services import factor_set_load_fixture, scheme_load_fixture


class Command(BaseCommand):
    help = (
        "Load fixtures/factor_sets/*.json, fixtures/schemes/*.json and the province's own schemes "
        "(PROVINCE_DIR/schemes/*.json) as version 1 where absent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.FIXTURES_DIR)
        lines = []
        try:
            for path in sorted((root / "factor_sets").glob("*.json")):
                factor_set, created = factor_set_load_fixture(path=path)
                lines.append(f"Factor set {factor_set.name}: {'created' if created else 'already loaded'}.")
            schemes = [
                *(root / "schemes").glob("*.json"),
                *(Path(settings.PROVINCE_DIR) / "schemes").glob("*.json"),
            ]
            for path in sorted(schemes):
                scheme, created = scheme_load_fixture(path=path)
                lines.append(f"Scheme {scheme}: {'created' if created else 'already loaded'}.")
        except ValidationError as exc:
            raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
        self.stdout.write("\n".join(lines))

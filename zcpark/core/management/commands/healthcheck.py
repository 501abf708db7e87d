"""Exit 0 when the database and the broker answer, 1 otherwise (for container health probes)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zcpark.core.health import health_report


class Command(BaseCommand):
    help = "Check the database and the broker; print the report as JSON; exit 1 if one is down."

    def handle(self, *args: Any, **options: Any) -> None:
        report = health_report()
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if report["status"] != "ok":
            raise CommandError("unhealthy")

"""Render a park's acceptance report (验收评估报告) now, to a file; store it too when its inputs changed.

python manage.py acceptance_report --park "南昌经开区零碳示范园" --output report.pdf
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evaluation.models import AcceptanceEvaluation
from evaluation.services import acceptance_report_export
from parks.models import Park


class Command(BaseCommand):
    help = "Render the acceptance report of a park's latest evaluation to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--park", required=True, help="the park's name, as registered")
        parser.add_argument("--output", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        name, output = options["park"], Path(options["output"])
        park = Park.objects.filter(name=name).first()
        if park is None:
            raise CommandError(f"No park is named “{name}”.")
        evaluation = (
            AcceptanceEvaluation.objects.filter(project__park=park).order_by("-requested_at", "-id").first()
        )
        if evaluation is None:
            raise CommandError(f"{name} has no acceptance evaluation yet.")
        rendered, stored = acceptance_report_export(evaluation)
        try:
            output.write_bytes(rendered.content)
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from exc
        size_kb = len(rendered.content) / 1024
        self.stdout.write(f"{output}: {rendered.page_count} pages, {size_kb:.0f} KB")
        if stored is not None:
            self.stdout.write(f"Stored as acceptance report {stored.pk} (its inputs had changed).")
        else:
            self.stdout.write("The stored report is current; it was left as it is.")

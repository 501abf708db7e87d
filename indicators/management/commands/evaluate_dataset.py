"""Evaluate dataset documents: the result (or errors) document as JSON on stdout; exit 2 on bad input.

One file: one JSON document. Several files: one document per line in order (JSON Lines).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.calculator import calculator_reference
from indicators.engine import dumps, evaluate
from zcpark.core.jsonio import InvalidJSON, parse_decimal_json

EXIT_INPUT_ERRORS = 2


class Command(BaseCommand):
    help = "Evaluate dataset JSON files with the current factor set; print result documents as JSON."
    # A calculation reads only the reference data: the system checks (which import every URL and view)
    # would add about a second to each call.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", type=Path, help="dataset documents (zcpark.dataset/2, or /1 upgraded)"
        )
        parser.add_argument(
            "--scheme",
            default=None,
            help="a scheme code (default: the province's own, e.g. jiangxi-2025; or national-2025)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        failed = False
        try:
            # Read once for every file: no database query per file.
            factor_set, scheme = calculator_reference(options["scheme"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from exc
            try:
                document = evaluate(parse_decimal_json(data), factor_set=factor_set, scheme=scheme)
            except InvalidJSON as exc:
                failed, output = True, exc.document
            else:
                failed, output = failed or not document.ok, document.document()
            self.stdout.write(dumps(output, indent=2 if len(files) == 1 else None))
        if failed:
            self.stdout.flush()
            sys.exit(EXIT_INPUT_ERRORS)

"""Create (or refresh) the demo accounts and parks, and print them with the password used."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.demo import demo_applications_seed
from evaluation.demo import demo_construction_seed
from evaluation.demo_monthly import demo_monthly_seed
from parks.demo import DEFAULT_DEMO_PASSWORD, demo_seed
from parks.models import City


class Command(BaseCommand):
    help = "Create or refresh one demo account per role and their parks (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_DEMO_PASSWORD, help="password for every demo account"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="allow seeding when DEBUG is off (accounts with a known password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with a known password; with DEBUG off pass --force."
            )
        if not City.objects.exists():
            raise CommandError("Load the reference data first: python manage.py load_reference_data")
        accounts = demo_seed(password=options["password"])
        applications = demo_applications_seed()
        projects = demo_construction_seed()
        platform = demo_monthly_seed()
        width = max(len(a.username) for a in accounts)
        self.stdout.write(f"Demo accounts (password for all: {options['password']})")
        for account in accounts:
            self.stdout.write(f"  {account.username.ljust(width)}  {account.scope}")
        for application in applications:
            self.stdout.write(
                f"Demo application: {application.park} · {application.call} · {application.get_status_display()}"
            )
        for project in projects:
            self.stdout.write(f"Demo construction project: {project.park} · {project.status}")
        if platform is not None and platform.key:
            self.stdout.write(
                f"Demo 能碳平台 of {platform.park} (park id {platform.park_id}): {platform.months} months of "
                f"{platform.year} pushed; its integration key (shown once): {platform.key}"
            )

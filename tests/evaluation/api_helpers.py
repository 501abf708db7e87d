"""Helpers of the construction and acceptance API tests: addresses, travelling to a day, a year's dataset."""

from __future__ import annotations

import datetime as dt
from datetime import date

import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluation.samples import construction_dataset

JSON = "application/json"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def at(day: date):
    """Travel to 10:00 on ``day`` (sign in inside: a session from before would have expired)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone()))


def dataset(project, year: int) -> dict:
    return construction_dataset(park_name=project.park.name, park_type=project.park.park_type, year=year)

"""Helpers shared by the applications API tests: URLs, the JSON content type, sample sections and datasets."""

from __future__ import annotations

from django.urls import reverse

from applications.samples import sample_dataset, sample_sections

JSON = "application/json"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def sections_for(park) -> dict:
    return sample_sections(managing_body=park.managing_body, boundary_text=park.boundary_text)


def dataset_for(park, year: int) -> dict:
    return sample_dataset(park_name=park.name, park_type=park.park_type, year=year)

"""Where each section of the dossier is shown: its form, or the page of its own (energy, emissions,
attachments)."""

from __future__ import annotations

from django.urls import reverse

from ..models import Application, SectionCode

# The page of each section that is not a form.
SECTION_PAGES = {
    SectionCode.ENERGY: "applications:section-energy",
    SectionCode.EMISSIONS: "applications:section-emissions",
    SectionCode.ATTACHMENTS: "applications:section-attachments",
}


def section_url(application: Application, code: str) -> str:
    if code in SECTION_PAGES:
        return reverse(SECTION_PAGES[code], args=[application.pk])
    return reverse("applications:section-edit", args=[application.pk, code])

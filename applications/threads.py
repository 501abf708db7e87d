"""The dossier's clarification threads (``zcpark.core.threads``): one per section and visibility, on the
application, open in every state (a question never returns the dossier)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from parks.permissions import thread_side
from parks.selectors import thread_people
from zcpark.core.models import Notice
from zcpark.core.threads import ThreadPanel, ThreadTarget, register_thread_target, thread_panel

from .dossier.pages import section_url
from .models import Application, SectionCode
from .permissions import application_visibility, can_view_application


def _url(application: Any, anchor: str) -> str:
    return f"{section_url(application, anchor)}#threads"


def _title(application: Any, anchor: str) -> Notice:
    return Notice(
        gettext_noop("%(park)s · dossier: %(section)s"),
        park=application.park.name,
        section=SectionCode(anchor).label,
    )


def section_thread_panel(user: Any, application: Application, code: str) -> ThreadPanel:
    """The questions-and-answers panel of a dossier section's page."""
    url = reverse("applications:section-thread", args=[application.pk, code])
    return thread_panel(user=user, target=application, anchor=code, post_url=url)


def register() -> None:
    register_thread_target(
        ThreadTarget(
            model=Application,
            visible=application_visibility,
            sees=can_view_application,
            side=thread_side,
            people=lambda a, side: thread_people(a.park_id, a.park.zone.city_id, side),
            url=_url,
            title=_title,
            anchors=tuple(SectionCode.values),
            related=("park",),
        ),
        anchor_labels=dict(SectionCode.choices),
    )

"""Helpers shared by the call and list page tests: approved applications, lists in a state, messages."""

from __future__ import annotations

from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationStatus, ConstructionList, ListStatus
from tests.applications.factories import ApplicationFactory


def approved(**kwargs) -> Application:
    return ApplicationFactory(status=ApplicationStatus.APPROVED, **kwargs)


def make_list(
    status: str, *, by, applications: list[Application] | None = None, **kwargs
) -> ConstructionList:
    """A list of approved applications walked to ``status`` (objection deadline: today)."""
    applications = applications or [approved()]
    clist = services.construction_list_create(
        by=by,
        title=kwargs.get("title", "2026年省级零碳园区建设名单"),
        document_no=kwargs.get("document_no", ""),
        application_ids=[a.pk for a in applications],
    )
    if status in (ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED):
        services.construction_list_transition(
            by=by, construction_list=clist, action="notice", objection_deadline=timezone.localdate()
        )
    if status == ListStatus.PUBLISHED:
        services.construction_list_transition(by=by, construction_list=clist, action="publish")
    clist.refresh_from_db()
    return clist


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]

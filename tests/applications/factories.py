"""Factories for calls, applications and lists, and builders of a dossier in any workflow state.

``ready_application`` fills every section, the three energy years and the required attachments through
the services, exactly as a park would, so the submission gate passes. ``application_in`` then walks it
through the workflow to the state a test needs.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import factory
from django.test import TestCase
from django.utils import timezone
from factory.django import DjangoModelFactory

from applications import services
from applications.demo import dossier_fill_sample
from applications.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
)
from applications.samples import sample_dataset
from parks.models import User
from tests.indicators.factories import load_factor_data
from tests.parks.factories import ParkFactory

PDF_BYTES = b"%PDF-1.4\n% zcpark test evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"2026年第{n}批省级零碳园区申报")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    status = CallStatus.OPEN
    opened_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT, opened_at=None)
        closed = factory.Trait(status=CallStatus.CLOSED, closed_at=factory.LazyFunction(timezone.now))


class ApplicationFactory(DjangoModelFactory):
    """A bare draft (no sections): for list and permission tests that need no dossier content."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    park = factory.SubFactory(ParkFactory)
    status = ApplicationStatus.DRAFT


def pdf_file(name: str = "evidence.pdf") -> io.BytesIO:
    handle = io.BytesIO(PDF_BYTES)
    handle.name = name
    return handle


def fill_dossier(application: Application, *, by: User) -> Application:
    """Every section, the three energy years and the required attachments, through the services."""
    return dossier_fill_sample(by=by, application=application)


def ready_application(*, staff: User, call: Call | None = None) -> Application:
    """A complete draft of ``staff``'s park that passes the submission gate (factor data loaded)."""
    load_factor_data()
    call = call or CallFactory()
    application = services.application_create(by=staff, park=staff.park, call=call)
    return fill_dossier(application, by=staff)


# The path to each state, as (action, who) steps: who is "staff", "reviewer" or "province".
PATHS: dict[str, list[tuple[str, str]]] = {
    ApplicationStatus.DRAFT: [],
    ApplicationStatus.SUBMITTED: [("submit", "staff")],
    ApplicationStatus.RETURNED: [("submit", "staff"), ("return", "reviewer")],
    ApplicationStatus.RECOMMENDED: [("submit", "staff"), ("recommend", "reviewer")],
    ApplicationStatus.DECLINED: [("submit", "staff"), ("decline", "reviewer")],
    ApplicationStatus.APPROVED: [("submit", "staff"), ("recommend", "reviewer"), ("approve", "province")],
    ApplicationStatus.REJECTED: [("submit", "staff"), ("recommend", "reviewer"), ("reject", "province")],
    ApplicationStatus.WITHDRAWN: [("withdraw", "staff")],
}


def application_in(
    status: str, *, actors: dict[str, User], call: Call | None = None, **kwargs: Any
) -> Application:
    """A ready application of ``actors["staff"]``'s park walked to ``status`` through the services."""
    application = ready_application(staff=actors["staff"], call=call)
    for action, who in PATHS[status]:
        application = services.application_transition(
            by=actors[who], application=application, action=action, comment=f"{action} 意见", **kwargs
        )
    return application


def resubmitted_with_changes(actors: dict[str, User]) -> Application:
    """A returned application resubmitted with a key project's investment and 2025's grid power changed."""
    staff = actors["staff"]
    application = application_in(ApplicationStatus.RETURNED, actors=actors)
    projects = application.sections.get(code="projects").data
    projects["projects"][0]["investment_wan"] = "52000"
    services.dossier_section_save(by=staff, application=application, code="projects", data=projects)
    document = sample_dataset(park_name=staff.park.name, park_type=staff.park.park_type, year=2025)
    document["electricity_mwh"]["grid"] = "40000"
    services.application_dataset_save(by=staff, application=application, year=2025, document=document)
    return services.application_transition(by=staff, application=application, action="resubmit")


def demo_dossier_resubmitted(*, park: str, staff: str, reviewer: str, opinion: str) -> Application:
    """A demo park's dossier submitted, returned with ``opinion`` and resubmitted with 1,000 MWh more grid
    power in its latest year (its indicators recomputed first): a review with a revision diff."""
    staff_user, reviewer_user = User.objects.get(username=staff), User.objects.get(username=reviewer)
    application = Application.objects.get(park__name=park)
    application = services.application_transition(by=staff_user, application=application, action="submit")
    application = services.application_transition(
        by=reviewer_user, application=application, action="return", comment=opinion
    )
    dataset = application.park.datasets.order_by("-year").first()
    assert dataset is not None
    electricity = {**dataset.document.get("electricity_mwh", {})}
    electricity["grid"] = str(Decimal(electricity.get("grid") or "0") + 1000)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_dataset_save(
            by=staff_user,
            application=application,
            year=dataset.year,
            document={**dataset.document, "electricity_mwh": electricity},
        )
    return services.application_transition(by=staff_user, application=application, action="resubmit")

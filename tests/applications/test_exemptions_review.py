"""Exemption claims after review: they close with a dossier that ends undecided, their opinions and
decisions are on the dossier's timeline, the claims API reads in a fixed number of queries, and the
datasets stored before exemptions were reviewed are queued for a recompute."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.exemptions.models import ExemptionStatus
from applications.exemptions.services import exemption_transition
from applications.models import ApplicationStatus, ExemptionClaim
from applications.selectors.activity import application_timeline
from indicators.models import indicator_name
from tests.applications.exemption_helpers import claimed, decide
from tests.applications.factories import ApplicationFactory
from tests.indicators.factories import ParkDatasetFactory, dataset_document
from zcpark.core.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db

CODES = ("clean_transport_share", "green_buildings")


def _statuses(application) -> set[str]:
    return set(application.exemption_claims.values_list("status", flat=True))


def _closed_by_the_system(application) -> None:
    assert _statuses(application) == {ExemptionStatus.CLOSED}
    for claim in application.exemption_claims.all():
        event = AuditEvent.objects.for_object(claim).get(action="exemption_close")
        assert event.to_state == ExemptionStatus.CLOSED


def test_a_declined_dossier_closes_its_open_claims(world, actors_a):
    application = claimed(actors_a, *CODES)
    decide(application, world.reviewer_a, "city_agree")
    services.application_transition(
        by=world.reviewer_a, application=application, action="decline", comment="不符合条件"
    )
    _closed_by_the_system(application)


def test_a_withdrawn_dossier_closes_its_open_claims(world, actors_a):
    application = claimed(actors_a, *CODES)
    services.application_transition(by=world.staff_a, application=application, action="withdraw")
    _closed_by_the_system(application)


def test_a_rejected_dossier_closes_its_open_claims_and_a_decided_one_stays(world, actors_a):
    application = claimed(actors_a, *CODES, status=ApplicationStatus.RECOMMENDED)
    first = application.exemption_claims.order_by("pk").first()
    exemption_transition(by=world.province, claim=first, action="reject", comment="证据不足")
    services.application_transition(
        by=world.province, application=application, action="reject", comment="驳回"
    )
    first.refresh_from_db()
    assert first.status == ExemptionStatus.REJECTED
    assert _statuses(application) == {ExemptionStatus.REJECTED, ExemptionStatus.CLOSED}


def test_the_timeline_shows_the_claims_opinions_and_decisions_by_indicator(world, actors_a):
    application = claimed(actors_a, *CODES)
    decide(application, world.reviewer_a, "city_agree")
    timeline = application_timeline(application)
    agreed = [entry for entry in timeline if entry.event.action == "exemption_city_agree"]
    assert sorted(entry.subject for entry in agreed) == sorted(indicator_name(code) for code in CODES)
    assert all(entry.event.comment == "city_agree 意见" for entry in agreed)
    assert timeline[0].event.created_at >= timeline[-1].event.created_at
    assert any(entry.event.action == "submit" for entry in timeline)


def _timeline_queries(application) -> int:
    with CaptureQueriesContext(connection) as queries:
        application_timeline(application)
    return len(queries)


def test_the_timeline_reads_in_queries_independent_of_the_claims(world, actors_a):
    one = claimed(actors_a, CODES[0])
    decide(one, world.reviewer_a, "city_agree")
    many = claimed(actors_a | {"staff": world.staff_b, "reviewer": world.reviewer_b}, *CODES)
    decide(many, world.reviewer_b, "city_disagree")
    _timeline_queries(one)  # the content types, cached from here on
    assert _timeline_queries(one) == _timeline_queries(many)


def _api_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api-application-exemptions", args=[application.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_exemptions_api_reads_in_queries_independent_of_the_claims(world, login):
    client = login(world.province)
    one = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED, revision=1)
    many = ApplicationFactory(park=world.park_b, status=ApplicationStatus.SUBMITTED, revision=1)
    for application, count, reviewer in ((one, 1, world.reviewer_a), (many, 5, world.reviewer_b)):
        for code in (
            "clean_energy_share",
            "water_reuse",
            "green_buildings",
            "offset_share",
            "public_nev_share",
        )[:count]:
            ExemptionClaim.objects.create(
                application=application,
                revision_number=1,
                indicator=code,
                reason="无条件",
                status=ExemptionStatus.CITY_REVIEWED,
                city_agrees=True,
                city_by=reviewer,
            )
    _api_queries(client, one)
    assert _api_queries(client, one) == _api_queries(client, many)


def test_the_migration_queues_a_recompute_of_each_dataset_asking_for_exemptions(world):
    asking = ParkDatasetFactory(
        park=world.park_a, document=dataset_document(exemptions={"green_buildings": "无新建建筑"})
    )
    ParkDatasetFactory(park=world.park_b)  # asks for none
    ParkDatasetFactory(park=world.park_b, year=2024, document=dataset_document(year=2024, exemptions={}))
    OutboxMessage.objects.all().delete()
    migration = importlib.import_module("applications.migrations.0007_exemptions_recompute")
    migration.queue_recompute(apps, None)
    assert list(OutboxMessage.objects.values_list("task", "args")) == [
        ("indicators.results_compute", [asking.pk, migration.REASON])
    ]

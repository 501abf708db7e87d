"""Only accepted exemptions count in a park's results; a reason typed without one is named, not ignored."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import ApplicationStatus
from applications.samples import sample_dataset
from indicators.exemptions import exemption_warnings
from indicators.models import IndicatorResult, ParkDataset
from indicators.services import indicator_results_compute, park_dataset_save
from tests.applications.exemption_helpers import claimed, decide
from tests.applications.factories import ready_application
from tests.indicators.factories import load_factor_data
from zcpark.core.models import OutboxMessage

pytestmark = pytest.mark.django_db
GRADE = "product_energy_grade"


def _status(park, year: int, code: str) -> tuple[str, str | None]:
    dataset = ParkDataset.objects.get(park=park, year=year)
    indicator_results_compute(dataset=dataset)
    result = IndicatorResult.objects.current().get(dataset=dataset, scheme_code="jiangxi-2025")
    item = result.summary["indicators"][code]
    return item["status"], item["value"]


def _typed_exemption(park, year: int = 2025) -> None:
    document = sample_dataset(park_name=park.name, park_type=park.park_type, year=year)
    document["exemptions"] = {GRADE: "产品能耗限额标准不适用"}
    park_dataset_save(by=None, park=park, year=year, document=document)


def test_a_reason_in_the_data_without_an_accepted_exemption_does_not_exempt(world):
    load_factor_data()
    _typed_exemption(world.park_a)
    # The sample's flat glass is above its grade-2 limit: 1 product of 2 at grade 2 or better.
    assert _status(world.park_a, 2025, GRADE) == ("fail", "50.00")
    dataset = ParkDataset.objects.get(park=world.park_a, year=2025)
    with translation.override("en"):
        [warning] = exemption_warnings(park_id=world.park_a.pk, document=dataset.document)
    assert warning.startswith("Products at energy-consumption grade 2 or better: the data give a reason")


def test_an_accepted_exemption_counts_once_the_province_approves(world, actors_a):
    application = claimed(actors_a, GRADE, status=ApplicationStatus.RECOMMENDED)
    _typed_exemption(world.park_a, 2026)  # a later year's data typed by the park (not a dossier year)
    assert _status(world.park_a, 2026, GRADE) == ("fail", "50.00")
    decide(application, world.province, "accept")
    # Accepted, but the dossier not yet approved: nothing counts yet.
    assert _status(world.park_a, 2026, GRADE) == ("fail", "50.00")
    queued = OutboxMessage.objects.count()
    services.application_transition(
        by=world.province, application=application, action="approve", comment="批准"
    )
    # Every dataset of the park is recomputed after the approval.
    assert OutboxMessage.objects.count() - queued >= 3
    assert _status(world.park_a, 2026, GRADE) == ("exempt", None)
    # The claim's reason stands in for a year whose data give none.
    assert _status(world.park_a, 2023, GRADE) == ("exempt", None)
    assert exemption_warnings(park_id=world.park_a.pk, document={"exemptions": {GRADE: "x"}}) == []


def test_a_rejected_exemption_does_not_count(world, actors_a):
    application = claimed(actors_a, GRADE, status=ApplicationStatus.RECOMMENDED)
    decide(application, world.province, "reject")
    services.application_transition(
        by=world.province, application=application, action="approve", comment="批准"
    )
    assert _status(world.park_a, 2025, GRADE) == ("fail", "50.00")


def test_the_energy_year_page_names_a_reason_that_does_not_count(world, login):
    application = ready_application(staff=world.staff_a)
    document = sample_dataset(park_name=world.park_a.name, park_type=world.park_a.park_type, year=2024)
    document["exemptions"] = {GRADE: "产品能耗限额标准不适用"}
    services.application_dataset_save(by=world.staff_a, application=application, year=2024, document=document)
    url = reverse("applications:energy-year", args=[application.pk, 2024])
    html = login(world.staff_a).get(url).content.decode()
    assert 'id="exemption-warnings"' in html
    other = login(world.staff_a).get(reverse("applications:energy-year", args=[application.pk, 2025]))
    assert 'id="exemption-warnings"' not in other.content.decode()

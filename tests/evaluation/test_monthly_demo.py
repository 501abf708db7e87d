"""The demo's 能碳平台: a key printed once, this year's months pushed with it, the projection it reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from evaluation.demo import OVERDUE_PARK, demo_construction_seed
from evaluation.demo_monthly import SEASON, demo_month_rows, demo_monthly_seed
from evaluation.models import MonthlyFigure
from evaluation.samples import construction_dataset
from parks.demo import demo_seed
from parks.models import Park
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture
def construction_demo(db, django_capture_on_commit_callbacks):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password="pw-demo-1")
    with django_capture_on_commit_callbacks(execute=True):
        demo_construction_seed()


def test_the_season_splits_a_year_exactly():
    assert sum(SEASON) == 12
    document = construction_dataset(park_name="园", park_type="non_chemical", year=2026, lagging=True)
    months = [demo_month_rows(document, month) for month in range(1, 13)]
    for use, quantity in document["electricity_mwh"].items():
        total = sum(Decimal(r["quantity"]) for rows in months for r in rows if r["use"] == use)
        assert total == Decimal(quantity), use


def test_the_demo_platform_pushes_the_year_so_far_with_its_own_key(construction_demo):
    platform = demo_monthly_seed(today=TODAY)
    park = Park.objects.get(name=OVERDUE_PARK)
    assert (platform.park_id, platform.year, platform.months) == (park.pk, 2026, 11)
    assert platform.key.startswith("zc_")
    assert set(MonthlyFigure.objects.filter(park=park, year=2026).values_list("month", flat=True)) == set(
        range(1, 12)
    )
    # Each push is audited as the platform, not as a person.
    pushes = AuditEvent.objects.filter(actor__is_machine=True, actor__park=park)
    assert pushes.count() >= 11

    client = Client(HTTP_AUTHORIZATION=f"Bearer {platform.key}")
    answer = client.get(f"/api/v1/parks/{park.pk}/monthly/2026/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["months_received"] == list(range(1, 12))
    assert data["projection"] is not None and data["status"] == "missing"
    # The lagging park's people have heard that the projection misses the target; the platform has not.
    assert Notification.objects.filter(recipient__park=park, recipient__is_machine=False).exists()
    assert not Notification.objects.filter(recipient__is_machine=True).exists()

    # Seeded once: a second run makes no key and pushes nothing.
    figures = MonthlyFigure.objects.count()
    again = demo_monthly_seed(today=TODAY)
    assert again.key == "" and MonthlyFigure.objects.count() == figures


def test_january_has_no_full_month_to_push(db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password="pw-demo-1")
    assert demo_monthly_seed(today=date(2027, 1, 15)) is None
    assert not MonthlyFigure.objects.exists()

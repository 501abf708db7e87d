"""The year-to-date indicator, the projection's three bases, the target's three sources, and the crossing
notice told once per crossing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications.models import DossierSection, SectionCode
from evaluation.models import MonthlyOutlook, OutlookStatus
from evaluation.monthly.outlook import outlook_compute
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from parks.models import Role, User
from parks.selectors import park_people
from tests.applications.factories import ApplicationFactory
from tests.evaluation.factories import listed_project
from tests.evaluation.monthly_helpers import push
from tests.indicators.factories import ParkDatasetFactory, dataset_document, load_factor_data
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def factors(db):
    load_factor_data()


def test_months_so_far_scaled_when_there_is_nothing_from_last_year(world, factors):
    outlook = push(world.staff_a, world.park_a, 2026, range(1, 4)).outlook
    assert outlook.months == [1, 2, 3]
    assert outlook.projection_basis == "scaled"
    # Twelve times the same month: the ratio is the year-to-date one.
    assert outlook.projection.value == outlook.ytd.value
    assert abs(Decimal(outlook.projection.energy_tce) - Decimal(outlook.ytd.energy_tce) * 4) <= Decimal(
        "0.02"
    )


def test_the_remaining_months_from_last_years_months(world, factors):
    push(world.staff_a, world.park_a, 2025, range(1, 13), grid="4000")
    outlook = push(world.staff_a, world.park_a, 2026, range(1, 4)).outlook
    assert outlook.projection_basis == "last_year_months"
    # The same twelve months as one year of park_b: three this year's, nine last year's.
    push(world.staff_b, world.park_b, 2026, range(1, 4))
    whole = push(world.staff_b, world.park_b, 2026, range(4, 13), grid="4000").outlook
    assert whole.projection_basis == "full_year"
    assert outlook.projection.value == whole.projection.value
    assert outlook.projection.energy_tce == whole.projection.energy_tce


def test_last_years_annual_dataset_pro_rata_when_its_months_are_missing(world, factors):
    push(world.staff_a, world.park_a, 2025, [1, 2])  # not every remaining month: not this basis
    ParkDatasetFactory(park=world.park_a, year=2025, document=dataset_document(year=2025))
    outlook = push(world.staff_a, world.park_a, 2026, range(1, 7)).outlook
    assert outlook.projection_basis == "last_year_annual"
    assert outlook.base_year == 2025
    assert outlook.projection.value not in (None, outlook.ytd.value)


def test_the_target_from_the_scheme_then_the_dossier_then_the_project(world, factors, actors_a):
    outlook = push(world.staff_a, world.park_a, 2026, [1]).outlook
    assert (outlook.target, outlook.target_basis) == (Decimal("0.4"), "scheme")
    application = ApplicationFactory(park=world.park_a)
    DossierSection.objects.create(
        application=application,
        code=SectionCode.TARGETS,
        data={"targets": [{"indicator": "carbon_per_energy", "y2026": "0.3", "y2027": "0.25"}]},
    )
    outlook = outlook_compute(world.park_a, 2026)
    assert (outlook.target, outlook.target_basis) == (Decimal("0.3"), "dossier")
    project = listed_project(actors_a)
    project.targets = {"carbon_per_energy": {"2026": "0.35"}}
    project.save()
    outlook = outlook_compute(project.park, 2026)
    assert (outlook.target, outlook.target_basis) == (Decimal("0.35"), "project")


def test_a_crossing_is_told_once_to_the_park_and_its_city(world, factors):
    push(world.staff_a, world.park_a, 2026, [1, 2])  # meeting: nobody is told
    assert Notification.objects.count() == 0
    push(world.staff_a, world.park_a, 2026, [3, 4, 5], grid="4000")  # → missing, three pushes
    told = Notification.objects.all()
    assert {n.recipient for n in told} == {world.staff_a, world.reviewer_a}
    assert all("misses the target" in n.title_message["msgid"] for n in told)
    push(world.staff_a, world.park_a, 2026, [6], grid="4000")  # still missing: not told again
    assert Notification.objects.count() == 2
    push(world.staff_a, world.park_a, 2026, [3, 4, 5, 6], grid="100")  # back on track
    assert Notification.objects.count() == 4
    again = [n for n in Notification.objects.all() if "meets the target again" in n.title_message["msgid"]]
    assert len(again) == 2
    outlook = MonthlyOutlook.objects.get(park=world.park_a, year=2026)
    assert outlook.status == OutlookStatus.MEETING
    changes = AuditEvent.objects.filter(target_id=str(outlook.pk), action__startswith="outlook_")
    assert [(e.action, e.from_state, e.to_state) for e in changes.order_by("pk")] == [
        ("outlook_meet", "unknown", "meeting"),
        ("outlook_miss", "meeting", "missing"),
        ("outlook_recover", "missing", "meeting"),
    ]


def test_a_crossing_tells_the_parks_people_and_city_reviewers_but_no_machine(world, factors):
    """The park's 能碳平台 pushes the months itself: its service user is of the park's staff role, yet a
    machine reads no notification; the park's staff and the city's reviewers are told."""
    account, _key = integration_account_create(
        by=None, name="园区能碳平台", park=world.park_a, scopes=[MachineScope.MONTHLY_WRITE]
    )
    machine = account.user
    assert (machine.is_machine, machine.role, machine.park) == (True, Role.PARK_STAFF, world.park_a)
    other_staff = User.objects.create(username="staff_a2", role=Role.PARK_STAFF, park=world.park_a)
    push(machine, world.park_a, 2026, [1, 2], grid="4000")  # a first projection that misses
    told = {n.recipient for n in Notification.objects.all()}
    assert told == {world.staff_a, other_staff, world.reviewer_a}
    assert machine not in park_people(world.park_a.pk, world.park_a.zone.city_id, Role.PARK_STAFF)
    outlook = MonthlyOutlook.objects.get(park=world.park_a, year=2026)
    assert AuditEvent.objects.get(target_id=str(outlook.pk), action="outlook_miss").to_state == "missing"

"""Monthly figures: the push API's checks (named row and field), replacing a month, exact assembly sums."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from evaluation.models import MonthlyFigure, MonthlyOutlook
from evaluation.monthly.assembly import Sums, assemble, base_document
from evaluation.monthly.outlook import figures_by_month
from indicators.selectors import factor_set_current
from tests.evaluation.monthly_helpers import month_rows, push
from tests.indicators.factories import load_factor_data
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def factors(db):
    load_factor_data()


def _url(park):
    return f"/api/v1/parks/{park.pk}/monthly/"


def test_a_push_stores_the_month_and_answers_the_outlook(world, login, factors):
    client = login(world.staff_a)
    response = client.post(
        _url(world.park_a), {"year": 2026, "month": 3, "rows": month_rows()}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["months_received"] == [3]
    assert data["rows"] == 5
    assert data["projection"]["basis"] == "scaled"
    assert data["year_to_date"]["carbon_per_energy"] is not None
    assert MonthlyFigure.objects.filter(park=world.park_a, year=2026, month=3).count() == 5
    diesel = MonthlyFigure.objects.get(park=world.park_a, carrier="diesel")
    assert (diesel.use, diesel.enterprise, diesel.quantity) == ("fuel", "甲公司", Decimal("15"))


@pytest.mark.parametrize(
    ("row", "path", "words"),
    [
        ({"carrier": "natural_gas", "quantity": "-1", "unit": "10^4 Nm3"}, "rows[5].quantity", "negative"),
        ({"carrier": "natural_gas", "quantity": "1", "unit": "t"}, "rows[5].unit", "10^4 Nm3"),
        ({"carrier": "unobtainium", "quantity": "1", "unit": "t"}, "rows[5].carrier", "Unknown carrier"),
        ({"carrier": "electricity", "use": "fuel", "quantity": "1", "unit": "MWh"}, "rows[5].use", "grid"),
        ({"carrier": "electricity", "quantity": "1", "unit": "GJ"}, "rows[5].unit", "MWh"),
        ({"carrier": "diesel", "quantity": "many", "unit": "t"}, "rows[5].quantity", "number"),
        ({"carrier": "diesel", "quantity": "15", "unit": "t", "enterprise": "甲公司"}, "rows[5]", "rows[1]"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(world, login, factors, row, path, words):
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    push(world.staff_a, world.park_a, 2026, [3])
    rows = [*month_rows(gas="99"), row]
    response = client.post(
        _url(world.park_a), {"year": 2026, "month": 3, "rows": rows}, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [path]
    assert words in errors[path][0]
    # The month stands as it was: the refused push replaced nothing.
    gas = MonthlyFigure.objects.get(park=world.park_a, year=2026, month=3, carrier="natural_gas")
    assert gas.quantity == Decimal("40")


def test_year_and_month_are_checked(world, login, factors):
    client = login(world.staff_a)
    response = client.post(
        _url(world.park_a), {"year": "2026", "month": 13, "rows": []}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year", "month"}


def test_a_month_pushed_again_replaces_its_rows_and_is_audited_once_per_push(world, factors):
    push(world.staff_a, world.park_a, 2026, [1, 2])
    result = push(world.staff_a, world.park_a, 2026, [2], gas="55")
    assert result.replaced == 5
    rows = MonthlyFigure.objects.filter(park=world.park_a, year=2026, month=2)
    assert rows.count() == 5
    assert rows.get(carrier="natural_gas").quantity == Decimal("55")
    assert MonthlyFigure.objects.filter(park=world.park_a, year=2026, month=1).get(
        carrier="natural_gas"
    ).quantity == Decimal("40")
    outlook = MonthlyOutlook.objects.get(park=world.park_a, year=2026)
    assert AuditEvent.objects.filter(target_id=str(outlook.pk), action="monthly_pushed").count() == 3


def test_assembly_sums_each_line_exactly(world, factors):
    for month, gas in ((1, "0.1"), (2, "0.2"), (3, "1234.5678901234")):
        push(world.staff_a, world.park_a, 2026, [month], gas=gas)
    # Another unit of the same carrier converts to the base unit before summing.
    from evaluation.monthly.services import monthly_push

    monthly_push(
        by=world.staff_a,
        park=world.park_a,
        year=2026,
        month=4,
        rows=[{"carrier": "natural_gas", "quantity": "5000", "unit": "Nm3"}],
    )
    factor_set = factor_set_current()
    sums = Sums().add((r for rows in figures_by_month(world.park_a, 2026).values() for r in rows), factor_set)
    base, base_year = base_document(world.park_a, 2026)
    assert base_year is None
    document = assemble(base, 2026, sums, factor_set)
    gas = next(r for r in document["energy"] if r["carrier"] == "natural_gas")
    assert gas == {"carrier": "natural_gas", "quantity": "1235.3678901234", "unit": "10^4 Nm3", "use": "fuel"}
    diesel = next(r for r in document["energy"] if r["carrier"] == "diesel")
    assert diesel["quantity"] == "45" and diesel["enterprise"] == "甲公司"
    assert document["electricity_mwh"]["grid"] == "3000"
    assert document["heat_gj"]["purchased"] == "900"
    assert document["park"]["park_type"] == world.park_a.park_type


def test_the_service_messages_are_english_under_english(world, factors):
    from django.core.exceptions import ValidationError

    from evaluation.monthly.services import monthly_push

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        monthly_push(
            by=world.staff_a,
            park=world.park_a,
            year=2026,
            month=1,
            rows=[{"carrier": "coal", "quantity": "1", "unit": "t"}],
        )
    assert caught.value.message_dict == {"rows[0].carrier": ["Unknown carrier “coal”."]}

"""The calculator's blank form refuses half-filled rows and bad settings, and places engine errors on it."""

from __future__ import annotations

import re

import pytest

from tests.indicators.calculator_helpers import ENERGY_ROW, _form, _post

pytestmark = pytest.mark.django_db


def test_blank_form_row_half_filled_is_refused_with_a_message(factors, world, login):
    data = {
        "mode": "form",
        "park_type": "non_chemical",
        "year": "2025",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
        "form-0-carrier": "natural_gas",
    }
    response = _post(login(world.observer), **data)
    assert "result" not in response.context
    assert response.context["energy_formset"].forms[0].non_field_errors()


def test_blank_form_half_filled_process_row_is_refused_naming_the_row(factors, world, login):
    data = _form(
        energy=[ENERGY_ROW],
        process=[
            {"product": "合成氨", "quantity_t": "100", "ef_tco2_per_t": "1.1", "basis": "实测"},
            {"product": "水泥熟料", "quantity_t": "100"},
        ],
    )
    response = _post(login(world.observer), **data)
    assert "result" not in response.context
    rows = response.context["dataset_forms"].process.forms
    assert not rows[0].errors
    [message] = rows[1].non_field_errors()
    assert re.search(r"\b2\b", message)
    html = response.content.decode()
    assert 'id="form-problems"' in html and message in html
    # The section holding the problem is open, so the message is seen.
    assert re.search(r'<details[^>]*id="section-process"[^>]*\bopen\b', html)


def test_blank_form_half_filled_rows_of_every_table_are_refused(factors, world, login):
    data = _form(
        energy=[{}, {"enterprise": "某公司"}],
        direct=[{"source": "烧焦"}],
        products=[{"name": "水泥熟料", "value": "100"}],
    )
    response = _post(login(world.observer), **data)
    forms = response.context["dataset_forms"]
    assert "result" not in response.context
    assert forms.energy.forms[1].non_field_errors() and not forms.energy.forms[0].errors
    assert forms.direct.forms[0].non_field_errors()
    assert forms.products.forms[0].non_field_errors()


def test_blank_form_refuses_a_custom_factor_without_the_custom_basis(factors, world, login):
    response = _post(login(world.observer), **_form(energy=[ENERGY_ROW], grid_ef_tco2_per_mwh="0.6"))
    assert "result" not in response.context
    assert response.context["dataset_forms"].method.errors["grid_ef_tco2_per_mwh"]
    response = _post(login(world.observer), **_form(energy=[ENERGY_ROW], grid_ef_basis="custom"))
    assert response.context["dataset_forms"].method.errors["grid_ef_tco2_per_mwh"]


def test_blank_form_engine_errors_keep_their_paths_and_say_where_on_the_form(factors, world, login):
    data = _form(
        energy=[ENERGY_ROW, {}, {"carrier": "biomass", "quantity": "5", "unit": "t", "use": "fuel"}],
        res_generated="10",
        res_utilized="50",
    )
    response = _post(login(world.observer), **data)
    assert "result" not in response.context
    errors = {e["path"]: e for e in response.context["input_errors"]}
    assert set(errors) == {"energy[1].ncv", "resources.solid_waste_t.utilized"}
    # The second row of the document is the third row of the form.
    assert "3" in errors["energy[1].ncv"]["where"]
    form = response.context["dataset_forms"]
    assert errors["resources.solid_waste_t.utilized"]["where"] == str(
        form.resources.fields["res_utilized"].label
    )
    assert "energy[1].ncv" in response.content.decode()

"""The public cases through the command line and the calculator API, plus their error paths."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.engine import loads
from tests.indicators.cases import CASE_NAMES, CASES_DIR, case, differences

pytestmark = pytest.mark.django_db


def _command(capsys, *args: str) -> tuple[int, str]:
    try:
        call_command("evaluate_dataset", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


@pytest.mark.parametrize("name", CASE_NAMES)
def test_command_reproduces_public_case(factors, capsys, name):
    _, expected = case(name)
    code, out = _command(capsys, str(CASES_DIR / f"{name}.dataset.json"), "--scheme", expected["scheme"])
    assert differences(expected, loads(out), code) == []


def test_command_prints_json_lines_in_order_for_several_files_and_exits_2_if_any_failed(factors, capsys):
    names = ["pub-01-electric-park", "pub-07-input-errors", "pub-03-refinery-transform-process"]
    code, out = _command(capsys, *[str(CASES_DIR / f"{n}.dataset.json") for n in names])
    lines = out.strip().splitlines()
    assert code == 2
    assert len(lines) == 3
    assert json.loads(lines[0])["totals"]["energy_tce"] == "307062.92"
    assert "errors" in json.loads(lines[1])
    assert json.loads(lines[2])["park_type"] == "chemical"


def test_command_exits_2_with_an_errors_document_for_invalid_json(factors, capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema": ', encoding="utf-8")
    code, out = _command(capsys, str(path))
    assert code == 2
    assert json.loads(out)["errors"][0]["code"] == "invalid"


def test_command_refuses_an_unknown_scheme(factors):
    with pytest.raises(CommandError, match="national-2025"):
        call_command(
            "evaluate_dataset", str(CASES_DIR / "pub-01-electric-park.dataset.json"), "--scheme", "x"
        )


def test_command_reports_a_missing_file(factors):
    with pytest.raises(CommandError, match=r"nope\.json"):
        call_command("evaluate_dataset", "nope.json")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_calculator_api_reproduces_public_case(factors, login, world, name):
    dataset, expected = case(name)
    response = login(world.staff_a).post(
        f"{reverse('api-calculator')}?scheme={expected['scheme']}",
        data=dataset,
        content_type="application/json",
    )
    assert response.status_code == (200 if expected["exit"] == 0 else 400)
    assert differences(expected, loads(response.content), 0 if response.status_code == 200 else 2) == []


def test_calculator_api_errors_carry_detail_and_the_engine_errors(factors, login, world):
    dataset, _ = case("pub-07-input-errors")
    response = login(world.expert).post(
        reverse("api-calculator"), data=dataset, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 400
    assert body["detail"]
    assert {"path", "code", "message"} <= set(body["errors"][0])


def test_calculator_api_answers_400_to_invalid_json(factors, login, world):
    response = login(world.expert).post(
        reverse("api-calculator"), data="{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_calculator_api_reads_numbers_without_float(factors, login, world):
    body = (
        '{"schema": "zcpark.dataset/1", "park": {"park_type": "non_chemical"}, "year": 2025,'
        ' "electricity_mwh": {"grid": 0.1, "green_direct": 0.2}}'
    )
    response = login(world.expert).post(reverse("api-calculator"), data=body, content_type="application/json")
    # 0.3 MWh × 0.3007 tce/MWh (等价值 2022) = 0.09021: exact decimal input, rounded once.
    assert response.json()["totals"]["energy_tce"] == "0.09"


def test_calculator_api_requires_sign_in(factors, client):
    dataset, _ = case("pub-01-electric-park")
    response = client.post(reverse("api-calculator"), data=dataset, content_type="application/json")
    assert response.status_code == 401


def test_calculator_api_refuses_an_unknown_scheme(factors, login, world):
    dataset, _ = case("pub-01-electric-park")
    response = login(world.expert).post(
        f"{reverse('api-calculator')}?scheme=x", data=dataset, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "scheme"


def test_calculator_api_refuses_a_body_over_the_upload_limit(factors, login, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"schema": "zcpark.dataset/1", "pad": "' + "x" * 2000 + '"}'
    response = login(world.expert).post(reverse("api-calculator"), data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


def test_calculator_api_answers_400_to_json_nested_too_deeply(factors, login, world):
    body = "[" * 100_000 + "]" * 100_000
    response = login(world.expert).post(reverse("api-calculator"), data=body, content_type="application/json")
    assert response.status_code == 400

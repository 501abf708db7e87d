"""The Done-when of issue 15's monthly part: a script playing a park's 能碳平台 pushes a year of monthly data
with a machine credential over HTTP (a live server) and sees its projection; the pushes are audited as the
machine."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from evaluation.models import MonthlyFigure, MonthlyOutlook
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.indicators.factories import load_factor_data
from zcpark.core.models import AuditEvent

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "park_platform.py"


def _script():
    spec = importlib.util.spec_from_file_location("park_platform", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_platform_script_pushes_a_year_and_reads_its_projection(world, live_server, capsys):
    load_factor_data()
    account, key = integration_account_create(
        by=None,
        name="园区能碳平台",
        park=world.park_a,
        scopes=[MachineScope.MONTHLY_WRITE, MachineScope.RESULTS_READ],
    )
    argv = ["--url", live_server.url, "--key", key, "--park", str(world.park_a.pk), "--year", "2026"]
    assert _script().main([*argv, "--rows", "40"]) == 0
    printed = capsys.readouterr().out
    assert "months received: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]" in printed
    assert "projection:" in printed and "tCO2/tce" in printed
    assert MonthlyFigure.objects.filter(park=world.park_a, year=2026).count() == 12 * 40
    outlook = MonthlyOutlook.objects.get(park=world.park_a, year=2026)
    assert outlook.projection_basis == "full_year"
    pushes = AuditEvent.objects.filter(target_id=str(outlook.pk), action="monthly_pushed")
    assert pushes.count() == 12
    assert {event.actor_id for event in pushes} == {account.user.pk}


@pytest.mark.django_db(transaction=True)
def test_a_machine_of_another_park_or_without_the_scope_is_refused(world, live_server):
    load_factor_data()
    _account, other = integration_account_create(
        by=None, name="乙平台", park=world.park_b, scopes=[MachineScope.MONTHLY_WRITE]
    )
    _account, read_only = integration_account_create(
        by=None, name="只读", park=world.park_a, scopes=[MachineScope.RESULTS_READ]
    )
    script = _script()
    url = f"{live_server.url}/api/v1/parks/{world.park_a.pk}/monthly/"
    body = {"year": 2026, "month": 1, "rows": []}
    assert script.request(url, other, "POST", body)[0] == 404
    assert script.request(url, read_only, "POST", body)[0] == 403
    assert script.request(f"{url}2026/", read_only)[0] == 200

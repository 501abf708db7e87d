"""Data-quality warnings where data arrive and where reviewers read them: an upload's import preview (the
dossier's energy year, an annual report), the pages the saved year shows on (for its park and the city's
reviewer) and the dataset API. Never blocking: a preview with warnings may be saved all the same."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.engine import dumps
from indicators.models import ParkDataset, QualityRule, QualityRuleKind
from tests.applications.api_helpers import url
from tests.applications.dossier_helpers import _draft, _submitted, _url
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

PANEL = 'id="quality-warnings"'


def _document(year, **electricity):
    return {
        "schema": "zcpark.dataset/2",
        "park": {"name": "南昌测试园", "park_type": "non_chemical"},
        "year": year,
        "method": {"electricity_tce_basis": "calorific"},
        "electricity_mwh": {key: str(value) for key, value in electricity.items()},
    }


def _preview_warnings(html: str) -> list[tuple[str, str, str]]:
    """The import preview's data-quality warnings: (severity, its badge, the message) each."""
    panel = re.search(r'id="import-warnings".*?</ul>', html, re.S)
    assert panel, "the preview shows no data-quality warnings"
    items = re.findall(
        r'<li class="import-warning-(\w+)"><span class="badge[^"]*">([^<]+)</span>(.*?)</li>',
        panel.group(0),
        re.S,
    )
    return [(severity, badge, " ".join(message.split())) for severity, badge, message in items]


def _english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def two_years(world, factor_data):
    """park_a's 2024 and 2025: energy doubles (+100 %) and the core indicator halves (−50 %)."""
    ParkDataset.objects.create(park=world.park_a, year=2024, document=_document(2024, grid=10000))
    ParkDataset.objects.create(
        park=world.park_a, year=2025, document=_document(2025, grid=10000, green_direct=10000)
    )


def test_the_reviewer_sees_each_years_warnings_with_their_severity(world, login, two_years):
    application = _submitted(_draft(world), world)
    response = _english(login(world.reviewer_a)).get(_url("applications:section-energy", application))
    html = response.content.decode()
    assert response.status_code == 200 and PANEL in html
    (year, warnings), *_ = response.context["quality_years"]
    assert year == 2025
    assert sorted(w["rule"] for w in warnings) == sorted(
        [QualityRuleKind.ENERGY_CHANGE, QualityRuleKind.CORE_CHANGE]
    )
    assert "Total energy consumed rose by 100% compared with 2024" in html
    assert 'data-severity="warning"' in html


def test_the_energy_year_page_shows_that_years_warnings_only(world, login, two_years):
    application = _submitted(_draft(world), world)
    client = login(world.reviewer_a)
    assert PANEL in client.get(_url("applications:energy-year", application, 2025)).content.decode()
    assert PANEL not in client.get(_url("applications:energy-year", application, 2024)).content.decode()


def test_a_disabled_rule_leaves_the_panel(world, login, two_years):
    QualityRule.objects.filter(kind__in=[QualityRuleKind.ENERGY_CHANGE, QualityRuleKind.CORE_CHANGE]).update(
        enabled=False
    )
    application = _submitted(_draft(world), world)
    html = login(world.reviewer_a).get(_url("applications:section-energy", application)).content.decode()
    assert PANEL not in html


def test_another_citys_reviewer_does_not_see_the_dossier(world, login, two_years):
    application = _submitted(_draft(world), world)
    assert login(world.reviewer_b).get(_url("applications:section-energy", application)).status_code == 404


def test_an_upload_with_warnings_is_previewed_with_them_then_saved(world, login, factor_data):
    """The warnings never block: the preview lists them (with their severity) and saving stores the year."""
    ParkDataset.objects.create(park=world.park_a, year=2024, document=_document(2024, grid=10000))
    application = _draft(world)
    target = _url("applications:energy-year", application, 2025)
    upload = SimpleUploadedFile("data.json", dumps(_document(2025, grid=30000)).encode())
    client = _english(login(world.staff_a))
    response = client.post(target, {"file": upload}, follow=True)
    batch = ImportBatch.objects.get()
    preview = reverse("core:import-preview", args=[batch.pk])
    assert response.redirect_chain == [(preview, 302)]
    assert not ParkDataset.objects.filter(park=world.park_a, year=2025).exists()  # a preview stores nothing
    html = response.content.decode()
    warnings = _preview_warnings(html)
    assert sorted((severity, badge, message.split(" (")[0]) for severity, badge, message in warnings) == [
        ("warning", "Warning", "Total emissions rose by 200% compared with 2024"),
        ("warning", "Warning", "Total energy consumed rose by 200% compared with 2024"),
    ]
    assert 'id="import-commit"' in html  # warnings or not, the import may be saved
    response = client.post(reverse("core:import-commit", args=[batch.pk]), follow=True)
    assert response.redirect_chain == [(target, 302)]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert (
        ParkDataset.objects.get(park=world.park_a, year=2025).document["electricity_mwh"]["grid"] == "30000"
    )
    html = response.content.decode()
    assert PANEL in html and "Total emissions rose by 200% compared with 2024" in html


def test_the_dataset_api_lists_the_warnings(world, login, two_years):
    application = _draft(world)
    response = login(world.staff_a).get(url("api-application-dataset", application.pk, 2025))
    assert response.status_code == 200
    warnings = response.json()["warnings"]
    assert sorted(w["rule"] for w in warnings) == sorted(
        [QualityRuleKind.ENERGY_CHANGE, QualityRuleKind.CORE_CHANGE]
    )
    assert set(warnings[0]) == {"rule", "severity", "severity_label", "message", "path"}
    quiet = login(world.staff_a).get(url("api-application-dataset", application.pk, 2024))
    assert quiet.json()["warnings"] == []


def test_the_annual_report_shows_its_years_warnings_to_the_reviewer(world, login, actors_a):
    from django.urls import reverse

    from tests.evaluation.factories import listed_project, report_year

    project = listed_project(actors_a)
    report_year(project, actors_a["staff"], 2026, large=True)  # 800 000 MWh more green trade than 2025
    ParkDataset.objects.filter(park=project.park, year=2025).update(
        document=_document(2025, grid=10000)
        | {"park": {"name": project.park.name, "park_type": "non_chemical"}}
    )
    response = _english(login(world.reviewer_a)).get(
        reverse("evaluation:report-detail", args=[project.pk, 2026])
    )
    assert response.status_code == 200
    assert PANEL in response.content.decode()
    ((year, warnings),) = response.context["quality_years"]
    assert year == 2026 and QualityRuleKind.ENERGY_CHANGE in [w["rule"] for w in warnings]


def test_an_annual_report_upload_with_warnings_is_previewed_with_them_then_saved(world, login, actors_a):
    import json
    from datetime import date, datetime

    import time_machine

    from evaluation.samples import construction_dataset
    from tests.evaluation.factories import listed_project, progress_for

    project = listed_project(actors_a)
    document = construction_dataset(park_name=project.park.name, park_type=project.park.park_type, year=2026)
    document["electricity_mwh"]["green_trade"] = "5000000"  # a year that jumps on 2025
    data = {"action": "save", "narrative": "2026 年度建设进展。"}
    for kp_pk, item in progress_for(project).items():
        data[f"progress_{kp_pk}"], data[f"note_{kp_pk}"] = item["progress_pct"], item["note"]
    data["file"] = SimpleUploadedFile("data.json", json.dumps(document).encode())
    url_ = reverse("evaluation:report-detail", args=[project.pk, 2026])
    with time_machine.travel(datetime(2027, 1, 15, 12), tick=False):
        assert date.today() == date(2027, 1, 15)
        client = _english(login(world.staff_a))
        response = client.post(url_, data, follow=True)
        batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED)
        assert response.redirect_chain == [(reverse("core:import-preview", args=[batch.pk]), 302)]
        # A preview stores nothing.
        assert not ParkDataset.objects.filter(park=project.park, year=2026).exists()
        warnings = _preview_warnings(response.content.decode())
        assert ("warning", "Warning") in {(severity, badge) for severity, badge, _ in warnings}
        assert any(message.startswith("Total energy consumed rose by") for *_, message in warnings)
        response = client.post(reverse("core:import-commit", args=[batch.pk]), follow=True)
    assert response.redirect_chain == [(url_, 302)]  # back to the report, the data saved all the same
    saved = ParkDataset.objects.get(park=project.park, year=2026)  # the report reads the park's year
    assert saved.document["electricity_mwh"]["green_trade"] == "5000000"
    html = response.content.decode()
    assert PANEL in html and "Total energy consumed rose by" in html


def test_the_energy_sections_query_count_does_not_grow_with_the_years(world, login, factor_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = _submitted(_draft(world), world)
    client = login(world.reviewer_a)
    target = _url("applications:section-energy", application)
    counts = []
    for year, grid in ((2023, 10000), (2024, 30000), (2025, 90000)):
        ParkDataset.objects.create(park=world.park_a, year=year, document=_document(year, grid=grid))
        client.get(target)  # the engine's reference data parsed once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        counts.append(len(queries))
    assert len(response.context["quality_years"]) == 2  # 2024 and 2025 each tripled
    assert counts[0] == counts[1] == counts[2]

"""Numbers read like numbers (issue 13, point 6): the dossier's stored values, the computed feasibility and
emissions pages, an annual report's indicators, and the SVG charts that fill their cards."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse
from django.utils import translation

from applications.dossier.schema import Field, display_value
from applications.dossier.sections import money, quantity, year
from applications.models import ApplicationStatus
from tests.applications.dossier_helpers import _computed, _url
from tests.applications.factories import ready_application
from zcpark.core.svgcharts import SIZES, Series, bar_chart, line_chart, responsive

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    # Our own output, not untrusted input: parsing it is the well-formedness check.
    return [e.text or "" for e in ET.fromstring(svg).iter(f"{SVG}text")]  # noqa: S314


# --- Stored dossier values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (money("investment_wan", "投资额"), "48000", "48,000 万元"),
        (money("investment_wan", "投资额"), "1285.50", "1,285.50 万元"),
        (quantity("quantity_mwh", "供应量", "MWh"), "628000", "628,000 MWh"),
        (quantity("area_km2", "面积", "km²"), "12.5", "12.5 km²"),
        (Field("employees", "从业人员", "int"), 12500, "12,500"),
        (year("start_year", "开工年份"), 2026, "2026"),
        (Field("name", "名称"), "12000 号楼", "12000 号楼"),
        (money("investment_wan", "投资额"), None, "—"),
    ],
)
def test_display_value_groups_numbers_and_leaves_years_and_text_when_a_reader_sees_them(
    spec, value, expected
):
    with translation.override("zh-hans"):
        assert display_value(spec, value) == expected


# --- Pages --------------------------------------------------------------------------------------


@pytest.fixture
def computed(world):
    return _computed(ready_application(staff=world.staff_a))


@pytest.mark.django_db
def test_feasibility_page_prints_grouped_numbers_and_fits_its_table_when_computed(world, login, computed):
    response = login(world.staff_a).get(_url("applications:section-edit", computed, "feasibility"))
    html = response.content.decode()
    table = html[
        html.index('id="trajectory-table"') : html.index("</table>", html.index('id="trajectory-table"'))
    ]
    assert (
        "zc-figures" in html[html.index('id="trajectory-table"') - 80 : html.index('id="trajectory-table"')]
    )
    assert '<td class="num">121,380.67</td>' in table and '<td class="num">53,064.97</td>' in table
    assert not re.search(r">\d{4,}\.\d\d<", table)  # no ungrouped quantity left
    assert '<span class="zc-unit">(tce)</span>' in table  # a header breaks before its unit, not inside a word
    economics = html[html.index('id="economics-summary"') :]
    assert re.search(r">\d{1,3}(,\d{3})+\.\d\d 万元<", economics)
    # The chart is drawn once per card width; the page shows the one that fits.
    chart = html[html.index('class="zc-chart"') :]
    assert [f'class="zc-chart-{name}"' in chart for name, _w, _h in SIZES] == [True, True, True]


@pytest.mark.django_db
def test_emissions_page_prints_grouped_numbers_and_threshold_signs_when_computed(world, login, computed):
    html = login(world.staff_a).get(_url("applications:section-emissions", computed)).content.decode()
    assert ">53,064.97<" in html and ">121,380.67<" in html and "5,420.67 MWh" in html
    assert "≤ 0.4 tCO2/tce" in html and "&lt;=" not in html
    assert html.count('class="zc-chart"') == 3 and html.count("<svg") == 3 * len(SIZES)


@pytest.mark.django_db
def test_read_only_section_prints_stored_amounts_grouped_when_a_reviewer_reads_it(world, login):
    application = ready_application(staff=world.staff_a)
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    html = (
        login(world.reviewer_a)
        .get(_url("applications:section-edit", application, "projects"))
        .content.decode()
    )
    assert ">48,000<" in html and ">48000<" not in html


@pytest.mark.django_db
def test_report_page_prints_thresholds_as_signs_and_values_grouped_when_computed(world, login, actors_a):
    from tests.evaluation.factories import listed_project, report_year

    project = listed_project(actors_a)
    report_year(project, actors_a["staff"], 2026)
    html = (
        login(world.reviewer_a)
        .get(reverse("evaluation:report-detail", args=[project.pk, 2026]))
        .content.decode()
    )
    table = html[html.index('id="indicator-table"') :]
    assert "≤ 0.4" in table and "≥ " in table and "&lt;=" not in table and "&gt;=" not in table
    totals = re.search(r"<dd class=\"col-sm-8\">([^<]+) tce</dd>", html)
    assert totals and re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", totals.group(1))


# --- Charts -------------------------------------------------------------------------------------


def test_chart_axis_groups_five_digit_values_and_keeps_years_when_drawn():
    svg = bar_chart(
        categories=["2023", "2024", "2025"], series=[Series("s", [D("144828.68"), D("103109.32"), None])]
    )
    texts = _texts(svg)
    assert "150,000" in texts and "0" in texts and {"2023", "2024", "2025"} <= set(texts)
    assert "2023 · s: 144,828.68" in svg  # a bar's tooltip, the stored digits grouped


def test_chart_wraps_a_long_title_and_category_labels_instead_of_dropping_them_when_narrow():
    sources = [
        "能源用作燃料（E用作燃料）",
        "能源加工转换（E加工转换）",
        "电力净受入（E电）",
        "热力净受入（E热）",
        "工业过程",
    ]
    svg = bar_chart(
        categories=sources,
        series=[Series("2025", [D("11439.97"), D("0"), D("41625"), D("0"), D("0")])],
        title="Carbon per unit of energy: projection and targets",
        width=360,
        height=280,
    )
    texts = _texts(svg)
    assert texts[:2] == ["Carbon per unit of energy: projection", "and targets"]  # two lines in 360 px
    assert sources[0] not in texts  # too wide for its band on one line …
    assert all(source in "".join(texts) for source in sources)  # … yet every label is shown, line under line


def test_responsive_chart_draws_each_size_with_its_own_view_box():
    html = responsive(
        partial(line_chart, categories=["2025", "2026"], series=[Series("s", [D("1"), D("2")])])
    )
    boxes = re.findall(r'viewBox="0 0 (\d+) (\d+)"', html)
    assert [(int(w), int(h)) for w, h in boxes] == [(w, h) for _name, w, h in SIZES]
    assert html.startswith('<div class="zc-chart">') and html.count("<svg") == len(SIZES)

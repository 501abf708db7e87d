"""Excel exports of the applications app's lists: the rows the page shows its user (scope, filters, order,
every page), Chinese headers with units, the filters named in the sheet, a constant number of queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications.models import DossierSection, ListStatus
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.applications.review_helpers import S, _bare
from tests.applications.test_review_queues import _city_parks, _result
from tests.parks.factories import ParkFactory, ZoneFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 4


def zh(msgid: str) -> str:
    """A msgid in Chinese, the portal's default language (new msgids read in English until the catalog
    is compiled: the tests hold either way)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def sheet(response) -> tuple[list[str], list[list], list[str]]:
    """(headers, data rows, the three lines above the table) of an exported workbook."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = [str(r[0]) for r in rows[: HEADER_ROW - 1]]
    return [str(h) for h in rows[HEADER_ROW - 1] if h is not None], rows[HEADER_ROW:], head


def column(headers: list[str], rows: list[list], name: str) -> list:
    index = headers.index(name)
    return [row[index] for row in rows]


# ---- city queue -----------------------------------------------------------------------------------


def test_city_queue_export_holds_only_the_reviewers_city_with_chinese_headers(world, login):
    mine = _bare(world, S.SUBMITTED, total_investment_wan=Decimal("218234.28"))
    _bare(world, S.SUBMITTED, park=world.park_b)
    _result(world.park_a, core="0.4085", status="fail", clean="90.32")
    response = login(world.reviewer_a).get(reverse("applications:review-city-export"))
    headers, rows, head = sheet(response)
    assert headers[:3] == ["园区", "设区市", "开发区"]
    core = zh("%(year)s %(indicator)s") % {
        "year": 2025,
        "indicator": zh("Carbon emissions per unit of energy consumed"),
    }
    assert f"{core}（tCO₂/tce）" in headers
    assert column(headers, rows, "园区") == [mine.park.name]
    assert column(headers, rows, f"{zh('Total investment')}（万元）") == [218234.28]
    assert column(headers, rows, f"{core}（tCO₂/tce）") == [0.4085]
    assert column(headers, rows, zh("Core indicator result")) == ["未达标"]
    assert "状态：已提交" in head[1]
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_city_queue_export_follows_the_pages_filters_and_order(world, login):
    parks = _city_parks(world, 3)
    for park, amount in zip(parks, ("100", "300", "200"), strict=True):
        _bare(world, S.SUBMITTED, park=park, total_investment_wan=Decimal(amount))
    _bare(world, S.RETURNED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    response = login(world.reviewer_a).get(
        reverse("applications:review-city-export"), {"sort": "-investment", "page": "1"}
    )
    headers, rows, head = sheet(response)
    assert column(headers, rows, f"{zh('Total investment')}（万元）") == [300, 200, 100]
    assert f"{zh('Sorted by')}：{zh('Total investment')}（{zh('descending')}）" in head[1]
    response = login(world.reviewer_a).get(
        reverse("applications:review-city-export"), {"status": "all", "q": parks[1].name}
    )
    headers, rows, head = sheet(response)
    assert column(headers, rows, "园区") == [parks[1].name]
    assert f"搜索：{parks[1].name}" in head[1]


def test_city_queue_export_exports_every_page(world, login):
    for park in _city_parks(world, 27):
        _bare(world, S.SUBMITTED, park=park)
    _headers, rows, _head = sheet(login(world.reviewer_a).get(reverse("applications:review-city-export")))
    assert len(rows) == 27


@pytest.mark.parametrize("who", ["staff_a", "province", "observer", "expert"])
def test_city_queue_export_is_403_for_other_roles(world, login, who):
    assert login(world.users()[who]).get(reverse("applications:review-city-export")).status_code == 403


@pytest.mark.parametrize("extra", [0, 4])
def test_city_queue_export_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        _bare(world, S.SUBMITTED, park=park)
        _result(park)
    client = login(world.reviewer_a)
    # session, user, calls with the city's quota spent, the queue, the 2025 results of its parks, the
    # queue's exemption claims
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:review-city-export"))
    assert len(sheet(response)[1]) == 1 + extra


# ---- province queue -------------------------------------------------------------------------------


def test_province_export_compares_like_the_page_and_names_its_city_filter(world, login):
    a = _bare(world, S.RECOMMENDED, period_years=3, total_investment_wan=Decimal("1200.5"))
    DossierSection.objects.create(
        application=a,
        code="targets",
        data={"period_years": 3, "targets": [{"indicator": "carbon_per_energy", "y2028": "0.3"}]},
    )
    _result(world.park_a, energy="121380.67")
    _bare(world, S.RECOMMENDED, park=world.park_b)
    client = login(world.observer)
    headers, rows, head = sheet(
        client.get(reverse("applications:review-province-export"), {"city": world.nanchang.code})
    )
    assert column(headers, rows, "园区") == [world.park_a.name]
    target = zh("Target at the end of the period: %(indicator)s") % {
        "indicator": zh("Carbon emissions per unit of energy consumed")
    }
    assert column(headers, rows, f"{zh('2025 energy consumption')}（tce）") == [121380.67]
    assert column(headers, rows, f"{target}（tCO₂/tce）") == [0.3]
    assert column(headers, rows, "建设期限（年）") == [3]
    assert column(headers, rows, zh("End year")) == ["2028"]
    assert "设区市：南昌市" in head[1]
    _headers, rows, _head = sheet(client.get(reverse("applications:review-province-export")))
    assert len(rows) == 2


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "expert"])
def test_province_export_is_403_for_other_roles(world, login, who):
    assert login(world.users()[who]).get(reverse("applications:review-province-export")).status_code == 403


@pytest.mark.parametrize("extra", [0, 4])
def test_province_export_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        application = _bare(world, S.RECOMMENDED, park=park, period_years=3)
        DossierSection.objects.create(application=application, code="targets", data={"period_years": 3})
        _result(park)
    client = login(world.province)
    # session, user, the queue, cities and calls (the filters' words), 2025 results, the plans' sections,
    # the queue's exemption claims
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:review-province-export"), {"sort": "core"})
    assert len(sheet(response)[1]) == 1 + extra


# ---- applications list ----------------------------------------------------------------------------


def test_application_list_export_keeps_each_users_scope(world, login):
    ApplicationFactory(park=world.park_a, status=S.SUBMITTED)
    ApplicationFactory(park=world.park_b, status=S.SUBMITTED)
    ApplicationFactory(park=world.park_b, status=S.DRAFT, call=CallFactory())
    expected = {
        "staff_a": [world.park_a.name],
        "reviewer_b": [world.park_b.name, world.park_b.name],
        "observer": sorted([world.park_a.name, world.park_b.name]),  # drafts are the park's own
    }
    for who, parks in expected.items():
        headers, rows, _head = sheet(
            login(world.users()[who]).get(reverse("applications:application-list-export"))
        )
        assert sorted(column(headers, rows, "园区")) == sorted(parks), who


def test_application_list_export_is_403_for_experts(world, login):
    assert login(world.expert).get(reverse("applications:application-list-export")).status_code == 403


@pytest.mark.parametrize("count", [1, 5])
def test_application_list_export_query_count_is_constant(world, login, django_assert_num_queries, count):
    for _ in range(count):
        ApplicationFactory(park=ParkFactory(zone=ZoneFactory(city=world.nanchang)), status=S.SUBMITTED)
    client = login(world.province)
    # session, user, cities and calls (the filters' words), the applications (places and call joined)
    with django_assert_num_queries(4):
        response = client.get(reverse("applications:application-list-export"), {"city": world.nanchang.code})
    assert len(sheet(response)[1]) == count


# ---- calls ----------------------------------------------------------------------------------------


def test_call_list_export_counts_the_users_applications_by_state(world, login):
    call = CallFactory(quota_per_city=2)
    ApplicationFactory(call=call, park=world.park_a, status=S.SUBMITTED)
    ApplicationFactory(call=call, park=world.park_b, status=S.RECOMMENDED)
    CallFactory(draft=True)
    headers, rows, _head = sheet(login(world.reviewer_a).get(reverse("applications:call-list-export")))
    assert column(headers, rows, "申报批次") == [call.title]  # a draft call is the province's own
    assert column(headers, rows, zh("Number of applications")) == [1]
    assert column(headers, rows, "已提交") == [1]
    assert column(headers, rows, "设区市已推荐") == [0]  # the other city's is not counted
    headers, rows, _head = sheet(login(world.province).get(reverse("applications:call-list-export")))
    assert len(rows) == 2


@pytest.mark.parametrize("n", [1, 5])
def test_call_list_export_query_count_is_constant(world, login, django_assert_num_queries, n):
    for _ in range(n):
        ApplicationFactory(call=CallFactory(), status=S.SUBMITTED)
    client = login(world.province)
    # session, user, calls (application count annotated), applications grouped by call and state
    with django_assert_num_queries(4):
        response = client.get(reverse("applications:call-list-export"))
    assert len(sheet(response)[1]) == n


# ---- construction lists ---------------------------------------------------------------------------


def test_construction_lists_export_and_its_entries(world, login):
    a, b = approved(park=world.park_a), approved(park=world.park_b)
    clist = make_list(
        ListStatus.PUBLIC_NOTICE, by=world.province, applications=[a, b], document_no="赣发改〔2026〕1号"
    )
    make_list(ListStatus.DRAFT, by=world.province, title="第二批")
    client = login(world.observer)
    headers, rows, _head = sheet(
        client.get(reverse("applications:list-manage-export"), {"status": "public_notice"})
    )
    assert column(headers, rows, "标题") == [clist.title]
    assert column(headers, rows, zh("Number of parks")) == [2]
    assert column(headers, rows, "文号") == ["赣发改〔2026〕1号"]
    response = client.get(
        reverse("applications:list-detail-export", args=[clist.pk]), {"city": world.ganzhou.code}
    )
    headers, rows, head = sheet(response)
    assert head[0] == f"{clist.title}（赣发改〔2026〕1号）"
    assert column(headers, rows, "园区") == [world.park_b.name]
    assert "设区市：赣州市" in head[1]


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "expert"])
def test_construction_list_exports_are_the_provinces(world, login, who):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    client = login(world.users()[who])
    assert client.get(reverse("applications:list-manage-export")).status_code == 403
    assert client.get(reverse("applications:list-detail-export", args=[clist.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 5])
def test_construction_list_exports_query_count_is_constant(world, login, django_assert_num_queries, n):
    clist = make_list(ListStatus.DRAFT, by=world.province, applications=[approved() for _ in range(n)])
    for _ in range(n - 1):
        make_list(ListStatus.DRAFT, by=world.province, title=f"批次{_}")
    client = login(world.province)
    # session, user, lists (park count annotated)
    with django_assert_num_queries(3):
        response = client.get(reverse("applications:list-manage-export"))
    assert len(sheet(response)[1]) == n
    # session, user, the list, its entries (park, zone, city and application joined)
    with django_assert_num_queries(4):
        response = client.get(reverse("applications:list-detail-export", args=[clist.pk]))
    assert len(sheet(response)[1]) == n


def test_exported_amounts_keep_their_value_and_show_thousands_separators(world, login):
    _bare(world, S.SUBMITTED, total_investment_wan=Decimal("218234.28"))
    response = login(world.reviewer_a).get(reverse("applications:review-city-export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in ws[HEADER_ROW]]
    cell = ws.cell(HEADER_ROW + 1, headers.index(f"{zh('Total investment')}（万元）") + 1)
    assert (cell.value, cell.number_format) == (218234.28, "#,##0.00")
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"

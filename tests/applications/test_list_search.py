"""Search and filters on the applications app's lists: kept in the URL, applied to the page and its export,
a value that does not parse filtering nothing, the number of queries unchanged by the filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ListStatus
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.applications.review_helpers import S, _bare
from tests.applications.test_list_exports import column, sheet
from tests.applications.test_review_queues import _result
from tests.parks.factories import ParkFactory, ZoneFactory


def _moment(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def _submitted(park, call, *, days_ago: int):
    return ApplicationFactory(park=park, call=call, status=S.SUBMITTED, submitted_at=_moment(days_ago))


@pytest.fixture
def nanchang_queue(world):
    """Three submitted dossiers of 南昌 in two calls, two zones, submitted 30, 10 and 1 days ago."""
    spring, autumn = CallFactory(title="2026年第一批"), CallFactory(title="2026年第二批")
    zone = ZoneFactory(city=world.nanchang, name="小蓝经济技术开发区")
    return {
        "a": _submitted(world.park_a, spring, days_ago=30),
        "b": _submitted(ParkFactory(zone=zone, name="小蓝绿色园"), autumn, days_ago=10),
        "c": _submitted(
            ParkFactory(zone=world.park_a.zone, name="瑶湖园", park_in_park=True), autumn, days_ago=1
        ),
        "calls": (spring, autumn),
    }


def _shown(response) -> list[int]:
    return [row.application.pk for row in response.context["rows"]]


def _pks(response) -> list[int]:
    return [a.pk for a in response.context["page"].object_list]


# ---- the city queue -------------------------------------------------------------------------------


def test_city_queue_searches_park_and_zone_names(world, login, nanchang_queue):
    client, q = login(world.reviewer_a), nanchang_queue
    assert _shown(client.get(reverse("applications:review-city"), {"q": "瑶湖"})) == [q["c"].pk]
    assert _shown(client.get(reverse("applications:review-city"), {"q": "小蓝经济"})) == [q["b"].pk]


def test_city_queue_filters_by_call_and_submission_dates(world, login, nanchang_queue):
    client, q = login(world.reviewer_a), nanchang_queue
    autumn = q["calls"][1]
    shown = _shown(client.get(reverse("applications:review-city"), {"call": autumn.pk, "sort": "park"}))
    assert sorted(shown) == sorted([q["b"].pk, q["c"].pk])
    since = timezone.localdate() - dt.timedelta(days=15)
    until = timezone.localdate() - dt.timedelta(days=5)
    dates = {"submitted_from": since.isoformat(), "submitted_to": until.isoformat()}
    assert _shown(client.get(reverse("applications:review-city"), dates)) == [q["b"].pk]


def test_city_queue_ignores_a_value_that_does_not_parse(world, login, nanchang_queue):
    client = login(world.reviewer_a)
    response = client.get(reverse("applications:review-city"), {"submitted_from": "2026-13-45", "call": "x"})
    assert response.status_code == 200
    assert len(_shown(response)) == 3


def test_city_queue_keeps_the_filters_in_its_sort_links_and_export_button(world, login, nanchang_queue):
    html = login(world.reviewer_a).get(reverse("applications:review-city"), {"q": "瑶湖"}).content.decode()
    assert "?q=%E7%91%B6%E6%B9%96&amp;sort=park" in html
    assert f'href="{reverse("applications:review-city-export")}?q=%E7%91%B6%E6%B9%96"' in html
    assert 'value="瑶湖"' in html
    assert "data-print" in html and "js/bulk.js" in html


def test_city_queue_search_stays_in_the_reviewers_city(world, login):
    _bare(world, S.SUBMITTED, park=world.park_b)
    response = login(world.reviewer_a).get(reverse("applications:review-city"), {"q": world.park_b.name})
    assert _shown(response) == []
    assert 'id="queue-empty"' in response.content.decode()


@pytest.mark.parametrize("extra", [0, 4])
def test_city_queue_with_every_filter_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for n in range(1 + extra):
        park = ParkFactory(zone=ZoneFactory(city=world.nanchang), name=f"瑶湖园{n}")
        _bare(world, S.SUBMITTED, park=park)
        _result(park)
    client = login(world.reviewer_a)
    params = {"q": "瑶湖", "call": "", "submitted_from": "2020-01-01", "status": "submitted", "sort": "-core"}
    # session, user, calls with the city's quota spent, count, page, 2025 results, exemption claims,
    # unread notifications
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:review-city"), params)
    assert len(response.context["rows"]) == 1 + extra


# ---- the province queue ---------------------------------------------------------------------------


def test_province_queue_searches_and_filters_by_call_and_city(world, login):
    spring, autumn = CallFactory(), CallFactory()
    a = _bare(world, S.RECOMMENDED, call=spring)
    b = _bare(world, S.RECOMMENDED, call=autumn, park=world.park_b)
    client = login(world.province)
    assert _shown(client.get(reverse("applications:review-province"), {"call": autumn.pk})) == [b.pk]
    assert _shown(client.get(reverse("applications:review-province"), {"q": "南昌"})) == [a.pk]
    response = client.get(reverse("applications:review-province"), {"city": world.ganzhou.code, "q": "南昌"})
    assert _shown(response) == []
    html = client.get(reverse("applications:review-province")).content.decode()
    assert f'<option value="{autumn.pk}">{autumn.title}</option>' in html
    assert f'<option value="{world.ganzhou.code}">赣州市</option>' in html


def test_province_queue_offers_no_draft_call_to_observers(world, login):
    draft = CallFactory(draft=True)
    assert draft.title in login(world.province).get(reverse("applications:review-province")).content.decode()
    assert (
        draft.title not in login(world.observer).get(reverse("applications:review-province")).content.decode()
    )


# ---- the applications list (views.dossier.application_list reads review.application_list_query) ----


def test_application_list_searches_and_filters_in_the_users_scope(world, login):
    spring = CallFactory()
    mine = ApplicationFactory(park=world.park_a, call=spring, status=S.SUBMITTED, submitted_at=_moment(3))
    ApplicationFactory(park=world.park_a, status=S.DRAFT)
    ApplicationFactory(park=world.park_b, call=spring, status=S.SUBMITTED, submitted_at=_moment(3))
    client = login(world.reviewer_a)
    url = reverse("applications:application-list")
    assert _pks(client.get(url, {"call": spring.pk})) == [mine.pk]
    assert _pks(client.get(url, {"status": "submitted", "q": "测试园"})) == [mine.pk]
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert _pks(client.get(url, {"submitted_from": since})) == []
    province = login(world.province)
    assert len(_pks(province.get(url, {"city": world.ganzhou.code}))) == 1
    html = province.get(url, {"city": world.ganzhou.code}).content.decode()
    assert f'href="{reverse("applications:application-list-export")}?city={world.ganzhou.code}"' in html


def test_application_list_export_reads_the_same_filters(world, login):
    spring = CallFactory()
    ApplicationFactory(park=world.park_a, call=spring, status=S.SUBMITTED)
    ApplicationFactory(park=world.park_b, call=CallFactory(), status=S.SUBMITTED)
    response = login(world.province).get(reverse("applications:application-list-export"), {"call": spring.pk})
    headers, rows, head = sheet(response)
    assert column(headers, rows, "园区") == [world.park_a.name]
    assert f"申报批次：{spring.title}" in head[1]


# ---- calls and construction lists ---------------------------------------------------------------


def test_call_list_searches_titles_and_filters_state_and_deadline(world, login):
    near = CallFactory(title="2026年第一批", deadline=timezone.localdate() + dt.timedelta(days=5))
    far = CallFactory(title="2027年第一批", deadline=timezone.localdate() + dt.timedelta(days=400))
    closed = CallFactory(title="2025年第一批", closed=True)
    client = login(world.province)

    def calls(params):
        return [r.call for r in client.get(reverse("applications:call-list"), params).context["rows"]]

    assert calls({"q": "2027"}) == [far]
    assert calls({"status": "closed"}) == [closed]
    until = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert near in calls({"deadline_to": until}) and far not in calls({"deadline_to": until})
    html = client.get(reverse("applications:call-list"), {"q": "9999"}).content.decode()
    assert 'value="9999"' in html


def test_call_list_offers_no_draft_state_to_others(world, login):
    html = login(world.reviewer_a).get(reverse("applications:call-list")).content.decode()
    assert 'value="draft"' not in html


@pytest.mark.parametrize("n", [1, 5])
def test_call_list_with_filters_query_count_is_constant(world, login, django_assert_num_queries, n):
    for _ in range(n):
        ApplicationFactory(call=CallFactory(), status=S.SUBMITTED)
    client = login(world.province)
    # session, user, unread notifications, calls (application count annotated), applications by call and state
    with django_assert_num_queries(5):
        response = client.get(reverse("applications:call-list"), {"q": "批", "status": "open"})
    assert len(response.context["rows"]) == n


def test_construction_lists_search_title_and_document_number_and_filter_state(world, login):
    first = make_list(
        ListStatus.PUBLISHED, by=world.province, title="第一批建设名单", document_no="赣发改〔2026〕8号"
    )
    second = make_list(ListStatus.DRAFT, by=world.province, title="第二批建设名单")
    client = login(world.observer)

    def lists(params):
        return list(client.get(reverse("applications:list-manage"), params).context["lists"])

    assert lists({"q": "8号"}) == [first]
    assert lists({"status": "draft"}) == [second]
    today = timezone.localdate().isoformat()
    assert lists({"published_from": today, "published_to": today}) == [first]


def test_a_lists_parks_filter_by_city_and_name(world, login):
    a, b = approved(park=world.park_a), approved(park=world.park_b)
    clist = make_list(ListStatus.DRAFT, by=world.province, applications=[a, b])
    client = login(world.province)
    url = reverse("applications:list-detail", args=[clist.pk])

    def parks(params):
        return [e.park for e in client.get(url, params).context["entries"]]

    assert parks({"city": world.ganzhou.code}) == [world.park_b]
    assert parks({"q": "南昌"}) == [world.park_a]
    assert parks({}) == [world.park_a, world.park_b]


@pytest.mark.parametrize("n", [1, 5])
def test_a_lists_page_with_filters_query_count_is_constant(world, login, django_assert_num_queries, n):
    clist = make_list(ListStatus.DRAFT, by=world.province, applications=[approved() for _ in range(n)])
    client = login(world.province)
    client.get(reverse("applications:list-detail", args=[clist.pk]))  # warm the content-type cache
    # session, user, the list, its entries (park, zone, city, application joined), cities for the filter,
    # its official documents, its history, unread notifications (header)
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:list-detail", args=[clist.pk]), {"q": "园", "city": ""})
    assert len(response.context["entries"]) == n

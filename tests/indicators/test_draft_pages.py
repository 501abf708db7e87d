"""The draft page: province only, the impact table with its filters and order, Publish, Discard, refresh."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import FactorSet, IndicatorResult, Scheme
from tests.indicators.factories import ParkDatasetFactory, dataset_document, load_factor_data
from tests.indicators.test_drafts import CLEAN_ENERGY, JIANGXI
from tests.indicators.test_factor_pages import _scheme_post

pytestmark = pytest.mark.django_db

NON_PROVINCE = ("observer", "expert", "reviewer_a", "reviewer_b", "staff_a", "staff_b")


@pytest.fixture
def draft(world):
    """A jiangxi threshold draft (0.4 → 0.38) over park_a 2025 (fails either way) and park_b 2025 (flips)."""
    load_factor_data()
    for park, document in (
        (world.park_a, dataset_document()),
        (world.park_b, dataset_document(energy=CLEAN_ENERGY)),
    ):
        services.indicator_results_compute(
            dataset=ParkDatasetFactory(park=park, year=2025, document=document)
        )
    return services.scheme_new_version(
        by=world.province, code=JIANGXI, thresholds={"carbon_per_energy:1": Decimal("0.38")}
    )


def _url(version) -> str:
    kind = "factor-set" if isinstance(version, FactorSet) else "scheme"
    return reverse("indicators:draft-detail", args=[kind, version.pk])


def _client(login, user):
    client = login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("name", NON_PROVINCE)
def test_the_draft_page_and_its_moves_are_forbidden_to_everyone_but_the_province(world, draft, login, name):
    client = _client(login, getattr(world, name))
    assert client.get(_url(draft)).status_code == 403
    for action in ("publish", "discard", "refresh"):
        assert client.post(_url(draft), {"action": action}).status_code == 403
    assert Scheme.objects.get(pk=draft.pk).status == "draft"


def test_the_draft_page_sends_anonymous_users_to_sign_in(draft, login):
    response = login(None).get(_url(draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [
        reverse("indicators:draft-detail", args=["scheme", 999999]),
        reverse("indicators:draft-detail", args=["nonsense", 1]),
    ],
)
def test_an_unknown_draft_is_not_found(world, draft, login, url):
    assert _client(login, world.province).get(url).status_code == 404


def test_a_version_that_never_was_a_draft_has_no_draft_page(world, draft, login):
    loaded = Scheme.objects.get(code=JIANGXI, version=1)
    assert _client(login, world.province).get(_url(loaded)).status_code == 404


def test_the_draft_page_lists_the_flip_with_park_city_year_and_counts(world, draft, login):
    response = _client(login, world.province).get(_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    [row] = response.context["rows"]
    assert (row["park"], row["city"], row["year"], row["flip_label"]) == (
        world.park_b.name,
        world.park_b.zone.city.name,
        2025,
        "Pass → fail",
    )
    assert "Carbon emissions per unit of energy consumed: Pass → Fail" in row["texts"]
    assert 'id="count-pass-to-fail">1<' in html and world.park_b.name in html
    table = html[html.index('id="impact-table"') :]
    assert ">pass_to_fail<" not in table and ">Pass → fail<" in table  # labels, never the keys
    assert 'id="draft-publish"' in html and 'id="draft-discard"' in html


def test_the_impact_table_filters_by_city_and_change_and_puts_flips_first(world, draft, login):
    client = _client(login, world.province)
    rows = client.get(_url(draft), {"city": world.park_a.zone.city.name}).context["rows"]
    assert rows == []  # park_a's result does not change
    rows = client.get(_url(draft), {"city": world.park_b.zone.city.name, "change": "pass_to_fail"}).context[
        "rows"
    ]
    assert [row["park"] for row in rows] == [world.park_b.name]
    assert client.get(_url(draft), {"change": "fail_to_pass"}).context["rows"] == []
    assert client.get(_url(draft), {"change": "value"}).context["rows"] == []


def test_flips_come_first_then_value_changes(world, login):
    load_factor_data()
    documents = [
        (world.park_a, dataset_document()),
        (world.park_b, dataset_document(energy=CLEAN_ENERGY)),
    ]
    for park, document in documents:
        services.indicator_results_compute(
            dataset=ParkDatasetFactory(park=park, year=2025, document=document)
        )
    # The fixed grid factor 0.8325 → 0.5 lowers both values: park_a (0.4372) now passes 0.4 (a flip), park_b
    # (0.3812) passed already (a value-only change), whatever order the cities come in.
    draft = services.factor_set_correct_constant(
        by=world.province, key="national_fossil_fixed_tco2_per_mwh", value=Decimal("0.5"), source="测试"
    )
    rows = _client(login, world.province).get(_url(draft)).context["rows"]
    flips = [row["flip"] for row in rows]
    assert flips == sorted(flips, key=lambda flip: not flip)  # every flip before every value-only change
    assert any(flips) and not all(flips)


def test_publish_from_the_page_makes_the_draft_current_and_recomputes(
    world, draft, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(login, world.province).post(_url(draft), {"action": "publish", "comment": "发布"})
    assert response.status_code == 302 and response.url == reverse("indicators:factor-list")
    assert Scheme.objects.get(code=JIANGXI, is_current=True).pk == draft.pk
    assert IndicatorResult.objects.current().filter(scheme_code=JIANGXI, scheme_version=2).count() == 2


def test_discard_from_the_page_changes_nothing_else(world, draft, login):
    before = list(IndicatorResult.objects.values_list("pk", "superseded_at"))
    response = _client(login, world.province).post(_url(draft), {"action": "discard"})
    assert response.status_code == 302
    assert Scheme.objects.get(pk=draft.pk).status == "discarded"
    assert Scheme.objects.get(code=JIANGXI, is_current=True).version == 1
    assert list(IndicatorResult.objects.values_list("pk", "superseded_at")) == before
    page = _client(login, world.province).get(_url(draft))
    assert page.status_code == 200 and 'id="draft-publish"' not in page.content.decode()


def test_opening_a_stale_draft_shows_its_impact_computed_again_without_storing_it(world, draft, login):
    dataset = ParkDatasetFactory(
        park=world.park_b, year=2024, document=dataset_document(year=2024, energy=CLEAN_ENERGY)
    )
    services.indicator_results_compute(dataset=dataset)
    assert services.draft_impact_stale(draft)
    stored = Scheme.objects.values_list("impact", "updated_at").get(pk=draft.pk)
    client = _client(login, world.province)
    response = client.get(_url(draft))
    assert response.context["counts"]["checked"] == 3 and response.context["computed_at"] is not None
    # A GET never writes: the stored preview is as it was, still stale.
    assert Scheme.objects.values_list("impact", "updated_at").get(pk=draft.pk) == stored
    assert services.draft_impact_stale(Scheme.objects.get(pk=draft.pk))
    # "Compute the impact again" stores it.
    assert client.post(_url(draft), {"action": "refresh"}).status_code == 302
    refreshed = Scheme.objects.get(pk=draft.pk)
    assert not services.draft_impact_stale(refreshed) and refreshed.impact["counts"]["checked"] == 3


@pytest.mark.parametrize("action", ["publish", "discard"])
def test_closing_a_stale_draft_stores_the_impact_it_was_closed_on(
    world, draft, login, action, django_capture_on_commit_callbacks
):
    dataset = ParkDatasetFactory(
        park=world.park_b, year=2024, document=dataset_document(year=2024, energy=CLEAN_ENERGY)
    )
    services.indicator_results_compute(dataset=dataset)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(login, world.province).post(_url(draft), {"action": action})
    assert response.status_code == 302
    closed = Scheme.objects.get(pk=draft.pk)
    assert closed.status != "draft" and closed.impact["counts"]["checked"] == 3


def test_the_draft_page_reads_a_fixed_number_of_queries(world, draft, login, django_assert_max_num_queries):
    client = _client(login, world.province)
    client.get(_url(draft))  # sessions, reference data caches
    with django_assert_max_num_queries(11):
        assert client.get(_url(draft)).status_code == 200  # fresh: the stored preview
    ParkDatasetFactory(
        park=world.park_b, year=2024, document=dataset_document(year=2024, energy=CLEAN_ENERGY)
    )
    # Stale: computed (current versions, the datasets and results per chunk of park-years), not stored.
    with django_assert_max_num_queries(21):
        assert client.get(_url(draft)).context["counts"]["checked"] == 3


def test_the_factor_and_scheme_pages_show_the_open_draft(world, draft, login):
    client = _client(login, world.province)
    assert _url(draft) in client.get(reverse("indicators:factor-list")).content.decode()
    form = client.get(reverse("indicators:scheme-version-create", args=[JIANGXI])).content.decode()
    assert 'id="open-draft"' in form and _url(draft) in form
    assert (
        'id="open-drafts"'
        not in _client(login, world.observer).get(reverse("indicators:factor-list")).content.decode()
    )


def test_a_second_scheme_draft_is_refused_on_the_form(world, draft, login):
    url = reverse("indicators:scheme-version-create", args=[JIANGXI])
    response = _client(login, world.province).post(url, _scheme_post(t_water_reuse="85"))
    assert response.status_code == 200
    assert "is still an open draft" in " ".join(response.context["form"].non_field_errors())
    assert Scheme.objects.filter(code=JIANGXI).count() == 2

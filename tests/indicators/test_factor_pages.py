"""The province's factor-set and scheme pages: access, content, the two forms, query count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import selectors, services
from indicators.models import FactorSet, Scheme
from tests.indicators.factories import load_factor_data

pytestmark = pytest.mark.django_db

LIST = reverse("indicators:factor-list")
GRID_ADD = reverse("indicators:grid-factor-add")
SCHEME_EDIT = reverse("indicators:scheme-version-create", args=["jiangxi-2025"])
NON_PROVINCE = ("observer", "expert", "reviewer_a", "staff_a")


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


def _grid_post(**overrides):
    data = {
        "basis": "national_fossil",
        "year": "2024",
        "value": "0.8100",
        "source": "生态环境部公告",
        "comment": "",
    }
    return {**data, **overrides}


def _scheme_post(**overrides):
    items = selectors.scheme_threshold_items(
        document=selectors.scheme_current_record(code="jiangxi-2025").document
    )
    data = {"t_" + item.key.replace(":", "__"): str(item.value) for item in items}
    return {**data, "comment": "省发改委通知", **overrides}


@pytest.mark.parametrize("url", [LIST, GRID_ADD, SCHEME_EDIT])
def test_factor_pages_send_anonymous_users_to_sign_in(login, url):
    response = login(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", NON_PROVINCE)
@pytest.mark.parametrize("url", [GRID_ADD, SCHEME_EDIT])
def test_factor_forms_are_forbidden_to_everyone_but_the_province(world, factor_data, login, name, url):
    assert login(getattr(world, name)).get(url).status_code == 403


@pytest.mark.parametrize(
    ("name", "status"), [("observer", 200), ("expert", 403), ("reviewer_a", 403), ("staff_a", 403)]
)
def test_factor_list_is_readable_by_observers_only_besides_the_province(
    world, factor_data, login, name, status
):
    response = login(getattr(world, name)).get(LIST)
    assert response.status_code == status
    if status == 200:
        assert "grid-factor-add" not in response.content.decode()


@pytest.mark.parametrize("name", NON_PROVINCE)
def test_grid_factor_post_is_forbidden_to_everyone_but_the_province(world, factor_data, login, name):
    assert login(getattr(world, name)).post(GRID_ADD, _grid_post()).status_code == 403
    assert FactorSet.objects.count() == 1


def test_factor_list_shows_the_current_set_and_its_grid_factors(world, factor_data, login):
    response = login(world.province).get(LIST)
    assert response.status_code == 200
    assert response.context["current"].name == "cn-2026.1"
    assert "0.8273" in response.content.decode()
    assert response.context["grid_table"].years == [2021, 2022, 2023]


def test_factor_list_marks_a_provisional_value(world, factor_data, login):
    services.factor_set_add_grid_factor(
        publish=True,
        by=world.province,
        basis="provincial",
        year=2023,
        value=Decimal("0.56"),
        source="征求意见稿",
        provisional=True,
    )
    content = login(world.province).get(LIST).content.decode()
    assert "征求意见稿" in content
    assert "badge text-bg-warning" in content


def test_factor_list_lists_versions_with_the_current_one_marked(world, factor_data, login):
    services.factor_set_add_grid_factor(
        publish=True,
        by=world.province,
        basis="national_fossil",
        year=2024,
        value=Decimal("0.81"),
        source="公告",
    )
    response = login(world.province).get(LIST)
    assert [(f.name, f.is_current) for f in response.context["factor_sets"]] == [
        ("cn-2026.2", True),
        ("cn-2026.1", False),
    ]


def test_factor_list_without_factor_data_says_how_to_load_it(world, login):
    response = login(world.province).get(LIST)
    assert response.status_code == 200
    assert response.context["current"] is None


def _publish(client, response):
    """Publish the draft a form saved, from the draft's page the form redirected to."""
    assert response.status_code == 302 and "/drafts/" in response.url
    return client.post(response.url, {"action": "publish", "comment": ""})


def test_grid_factor_add_drafts_a_new_version_that_its_page_publishes(
    world, factor_data, login, django_capture_on_commit_callbacks
):
    client = login(world.province)
    response = client.post(GRID_ADD, _grid_post())
    draft = FactorSet.objects.get(name="cn-2026.2")
    assert (draft.status, draft.is_current) == ("draft", False)
    assert FactorSet.objects.get(is_current=True).name == "cn-2026.1"
    with django_capture_on_commit_callbacks(execute=True):
        published = _publish(client, response)
    assert published.status_code == 302
    assert published.url == LIST
    assert FactorSet.objects.get(is_current=True).name == "cn-2026.2"


def test_grid_factor_add_shows_the_services_error_on_the_year(world, factor_data, login):
    response = login(world.province).post(GRID_ADD, _grid_post(year="2023"))
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert FactorSet.objects.count() == 1


def test_grid_factor_add_replaces_a_year_when_asked(world, factor_data, login):
    client = login(world.province)
    _publish(client, client.post(GRID_ADD, _grid_post(year="2023", replace="on")))
    assert selectors.factor_set_current().grid_factors[("national_fossil", 2023)].value == Decimal("0.81")


def test_scheme_form_is_prefilled_with_the_current_thresholds(world, factor_data, login):
    response = login(world.province).get(SCHEME_EDIT)
    assert response.status_code == 200
    assert response.context["form"]["t_carbon_per_energy__1"].initial == Decimal("0.4")


def test_scheme_form_publishes_a_new_version(world, factor_data, login):
    client = login(world.province)
    _publish(client, client.post(SCHEME_EDIT, _scheme_post(t_water_reuse="85")))
    scheme = Scheme.objects.get(code="jiangxi-2025", is_current=True)
    assert (scheme.version, scheme.comment) == (2, "省发改委通知")


def test_scheme_form_without_a_change_shows_an_error(world, factor_data, login):
    response = login(world.province).post(SCHEME_EDIT, _scheme_post())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Scheme.objects.filter(code="jiangxi-2025").count() == 1


def test_scheme_form_for_an_unknown_scheme_is_not_found(world, factor_data, login):
    url = reverse("indicators:scheme-version-create", args=["no-such-scheme"])
    assert login(world.province).get(url).status_code == 404


def test_navigation_offers_factors_to_the_province_only(world, login):
    assert LIST in login(world.province).get(reverse("portal:home")).content.decode()
    assert LIST not in login(world.staff_a).get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("extra", [0, 3])
def test_factor_list_query_count_is_constant(world, factor_data, login, django_assert_num_queries, extra):
    for year in range(2024, 2024 + extra):
        services.factor_set_add_grid_factor(
            publish=True,
            by=world.province,
            basis="national_fossil",
            year=year,
            value=Decimal("0.81"),
            source="公告",
        )
        services.scheme_new_version(
            publish=True,
            by=world.province,
            code="jiangxi-2025",
            thresholds={"water_reuse": Decimal(81 + year - 2024)},
        )
    client = login(world.province)
    # session, user, current factor set (with document), current schemes (with documents),
    # factor-set versions (creator and parent joined), scheme versions (creator and parent joined),
    # unread notifications, results no newer engine could recompute, open factor-set and scheme drafts
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["factor_sets"]) == 1 + extra


@pytest.mark.parametrize("kind", ["grid-factor", "coefficient", "constant"])
@pytest.mark.parametrize("name", NON_PROVINCE)
def test_method_edit_pages_are_the_provinces_only(world, factor_data, login, name, kind):
    url = reverse("indicators:factor-set-edit", args=[kind])
    assert login(getattr(world, name)).get(url).status_code == 403


def test_an_unknown_method_edit_is_not_found(world, factor_data, login):
    assert (
        login(world.province).get(reverse("indicators:factor-set-edit", args=["nonsense"])).status_code == 404
    )


def test_coefficient_page_publishes_a_new_version_shown_on_the_factor_page(world, factor_data, login):
    client = login(world.province)
    response = client.post(
        reverse("indicators:factor-set-edit", args=["coefficient"]),
        {"year": "2024", "value": "0.2990", "source": "中电联（测试）", "provisional": "on", "comment": ""},
    )
    _publish(client, response)
    html = client.get(LIST).content.decode()
    assert 'id="equivalent-coefficients"' in html and "0.299" in html
    assert FactorSet.objects.get(is_current=True).name == "cn-2026.2"


def test_constant_page_shows_the_services_error_on_its_field(world, factor_data, login):
    response = login(world.province).post(
        reverse("indicators:factor-set-edit", args=["constant"]),
        {"key": "transform_of", "value": "1.5", "source": "测试"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value"]
    assert FactorSet.objects.count() == 1


def test_factor_page_shows_the_method_and_its_constants_with_labels(world, factor_data, login):
    html = login(world.observer).get(LIST).content.decode()
    assert 'id="method-constants"' in html and "0.8325" in html
    assert "national_fossil_fixed_tco2_per_mwh" not in html  # labels, never the internal keys

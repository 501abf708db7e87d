"""A person signs in as each demo role and lands on the home page of that role and scope."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from parks.demo import demo_seed

PASSWORD = "browser-demo-pass"

ALL_DEMO_PARKS = {
    "南昌经开区零碳示范园",
    "赣州经开区零碳园区",
    "新余高新区零碳示范园",
    "九江经开区零碳园区",
    "萍乡经开区零碳园区",
}
# username → (home marker, text the scope badge shows, parks the list shows; None = no parks page)
EXPECTED = {
    "province_demo": ("home-province", "省发改委", ALL_DEMO_PARKS),
    "observer_demo": ("home-province", "有关单位", ALL_DEMO_PARKS),
    "city_nanchang": ("home-city", "南昌市", {"南昌经开区零碳示范园"}),
    "city_ganzhou": ("home-city", "赣州市", {"赣州经开区零碳园区"}),
    "park_nanchang": ("home-park", "南昌经开区零碳示范园", {"南昌经开区零碳示范园"}),
    "park_ganzhou": ("home-park", "赣州经开区零碳园区", {"赣州经开区零碳园区"}),
    "expert_demo": ("home-expert", "评审专家", None),
}


@pytest.fixture
def demo(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)


@pytest.mark.parametrize("username", list(EXPECTED))
def test_demo_user_signs_in_and_sees_its_own_home_page(demo, page, username):
    marker, scope_text, parks = EXPECTED[username]
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/")
    assert page.locator(f"#{marker}").is_visible()
    assert scope_text in page.locator("#scope-badge").inner_text()

    if parks is None:
        assert page.locator("header a.nav-link", has_text="园区").count() == 0
    else:
        page.locator("header a.nav-link", has_text="园区").first.click()
        page.wait_for_url("**/parks/**")
        shown = set(page.locator("#parks tbody td:first-child a").all_inner_texts())
        assert shown == parks

    page.locator("#user-menu").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/**")

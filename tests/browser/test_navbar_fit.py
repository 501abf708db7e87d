"""The header fits (issue 13, point 7), in Chromium: at 1440 and 1200 px, in Chinese and in English, for a
province administrator (the most menu entries) and a park's staff (the longest scope badge), with unread
notifications (the bell's badge). Where the bar is one row, every entry and the user menu are on it and
inside the window; where English is too wide for one row (1200 px), the menu button opens it all. Never a
horizontal scrollbar. The language switch names 中文（简体） and English in their own words."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from parks.demo import demo_seed
from parks.models import User
from tests.browser.helpers import PASSWORD, sign_in
from zcpark.core.services import notification_send

# (language, width) → whether the bar is one row (else the menu button shows it).
LAYOUTS = {("zh-hans", 1440): True, ("zh-hans", 1200): True, ("en", 1440): True, ("en", 1200): False}

MEASURE = """() => {
  const inside = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5; };
  const header = document.querySelector("#site-header");
  const entries = [...document.querySelectorAll("#mainnav .navbar-nav > .nav-item")];
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    headerHeight: header.getBoundingClientRect().height,
    toggler: getComputedStyle(document.querySelector(".navbar-toggler")).display !== "none",
    entryTops: [...new Set(entries.map((el) => Math.round(el.getBoundingClientRect().top)))],
    entriesInside: entries.every(inside),
    userMenuInside: inside(document.querySelector("#user-menu")),
    bellInside: inside(document.querySelector("#notification-bell")),
    languages: [...document.querySelectorAll("#language-form option")].map((o) => o.textContent.trim()),
  };
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    for username in ("province_demo", "park_nanchang"):
        user = User.objects.get(username=username)
        for n in range(12):
            notification_send(recipients=[user], title=f"待办事项 {n}")


def _check(page, language: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/home/", "/no-such-page/"):  # a page of the role and an error page, in the same frame
        page.goto(path)
        where = f"{language} {width} {path}"
        found = page.evaluate(MEASURE)
        assert found["overflow"] <= 0, (where, found)
        assert found["languages"] == ["中文（简体）", "English"], (where, found)
        if LAYOUTS[(language, width)]:
            assert not found["toggler"], (where, found)
            assert len(found["entryTops"]) == 1 and found["headerHeight"] <= 64, (where, found)
            assert found["entriesInside"] and found["userMenuInside"] and found["bellInside"], (where, found)
        else:
            assert found["toggler"], (where, found)
            page.click(".navbar-toggler")
            page.wait_for_selector("#mainnav.show")
            page.locator("#user-menu").wait_for(state="visible")
            opened = page.evaluate(MEASURE)
            assert opened["entriesInside"] and opened["userMenuInside"], (where, opened)
            assert opened["overflow"] <= 0, (where, opened)
        # The user menu opens inside the window: "Sign out" can be reached.
        page.click("#user-menu")
        sign_out = page.locator("#user-menu + .dropdown-menu button[type=submit]")
        sign_out.wait_for(state="visible")
        box = sign_out.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (where, box)


@pytest.mark.parametrize("username", ["province_demo", "park_nanchang"])
def test_the_header_fits_in_both_languages_at_1440_and_1200(demo, page, live_server, username):
    sign_in(page, username)
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for width in (1440, 1200):
            _check(page, language, width)

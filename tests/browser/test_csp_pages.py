"""The main pages of every role under the portal's Content-Security-Policy, in the real browser: not one
``securitypolicyviolation`` (an inline script, style, style attribute or handler, a resource from elsewhere)
and no console error about the policy, including what scripts do after the load — htmx panels, ECharts
tooltips, the calculator's added rows (issue 12, finding 9)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from applications import services as app_services
from applications.demo import demo_applications_seed
from applications.models import SectionCode
from evaluation.demo import ACCEPTED_PARK, OVERDUE_PARK, demo_construction_seed
from evaluation.models import AcceptanceEvaluation, ConstructionProject
from parks.demo import demo_seed
from parks.models import Park, User
from tests.browser.helpers import PASSWORD, sign_in

# Installed before any page script runs (through the DevTools protocol, which the policy does not govern).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "?") + " at " + e.sourceFile + ":"
    + e.lineNumber + " " + (e.sample || ""));
});
"""
# Redoc always asks for its maker's logo from its CDN (and hides it when refused): the policy rightly refuses
# it, and the report of it may come in after the next page has opened.
REFUSED_ELSEWHERE = "https://cdn.redoc.ly/"
NANCHANG = "南昌经开区零碳示范园"
GANZHOU = "赣州经开区零碳园区"


@pytest.fixture
def demo(transactional_db):
    """The demo: drafts for 南昌 and 赣州 (赣州's submitted, for the city's review), the construction period
    (an accepted park with its experts' reviews, a park under rectification)."""
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    drafts = {a.park.name: a for a in demo_applications_seed()}
    demo_construction_seed()
    submitted = app_services.application_transition(
        by=User.objects.get(username="park_ganzhou"), application=drafts[GANZHOU], action="submit"
    )
    accepted = ConstructionProject.objects.get(park__name=ACCEPTED_PARK)
    return {
        "draft": drafts[NANCHANG].pk,
        "submitted": submitted.pk,
        "accepted": accepted.pk,
        "overdue": ConstructionProject.objects.get(park__name=OVERDUE_PARK).pk,
        "evaluation": AcceptanceEvaluation.objects.get(project=accepted).pk,
        "park": Park.objects.get(name=NANCHANG).pk,
        "zone": Park.objects.get(name=NANCHANG).zone_id,
    }


class Watcher:
    """What the browser said about the policy, page by page."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        self.problems: dict[str, list[str]] = {}
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, path: str, then=None) -> None:
        """Open ``path``, do ``then`` and note what the browser reported."""
        self.console.clear()
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        assert "content-security-policy" in response.headers, path
        self.page.wait_for_load_state("networkidle", timeout=30_000)
        if then is not None:
            then(self.page)
            self.page.wait_for_load_state("networkidle", timeout=30_000)
        seen = [*self.page.evaluate("window.__csp || []"), *self.console]
        seen = [line for line in seen if REFUSED_ELSEWHERE not in line]
        if seen:
            self.problems[path] = seen


def _hover_charts(page) -> None:
    """ECharts draws its tooltip when the pointer is over a bar: hover every drawn chart."""
    for chart in page.locator("[data-chart] svg").all():
        box = chart.bounding_box()
        if box:
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)


def _bars_drawn(page) -> None:
    """Each bar's width (and a goal's marker) came from its data attribute through static/js/bars.js."""
    bars = page.locator("[data-bar-width]").all()
    assert bars
    for bar in bars:
        expected = f"{min(max(float(bar.get_attribute('data-bar-width')), 0), 100):g}%"
        assert bar.evaluate("element => element.style.width") == expected
    for marker in page.locator("[data-bar-left]").all():
        assert (
            marker.evaluate("element => element.style.left")
            == f"{float(marker.get_attribute('data-bar-left')):g}%"
        )


def _dashboard(page) -> None:
    _bars_drawn(page)
    _hover_charts(page)


def _filter_by_status(page) -> None:
    """Choosing a status submits the filter at once (data-autosubmit, static/js/forms.js)."""
    page.locator("#filter-status").select_option("accepted")
    page.wait_for_url("**/projects/?*status=accepted*")
    assert page.locator("#projects tbody tr").count() == 1


def _redoc_drawn(page) -> None:
    page.wait_for_selector(".redoc-wrap h1")
    page.wait_for_timeout(500)


def _calculate(page) -> None:
    """The blank form: add a row (copied from the formset's empty row), compute, hover the pie chart."""
    page.get_by_role("tab", name="在线填写").click()
    page.locator('[data-add-row="form"]').click()
    page.locator("#id_el_grid").fill("1000")
    page.locator("#id_form-0-carrier").select_option("natural_gas")
    page.locator("#id_form-0-quantity").fill("10")
    page.locator("#id_form-0-unit").select_option("10^4 Nm3")
    page.locator("#id_form-0-use").select_option("fuel")
    page.locator("#calculate").click()
    page.wait_for_selector("#emissions-chart svg")
    box = page.locator("#emissions-chart svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.2)
    page.wait_for_timeout(300)


def test_no_page_of_any_role_breaks_the_content_security_policy(demo, page):
    watcher = Watcher(page)
    draft, submitted = demo["draft"], demo["submitted"]

    for path in ("/", "/accounts/login/", "/public/lists/"):
        watcher.visit(path)
    watcher.visit("/public/progress/", _hover_charts)

    sign_in(page, "park_nanchang")
    for path in (
        "/home/",
        "/applications/",
        f"/applications/{draft}/sections/{SectionCode.OVERVIEW}/",
        f"/applications/{draft}/sections/{SectionCode.PROJECTS}/",
        f"/applications/{draft}/sections/{SectionCode.FEASIBILITY}/",
        f"/applications/{draft}/energy/",
        f"/applications/{draft}/energy/2025/",
        f"/applications/{draft}/emissions/",
        f"/applications/{draft}/attachments/",
        "/notifications/",
    ):
        watcher.visit(path)
    watcher.visit(f"/applications/{draft}/", _bars_drawn)
    watcher.visit("/indicators/calculator/", _calculate)

    sign_in(page, "city_ganzhou")
    for path in (
        "/home/",
        "/review/city/",
        f"/applications/{submitted}/review/",
        f"/applications/{submitted}/",
    ):
        watcher.visit(path)

    sign_in(page, "park_xinyu")
    watcher.visit(f"/projects/{demo['accepted']}/", _bars_drawn)
    watcher.visit(f"/projects/{demo['accepted']}/reports/2026/")

    sign_in(page, "city_xinyu")
    watcher.visit(f"/projects/{demo['accepted']}/self-assessment/")

    sign_in(page, "province_demo")
    for path in (
        "/home/",
        "/review/province/",
        f"/projects/{demo['overdue']}/",
        "/evaluations/",
        f"/evaluations/{demo['evaluation']}/",
        "/calls/",
        "/lists/",
        "/parks/",
        f"/parks/{demo['park']}/",
        "/users/",
        "/indicators/factors/",
        "/admin/",
        "/admin/parks/developmentzone/",
        "/admin/parks/developmentzone/import/",
        f"/admin/parks/developmentzone/{demo['zone']}/change/",
    ):
        watcher.visit(path)
    watcher.visit(
        "/api/v1/docs/", lambda page: page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    )
    watcher.visit("/api/v1/redoc/", _redoc_drawn)
    watcher.visit("/projects/", _filter_by_status)
    watcher.visit("/dashboard/", _dashboard)

    sign_in(page, "expert_demo")
    for path in (
        "/home/",
        f"/evaluations/{demo['evaluation']}/",
        f"/evaluations/{demo['evaluation']}/review/",
    ):
        watcher.visit(path)

    sign_in(page, "observer_demo")
    watcher.visit("/dashboard/", _hover_charts)

    assert watcher.problems == {}, "\n".join(f"{path}: {seen}" for path, seen in watcher.problems.items())


def test_a_question_asked_before_sending_keeps_the_form_when_answered_no(live_server, page, transactional_db):
    """data-confirm on a form or a button asks first (static/js/forms.js, the CSP-safe onsubmit/onclick);
    the form below is put on the sign-in page by the test, through the DevTools protocol."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML("beforeend",
             '<form id="asks" method="get" action="/public/lists/" data-confirm="Sure?"><button id="send">Send</button></form>'
             + '<form method="get" action="/public/lists/"><button id="send-2" data-confirm="Really?">Go</button></form>')"""
    )
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        if dialog.message == "Sure?":
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    page.locator("#send").click()
    page.wait_for_timeout(300)
    assert questions == ["Sure?"] and page.url.endswith("/accounts/login/")
    page.locator("#send-2").click()
    page.wait_for_url("**/public/lists/**")
    assert questions == ["Sure?", "Really?"]

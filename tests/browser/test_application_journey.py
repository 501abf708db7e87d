"""The demo dossier from the park's submission through the city (return, resubmission, recommendation)
and the province (approval, construction list, public notice, publication) to the public list page —
in the real browser, with every step on the application's timeline."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.demo import demo_applications_seed
from applications.models import Application, ApplicationStatus
from parks.demo import demo_seed
from tests.browser.helpers import PASSWORD, sign_in
from zcpark.core.models import AuditEvent

PARK = "南昌经开区零碳示范园"


@pytest.fixture
def demo(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    return demo_applications_seed()[0]


def take(page, action, comment=""):
    """Decide in the panel's one form: the opinion, the action's button, then the dialog that says what happens
    (and, without script, the server's confirmation page)."""
    if comment:
        page.locator("#review-comment").fill(comment)
    page.locator(f"#action-{action}").click()
    dialog = page.locator("#confirm-dialog .btn-confirm")
    dialog.wait_for(state="visible")
    dialog.click()
    page.wait_for_load_state()
    if page.locator("#review-confirm, form[action$='/transition/'] button.btn-danger").count():
        page.locator("button.btn-danger").first.click()
        page.wait_for_load_state()


def status_of(application):
    return Application.objects.get(pk=application.pk).status


def test_demo_dossier_goes_from_submission_to_the_published_public_list(demo, page):
    detail = f"/applications/{demo.pk}/"

    # The park submits its complete demo dossier from the application page.
    sign_in(page, "park_nanchang")
    page.locator("header a.nav-link", has_text="申报").first.click()
    page.get_by_role("link", name=PARK).first.click()
    page.wait_for_url(f"**{detail}")
    take(page, "submit")
    assert status_of(demo) == ApplicationStatus.SUBMITTED

    # The city finds it in its queue and returns it with an opinion.
    sign_in(page, "city_nanchang")
    page.locator("header a.nav-link", has_text="审核").first.click()
    page.wait_for_url("**/review/city/**")
    page.locator("#queue-table").get_by_role("link", name=PARK).first.click()
    take(page, "return", "请补充光伏二期的投资测算。")
    assert status_of(demo) == ApplicationStatus.RETURNED

    # The park changes a number and resubmits.
    sign_in(page, "park_nanchang")
    page.goto(f"{detail}sections/projects/")
    page.locator("input[name$='-investment_wan']").first.fill("52000")
    page.click("#section-save")
    page.wait_for_load_state()
    page.goto(detail)
    take(page, "resubmit")
    assert status_of(demo) == ApplicationStatus.SUBMITTED

    # The city sees what changed, numbers included, and recommends.
    sign_in(page, "city_nanchang")
    page.goto(f"{detail}changes/")
    changes = page.locator("main").inner_text()
    assert "48,000" in changes and "52,000" in changes
    page.goto(detail)
    take(page, "recommend", "符合申报条件，同意推荐。")
    assert status_of(demo) == ApplicationStatus.RECOMMENDED

    # The province compares and approves with a condition.
    sign_in(page, "province_demo")
    page.locator("header a.nav-link", has_text="审核").first.click()
    page.wait_for_url("**/review/province/**")
    page.locator("#queue-table").get_by_role("link", name=PARK).first.click()
    page.locator("#review-conditions").fill("2027 年底前建成能碳管理平台")
    take(page, "approve", "同意纳入建设名单。")
    assert status_of(demo) == ApplicationStatus.APPROVED

    # The province drafts the list, puts it on public notice until today, and publishes it.
    page.goto("/lists/new/")
    page.locator("#list-form input[name=title]").fill("江西省第一批零碳园区建设名单")
    page.locator("#list-form input[name=document_no]").fill("赣发改环资〔2026〕1号")
    page.locator("#candidates").get_by_label(PARK).check()
    page.locator("#list-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/lists/\d+/$"))
    page.fill("#notice-form input[name=objection_deadline]", timezone.localdate().isoformat())
    page.locator("#notice-form button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("#list-confirm").count():
        page.locator("#list-confirm button[type=submit]").click()
        page.wait_for_load_state()
    page.locator("#list-publish").click()
    page.locator("#list-confirm button[type=submit]").click()
    page.wait_for_load_state()
    assert status_of(demo) == ApplicationStatus.LISTED

    # Anyone sees the published list.
    page.context.clear_cookies()
    page.goto("/public/lists/")
    assert PARK in page.locator("main").inner_text()
    assert "赣发改环资〔2026〕1号" in page.locator("main").inner_text()

    # Every step is on the timeline, with who and the opinion.
    actions = list(AuditEvent.objects.for_object(demo).values_list("action", flat=True))
    for action in ("submit", "return", "section_saved", "resubmit", "recommend", "approve", "listed"):
        assert action in actions

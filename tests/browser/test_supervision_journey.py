"""督导 in the real browser: a park whose annual report lags its core-indicator path appears on the
province's supervision list, the province orders it to rectify from there, the order goes overdue (the
daily task), the province extends the deadline with a reason and the park answers; and a park failing the
core indicator at the end of its period is given an extension: the city requests it, the province
approves, and the project is under construction again with its new end year."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from evaluation.models import ConstructionProject, OrderStatus, ProjectStatus, RectificationOrder
from evaluation.tasks import orders_mark_overdue_task
from parks.demo import demo_seed
from parks.models import User
from tests.browser.helpers import PASSWORD, sign_in
from tests.evaluation.factories import listed_project, project_in_self_assessment, report_year

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def actors(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    return {
        "staff": User.objects.get(username="park_nanchang"),
        "reviewer": User.objects.get(username="city_nanchang"),
        "province": User.objects.get(username="province_demo"),
    }


def test_a_lagging_park_is_ordered_goes_overdue_and_gets_more_time(actors, page, time_machine):
    project = listed_project(actors)
    report_year(project, actors["staff"], 2026, lagging=True)
    time_machine.move_to(dt.datetime(2027, 4, 10, 10, 0, tzinfo=SHANGHAI), tick=True)

    # The province finds the park on its 督导 list, with the reason in figures, and orders it from there.
    sign_in(page, "province_demo")
    page.goto("/supervision/?reason=lagging")
    row = page.locator(f"#supervision tr[data-project='{project.pk}']")
    assert row.get_attribute("data-lagging") == "1"
    assert "2026" in row.locator(".reasons-cell").inner_text()
    row.locator("a.order-from-here").click()
    page.wait_for_url("**/orders/new/?from=supervision")
    assert "2026" in page.locator("textarea[name=requirements]").input_value()
    page.locator("input[name=deadline]").fill("2027-05-10")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/orders/*/")
    order = RectificationOrder.objects.get(project=project)
    assert ConstructionProject.objects.get(pk=project.pk).status == ProjectStatus.UNDER_RECTIFICATION

    # The deadline passes without an answer: the daily task marks the order overdue.
    time_machine.move_to(dt.datetime(2027, 5, 20, 10, 0, tzinfo=SHANGHAI), tick=True)
    assert orders_mark_overdue_task() == 1

    # The province sees it on its home page, and extends the deadline with a reason.
    sign_in(page, "province_demo")
    page.locator(f"#todo-orders-overdue li[data-order='{order.pk}'] a").click()
    page.wait_for_url(f"**/orders/{order.pk}/")
    assert page.locator("#order-status .order-status").get_attribute("data-status") == "overdue"
    form = page.locator("#extend-deadline-form")
    form.locator("textarea[name='extend_deadline-comment']").fill("园区汛期停工，给予一个月整改时间。")
    form.locator("input[name='extend_deadline-deadline']").fill("2027-06-20")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#order-status .order-status").get_attribute("data-status") == "issued"
    assert "园区汛期停工" in page.locator("main").inner_text()

    # The park answers on the new deadline.
    sign_in(page, "park_nanchang")
    page.goto(f"/orders/{order.pk}/")
    page.locator("#answer-form textarea[name='answer-answer']").fill("已增购绿电，调整用能结构。")
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_load_state()
    order.refresh_from_db()
    assert (order.status, order.deadline) == (OrderStatus.ANSWERED, dt.date(2027, 6, 20))


def test_a_park_failing_at_period_end_is_given_an_extension(actors, page, time_machine):
    project = project_in_self_assessment(actors, lagging=True)
    time_machine.move_to(dt.datetime(2029, 2, 1, 10, 0, tzinfo=SHANGHAI), tick=True)

    # The city requests one more year.
    sign_in(page, "city_nanchang")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#action-extension").click()
    page.wait_for_url(f"**/projects/{project.pk}/extension/")
    form = page.locator("#extension-request-form")
    form.locator("select[name=years]").select_option("1")
    form.locator("textarea[name=reason]").fill("光伏二期2029年并网，核心指标可在一年内达标。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#extension-requests tr[data-status=requested]").count() == 1

    # The province approves it from its home page.
    sign_in(page, "province_demo")
    page.locator("#todo-extensions a").first.click()
    page.wait_for_url(f"**/projects/{project.pk}/extension/")
    decision = page.locator("#extension-decision-form")
    decision.locator("textarea[name=comment]").fill("同意延期一年。")
    decision.locator("input[name=document_no]").fill("赣发改环资〔2029〕3号")
    decision.locator("button[value=approve]").click()
    page.wait_for_load_state()
    assert page.locator("#extension-requests tr[data-status=approved]").count() == 1
    assert "2026–2029" in page.locator("#extension-period").inner_text()
    project.refresh_from_db()
    assert (project.status, project.final_year) == (ProjectStatus.IN_CONSTRUCTION, 2029)

    # The project page shows it under construction until 2029, with its 2029 report due.
    page.goto(f"/projects/{project.pk}/")
    assert "2029" in page.locator("main").inner_text()
    assert page.locator("a[href$='/reports/2029/']").count() >= 1

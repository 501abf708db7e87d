"""A list of two parks on public notice (公示): the province records an objection against one, answers it,
drops that park with a reason (after the confirmation dialog), and publishes once the objection period is
over; the public page shows only the remaining park, and the dropped park's timeline keeps the reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationStatus, ConstructionList, ListStatus, ObjectionStatus
from parks.demo import demo_seed
from parks.models import Park, User
from tests.applications.factories import ApplicationFactory
from tests.browser.helpers import PASSWORD, sign_in

DROPPED, KEPT = "南昌经开区零碳示范园", "赣州经开区零碳园区"
REASON = "经核实，园区四至范围与批复不一致，暂缓列入。"


@pytest.fixture
def drafted(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    applications = [
        ApplicationFactory(park=Park.objects.get(name=name), status=ApplicationStatus.APPROVED)
        for name in (DROPPED, KEPT)
    ]
    return services.construction_list_create(
        by=User.objects.get(username="province_demo"),
        title="江西省第二批零碳园区建设名单",
        application_ids=[a.pk for a in applications],
    )


def confirm_dialog(page):
    button = page.locator("#confirm-dialog .btn-confirm")
    button.wait_for(state="visible")
    button.click()
    page.wait_for_load_state()


def test_an_objection_leads_to_a_dropped_park_and_a_list_published_without_it(drafted, page):
    detail = f"/lists/{drafted.pk}/"
    deadline = timezone.localdate() + dt.timedelta(days=3)

    # The province puts the list on public notice until three days from now.
    sign_in(page, "province_demo")
    page.goto(detail)
    page.fill("#notice-form input[name=objection_deadline]", deadline.isoformat())
    page.locator("#notice-form button[type=submit]").click()
    page.wait_for_load_state()
    if page.locator("#list-confirm").count():
        page.locator("#list-confirm button[type=submit]").click()
        page.wait_for_load_state()
    assert ConstructionList.objects.get(pk=drafted.pk).status == ListStatus.PUBLIC_NOTICE
    assert page.locator("#list-publish").is_disabled()

    # Anyone reads the notice period on the public page.
    public = page.context.browser.new_page(base_url=page.url.split("/lists/")[0])
    public.goto(f"/public/lists/{drafted.pk}/")
    assert deadline.isoformat() in public.locator(".notice-period").inner_text()
    public.close()

    # A letter arrives: the province records the objection against the Nanchang park, with its evidence.
    page.goto(detail)
    page.locator("#objection-new").click()
    page.wait_for_url("**/objections/new/")
    page.select_option("#objection-form select[name=park]", label=DROPPED)
    page.fill("#objection-form input[name=raised_by]", "某村民委员会")
    page.fill("#objection-form input[name=received_on]", timezone.localdate().isoformat())
    page.fill("#objection-form textarea[name=text]", "园区四至范围包含基本农田。")
    page.locator("#objection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/lists/objections/\d+/$"))
    assert "园区四至范围包含基本农田。" in page.locator("#objection-text").inner_text()

    # Publishing is not open yet, and the home page asks for an answer.
    page.goto("/home/")
    assert DROPPED in page.locator("#todo-objections").inner_text()
    page.locator("#todo-objections a").first.click()

    # The province answers it; the answer is final.
    page.fill("#answer-form textarea[name=answer]", "异议属实，该园区暂缓列入本批名单。")
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "异议属实" in page.locator("#objection-answer").inner_text()
    assert page.locator("#answer-form").count() == 0

    # It drops the park from the list with the reason, after the dialog that says what happens.
    page.goto(detail)
    row = page.locator(f"form.drop-form[data-park='{Park.objects.get(name=DROPPED).pk}']")
    row.locator("input[name=reason]").fill(REASON)
    row.locator("button[type=submit]").click()
    confirm_dialog(page)
    assert REASON in page.locator("#list-drops").inner_text()
    assert DROPPED not in page.locator("#entries").inner_text()

    # After the objection period the province publishes the list with the park that remains.
    after = dt.datetime.combine(
        deadline + dt.timedelta(days=1), dt.time(9), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(after, tick=True):
        sign_in(page, "province_demo")
        page.goto(detail)
        page.locator("#list-publish").click()
        page.locator("#list-confirm button[type=submit]").click()
        page.wait_for_load_state()
    assert ConstructionList.objects.get(pk=drafted.pk).status == ListStatus.PUBLISHED

    # The public page shows only the park that remains.
    page.context.clear_cookies()
    page.goto("/public/lists/")
    shown = page.locator("#published").inner_text()
    assert KEPT in shown and DROPPED not in shown

    # The dropped park's application is approved again for a later list, the reason on its timeline.
    dropped = Application.objects.get(park__name=DROPPED)
    assert dropped.status == ApplicationStatus.APPROVED
    assert dropped.list_objections.get().status == ObjectionStatus.ANSWERED
    sign_in(page, "park_nanchang")
    page.goto(f"/applications/{dropped.pk}/")
    assert REASON in page.locator("#notice-objections").inner_text()
    assert REASON in page.locator(".dossier-timeline").inner_text()

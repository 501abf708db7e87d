"""From the last annual report to an accepted park, in the real browser: the park reports its final year,
the period ends (the daily task), the city writes its self-assessment and requests acceptance, the province
assigns two experts, each scores blind, the province accepts, the acceptance report is rendered, and the
public progress page shows the new 省级零碳园区."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from evaluation.models import AcceptanceEvaluation, ConstructionProject, ProjectStatus
from evaluation.samples import construction_dataset
from evaluation.scoring import SCORE_AREAS
from evaluation.tasks import construction_daily_task
from parks.demo import demo_seed
from parks.models import User
from tests.applications.factories import PDF_BYTES
from tests.browser.helpers import PASSWORD, sign_in
from tests.evaluation.factories import listed_project, report_year
from zcpark.core.models import FileStatus

PARK = "南昌经开区零碳示范园"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def project(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    actors = {
        "staff": User.objects.get(username="park_nanchang"),
        "reviewer": User.objects.get(username="city_nanchang"),
        "province": User.objects.get(username="province_demo"),
    }
    project = listed_project(actors)
    for year in (2026, 2027):
        report_year(project, actors["staff"], year)
    return project


def status_of(project):
    return ConstructionProject.objects.get(pk=project.pk).status


def test_the_final_report_leads_to_an_accepted_park_on_the_public_page(project, page, time_machine, tmp_path):
    # Mid-February 2029: the 2028 report can be filed.
    time_machine.move_to(dt.datetime(2029, 2, 15, 10, 0, tzinfo=SHANGHAI), tick=True)

    # The park files its 2028 report: narrative, progress of each key project, the year's data.
    sign_in(page, "park_nanchang")
    page.goto(f"/projects/{project.pk}/")
    page.locator("a[href$='/reports/2028/']").first.click()
    page.wait_for_url("**/reports/2028/")
    page.locator("#report-form textarea[name=narrative]").fill("2028 年重点项目全部完工。")
    for field in page.locator("#report-form input[name^='progress_']").all():
        field.fill("100")
    dataset = tmp_path / "2028.json"
    dataset.write_text(
        json.dumps(
            construction_dataset(park_name=PARK, park_type="non_chemical", year=2028), ensure_ascii=False
        )
    )
    page.locator("#report-form input[type=file]").set_input_files(str(dataset))
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_load_state()
    # The upload is previewed first: what it changes, its indicators and warnings; then saved.
    page.locator("#import-commit").click()
    page.wait_for_load_state()
    page.locator("#report-submit-form button[type=submit]").click()
    page.wait_for_load_state()
    assert project.annual_reports.get(year=2028).status == "submitted"

    # The period is over: the nightly task opens the self-assessment.
    construction_daily_task()
    assert status_of(project) == ProjectStatus.SELF_ASSESSMENT

    # The city writes its self-assessment, attaches the evidence, submits and requests acceptance.
    sign_in(page, "city_nanchang")
    page.goto(f"/projects/{project.pk}/self-assessment/")
    page.locator("#sa-form input[name=conclusion][value=meets]").check()
    page.locator("#sa-form textarea[name=summary]").fill("自评估：核心指标达到要求，重点项目全部完工。")
    page.locator("#sa-form button[type=submit]").click()
    page.wait_for_load_state()
    evidence = tmp_path / "自评估报告.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.locator("#evidence-form input[name=title]").fill("自评估报告")
    page.locator("#evidence-form input[type=file]").set_input_files(str(evidence))
    page.locator("#evidence-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#sa-submit-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_url("**/evaluations/*/")
    evaluation = AcceptanceEvaluation.objects.get(project=project)
    assert status_of(project) == ProjectStatus.ACCEPTANCE_REVIEW

    # The province assigns two experts.
    sign_in(page, "province_demo")
    page.goto(f"/evaluations/{evaluation.pk}/")
    for name in ("expert_demo", "expert_demo2"):
        expert = User.objects.get(username=name)
        page.locator(f"#assign-experts input[name=experts][value='{expert.pk}']").check()
    page.locator("#assign-experts button[type=submit]").click()
    page.wait_for_load_state()

    # Each expert scores blind: the second does not see the first's opinion until it has submitted.
    page.on("dialog", lambda dialog: dialog.accept())
    for name, opinion in (
        ("expert_demo", "核心指标优于要求，同意通过。"),
        ("expert_demo2", "同意通过验收。"),
    ):
        sign_in(page, name)
        page.goto(f"/evaluations/{evaluation.pk}/")
        # First the declaration of conflicts of interest: nothing of the dossier before it.
        assert page.locator("#expert-reviews").count() == 0
        page.locator("#declaration-form input[name=conflict][value=none]").check()
        page.locator("#declaration-send").click()
        page.wait_for_load_state()
        if name == "expert_demo2":
            assert "核心指标优于要求" not in page.content()
        page.locator("#write-review").click()
        for area in SCORE_AREAS:
            page.locator(f"#expert-review-form input[name=score_{area.code}]").fill(str(area.max_points - 2))
        page.locator("#expert-review-form input[name=recommends_acceptance][value=yes]").check()
        page.locator("#expert-review-form textarea[name=opinion]").fill(opinion)
        page.locator("#expert-review-form button[type=submit]").click()
        page.wait_for_load_state()
    assert "核心指标优于要求" in page.content()

    # The province accepts; the acceptance report is rendered.
    sign_in(page, "province_demo")
    page.goto(f"/evaluations/{evaluation.pk}/")
    decide = page.locator("#decide")
    decide.locator("input[name=decision][value=accepted]").check()
    decide.locator("textarea[name=comment]").fill("同意通过验收，认定为省级零碳园区。")
    decide.locator("input[name=document_no]").fill("赣发改环资〔2029〕12号")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert status_of(project) == ProjectStatus.ACCEPTED
    assert evaluation.reports.order_by("-id").first().status == FileStatus.READY
    page.goto(f"/evaluations/{evaluation.pk}/")
    assert page.locator("#evaluation-status").get_attribute("data-status") == "decided"

    # Anyone sees the new provincial zero-carbon park on the public progress page.
    page.context.clear_cookies()
    page.goto("/public/progress/")
    assert PARK in page.locator("main").inner_text()

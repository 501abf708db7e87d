"""A park engineer computes a park-year in the calculator page in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from parks.demo import demo_seed

CASES = Path(__file__).resolve().parents[1] / "cases"
PASSWORD = "browser-demo-pass"


@pytest.fixture
def demo(transactional_db):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/home/")


def test_park_engineer_uploads_a_dataset_and_reads_the_result(demo, page):
    _sign_in(page, "park_nanchang")
    page.locator("header .dropdown-toggle", has_text="更多").click()  # the calculator is under "More"
    page.locator("header .dropdown-menu a", has_text="碳核算").click()
    page.wait_for_url("**/indicators/calculator/")
    page.locator("#id_file").set_input_files(str(CASES / "pub-04-chp-net-exporter.dataset.json"))
    page.locator("#calculate").click()
    page.wait_for_selector("#indicator-table")
    core = page.locator('#indicator-table tr[data-code="carbon_per_energy"]')
    assert "1.4097" in core.inner_text()
    assert "未达标" in core.inner_text()
    assert "一票否决" in page.locator("#core-verdict").inner_text()
    # What it would take, in plain Chinese, from the engine's own numbers.
    assert "绿色电力" in page.locator("#to-pass").inner_text()
    page.wait_for_selector("#emissions-chart svg")
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_blank_form_in_the_browser(demo, page):
    _sign_in(page, "city_ganzhou")
    page.goto("/indicators/calculator/")
    page.get_by_role("tab", name="在线填写").click()
    page.locator("#id_el_grid").fill("1000")
    page.locator("#id_form-0-carrier").select_option("natural_gas")
    page.locator("#id_form-0-quantity").fill("10")
    page.locator("#id_form-0-unit").select_option("10^4 Nm3")
    page.locator("#id_form-0-use").select_option("fuel")
    # "Add a row" appends a numbered copy of the empty row (static/js/calculator.js).
    rows = page.locator("#rows-form tr")
    before = rows.count()
    page.locator('[data-add-row="form"]').click()
    assert rows.count() == before + 1
    assert page.locator(f"#id_form-{before}-carrier").count() == 1
    page.locator("#calculate").click()
    page.wait_for_selector("#totals")
    # 10 × 12.143 + 1000 × 0.3007 (等价值 2022) tce
    assert "422.13 tce" in page.locator("#totals").inner_text()

"""Tables and charts fit their cards at 1440 px and on a phone (390 px), in the real browser (issue 13,
point 6): the feasibility projection no longer clips its last column nor wraps a header one character per
line, a table too wide for a phone scrolls inside its card (never the page), and every chart is as wide
as its card with axis labels at a readable size."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from applications.demo import demo_applications_seed
from applications.models import SectionCode
from evaluation.demo import ACCEPTED_PARK, demo_construction_seed
from evaluation.models import ConstructionProject
from parks.demo import demo_seed
from tests.browser.helpers import PASSWORD, sign_in

NANCHANG = "南昌经开区零碳示范园"
WIDTHS = (1440, 390)
# Rendered axis text at least this tall (px): 12 px labels may shrink a little, never to a smudge.
READABLE_PX = 9.5

# Every table wrapper and what its table needs: a table that does not fit must scroll inside a wrapper
# that itself stays within its section.
TABLES = """root => [...root.querySelectorAll("table")].map(table => {
  const wrapper = table.closest(".table-responsive") || table.parentElement;
  return {id: table.id, needs: table.scrollWidth, has: wrapper.clientWidth,
    scrolls: getComputedStyle(wrapper).overflowX === "auto",
    right: wrapper.getBoundingClientRect().right, limit: root.getBoundingClientRect().right};
})"""
# How many line boxes each header's own label (its first text) takes.
HEADER_LINES = """table => [...table.querySelectorAll("thead th")].map(th => {
  const text = [...th.childNodes].find(node => node.nodeType === 3 && node.textContent.trim());
  if (!text) { return [th.textContent.trim(), 1]; }
  const range = document.createRange();
  range.selectNodeContents(text);
  const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
  return [text.textContent.trim(), tops.size];
})"""
# The charts shown (one drawing per chart is visible): their width, their card's, their axis text.
CHARTS = """root => [...root.querySelectorAll("svg[viewBox]")].filter(svg => svg.getClientRects().length)
  .map(svg => {
    const card = svg.closest(".zc-chart, .trajectory-chart");
    const texts = [...svg.querySelectorAll("text")].filter(t => /^-?[\\d,.]+$/.test(t.textContent.trim()));
    return {width: svg.getBoundingClientRect().width, card: card ? card.clientWidth : -1,
      labels: texts.length, smallest: Math.min(...texts.map(t => t.getBoundingClientRect().height))};
  })"""


@pytest.fixture
def people(transactional_db) -> None:
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)


@pytest.fixture
def dossier(people) -> int:
    """The demo's 南昌 draft: computed 2023–2025 data, projects, targets and the feasibility section."""
    return {a.park.name: a for a in demo_applications_seed()}[NANCHANG].pk


@pytest.fixture
def project(people) -> int:
    """The demo's accepted construction project, with its annual reports 2026–2028."""
    demo_construction_seed()
    return ConstructionProject.objects.get(park__name=ACCEPTED_PARK).pk


def _no_page_scroll(page, where: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{where}: the page scrolls sideways ({widths[0]} > {widths[1]} px)"


def _tables_fit(page, root: str, where: str, *, must_fit: tuple[str, ...] = ()) -> None:
    for table in page.locator(root).evaluate(TABLES):
        assert table["right"] <= table["limit"] + 1, f"{where}: {table['id']} sticks out of its card"
        fits = table["needs"] <= table["has"]
        assert fits or table["scrolls"], f"{where}: {table['id']} is clipped, not scrolled"
        assert fits or table["id"] not in must_fit, f"{where}: {table['id']} needs {table['needs']} px"


def _charts_fill(page, root: str, where: str, expected: int) -> None:
    charts = page.locator(root).evaluate(CHARTS)
    assert len(charts) == expected, f"{where}: {len(charts)} charts shown"
    for chart in charts:
        assert abs(chart["width"] - chart["card"]) <= 1, (
            f"{where}: chart {chart['width']} in {chart['card']} px"
        )
        assert chart["labels"] >= 3, f"{where}: a chart lost its axis labels"
        assert chart["smallest"] >= READABLE_PX, f"{where}: axis labels {chart['smallest']:.1f} px tall"


def test_feasibility_and_emissions_pages_fit_their_cards_at_1440_and_390(dossier, page):
    sign_in(page, "park_nanchang")
    feasibility = f"/applications/{dossier}/sections/{SectionCode.FEASIBILITY}/"
    emissions = f"/applications/{dossier}/emissions/"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(feasibility)
        where = f"feasibility @{width}"
        _no_page_scroll(page, where)
        # At 1440 px the whole projection shows: no column clipped, no scrollbar.
        _tables_fit(
            page, "#feasibility-analysis", where, must_fit=("trajectory-table",) if width > 1000 else ()
        )
        lines = page.locator("#trajectory-table").evaluate(HEADER_LINES)
        assert all(count == 1 for _label, count in lines), f"{where}: a header breaks inside a word: {lines}"
        assert "121,380.67" in page.locator("#trajectory-table").inner_text()
        _charts_fill(page, "#feasibility-analysis", where, expected=1)

        page.goto(emissions)
        where = f"emissions @{width}"
        _no_page_scroll(page, where)
        _tables_fit(page, "main", where)
        _charts_fill(page, "main", where, expected=3)


def test_project_page_charts_fill_their_cards_at_1440_and_390(project, page):
    sign_in(page, "province_demo")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/projects/{project}/")
        where = f"project @{width}"
        _no_page_scroll(page, where)
        _tables_fit(page, "#trajectory", where)
        count = page.locator("#trajectory .trajectory-chart").count()
        assert count >= 10, f"{where}: {count} indicator charts"
        _charts_fill(page, "#trajectory", where, expected=count)

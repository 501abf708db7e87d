"""A walk of every role's main pages in the real browser, as a civil servant would first see them (issue 13,
point 9): each page at 1440×900 and at 390×844, in Chinese, then the key pages again in English.

The walk fails, listing everything at once, on a console error or an uncaught script error, a request to
our own server that fails (a stylesheet, a script, an htmx panel), a page wider than the window (a
horizontal scrollbar), a raw code in the text, an English string of the catalogue left in a Chinese page,
or Chinese that is not the demo's own data in an English page (walk_helpers.py says how each is read).
Screenshots of each role's home and key pages at both widths (in English, of the home pages), full page,
go to ci-output/screenshots/ (or $ZCPARK_CI_OUTPUT/screenshots/), with problems.json and report.txt beside them; the test
prints the folder at the end.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.management import call_command

from applications.demo import demo_applications_seed
from applications.models import Application, Call, ConstructionList
from evaluation.demo import ACCEPTED_PARK, OVERDUE_PARK, demo_construction_seed
from evaluation.models import AcceptanceEvaluation, ConstructionProject, ExpertReview, RectificationOrder
from parks.demo import demo_seed
from parks.models import Park
from tests.applications.factories import demo_dossier_resubmitted
from tests.browser.helpers import PASSWORD
from tests.browser.walk_helpers import (
    Stop,
    Walk,
    chinese_outside_data,
    codes,
    data_strings,
    output_dir,
    untranslated,
    write_results,
)

NANCHANG = "南昌经开区零碳示范园"
GANZHOU = "赣州经开区零碳园区"
# The walk (seeding aside) must stay quick enough to run on every change.
BUDGET_SECONDS = 180

# role → (the demo account, None for the public; its pages). "{…}" are filled from the demo's objects.
ROLES: dict[str, tuple[str | None, list[Stop]]] = {
    "public": (
        None,
        [
            Stop("landing", "/", shot=True),
            Stop("sign-in", "/accounts/login/"),
            Stop("public lists", "/public/lists/", shot=True),
            Stop("public list", "/public/lists/{list}/"),
            Stop("public progress", "/public/progress/", shot=True),
            Stop("calculator", "/indicators/calculator/"),
            Stop("system status", "/status/"),
            Stop("not found", "/no-such-page/", status=404),
        ],
    ),
    "park staff (dossier)": (
        "park_nanchang",
        [
            Stop("home", "/home/", shot=True),
            Stop("applications", "/applications/"),
            Stop("dossier", "/applications/{draft}/", shot=True),
            Stop("overview", "/applications/{draft}/sections/overview/"),
            Stop("industry", "/applications/{draft}/sections/industry/"),
            Stop("energy", "/applications/{draft}/energy/", shot=True),
            Stop("energy 2025", "/applications/{draft}/energy/2025/"),
            Stop("emissions", "/applications/{draft}/emissions/"),
            Stop("targets", "/applications/{draft}/sections/targets/"),
            Stop("projects", "/applications/{draft}/sections/projects/"),
            Stop("feasibility", "/applications/{draft}/sections/feasibility/"),
            Stop("attachments", "/applications/{draft}/attachments/"),
            Stop("declarations", "/applications/{draft}/sections/declarations/"),
            Stop("notifications", "/notifications/"),
            Stop("forbidden", "/review/city/", status=403),
        ],
    ),
    "park staff (construction)": (
        "park_xinyu",
        [
            Stop("home", "/home/", shot=True),
            Stop("projects", "/projects/"),
            Stop("project", "/projects/{accepted}/", shot=True),
            Stop("annual report", "/projects/{accepted}/reports/2028/", shot=True),
            Stop("closed order", "/orders/{closed_order}/"),
            Stop("listed dossier", "/applications/{accepted_application}/"),
            Stop("notifications", "/notifications/"),
            Stop("calculator", "/indicators/calculator/"),
        ],
    ),
    "city reviewer (review)": (
        "city_ganzhou",
        [
            Stop("home", "/home/", shot=True),
            Stop("review queue", "/review/city/", shot=True),
            Stop("review", "/applications/{resubmitted}/review/", shot=True),
            Stop("dossier", "/applications/{resubmitted}/"),
            Stop("changes", "/applications/{resubmitted}/changes/"),
            Stop("energy", "/applications/{resubmitted}/energy/"),
            Stop("parks", "/parks/"),
            Stop("notifications", "/notifications/"),
        ],
    ),
    "city reviewer (acceptance)": (
        "city_xinyu",
        [
            Stop("home", "/home/", shot=True),
            Stop("projects", "/projects/"),
            Stop("project", "/projects/{accepted}/"),
            Stop("self-assessment", "/projects/{accepted}/self-assessment/", shot=True),
            Stop("evaluation", "/evaluations/{evaluation}/"),
            Stop("notifications", "/notifications/"),
        ],
    ),
    "province": (
        "province_demo",
        [
            Stop("home", "/home/", shot=True),
            Stop("review queue", "/review/province/", shot=True),
            Stop("calls", "/calls/"),
            Stop("call", "/calls/{call}/"),
            Stop("lists", "/lists/"),
            Stop("list", "/lists/{list}/"),
            Stop("projects", "/projects/"),
            Stop("overdue project", "/projects/{overdue}/"),
            Stop("overdue order", "/orders/{overdue_order}/"),
            Stop("evaluations", "/evaluations/"),
            Stop("evaluation", "/evaluations/{evaluation}/"),
            Stop("dashboard", "/dashboard/", shot=True),
            Stop("parks", "/parks/"),
            Stop("park", "/parks/{park}/"),
            Stop("users", "/users/"),
            Stop("factors", "/indicators/factors/"),
        ],
    ),
    "expert": (
        "expert_demo",
        [
            Stop("home", "/home/", shot=True),
            Stop("evaluations", "/evaluations/"),
            Stop("evaluation", "/evaluations/{expert_evaluation}/", shot=True),
            Stop("review", "/evaluations/{expert_evaluation}/review/", shot=True),
            Stop("notifications", "/notifications/"),
        ],
    ),
    "observer": (
        "observer_demo",
        [
            Stop("home", "/home/", shot=True),
            Stop("dashboard", "/dashboard/", shot=True),
            Stop("projects", "/projects/"),
            Stop("project", "/projects/{accepted}/"),
            Stop("parks", "/parks/"),
            Stop("public progress", "/public/progress/"),
        ],
    ),
}


@pytest.fixture
def demo(transactional_db: None) -> dict[str, int]:
    """The demo as `make demo` seeds it, plus 赣州's dossier submitted, returned and resubmitted with another
    grid figure (so the city has a review with a revision diff); the ids the walk's paths need."""
    call_command("load_reference_data", verbosity=0)
    demo_seed(password=PASSWORD)
    demo_applications_seed()
    demo_construction_seed()
    application = demo_dossier_resubmitted(
        park=GANZHOU, staff="park_ganzhou", reviewer="city_ganzhou", opinion="请核对 2025 年电网购电量。"
    )

    accepted = ConstructionProject.objects.get(park__name=ACCEPTED_PARK)
    overdue = ConstructionProject.objects.get(park__name=OVERDUE_PARK)
    evaluation = AcceptanceEvaluation.objects.get(project=accepted)
    # A review still to score if the demo has one ("assigned" sorts first), else a submitted one.
    expert_review = (
        ExpertReview.objects.filter(expert__username="expert_demo").order_by("status", "-id").first()
    )
    assert expert_review is not None
    return {
        "draft": Application.objects.get(park__name=NANCHANG).pk,
        "resubmitted": application.pk,
        "accepted": accepted.pk,
        "accepted_application": accepted.application_id,
        "overdue": overdue.pk,
        "closed_order": RectificationOrder.objects.get(project=accepted).pk,
        "overdue_order": RectificationOrder.objects.get(project=overdue).pk,
        "evaluation": evaluation.pk,
        "expert_evaluation": expert_review.evaluation_id,
        "park": Park.objects.get(name=NANCHANG).pk,
        "call": Call.objects.order_by("id")[0].pk,
        "list": ConstructionList.objects.get().pk,
    }


def test_every_role_walks_its_main_pages_without_a_problem(
    demo: dict[str, int], browser: Any, live_server: Any
) -> None:
    started = time.monotonic()
    walk = Walk(base_url=live_server.url, data=data_strings(), shots=output_dir())
    for lang in ("zh", "en"):
        for role, (username, stops) in ROLES.items():
            # English: the key pages only (the same templates; the Chinese walk has seen every page), and
            # a screenshot of the home page only.
            chosen = stops if lang == "zh" else [stop for stop in stops if stop.shot]
            with walk.role(browser, role, username, PASSWORD, lang) as visitor:
                for index, stop in enumerate(chosen):
                    shot = stop.shot and (lang == "zh" or index == 0)
                    visitor.visit(stop._replace(path=stop.path.format(**demo)), shot=shot)
    write_results(walk)
    elapsed = time.monotonic() - started
    print(f"\nWalk: {walk.pages} page loads in {elapsed:.0f} s\n{walk.report()}")
    print(f"Screenshots, problems.json and report.txt: {walk.shots}")
    assert not walk.problems, f"{walk.report()}\nScreenshots: {walk.shots}"
    assert elapsed < BUDGET_SECONDS, f"the walk took {elapsed:.0f} s"


# The checks themselves, on texts made for them: each finds what it is for and lets the rest through.


def test_a_catalogue_msgid_in_a_chinese_page_is_untranslated() -> None:
    found = untranslated(
        ["Sign out", "退出登录", "Submit the dossier now", "park-nanchang@example.cn", "PDF"]
    )
    assert found == ["“Sign out” (catalogue)", "“Submit the dossier now” (not in the catalogue)"]


def test_chinese_in_an_english_page_must_be_the_demos_data() -> None:
    data = frozenset({"南昌经开区零碳示范园", "经审核，园区符合申报条件，同意推荐。"})
    texts = [
        "Park: 南昌经开区零碳示范园",
        "经审核，园区符合申报条件…",
        "Status: 已提交",
        "2026年",
        "Sign out",
    ]
    assert chinese_outside_data(texts, data) == ["“Status: 已提交”", "“2026年”"]


def test_a_raw_code_is_found_with_the_text_it_is_in() -> None:
    texts = [
        "排放总量",
        "汇总 · emissions_gross_tco2",
        "状态：draft",
        "Open the draft",
        "submitted",
        "zcpark",
    ]
    assert codes(texts, chinese=True) == [
        "emissions_gross_tco2 in “汇总 · emissions_gross_tco2”",
        "draft in “状态：draft”",
        "submitted in “submitted”",
    ]

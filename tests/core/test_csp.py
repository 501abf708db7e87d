"""The Content-Security-Policy (issue 12, finding 9): every answer carries it, with nothing inline and no
eval allowed, and no page the portal serves needs either — no inline script (a JSON data block is fine),
no <style> element, no style="" attribute, no on*= handler, no hx-on or javascript: code. Checked on
the templates' source and on the HTML of the pages themselves (which also catches attributes put in by
Python, such as form widgets). The browser's own verdict: tests/browser/test_csp_pages.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services as app_services
from applications.models import SectionCode
from evaluation import services as ev_services
from indicators import services as ind_services
from indicators.models import ParkDataset, QualityRuleKind
from indicators.services.dataset_imports import dataset_import_preview
from parks import services as parks_services
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from parks.models import Role
from tests.applications.factories import ready_application
from tests.applications.table_excel_helpers import edited
from tests.core.import_fixtures import KIND, register_test_importer, rows
from tests.evaluation.factories import declared, evaluation_requested, full_scores, listed_project
from tests.evaluation.monthly_helpers import push
from tests.indicators.factories import dataset_document, load_factor_data
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.imports import import_commit, import_preview

pytestmark = pytest.mark.django_db

TARGET = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Rendered by WeasyPrint into PDF files, never served to a browser: their inline styles stay.
PDF_TEMPLATES = (
    "applications/dossier_pdf.html",
    "evaluation/report_pdf.html",
    "applications/official_document_pdf.html",
    "components/pdf_base_styles.html",
)
# drf-spectacular's pages, overridden to give their start-up code the request's nonce.
THIRD_PARTY_DIR = "drf_spectacular"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";"))


class InlineCode(HTMLParser):
    """What in an HTML page a strict policy refuses: inline scripts (other than data blocks), style
    elements, style attributes, event-handler attributes, hx-on and javascript:/js: code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name == "style" or name.startswith(("on", "hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            elif value.startswith("javascript:") or (name.startswith("hx-") and value.startswith("js:")):
                self.found.append(f"<{tag} {name}={value[:20]}...> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_finds_every_kind_of_inline_code():
    html = """<script>alert(1)</script><script type="application/json" id="d">{}</script>
    <script src="/static/js/forms.js"></script><style>p {}</style><p style="color: red">x</p>
    <button onclick="go()">y</button><a href="javascript:go()">z</a><div hx-on:click="go()"></div>
    <div hx-vals='js:{a: 1}'></div><svg><rect fill="#fff" width="40%"/></svg>"""
    assert [found.split(" at ")[0] for found in inline_code(html)] == [
        "inline <script>",
        "<style>",
        "<p style=...>",
        "<button onclick=...>",
        "<a href=javascript:go()...>",
        "<div hx-on:click=...>",
        "<div hx-vals=js:{a: 1}...>",
    ]


# ------------------------------------------------------------------------------------------ the header


def test_a_signed_in_page_carries_the_strict_policy(world, login):
    response = login(world.staff_a).get(reverse("portal:home"))
    assert policy(response) == TARGET


@pytest.mark.parametrize(
    "name", ["portal:landing", "login", "applications:public-lists", "evaluation:public-progress"]
)
def test_public_pages_carry_the_strict_policy(world, name):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert policy(response) == TARGET
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_an_error_page_and_the_api_carry_it_too(world, login):
    assert policy(Client().get("/no-such-page/")) == TARGET
    assert policy(login(world.province).get(reverse("api-park-list")))["frame-ancestors"] == "'none'"


def test_swagger_ui_runs_its_start_up_code_with_the_requests_nonce_only(world, login):
    response = login(world.province).get(reverse("api-docs"))
    directives = policy(response)
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert directives["script-src"] == f"'self' 'nonce-{nonce}'"
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [f'<script nonce="{nonce}">']
    assert f'<style nonce="{nonce}">' in html
    # A new nonce for every answer.
    assert nonce not in login(world.province).get(reverse("api-docs"))["Content-Security-Policy"]


def test_redoc_alone_may_add_styles_and_a_search_worker(world, login):
    response = login(world.province).get(reverse("api-redoc"))
    directives = policy(response)
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["script-src"] == "'self'" and "unsafe-eval" not in response["Content-Security-Policy"]
    assert "fonts.googleapis.com" not in response.content.decode()


def test_the_policy_is_enforced_unless_csp_report_only_is_set():
    assert not hasattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    # CSP_REPORT_ONLY=true (read once, when the settings load): the same directives, only reported.
    code = (
        "from zcpark.settings import base; "
        "print(hasattr(base, 'CONTENT_SECURITY_POLICY'), base.CONTENT_SECURITY_POLICY_REPORT_ONLY == "
        "{'DIRECTIVES': base._CSP_DIRECTIVES}, base._CSP_DIRECTIVES['frame-ancestors'])"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "CSP_REPORT_ONLY": "true"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown[-3:] == ["False", "True", "[\"'none'\"]"]


# ------------------------------------------------------------------------------ the templates' source


def template_files() -> list[tuple[str, Path]]:
    """Every template of the project (templates/ and each app's templates/), by its template name."""
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return sorted(
        (str(path.relative_to(root)), path)
        for root in roots
        if ".venv" not in root.parts and "node_modules" not in root.parts
        for path in root.rglob("*.html")
    )


SOURCE_OFFENCES = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|hx-on|javascript:",
    re.IGNORECASE,
)


def test_no_served_template_has_inline_code_in_its_source():
    offences = {
        name: SOURCE_OFFENCES.findall(path.read_text(encoding="utf-8"))
        for name, path in template_files()
        if name not in PDF_TEMPLATES and not name.startswith(THIRD_PARTY_DIR)
    }
    assert {name: found for name, found in offences.items() if found} == {}
    assert len(offences) > 100  # the walk found the project's templates


def test_the_pdf_templates_are_only_rendered_into_pdf_files():
    """Their inline styles are allowed because no view serves them as a page: only the PDF builders name them."""
    sources = [
        path
        for app in ("applications", "evaluation", "portal", "parks", "indicators", "zcpark")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
    ]
    naming = {
        name: sorted(
            str(p.relative_to(settings.BASE_DIR)) for p in sources if name in p.read_text(encoding="utf-8")
        )
        for name in PDF_TEMPLATES[:3]
    }
    assert naming == {
        "applications/dossier_pdf.html": ["applications/exports.py"],
        "evaluation/report_pdf.html": ["evaluation/reports/pdf.py"],
        "applications/official_document_pdf.html": ["applications/official/render.py"],
    }
    # ... and no view answers with the HTML those builders make before WeasyPrint lays it out.
    views = [p for p in sources if "views" in p.parts or p.name.endswith("views.py")]
    assert views
    assert [
        str(p)
        for p in views
        if re.search(r"render_dossier_html|acceptance_report_html|document_html", p.read_text("utf-8"))
    ] == []


def test_the_docs_templates_give_every_inline_script_the_nonce():
    for name, path in template_files():
        if name.startswith(THIRD_PARTY_DIR):
            for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", path.read_text(encoding="utf-8")):
                assert tag == '<script nonce="{{ request.csp_nonce }}">', name


# ---------------------------------------------------------------------------- the pages as served


def offences_on(client: Client, urls: list[str], problems: dict[str, list[str]], rendered: set[str]) -> None:
    """GET each page (each must answer 200) and note what inline code its HTML carries."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        rendered.update(t.name for t in response.templates if t.name)
        found = inline_code(response.content.decode())
        if found:
            problems[url] = found


def test_no_page_served_to_any_role_carries_inline_code(world, login):
    """The pages of every role on a programme in full swing, and the htmx fragments swapped into them."""
    a = {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    evaluation = evaluation_requested(a)
    project = evaluation.project
    expert_done = UserFactory(expert=True)
    ev_services.experts_assign(by=world.province, evaluation=evaluation, experts=[expert_done, world.expert])
    ev_services.expert_review_submit(
        by=expert_done,
        review=declared(evaluation.reviews.get(expert=expert_done)),
        scores=full_scores(),
        opinion="同意通过验收。",
        recommends_acceptance=True,
    )
    order = ev_services.order_issue(
        by=world.province,
        project=listed_project({**a, "staff": world.staff_b, "reviewer": world.reviewer_b}),
        title="整改通知",
        requirements="请于期限内整改。\n第二项。",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    park_c = ParkFactory(zone=ZoneFactory(city=world.nanchang, name="南昌高新区"), name="南昌第二测试园")
    c = {**a, "staff": UserFactory(staff=True, park=park_c)}
    draft = ready_application(staff=c["staff"])
    admin = parks_services.user_create(
        by=world.province, username="admin2", password=None, role=Role.PROVINCE_ADMIN
    )
    register_test_importer()
    import_commit(
        batch=import_preview(kind=KIND, target=world.park_a, content=rows(a="1"), by=world.staff_a),
        by=world.staff_a,
    )
    batch = import_preview(kind=KIND, target=world.park_a, content=rows(a="2", b=""), by=world.staff_a)
    problems: dict[str, list[str]] = {}
    rendered: set[str] = set()

    offences_on(
        Client(),
        [
            "/",
            reverse("login"),
            reverse("applications:public-lists"),
            reverse("applications:public-list-detail", args=[project.list_entry.construction_list_id]),
            reverse("evaluation:public-progress"),
        ],
        problems,
        rendered,
    )
    app = f"/applications/{draft.pk}"
    offences_on(
        login(c["staff"]),
        [
            "/home/",
            "/applications/",
            f"{app}/",
            *(
                f"{app}/sections/{code}/"
                for code in SectionCode.values
                if code not in ("energy", "emissions", "attachments")
            ),
            f"{app}/energy/",
            f"{app}/energy/2025/",
            f"{app}/emissions/",
            f"{app}/attachments/",
            f"{app}/timeline/",
            "/applications/new/",
            "/notifications/",
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("indicators:calculator"),
        ],
        problems,
        rendered,
    )
    table_upload_errors(login(c["staff"]), draft, problems, rendered)
    submitted = app_services.application_transition(by=c["staff"], application=draft, action="submit")
    offences_on(
        login(world.reviewer_a),
        [
            "/home/",
            "/review/city/",
            f"/applications/{submitted.pk}/review/",
            f"/applications/{submitted.pk}/review/panel/",
            f"/projects/{project.pk}/self-assessment/",
            f"/evaluations/{evaluation.pk}/",
        ],
        problems,
        rendered,
    )
    offences_on(
        login(world.staff_a),
        [f"/projects/{project.pk}/", f"/projects/{project.pk}/reports/2026/", f"/imports/{batch.pk}/"],
        problems,
        rendered,
    )
    offences_on(
        login(world.staff_b),
        [f"/orders/{order.pk}/"],
        problems,
        rendered,
    )
    offences_on(
        login(world.province),
        [
            "/home/",
            "/review/province/",
            f"/applications/{project.application_id}/changes/",
            "/dashboard/",
            "/projects/",
            f"/projects/{project.pk}/",
            f"/projects/{project.pk}/orders/new/",
            f"/projects/{project.pk}/incentives/new/",
            f"/projects/{project.pk}/remove/",
            "/evaluations/",
            f"/evaluations/{evaluation.pk}/",
            "/calls/",
            "/calls/new/",
            f"/calls/{project.application.call_id}/",
            "/lists/",
            "/lists/new/",
            f"/lists/{project.list_entry.construction_list_id}/",
            "/parks/",
            "/parks/new/",
            f"/parks/{world.park_a.pk}/",
            f"/parks/{world.park_a.pk}/edit/",
            "/users/",
            "/users/new/",
            f"/users/{world.staff_a.pk}/",
            "/indicators/factors/",
            "/indicators/factors/grid-factors/new/",
            "/indicators/schemes/jiangxi-2025/new/",
        ],
        problems,
        rendered,
    )
    # world.expert sees the declaration of conflicts first, then its review.
    offences_on(login(world.expert), ["/home/", f"/evaluations/{evaluation.pk}/"], problems, rendered)
    declared(evaluation.reviews.get(expert=world.expert))
    offences_on(login(world.expert), [f"/evaluations/{evaluation.pk}/review/"], problems, rendered)
    offences_on(login(expert_done), [f"/evaluations/{evaluation.pk}/review/"], problems, rendered)
    offences_on(login(world.observer), ["/dashboard/", "/projects/"], problems, rendered)
    offences_on(
        login(admin),
        ["/admin/", "/admin/parks/developmentzone/", "/admin/parks/developmentzone/import/"],
        problems,
        rendered,
    )

    data_pages(world, login, problems, rendered)

    assert problems == {}
    # Every folder of served templates had pages among these.
    folders = {
        name.rsplit("/", 1)[0] for name, _ in template_files() if "/" in name and name not in PDF_TEMPLATES
    }
    assert folders - {THIRD_PARTY_DIR} - {name.rsplit("/", 1)[0] for name in rendered if "/" in name} == set()


def data_pages(world, login, problems: dict[str, list[str]], rendered: set[str]) -> None:
    """The pages of the data a park sends (issue 15): monthly figures, integration accounts, an energy year's
    import preview with its warnings, the quality rules and a reference draft."""
    load_factor_data()
    push(world.staff_a, world.park_a, 2026, [1, 2])
    account, _key = integration_account_create(
        by=world.staff_a, name="能碳平台", park=world.park_a, scopes=list(MachineScope.values)
    )
    ParkDataset.objects.update_or_create(
        park=world.park_b, year=2024, defaults={"document": dataset_document(year=2024)}
    )
    tripled = dataset_document(year=2025)
    tripled["electricity_mwh"] = {k: str(Decimal(v) * 3) for k, v in tripled["electricity_mwh"].items()}
    energy = dataset_import_preview(by=world.staff_b, park=world.park_b, year=2025, document=tripled)
    assert energy.warnings and energy.indicators  # the preview's every block is shown
    scheme = ind_services.scheme_new_version(
        by=world.province, code="jiangxi-2025", thresholds={"carbon_per_energy:1": Decimal("0.38")}
    )
    monthly = f"/parks/{world.park_a.pk}/monthly/2026/"
    offences_on(
        login(world.staff_a),
        [monthly, "/integrations/", f"/integrations/{account.pk}/"],
        problems,
        rendered,
    )
    offences_on(login(world.staff_b), [f"/imports/{energy.pk}/"], problems, rendered)
    offences_on(login(world.reviewer_a), ["/monthly/", monthly, "/integrations/"], problems, rendered)
    offences_on(
        login(world.province),
        [
            "/monthly/?year=2026",
            monthly,
            "/integrations/",
            f"/integrations/{account.pk}/",
            reverse("indicators:quality-rule-list"),
            reverse("indicators:quality-rule-edit", args=[QualityRuleKind.ENERGY_CHANGE]),
            reverse("indicators:draft-detail", args=["scheme", scheme.pk]),
        ],
        problems,
        rendered,
    )


def table_upload_errors(
    client: Client, application, problems: dict[str, list[str]], rendered: set[str]
) -> None:
    """A dossier table's template downloaded, a cell spoilt and uploaded: the section's page lists the error
    by its cell (400)."""
    template = client.get(reverse("applications:table-template", args=[application.pk, "key_projects"]))
    assert template.status_code == 200
    url = reverse("applications:table-import", args=[application.pk, "key_projects"])
    spoilt = SimpleUploadedFile("table.xlsx", edited(template.content, {"D3": "八千"}))
    response = client.post(url, {"file": spoilt})
    assert response.status_code == 400 and response.context["upload_errors"][0].get("cell") == "D3"
    rendered.update(t.name for t in response.templates if t.name)
    if found := inline_code(response.content.decode()):
        problems[url] = found

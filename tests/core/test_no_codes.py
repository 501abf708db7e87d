"""No internal code reaches a person: every page of every demo role, and the PDFs, in Chinese and English.

The demo is seeded (plus a dossier returned and resubmitted with changed numbers, so the revision diff has
rows), then each demo account crawls every page reachable by links from its home; the visible text of each
page (and its title, aria-label, placeholder and alt attributes), and the text of the acceptance report and
the dossier PDFs, must hold none of ``tests.known_codes``.

In Chinese every page is read (at most three of one URL shape per account: the same template with other
rows); in English one page of each shape per role (the templates are the same, only the words differ).

A leak in a file this part does not own stays listed in ``ALLOWED``, one named entry per page and code
saying where it comes from, until it is fixed there; an entry that no longer matches anything fails the
test, so none outlives its fix.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from applications import services as app_services
from applications.demo import demo_applications_seed
from applications.exports import build_dossier_context, render_dossier_document, render_dossier_html
from applications.models import Application
from applications.workflow import APPLICATION
from evaluation.demo import ACCEPTED_PARK, demo_construction_seed
from evaluation.models import AcceptanceEvaluation
from evaluation.reports import acceptance_report_context, acceptance_report_document, acceptance_report_html
from parks.demo import DEMO_USERS, demo_seed
from parks.models import User
from tests.applications.factories import ApplicationFactory, demo_dossier_resubmitted
from tests.core.crawl import crawl, parse, shape_of
from tests.known_codes import find_codes
from tests.pdf import document_text, font_names
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import ACTION_LABELS

pytestmark = pytest.mark.django_db

LIMIT = 300  # pages per account and language
PER_SHAPE = {"zh-hans": 3, "en": 1}
RESUBMITTED_PARK = "南昌经开区零碳示范园"

# Leaks still to fix: (URL shape, code) → where the code comes from and what fixes it. Remove an entry once
# its page is fixed (the test fails on an entry that matches nothing).
ALLOWED: dict[tuple[str, str], str] = {}


@pytest.fixture
def demo(django_capture_on_commit_callbacks) -> None:
    call_command("load_reference_data", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(password="pw-demo-1")
        demo_applications_seed()
        demo_construction_seed()
    # 南昌's dossier submitted, returned and resubmitted with other numbers: a diff with rows.
    demo_dossier_resubmitted(
        park=RESUBMITTED_PARK,
        staff="park_nanchang",
        reviewer="city_nanchang",
        opinion="请核对 2025 年电力数据。",
    )


def _unexpected(leaks: set[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], set[tuple[str, str]]]:
    """(leaks not in ALLOWED as (where, page, code), the ALLOWED entries that matched a leak)."""
    used = {(shape, code) for _who, shape, code in leaks if (shape, code) in ALLOWED}
    return sorted(leak for leak in leaks if (leak[1], leak[2]) not in ALLOWED), used


def _stale(used: set[tuple[str, str]], *, pdf: bool) -> list[tuple[str, str]]:
    """The ALLOWED entries of pages (or of PDFs) that matched no leak: their file has been fixed."""
    return sorted(key for key in ALLOWED if key[0].startswith("pdf:") == pdf and key not in used)


def test_no_page_of_any_demo_role_shows_a_code(demo):
    leaks: set[tuple[str, str, str]] = set()
    pages = 0
    for language in ("zh-hans", "en"):
        by_role: dict[str, Counter[str]] = {}
        for spec in DEMO_USERS:
            user = User.objects.get(username=spec["username"])
            client = Client()
            client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            # Chinese: each account's pages; English: one page per shape for all accounts of a role.
            shapes = by_role.setdefault(user.role, Counter()) if language == "en" else Counter()
            for page in crawl(
                client, start="/home/", limit=LIMIT, per_shape=PER_SHAPE[language], shapes=shapes
            ):
                pages += 1
                for code in find_codes(page.text, plain=language == "zh-hans"):
                    leaks.add(
                        (f"{user.username} {language} {page.url}", shape_of(page.url).rstrip("?"), code)
                    )
    unexpected, used = _unexpected(leaks)
    assert pages > 200
    assert unexpected == []
    stale = _stale(used, pdf=False)
    assert stale == [], f"fixed: remove these entries from ALLOWED: {stale}"


def _pdf_leaks(name: str, text: str, language: str) -> set[tuple[str, str, str]]:
    return {(f"{name} {language}", f"pdf:{name}", code) for code in find_codes(text, plain=language == "zh")}


def test_the_report_and_dossier_pdfs_show_no_code_and_only_noto_sans_cjk(demo):
    evaluation = AcceptanceEvaluation.objects.get(project__park__name=ACCEPTED_PARK)
    application = Application.objects.get(park__name=RESUBMITTED_PARK)
    leaks: set[tuple[str, str, str]] = set()
    fonts: set[str] = set()
    # Chinese, as printed: laid out, the text of every page box, and the fonts embedded.
    with translation.override("zh-hans"):
        report = acceptance_report_document(acceptance_report_context(evaluation))
        dossier = render_dossier_document(build_dossier_context(application))
        for name, document in (("report", report), ("dossier", dossier)):
            leaks |= _pdf_leaks(name, document_text(document), "zh")
            fonts |= font_names(document.write_pdf())
    # English: the same templates' text (layout adds no words).
    with translation.override("en"):
        leaks |= _pdf_leaks(
            "report", parse(acceptance_report_html(acceptance_report_context(evaluation)))[0], "en"
        )
        leaks |= _pdf_leaks(
            "dossier", parse(render_dossier_html(build_dossier_context(application)))[0], "en"
        )
    unexpected, used = _unexpected(leaks)
    assert unexpected == []
    stale = _stale(used, pdf=True)
    assert stale == [], f"fixed: remove these entries from ALLOWED: {stale}"
    # Every glyph in Noto Sans CJK (the digests in its monospaced cut): no serif, no fallback font.
    assert fonts and all(re.search(r"\+Noto-Sans-(Mono-)?CJK-SC(-Bold)?$", name) for name in fonts), fonts


# ---- the machines' messages ----------------------------------------------------------------------------


def test_an_unknown_action_is_refused_by_its_label_or_in_words_never_by_its_code():
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            APPLICATION.get("accepted")  # a move of a construction project, not of an application
        assert raised.value.message_dict["action"] == [f"“{ACTION_LABELS['accepted']}” is not possible here."]
        with pytest.raises(ValidationError) as raised:
            APPLICATION.get("no_such_verb")
        assert raised.value.message_dict["action"] == ["This action is not available."]
        with pytest.raises(ValidationError) as raised:
            app_services.application_transition(by=None, application=None, action="no_such_verb")
        assert raised.value.message_dict["action"] == ["This action is not available."]


def test_a_refused_move_names_the_state_and_the_action_by_their_labels(world):
    application = ApplicationFactory(park=world.park_a)  # a draft
    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        app_services.application_transition(by=world.reviewer_a, application=application, action="recommend")
    message = str(raised.value)
    assert "Draft" in message and "Recommended" in message
    assert find_codes(message, plain=True) == [] and "draft" not in message and "recommend " not in message

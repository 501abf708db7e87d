"""The acceptance report and the dossier PDF name every code: schemes and factor sets by their titles, method
settings and bases by their labels, yes/no in words, units and thresholds as printed, and one font."""

from __future__ import annotations

import pytest
from django.utils import translation

from applications.exports import build_dossier_context, render_dossier_html
from applications.models import AttachmentKind
from evaluation import reports, services
from indicators.models import (
    ELECTRICITY_TCE_BASIS_LABELS,
    GRID_BASIS_LABELS,
    NATIONAL_SCHEME,
    FactorSet,
    Scheme,
    indicator_name,
    unit_label,
    yes_no,
)
from tests.core.crawl import parse
from tests.evaluation.factories import evaluation_requested, experts_reviewed
from tests.known_codes import find_codes
from tests.pdf import document_text, font_names

pytestmark = pytest.mark.django_db

# What the issue saw printed; none may appear in either language.
SEEN_IN_THE_REPORT = (
    "national_fossil",
    "grid_ef_basis",
    "certificates_as_green_power",
    "false（否）",
    "<=",
    ">=",
)


@pytest.fixture
def evaluation(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    return services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision="accepted",
        comment="同意",
        document_no="赣〔2029〕3号",
    )


def _titles() -> tuple[str, str, str]:
    local = Scheme.objects.exclude(code=NATIONAL_SCHEME).get(is_current=True)
    national = Scheme.objects.get(code=NATIONAL_SCHEME, is_current=True)
    return FactorSet.objects.get(is_current=True).title, local.title, national.title


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_report_shows_no_code_and_names_schemes_and_the_factor_set_by_their_titles(evaluation, language):
    with translation.override(language):
        context = reports.acceptance_report_context(evaluation)
        text = parse(reports.acceptance_report_html(context))[0]
    assert find_codes(text, plain=language == "zh-hans") == []
    assert not [seen for seen in SEEN_IN_THE_REPORT if seen in text]
    factor_set, local, national = _titles()
    assert (context["factors"]["set_title"], context["local_scheme"], context["national_scheme"]) == (
        factor_set,
        local,
        national,
    )
    assert factor_set in text and local in text and national in text


def test_the_report_gives_settings_by_label_and_yes_no_in_words(evaluation):
    with translation.override("en"):
        context = reports.acceptance_report_context(evaluation)
        settings = {row["key"]: row for row in context["method"]["settings"]}
        assert settings["grid_ef_basis"]["value"] == str(GRID_BASIS_LABELS["national_fossil_fixed"])
        assert settings["electricity_tce_basis"]["value"] == str(ELECTRICITY_TCE_BASIS_LABELS["equivalent"])
        assert settings["certificates_as_green_power"]["value"] == yes_no(True) == "Yes"
        factors = context["factors"]
        assert factors["basis_label"] == str(GRID_BASIS_LABELS[factors["grid_ef_basis"]])
    assert factors["method_title"] and factors["method_title"] != factors["method"]


def test_the_report_names_indicators_and_units_in_the_active_language(evaluation):
    with translation.override("en"):
        rows = reports.acceptance_report_context(evaluation)["local"]["indicators"]
        buildings = next(row for row in rows if row["code"] == "green_buildings")
        assert (
            buildings["name"] == indicator_name("green_buildings") != "超低能耗、近零能耗、高星级绿色建筑数量"
        )
        assert buildings["unit"] == unit_label("栋") == "buildings"
    core = next(row for row in rows if row["core"])
    assert core["threshold"].startswith("≤")


def test_the_report_pdf_is_set_in_noto_sans_cjk_only(evaluation):
    with translation.override("zh-hans"):
        document = reports.acceptance_report_document(reports.acceptance_report_context(evaluation))
    fonts = font_names(document.write_pdf())
    assert fonts and all("Noto-Sans" in name and "CJK-SC" in name for name in fonts), fonts
    assert find_codes(document_text(document), plain=True) == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dossier_pdf_shows_units_and_revisions_as_printed(evaluation, language):
    application = evaluation.project.application
    with translation.override(language):
        context = build_dossier_context(application)
        text = parse(render_dossier_html(context))[0]
    # The sample evidence is uploaded under names made of the kind's code (applications/demo.py), as a
    # person may name a file: the file's own name, not a code the portal prints.
    for kind in AttachmentKind.values:
        text = text.replace(f"{kind}-示例.pdf", "")
    assert find_codes(text, plain=language == "zh-hans") == []
    units = {row["unit"] for row in context["energy_rows"]}
    assert units and not units & {"10^4 Nm3", "10^4 t", "10^8 Nm3"}
    assert all(
        row["unit"] == unit_label(row["unit"]) or row["unit"] in units for row in context["energy_rows"]
    )
    assert f"r{context['revision_number']}" not in text

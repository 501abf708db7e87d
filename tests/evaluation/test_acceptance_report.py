"""The acceptance report (验收评估报告): its context, the PDF, rendering by the task, re-rendering, the command."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from evaluation import reports, selectors, services
from evaluation.models import AcceptanceReport, Decision
from evaluation.tasks import acceptance_report_render_task
from tests.evaluation.factories import declared, evaluation_requested, full_scores
from tests.parks.factories import UserFactory
from tests.pdf import document_text, font_names
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db


def _stored(evaluation, code: str) -> str:
    """The value of ``code`` as the stored assessment-year result document gives it."""
    document = selectors.assessment_results(evaluation.project, evaluation.assessment_year).local.document
    return next(item["value"] for item in document["indicators"] if item["code"] == code)


def _submit(evaluation, expert, points=None, opinion="同意通过验收。"):
    review = evaluation.reviews.get(expert=expert)
    return services.expert_review_submit(
        by=expert,
        review=declared(review) if review.needs_declaration else review,
        scores=full_scores(points),
        opinion=opinion,
        recommends_acceptance=True,
    )


def _accept(world, evaluation):
    return services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision="accepted",
        comment="同意通过验收",
        document_no="赣发改环资〔2029〕3号",
    )


@pytest.fixture
def evaluation(world, actors_a):
    return evaluation_requested(actors_a)


@pytest.fixture
def experts(world, evaluation):
    """Two assigned experts (no report rendered: on_commit does not run outside a capture)."""
    chosen = [UserFactory(expert=True), UserFactory(expert=True)]
    services.experts_assign(by=world.province, evaluation=evaluation, experts=chosen)
    return chosen


# ---- context --------------------------------------------------------------------------------------


def test_context_carries_the_stored_values_and_the_pending_decision(evaluation, experts):
    _submit(evaluation, experts[0], points="4")
    _submit(evaluation, experts[1], points="3")
    context = reports.acceptance_report_context(evaluation)
    rows = {row["code"]: row for row in context["local"]["indicators"]}
    assert rows["carbon_per_energy"]["value"] == _stored(evaluation, "carbon_per_energy")
    assert rows["clean_energy_share"]["value"] == _stored(evaluation, "clean_energy_share")
    assert context["trajectory"]["years"] == [2025, 2026, 2027, 2028]
    assert context["reviews"]["totals"] == [Decimal("28.0"), Decimal("21.0")]
    assert context["reviews"]["total_average"] == Decimal("24.50")
    assert context["decided"] is False


def test_context_carries_the_decision_once_taken(world, evaluation, experts):
    for expert in experts:
        _submit(evaluation, expert)
    _accept(world, evaluation)
    context = reports.acceptance_report_context(evaluation)
    assert (context["decided"], context["decision"]) == (True, Decision.ACCEPTED.label)
    assert context["evaluation"].decision_document_no == "赣发改环资〔2029〕3号"
    assert context["national_recommended"] is False  # the sample park is below the national tier


def test_context_lists_the_method_settings_with_their_defaults_when_the_dataset_sets_none(evaluation):
    settings = reports.acceptance_report_context(evaluation)["method"]["settings"]
    assert [(s["key"], s["from_dataset"]) for s in settings] == [
        ("grid_ef_basis", False),
        ("electricity_tce_basis", False),
        ("feedstock_in_energy", False),
        ("certificates_as_green_power", False),
        ("renewable_export_at_grid_factor", False),
    ]


def test_indicator_rows_give_the_exemption_reason_of_an_exempt_indicator():
    document = {
        "indicators": [
            {
                "code": "clean_transport_share",
                "name": "清洁运输比例",
                "category": "guiding",
                "value": None,
                "unit": "%",
                "threshold": {"op": ">=", "value": "80"},
                "status": "exempt",
                "notes": [],
            }
        ]
    }
    (row,) = reports.indicator_rows(document, {"clean_transport_share": "园区无大宗货运"})
    assert (row["exemption"], row["threshold"], row["value"]) == ("园区无大宗货运", "≥80", None)


# ---- the PDF ---------------------------------------------------------------------------------------


def test_report_pdf_shows_park_values_and_page_footer(evaluation, experts):
    context = reports.acceptance_report_context(evaluation)
    document = reports.acceptance_report_document(context)
    text = document_text(document)
    assert "南昌测试园" in text
    assert _stored(evaluation, "carbon_per_energy") in text
    assert _stored(evaluation, "clean_energy_share") in text
    assert f"第 1 页 共 {len(document.pages)} 页" in text


def test_the_task_renders_and_stores_the_report_with_embedded_cjk_fonts(
    world, evaluation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.experts_assign(by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)])
    report = selectors.report_latest(evaluation)
    assert (report.status, report.error) == (FileStatus.READY, "")
    assert report.page_count > 5 and report.rendered_at is not None
    # (The storage adds a suffix when an earlier test in this process left a file of the same name.)
    assert re.search(rf"/acceptance-{evaluation.pk}-{report.pk}(_\w+)?\.pdf$", report.file.name)
    with report.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    fonts = font_names(pdf)
    assert any("Noto" in name and "CJK" in name for name in fonts), fonts


def test_the_task_marks_the_report_failed_when_rendering_fails(evaluation, experts, monkeypatch):
    def broken(context):
        raise ValueError("layout exploded")

    monkeypatch.setattr(reports, "acceptance_report_pdf", broken)
    report = selectors.report_latest(evaluation)
    assert acceptance_report_render_task(report.pk) == FileStatus.FAILED
    report.refresh_from_db()
    assert (report.status, report.error) == (FileStatus.FAILED, "ValueError: layout exploded")


def test_report_is_rendered_again_when_an_opinion_comes_in_and_not_when_nothing_changed(
    world, evaluation, django_capture_on_commit_callbacks
):
    first, second = UserFactory(expert=True), UserFactory(expert=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.experts_assign(by=world.province, evaluation=evaluation, experts=[first, second])
    assert services.acceptance_report_schedule(evaluation) is None  # nothing changed since
    with django_capture_on_commit_callbacks(execute=True):
        _submit(evaluation, first)
    older, newer = AcceptanceReport.objects.filter(evaluation=evaluation).order_by("created_at", "id")
    assert newer.inputs_digest != older.inputs_digest
    assert (older.status, newer.status) == (FileStatus.READY, FileStatus.READY)


# ---- the command -----------------------------------------------------------------------------------


def test_command_writes_the_pdf_and_stores_it_when_the_inputs_changed(evaluation, tmp_path):
    output, out = tmp_path / "report.pdf", io.StringIO()
    call_command("acceptance_report", park="南昌测试园", output=str(output), stdout=out)
    assert output.read_bytes().startswith(b"%PDF")
    assert " pages, " in out.getvalue() and f"report {evaluation.reports.get().pk}" in out.getvalue()
    (report,) = evaluation.reports.all()
    assert (report.status, report.inputs_digest) == (FileStatus.READY, selectors.report_digest(evaluation))


def test_command_stores_nothing_when_the_latest_report_is_current(evaluation, tmp_path):
    call_command("acceptance_report", park="南昌测试园", output=str(tmp_path / "a.pdf"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("acceptance_report", park="南昌测试园", output=str(tmp_path / "b.pdf"), stdout=out)
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    assert evaluation.reports.count() == 1


def test_command_completes_a_queued_report_of_the_same_inputs(evaluation, experts, tmp_path):
    queued = selectors.report_latest(evaluation)  # queued by the assignment, not rendered
    call_command("acceptance_report", park="南昌测试园", output=str(tmp_path / "a.pdf"), stdout=io.StringIO())
    queued.refresh_from_db()
    assert (evaluation.reports.count(), queued.status) == (1, FileStatus.READY)


def test_command_errors_for_an_unknown_park(world, tmp_path):
    with pytest.raises(CommandError, match="No park is named"):
        call_command("acceptance_report", park="不存在的园区", output=str(tmp_path / "x.pdf"))


def test_command_errors_for_a_park_without_an_evaluation(world, tmp_path):
    with pytest.raises(CommandError, match="has no acceptance evaluation"):
        call_command("acceptance_report", park=world.park_b.name, output=str(tmp_path / "x.pdf"))


def test_the_hourly_refresh_renders_again_when_a_result_changed(
    world, evaluation, experts, django_capture_on_commit_callbacks
):
    from evaluation.tasks import acceptance_reports_refresh_task
    from indicators.models import ParkDataset
    from indicators.services import indicator_results_compute

    with django_capture_on_commit_callbacks(execute=True):
        services.acceptance_report_schedule(evaluation)
    assert acceptance_reports_refresh_task() == 0  # nothing changed since
    # The province publishes a method change (the held data cannot change): its results are computed anew.
    park = evaluation.project.park
    _new_method_version(world.province)
    dataset = ParkDataset.objects.get(park=park, year=2028)
    indicator_results_compute(dataset=dataset, reason="method changed")
    with django_capture_on_commit_callbacks(execute=True):
        assert acceptance_reports_refresh_task() == 1
    latest = selectors.report_latest(evaluation)
    assert latest.status == FileStatus.READY and latest.inputs_digest == selectors.report_digest(evaluation)
    assert evaluation.reports.count() == 2


def _new_method_version(province) -> None:
    """A method change as the province would publish it: the next factor-set version with a 2027
    equivalent-value coefficient (the 2028 data then takes 0.2950 tce/MWh instead of 2022's 0.3007)."""
    from indicators.models import FactorSet

    current = FactorSet.objects.get(is_current=True)
    document = {
        **current.document,
        "name": FactorSet.versioned_name(current.family, current.version + 1),
        "electricity_equivalent": [
            *current.document["electricity_equivalent"],
            {"year": 2027, "value": "0.2950", "source": "测试：2027 年系数", "provisional": True},
        ],
    }
    current.is_current = False
    current.save(update_fields=["is_current"])
    FactorSet.objects.create(
        family=current.family,
        version=current.version + 1,
        name=document["name"],
        document=document,
        is_current=True,
        based_on=current,
        created_by=province,
    )


def test_a_decided_report_and_decision_stay_byte_for_byte_after_method_factor_and_threshold_changes(
    world, evaluation, django_capture_on_commit_callbacks
):
    from evaluation.models import AcceptanceEvaluation
    from evaluation.tasks import acceptance_reports_refresh_task
    from indicators import services as indicator_services
    from tests.evaluation.factories import experts_reviewed

    experts_reviewed(evaluation, world.province)
    with django_capture_on_commit_callbacks(execute=True):
        _accept(world, evaluation)
    report = selectors.report_ready(evaluation)
    reports_before = list(evaluation.reports.values_list("pk", "inputs_digest", "status"))
    with report.file.open("rb") as handle:
        pdf_before = handle.read()
    decision_before = AcceptanceEvaluation.objects.filter(pk=evaluation.pk).values().get()
    context_before = reports.acceptance_report_context(evaluation)
    decided_core = _stored(evaluation, "carbon_per_energy")

    with django_capture_on_commit_callbacks(execute=True):
        _new_method_version(world.province)
        indicator_services.factor_set_add_grid_factor(
            publish=True,
            by=world.province,
            basis="national_fossil",
            year=2028,
            value=Decimal("0.80"),
            source="测试公告",
        )
        indicator_services.scheme_new_version(
            publish=True, by=world.province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("90")}
        )
        indicator_services.indicator_results_recompute_all(reason="method, factor and threshold changed")
    with django_capture_on_commit_callbacks(execute=True):
        assert acceptance_reports_refresh_task() == 0

    # Today's numbers moved ...
    assert _stored(evaluation, "carbon_per_energy") != decided_core
    # ... the decided record did not: no new report, the same bytes, the same decision, the same context.
    assert list(evaluation.reports.values_list("pk", "inputs_digest", "status")) == reports_before
    with selectors.report_ready(evaluation).file.open("rb") as handle:
        assert handle.read() == pdf_before
    assert AcceptanceEvaluation.objects.filter(pk=evaluation.pk).values().get() == decision_before
    context_after = reports.acceptance_report_context(evaluation)
    for key in ("local", "national", "factors", "sensitivity", "method"):
        assert context_after[key] == context_before[key], key
    assert context_after["trajectory"]["rows"] == context_before["trajectory"]["rows"]
    core = next(r for r in context_after["local"]["indicators"] if r["code"] == "carbon_per_energy")
    assert core["value"] == decided_core

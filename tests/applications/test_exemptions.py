"""Exemptions declared in the dossier, the city's opinion, the province's decision (issue 14, point 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.exemptions.services import exemption_transition
from applications.models import ApplicationStatus, ExemptionClaim, SectionCode
from applications.selectors import attachment_problems
from applications.selectors.activity import home_todo
from tests.applications.exemption_helpers import REASON, claimed, decide, declare
from tests.applications.factories import ready_application
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def test_the_core_indicator_cannot_be_declared_exempt(world, actors_a):
    application = ready_application(staff=world.staff_a)
    targets = application.sections.get(code=SectionCode.TARGETS).data
    rows = [{"indicator": "carbon_per_energy", "reason": "无"}]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.dossier_section_save(
            by=world.staff_a,
            application=application,
            code=SectionCode.TARGETS,
            data={**targets, "exemptions": rows},
        )
    [message] = refused.value.message_dict["exemptions.1.indicator"]
    assert "Carbon emissions per unit of energy consumed cannot be exempted" in message
    assert "exemptions" not in application.sections.get(code=SectionCode.TARGETS).data or not (
        application.sections.get(code=SectionCode.TARGETS).data.get("exemptions")
    )


def test_a_declared_exemption_needs_its_evidence(world, actors_a):
    application = ready_application(staff=world.staff_a)
    targets = application.sections.get(code=SectionCode.TARGETS).data
    services.dossier_section_save(
        by=world.staff_a,
        application=application,
        code=SectionCode.TARGETS,
        data={**targets, "exemptions": [{"indicator": "green_buildings", "reason": "无新建建筑"}]},
    )
    with translation.override("en"):
        assert attachment_problems(application) == [
            "Attach the evidence for the exemption of Ultra-low-energy, near-zero-energy and high-star green "
            "buildings."
        ]
    with pytest.raises(ApplicationError):
        services.application_transition(by=world.staff_a, application=application, action="submit")


def test_submission_makes_one_claim_per_declared_indicator_frozen_with_the_revision(world, actors_a):
    application = claimed(actors_a, "clean_transport_share", "green_buildings")
    claims = list(application.exemption_claims.order_by("indicator"))
    assert [(c.indicator, c.status, c.revision_number) for c in claims] == [
        ("clean_transport_share", "declared", 1),
        ("green_buildings", "declared", 1),
    ]
    assert claims[0].reason == f"{REASON}（clean_transport_share）"
    snapshot = application.revisions.get(number=1).snapshot
    assert [r["indicator"] for r in snapshot["sections"]["targets"]["exemptions"]] == [
        "clean_transport_share",
        "green_buildings",
    ]
    assert {a.get("indicator") for a in snapshot["attachments"] if a["kind"] == "exemption"} == {
        "clean_transport_share",
        "green_buildings",
    }


def test_a_resubmission_supersedes_the_open_claims(world, actors_a):
    application = claimed(actors_a)
    decide(application, world.reviewer_a, "city_disagree")
    application = services.application_transition(
        by=world.reviewer_a, application=application, action="return", comment="请补充证明"
    )
    application = services.application_transition(
        by=world.staff_a, application=application, action="resubmit"
    )
    assert list(application.exemption_claims.values_list("revision_number", "status").order_by("pk")) == [
        (1, "superseded"),
        (2, "declared"),
    ]
    old = application.exemption_claims.get(revision_number=1)
    assert old.city_agrees is False and old.city_opinion == "city_disagree 意见"


def test_the_city_gives_its_opinion_on_each_before_recommending(world, actors_a):
    application = claimed(actors_a)
    with pytest.raises(ApplicationError) as refused:
        services.application_transition(
            by=world.reviewer_a, application=application, action="recommend", comment="推荐"
        )
    assert "exemptions" in refused.value.errors
    [claim] = decide(application, world.reviewer_a, "city_agree")
    assert (claim.status, claim.city_agrees, claim.city_by) == ("city_reviewed", True, world.reviewer_a)
    assert claim.city_at is not None
    services.application_transition(
        by=world.reviewer_a, application=application, action="recommend", comment="推荐"
    )


def test_the_province_decides_each_before_approving_and_a_decision_is_final(world, actors_a):
    application = claimed(actors_a, status=ApplicationStatus.RECOMMENDED)
    with pytest.raises(ApplicationError) as refused:
        services.application_transition(
            by=world.province, application=application, action="approve", comment="批准"
        )
    assert "exemptions" in refused.value.errors
    [claim] = decide(application, world.province, "reject")
    assert (claim.status, claim.decided_by, claim.province_opinion) == (
        "refused",
        world.province,
        "reject 意见",
    )
    with pytest.raises(ApplicationError):
        exemption_transition(by=world.province, claim=claim, action="accept", comment="改为接受")
    claim.refresh_from_db()
    assert claim.status == "refused" and claim.province_opinion == "reject 意见"
    services.application_transition(
        by=world.province, application=application, action="approve", comment="批准"
    )


def test_each_opinion_belongs_to_its_stage_and_needs_its_text(world, actors_a):
    application = claimed(actors_a)
    claim = application.exemption_claims.get()
    with pytest.raises(ValidationError):
        exemption_transition(by=world.reviewer_a, claim=claim, action="city_agree", comment=" ")
    [claim] = decide(application, world.reviewer_a, "city_agree")
    # The province decides only once the city has recommended the dossier.
    with pytest.raises(ApplicationError):
        exemption_transition(by=world.province, claim=claim, action="accept", comment="接受")
    assert ExemptionClaim.objects.get(pk=claim.pk).status == "city_reviewed"


def test_moves_are_audited_and_notified(world, actors_a):
    application = claimed(actors_a, status=ApplicationStatus.APPROVED)
    claim = application.exemption_claims.get()
    actions = list(AuditEvent.objects.for_object(claim).values_list("action", flat=True).order_by("pk"))
    assert actions == ["exemption_city_agree", "exemption_accept"]
    notified = Notification.objects.filter(url__contains=f"/applications/{application.pk}/#exemptions")
    assert set(notified.values_list("recipient__username", flat=True)) == {"staff_a", "reviewer_a"}


def test_claims_waiting_are_on_the_city_and_province_to_do_lists(world, actors_a):
    application = claimed(actors_a)
    today = application.submitted_at.date()
    assert [c.indicator for c in home_todo(user=world.reviewer_a, today=today).exemptions] == [
        "clean_transport_share"
    ]
    assert home_todo(user=world.reviewer_b, today=today).exemptions == []
    assert home_todo(user=world.province, today=today).exemptions == []
    decide(application, world.reviewer_a, "city_agree")
    services.application_transition(
        by=world.reviewer_a, application=application, action="recommend", comment="推荐"
    )
    assert home_todo(user=world.reviewer_a, today=today).exemptions == []
    assert home_todo(user=world.province, today=today).counts["exemptions"] == 1


def test_declaring_is_only_for_the_parks_own_staff(world, actors_a):
    application = ready_application(staff=world.staff_a)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the section save
        declare(application, world.staff_b, "green_buildings")


def test_the_targets_page_saves_an_exemption_row_and_names_the_core_refusal(world, actors_a, login):
    application = ready_application(staff=world.staff_a)
    client = login(world.staff_a)
    url = reverse("applications:section-edit", args=[application.pk, "targets"])
    form = client.get(url).context["form"]
    post = {
        c.name: c.text for item in ("targets", "stages") for r in form.by_name[item].rows for c in r.cells
    }
    post.update({"period_years": "5", "roadmap": "路线图"})
    response = client.post(
        url, {**post, "exemptions-0-indicator": "water_reuse", "exemptions-0-reason": "园区无工业用水"}
    )
    assert response.status_code == 302
    data = application.sections.get(code="targets").data
    assert data["exemptions"] == [{"indicator": "water_reuse", "reason": "园区无工业用水"}]
    refused = client.post(
        url, {**post, "exemptions-0-indicator": "carbon_per_energy", "exemptions-0-reason": "无"}
    )
    assert refused.status_code == 200  # the form again, with the refusal beside the row
    assert "exemptions.1.indicator" in str(refused.context["form"].errors)
    assert application.sections.get(code="targets").data["exemptions"][0]["indicator"] == "water_reuse"

"""A whole journey through the API alone, from the published list to the acceptance decision."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from evaluation import services
from evaluation.models import AcceptanceReport
from evaluation.scoring import SCORE_AREAS
from tests.applications.factories import pdf_file
from tests.evaluation.api_helpers import JSON, at, dataset, url
from tests.evaluation.factories import full_scores, listed_project, progress_for
from tests.parks.factories import UserFactory
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db


# ---- the whole journey, through the API ------------------------------------------------------------


def _report_filed(login, world, project, year: int, pct: str) -> dict:
    with at(date(year + 1, 1, 15)):
        staff = login(world.staff_a)
        detail = url("api-project-report-detail", project.pk, year)
        patched = staff.patch(
            detail,
            {
                "narrative": f"{year} 年度建设进展",
                "progress": {str(k): v for k, v in progress_for(project, pct).items()},
                "dataset": dataset(project, year),
            },
            content_type=JSON,
        )
        assert patched.status_code == 200, patched.json()
        assert patched.json()["problems"] == []
        submitted = staff.post(url("api-project-report-submit", project.pk, year))
        assert submitted.status_code == 200, submitted.json()
        return submitted.json()


def test_journey_from_the_list_to_acceptance_through_the_api(world, actors_a, login):
    project = listed_project(actors_a)
    assert [p["id"] for p in login(world.staff_a).get(url("api-project-list")).json()["results"]] == [
        project.pk
    ]

    # Annual reports; in 2027 the province orders a rectification, the park answers, the province closes.
    first = _report_filed(login, world, project, 2026, "33.3")
    assert (first["status"], first["progress"][0]["progress_pct"]) == ("submitted", "33.3")
    with at(date(2027, 2, 1)):
        province, staff = login(world.province), login(world.staff_a)
        issued = province.post(
            url("api-project-orders", project.pk),
            {
                "title": "绿电直连滞后",
                "requirements": "说明进度",
                "deadline": "2027-03-01",
                "document_no": "Z2",
            },
            content_type=JSON,
        )
        transitions = url("api-order-transitions", issued.json()["id"])
        staff.post(transitions, {"action": "answer", "answer": "已签约"}, content_type=JSON)
        closed = province.post(transitions, {"action": "close"}, content_type=JSON)
        assert closed.json()["status"] == "closed"
    _report_filed(login, world, project, 2027, "70")
    _report_filed(login, world, project, 2028, "100")
    services.projects_advance_ended(today=date(2029, 1, 20))

    with at(date(2029, 2, 1)):
        city = login(world.reviewer_a)
        sa_url = url("api-project-self-assessment", project.pk)
        draft = city.patch(
            sa_url, {"conclusion": "meets", "summary": "各项指标达到建设目标"}, content_type=JSON
        )
        assert draft.status_code == 200, draft.json()
        assert draft.json()["problems"] == [gettext("Attach at least one piece of evidence.")]
        refused = city.post(url("api-project-acceptance-request", project.pk), {}, content_type=JSON)
        assert refused.status_code == 400
        assert len(refused.json()["errors"]["gate"]) == 1  # the self-assessment is not submitted
        city.post(url("api-project-evidence", project.pk), {"file": pdf_file()})
        submitted = city.post(url("api-project-self-assessment-submit", project.pk))
        assert (submitted.status_code, submitted.json()["is_submitted"]) == (200, True)
        requested = city.post(
            url("api-project-acceptance-request", project.pk), {"comment": "申请验收"}, content_type=JSON
        )
        assert requested.status_code == 201, requested.json()
        pk = requested.json()["id"]

        # Two experts, blind: the second sees the first's scores only once it has submitted its own.
        first_expert, second_expert = world.expert, UserFactory(expert=True)
        assigned = login(world.province).post(
            url("api-evaluation-experts", pk),
            {"experts": [first_expert.pk, second_expert.pk]},
            content_type=JSON,
        )
        assert [r["status"] for r in assigned.json()["reviews"]] == ["assigned", "assigned"]
        # Each declares no conflict of interest first: until then the evaluation answers 403.
        for expert in (first_expert, second_expert):
            assert login(expert).get(url("api-evaluation-detail", pk)).status_code == 403
            declaration = {"conflict": "none"}
            answer = login(expert).post(url("api-evaluation-declaration", pk), declaration, content_type=JSON)
            assert answer.status_code == 200, answer.json()
        review = {"scores": full_scores(), "opinion": "同意通过验收。", "recommends_acceptance": True}
        reviewed = login(first_expert).post(url("api-evaluation-review", pk), review, content_type=JSON)
        assert reviewed.status_code == 200, reviewed.json()
        second = login(second_expert)
        before = second.get(url("api-evaluation-detail", pk)).json()["reviews"][0]
        assert (before["status"], before["scores_visible"], "scores" in before) == ("submitted", False, False)
        after = second.post(url("api-evaluation-review", pk), review, content_type=JSON).json()["reviews"][0]
        assert after["scores_visible"] is True
        assert (after["scores"]["core"], after["total_score"]) == ("36.0", "90.0")

        decided = login(world.province).post(
            url("api-evaluation-decision", pk),
            {"decision": "accepted", "comment": "同意通过验收", "document_no": "赣发改环资〔2029〕3号"},
            content_type=JSON,
        )
        assert decided.status_code == 200, decided.json()
        assert (decided.json()["status"], decided.json()["decision"]) == ("decided", "accepted")
        assert login(world.staff_a).get(url("api-project-detail", project.pk)).json()["status"] == "accepted"

        # The report: pending, then (rendered) ready with its absolute download address; regenerating.
        province = login(world.province)
        assert province.get(url("api-evaluation-report", pk)).json()["status"] == "pending"
        AcceptanceReport.objects.filter(evaluation_id=pk).update(
            status=FileStatus.READY, page_count=12, rendered_at=timezone.now()
        )
        meta = province.get(url("api-evaluation-report", pk)).json()
        assert (meta["status"], meta["pages"], meta["is_current"]) == ("ready", 12, True)
        assert meta["download_url"] == "http://testserver" + reverse("evaluation:report-download", args=[pk])
        again = province.post(url("api-evaluation-report", pk))
        assert (again.status_code, again.json()["status"]) == (202, "pending")
        assert len(SCORE_AREAS) == len(province.get(url("api-evaluation-detail", pk)).json()["score_areas"])

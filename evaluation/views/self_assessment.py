"""The city's self-assessment page (others read it), its evidence, and the request for acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors

from .. import permissions, selectors, services
from ..forms import EvidenceForm, SelfAssessmentForm
from ..models import ConstructionProject, ProjectStatus, SelfAssessment
from .projects import _refusal, _require

# ---- self-assessment ---------------------------------------------------------------------------

SELF_ASSESSMENT_ACTIONS = ("save", "evidence", "submit", "request")


def _self_assessment_act(
    request: HttpRequest,
    project: ConstructionProject,
    current: SelfAssessment | None,
    action: str,
    forms: dict[str, Any],
) -> HttpResponse | dict[str, Any] | None:
    """Run the posted action: a redirect when done, a refusal to show, or None (a form has errors)."""
    user = request.user
    if current is None and action != "request":
        return {"message": _("The self-assessment starts when the construction period ends."), "lines": []}
    form, evidence_form = forms["form"], forms["evidence_form"]
    try:
        if action == "save":
            if not form.is_valid():
                return None
            services.self_assessment_save(by=user, self_assessment=current, **form.cleaned_data)
            messages.success(request, _("The self-assessment was saved."))
        elif action == "evidence":
            if not evidence_form.is_valid():
                return None
            upload = evidence_form.cleaned_data["file"]
            services.evidence_add(
                by=user,
                self_assessment=current,
                file=upload,
                name=upload.name,
                title=evidence_form.cleaned_data["title"],
            )
            messages.success(request, _("%(name)s was attached.") % {"name": upload.name})
        elif action == "submit":
            services.self_assessment_submit(by=user, self_assessment=current)
            messages.success(request, _("The self-assessment was submitted."))
        else:
            evaluation = services.acceptance_request(by=user, project=project)
            messages.success(request, _("Acceptance was requested; the Provincial DRC has been told."))
            return redirect("evaluation:evaluation-detail", pk=evaluation.pk)
    except ValidationError as exc:
        add_service_errors(evidence_form if action == "evidence" else form, exc)
        return None
    except ApplicationError as exc:
        return _refusal(exc)
    return redirect("evaluation:self-assessment", pk=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The city's self-assessment (others read it), its evidence, what is missing, and the acceptance gate."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    current = selectors.self_assessment_current(project)
    is_city = permissions.is_city_reviewer_of(request.user, project)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial = {"conclusion": current.conclusion, "summary": current.summary} if current else {}
    posted = (request.POST, request.FILES)
    forms = {
        "form": SelfAssessmentForm(*(posted[:1] if action == "save" else ()), initial=initial),
        "evidence_form": EvidenceForm(*(posted if action == "evidence" else ())),
    }
    refusal = None
    if action:
        _require(is_city and action in SELF_ASSESSMENT_ACTIONS)
        outcome = _self_assessment_act(request, project, current, action, forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        refusal = outcome
    in_self_assessment = project.status == ProjectStatus.SELF_ASSESSMENT
    open_draft = current is not None and not current.is_submitted
    context = {
        "project": project,
        "self_assessment": current,
        **forms,
        "action": action,
        "refusal": refusal,
        "can_edit": is_city and in_self_assessment and open_draft,
        "can_request": is_city and in_self_assessment,
        "problems": selectors.self_assessment_problems(current) if current and open_draft else [],
        "gate": selectors.acceptance_gate(project) if in_self_assessment else [],
        "evaluations": selectors.evaluations(project),
    }
    return render(request, "evaluation/projects/self_assessment.html", context, status=400 if action else 200)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file under its original (possibly Chinese) name: RFC 5987 ``filename*`` in the header."""
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    project = evidence.self_assessment.project
    _require(permissions.is_city_reviewer_of(request.user, project))
    try:
        services.evidence_remove(by=request.user, evidence=evidence)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": evidence.original_name})
    return redirect("evaluation:self-assessment", pk=project.pk)


urls = [
    path("projects/<int:pk>/self-assessment/", self_assessment, name="self-assessment"),
    path("evidence/<int:pk>/", evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", evidence_delete, name="evidence-delete"),
]

"""The expert's declaration of conflicts of interest, before it reads an assignment: until it declares,
the evaluation's page is the declaration form and nothing of the dossier (the park's name and city only,
what the expert needs to judge a conflict)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors

from .. import selectors, services
from ..evaluation_forms import ConflictDeclarationForm
from ..models import CONFLICT_YEARS, AcceptanceEvaluation, ConflictKind

TEMPLATE = "evaluation/evaluations/expert_declaration.html"


def declaration_page(
    request: HttpRequest,
    evaluation: AcceptanceEvaluation,
    *,
    form: ConflictDeclarationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    park = evaluation.project.park
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "park_name": park.name,
        "city_name": park.zone.city.name,
        "form": form or ConflictDeclarationForm(),
        "years": CONFLICT_YEARS,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_POST
def expert_declare(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, _reviews, review = selectors.own_review_get(user=request.user, pk=pk)
    form = ConflictDeclarationForm(request.POST)
    if form.is_valid():
        conflict = form.cleaned_data["conflict"]
        try:
            services.expert_conflict_declare(
                by=request.user, review=review, conflict=conflict, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            messages.error(request, service_error_text(exc))
            return redirect("evaluation:evaluation-list")
        else:
            if conflict == ConflictKind.NONE:
                messages.success(request, _("Thank you: the evaluation is open to you."))
                return redirect("evaluation:evaluation-detail", pk=pk)
            messages.success(
                request,
                _("You declined this review; the Provincial DRC was told and will assign another expert."),
            )
            return redirect("evaluation:evaluation-list")
    return declaration_page(request, evaluation, form=form, status=400)


urls = [path("evaluations/<int:pk>/declaration/", expert_declare, name="expert-declare")]

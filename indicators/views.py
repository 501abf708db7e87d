"""Pages for the province's reference data: factor-set and scheme versions, and new versions of them.

Thin: permission check, form, one service call, redirect. (The calculator pages live elsewhere.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors

from . import permissions, selectors, services
from .forms import EquivalentCoefficientForm, GridFactorForm, MethodConstantForm, SchemeThresholdsForm
from .models import FactorSet, Scheme
from .services.drafts import draft_url


def _require_factor_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_factors(request.user):
        raise PermissionDenied


def _open_drafts(model: type[FactorSet] | type[Scheme], code: str = "") -> list[tuple[Any, str]]:
    """The open drafts of ``model`` (a scheme's: of ``code``), with their pages' addresses."""
    return [
        (draft, draft_url(draft))
        for draft in selectors.reference_open_drafts()
        if isinstance(draft, model) and (not code or getattr(draft, "code", "") == code)
    ]


def _results_recompute(request: HttpRequest) -> HttpResponse | None:
    """The province asks again for the recomputation of every stored result (after one failed); a second
    request while it is pending changes nothing. htmx gets the page (it takes the recomputation's block),
    a plain form a redirect (the service refuses anyone but a factor manager)."""
    services.results_recompute_request(by=request.user)
    if request.headers.get("HX-Request"):
        return None
    return redirect("indicators:factor-list")


@login_required
@require_http_methods(["GET", "POST"])
def factor_list(request: HttpRequest) -> HttpResponse:
    """The reference data, and where the recomputation of the stored results stands: while it is pending,
    its block asks for this page every 2 s and takes its own part of it (POST: ask for it again)."""
    if not permissions.can_view_factors(request.user):
        raise PermissionDenied
    if request.method == "POST" and (response := _results_recompute(request)) is not None:
        return response
    current = selectors.factor_set_current_record()
    schemes = [
        (scheme, selectors.scheme_threshold_items(document=scheme.document))
        for scheme in selectors.scheme_current_records()
    ]
    return render(
        request,
        "indicators/factor_list.html",
        {
            "current": current,
            "grid_table": selectors.grid_factor_table(document=current.document) if current else None,
            "method": selectors.method_values(document=current.document) if current else None,
            "factor_sets": selectors.factor_set_list(),
            "current_schemes": schemes,
            "scheme_versions": selectors.scheme_list(),
            "can_manage": permissions.can_manage_factors(request.user),
            "open_drafts": (
                [(draft, draft_url(draft)) for draft in selectors.reference_open_drafts()]
                if permissions.can_manage_factors(request.user)
                else []
            ),
            "not_recomputable": selectors.results_not_recomputable(),
            "recompute": services.results_recompute_state(),
        },
    )


@dataclass(frozen=True)
class FactorSetEdit:
    """One kind of factor-set change the province makes on a page: its form, its service and its words."""

    form: type[forms.Form]
    service: Callable[..., Any]
    title: str
    intro: str


FACTOR_SET_EDITS = {
    "grid-factor": FactorSetEdit(
        GridFactorForm,
        services.factor_set_add_grid_factor,
        gettext_lazy("Add a grid emission factor"),
        gettext_lazy(
            "Saving creates the next version of the current factor set as a draft and shows which stored results "
            "it would change; publishing it makes it current and recomputes every stored result."
        ),
    ),
    "coefficient": FactorSetEdit(
        EquivalentCoefficientForm,
        services.factor_set_add_equivalent_coefficient,
        gettext_lazy("Add an equivalent-value coefficient year"),
        gettext_lazy(
            "Electricity counts in the energy total at the previous year's coal rate (等价值). Saving creates "
            "the next version of the current factor set as a draft with its impact; publishing it recomputes "
            "every stored result, and results decided on keep the numbers they were decided on."
        ),
    ),
    "constant": FactorSetEdit(
        MethodConstantForm,
        services.factor_set_correct_constant,
        gettext_lazy("Correct a method constant"),
        gettext_lazy(
            "Only when the official method publishes a corrected value. Saving creates the next version of the "
            "current factor set as a draft with its impact; publishing it recomputes every stored result, and "
            "results decided on keep the numbers they were decided on."
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def factor_set_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """A new factor-set version: a grid factor, an equivalent-value coefficient year or a corrected constant."""
    edit = FACTOR_SET_EDITS.get(kind)
    if edit is None:
        raise Http404
    _require_factor_manager(request)
    form = edit.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor_set = edit.service(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Draft %(name)s is saved: check its impact, then publish or discard it.")
                % {"name": factor_set.name},
            )
            return redirect(draft_url(factor_set))
    context = {"form": form, "edit": edit, "kind": kind, "open_drafts": _open_drafts(FactorSet)}
    return render(request, "indicators/factor_set_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_version_create(request: HttpRequest, code: str) -> HttpResponse:
    _require_factor_manager(request)
    scheme = selectors.scheme_current_record(code=code)
    if scheme is None:
        raise Http404
    items = selectors.scheme_threshold_items(document=scheme.document)
    form = SchemeThresholdsForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.scheme_new_version(
                by=request.user, code=code, thresholds=form.thresholds(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _(
                    "Draft version %(version)s of %(code)s is saved: check its impact, then publish or discard it."
                )
                % {"version": new.version, "code": code},
            )
            return redirect(draft_url(new))
    context = {"form": form, "scheme": scheme, "open_drafts": _open_drafts(Scheme, code=code)}
    return render(request, "indicators/scheme_form.html", context)

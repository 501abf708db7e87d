"""Pages for the province's reference data: factor-set and scheme versions, and new versions of them.

Thin: permission check, form, one service call, redirect. (The calculator pages live elsewhere.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors

from . import permissions, selectors, services
from .forms import GridFactorForm, SchemeThresholdsForm


def _require_factor_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_factors(request.user):
        raise PermissionDenied


@login_required
@require_GET
def factor_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_factors(request.user):
        raise PermissionDenied
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
            "factor_sets": selectors.factor_set_list(),
            "current_schemes": schemes,
            "scheme_versions": selectors.scheme_list(),
            "can_manage": permissions.can_manage_factors(request.user),
            "not_recomputable": selectors.results_not_recomputable(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grid_factor_add(request: HttpRequest) -> HttpResponse:
    _require_factor_manager(request)
    form = GridFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor_set = services.factor_set_add_grid_factor(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Factor set %(name)s is now current; stored results are being recomputed.")
                % {"name": factor_set.name},
            )
            return redirect("indicators:factor-list")
    return render(request, "indicators/grid_factor_form.html", {"form": form})


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
                _("Version %(version)s of %(code)s is now current; stored results are being recomputed.")
                % {"version": new.version, "code": code},
            )
            return redirect("indicators:factor-list")
    return render(request, "indicators/scheme_form.html", {"form": form, "scheme": scheme})

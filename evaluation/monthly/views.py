"""Monthly pages: a park's year (months × lines, year to date, projection against the target, upload,
template, assembly, the months' and the year's import histories) and the list of parks with their
projection status (a city its own, the province all).

"Assemble the year from its months" previews the assembled dataset as the energy import of the park-year
(``services.year_assemble_preview``): its diff, indicators and data-quality warnings are the energy
importer's, and it is saved and undone in the year's one history, shown here beside the months'.

Seeing follows the park scope (outside → 404); the park's staff and the province upload and assemble
(others → 403). The list is for the province, observers and city reviewers; park staff are sent to their
park's page; experts get 403.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from indicators.models import YEAR_MAX, YEAR_MIN
from indicators.permissions import can_edit_park_dataset
from indicators.selectors import factor_set_current_version, park_year_find
from parks.models import Park, Role
from parks.permissions import can_view_parks_list, park_visibility
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.imports import import_history_for, import_preview
from zcpark.core.sheets import export_filename, xlsx_response

from ..models.monthly import MonthlyOutlook, OutlookStatus
from .api import park_for
from .assembly import text
from .importer import KIND_UPLOAD, months_snapshot
from .labels import line_label
from .outlook import MONTHS, figures_by_month, outlook_compute
from .rows import base_quantity, base_unit, check_rows
from .services import missing_months, missing_months_text, outlook_row_for, year_assemble_preview
from .workbook import read_months, template_bytes

PAGE_SIZE = 50


def this_year() -> int:
    return timezone.localdate().year


def _year(raw: Any) -> int:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return this_year()
    return year if YEAR_MIN <= year <= YEAR_MAX else this_year()


def month_table(park: Park, year: int) -> list[dict[str, Any]]:
    """One row per (carrier, use), every enterprise summed: its name, base unit and each month's total."""
    current = factor_set_current_version()
    factor_set = current.factor_set if current else None
    lines: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    for month, rows in figures_by_month(park, year).items():
        for row in rows:
            cells = lines[(row.carrier, row.use)]
            cells[month] = cells.get(month, Decimal(0)) + base_quantity(row)
    table = []
    for (carrier, use), cells in sorted(lines.items()):
        name, use_label = line_label(carrier, use, factor_set)
        unit = base_unit(carrier, factor_set) if factor_set or carrier in ("electricity", "heat") else ""
        table.append(
            {
                "carrier": name,
                "use": use_label,
                "unit": unit,
                "cells": [text(cells[m]) if m in cells else "" for m in MONTHS],
            }
        )
    return table


def _page(
    request: HttpRequest, park: Park, year: int, *, upload_errors: Any = None, status: int = 200
) -> HttpResponse:
    can_edit = can_edit_park_dataset(request.user, park)
    outlook_row = MonthlyOutlook.objects.filter(park=park, year=year).first()
    park_year = park_year_find(park_id=park.pk, year=year)
    outlook = outlook_compute(park, year)
    missing = missing_months(outlook.months)
    context = {
        "park": park,
        "year": year,
        "months": MONTHS,
        "outlook": outlook,
        # Why the year cannot be assembled yet ("" once all twelve months are in).
        "assemble_blocked": missing_months_text(missing) if missing else "",
        "table": month_table(park, year),
        "can_edit": can_edit,
        "years": [year - 1, year + 1],
        "upload_errors": upload_errors,
        # The months' own history (uploads) and the year's dataset history (assemblies, workbooks, pushes).
        "batches": import_history_for(request.user, outlook_row) if outlook_row else [],
        "year_batches": import_history_for(request.user, park_year) if park_year else [],
    }
    return render(request, "evaluation/monthly/park.html", context, status=status)


@login_required
@require_GET
def monthly_park(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return _page(request, park_for(request.user, pk), year)


@login_required
@require_GET
def monthly_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "role", None) == Role.PARK_STAFF and user.park_id:
        return redirect("evaluation:monthly-park", pk=user.park_id, year=this_year())
    if not can_view_parks_list(user):
        raise PermissionDenied
    year = _year(request.GET.get("year"))
    parks = Park.objects.with_places().filter(park_visibility(user)).order_by("zone__city__code", "name")
    outlooks = {o.park_id: o for o in MonthlyOutlook.objects.filter(year=year, park__in=parks)}
    status = request.GET.get("status", "")
    rows = []
    for park in parks:
        outlook = outlooks.get(park.pk)
        shown = outlook.status if outlook else OutlookStatus.UNKNOWN
        if status and status != shown:
            continue
        rows.append({"park": park, "outlook": outlook, "status": shown, "label": OutlookStatus(shown).label})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "page": page,
        "rows": page.object_list,
        "statuses": OutlookStatus.choices,
        "status": status,
    }
    return render(request, "evaluation/monthly/list.html", context)


def _editable(request: HttpRequest, pk: int, year: int) -> Park:
    """The park whose months ``request.user`` may write (outside the scope 404, not allowed 403), for a
    year the portal keeps (else 404)."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    park = park_for(request.user, pk)
    if not can_edit_park_dataset(request.user, park):
        raise PermissionDenied
    return park


class MonthlyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Monthly workbook"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx)."))
        limit = settings.TABLE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        return upload


@login_required
@require_GET
def monthly_template(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The template, filled with the year's months as stored (so a park can correct and upload it back).
    Only reads: no outlook row is made for a year without months."""
    park = _editable(request, pk, year)
    current = factor_set_current_version()
    if current is None:
        raise Http404
    snapshot = months_snapshot(MonthlyOutlook(park=park, year=year)) or {}
    rows = [{**r, "month": int(m)} for m, items in snapshot.items() for r in items]
    content = template_bytes(current.factor_set, year, rows or None)
    return xlsx_response(content, filename=export_filename(f"{park.name} {year} {_('Monthly figures')}"))


@login_required
@require_POST
def monthly_upload(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """An uploaded workbook: file- and cell-level errors on the page (nothing stored), else the import's
    preview."""
    park = _editable(request, pk, year)
    current = factor_set_current_version()
    form = MonthlyUploadForm(request.POST, request.FILES)
    errors: list[dict[str, str]] = []
    months: dict[int, list[dict[str, Any]]] = {}
    if current is None:
        errors = [{"sheet": "", "cell": "", "message": _("No factor set is loaded yet.")}]
    elif not form.is_valid():
        errors = [{"sheet": "", "cell": "", "message": str(m)} for m in form.errors.get("file", [])]
        errors = errors or [{"sheet": "", "cell": "", "message": _("Choose a file to upload.")}]
    else:
        months, errors = read_months(form.cleaned_data["file"].read(), current.factor_set)
    if errors or current is None:
        return _page(request, park, year, upload_errors=errors, status=400)
    upload = form.cleaned_data["file"]
    outlook_row = outlook_row_for(park, year)
    content = dict(months_snapshot(outlook_row) or {})
    for month, rows in months.items():
        checked, _errors = check_rows(rows, current.factor_set)
        content[f"{month:02d}"] = sorted(
            (
                {
                    "carrier": r.carrier,
                    "use": r.use,
                    "enterprise": r.enterprise,
                    "quantity": text(r.quantity),
                    "unit": r.unit,
                }
                for r in checked
            ),
            key=lambda r: (r["carrier"], r["use"], r["enterprise"]),
        )
    batch = import_preview(
        kind=KIND_UPLOAD,
        target=outlook_row,
        content=dict(sorted(content.items())),
        by=request.user,
        file_name=upload.name,
    )
    return redirect(reverse("core:import-preview", args=[batch.pk]))


@login_required
@require_POST
def monthly_assemble(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Preview the year's dataset assembled from its months as an import of the year's data (saving it
    stores the dataset; undo from the year's history restores what was there)."""
    park = _editable(request, pk, year)
    back = reverse("evaluation:monthly-park", args=[park.pk, year])
    try:
        batch = year_assemble_preview(by=request.user, park=park, year=year, back_url=back)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, service_error_text(exc))
        return redirect(back)
    return redirect(reverse("core:import-preview", args=[batch.pk]))


urls = [
    path("parks/<int:pk>/monthly/<int:year>/template.xlsx", monthly_template, name="monthly-template"),
    path("parks/<int:pk>/monthly/<int:year>/upload/", monthly_upload, name="monthly-upload"),
    path("parks/<int:pk>/monthly/<int:year>/assemble/", monthly_assemble, name="monthly-assemble"),
    path("monthly/", monthly_list, name="monthly-list"),
    path("parks/<int:pk>/monthly/<int:year>/", monthly_park, name="monthly-park"),
]

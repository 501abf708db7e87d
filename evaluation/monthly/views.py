"""Monthly pages: a park's year (months × lines, year to date, projection against the target, upload,
template, assembly) and the list of parks with their projection status (a city its own, the province all).

Seeing follows the park scope (outside → 404); the park's staff and the province upload and assemble
(others → 403). The list is for the province, observers and city reviewers; park staff are sent to their
park's page; experts get 403.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from indicators.models import YEAR_MAX, YEAR_MIN
from indicators.permissions import can_edit_park_dataset
from indicators.selectors import factor_set_current_version
from parks.models import Park, Role
from parks.permissions import can_view_parks_list, park_visibility

from ..models.monthly import MonthlyOutlook, OutlookStatus
from .api import park_for
from .assembly import text
from .labels import line_label
from .outlook import MONTHS, figures_by_month, outlook_compute
from .rows import base_quantity, base_unit

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


@login_required
@require_GET
def monthly_park(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    park = park_for(request.user, pk)
    outlook = outlook_compute(park, year)
    context = {
        "park": park,
        "year": year,
        "months": MONTHS,
        "outlook": outlook,
        "table": month_table(park, year),
        "can_edit": can_edit_park_dataset(request.user, park),
        "years": [year - 1, year + 1],
    }
    return render(request, "evaluation/monthly/park.html", context)


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


urls = [
    path("monthly/", monthly_list, name="monthly-list"),
    path("parks/<int:pk>/monthly/<int:year>/", monthly_park, name="monthly-park"),
]

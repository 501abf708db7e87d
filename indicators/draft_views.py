"""The page of a draft factor-set or scheme version: its impact on the stored results, Publish and Discard.

Province admins only (everyone else 403; an unknown version 404). Opening an open draft shows its impact
preview computed again when the stored one is stale (``services.draft_impact_compute``, synchronous: about a
second for 500 park-years) without storing it: a GET never writes. The preview is stored by "Compute the
impact again" and when the draft is published or discarded (``services.draft_impact_refresh``, only if
stale), so a closed draft keeps the impact last shown before it closed. The table lists every park-year whose result would change, flips first, filtered by city and
by the kind of change.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zcpark.core.exceptions import ApplicationError

from . import permissions, selectors, services
from .models import INDICATOR_STATUS_LABELS, FactorSet, Scheme, VersionStatus, indicator_name, yes_no
from .services.drafts import DRAFT_KINDS, draft_url
from .services.impact import (
    ERRORS_APPEARED,
    ERRORS_DISAPPEARED,
    FAIL_TO_PASS,
    PASS_TO_FAIL,
    draft_impact_compute,
    draft_impact_computed_at,
    draft_impact_refresh,
    draft_impact_stale,
)

FLIP_LABELS = {
    PASS_TO_FAIL: gettext_lazy("Pass → fail"),
    FAIL_TO_PASS: gettext_lazy("Fail → pass"),
    ERRORS_APPEARED: gettext_lazy("Can no longer be computed"),
    ERRORS_DISAPPEARED: gettext_lazy("Can now be computed"),
}
CHANGE_FILTERS = {
    "": gettext_lazy("Every change"),
    "flips": gettext_lazy("Core indicator flips and errors"),
    PASS_TO_FAIL: FLIP_LABELS[PASS_TO_FAIL],
    FAIL_TO_PASS: FLIP_LABELS[FAIL_TO_PASS],
    "errors": gettext_lazy("Errors appear or disappear"),
    "status": gettext_lazy("An indicator's status changes"),
    "value": gettext_lazy("Only values change"),
}
SORTS = {
    "flips": gettext_lazy("Flips first"),
    "park": gettext_lazy("City and park"),
    "year": gettext_lazy("Year"),
}
CHANGE_WHAT_LABELS = {
    "ok": gettext_lazy("Computed"),
    "core_passed": gettext_lazy("Core indicator passed"),
    "core_value": gettext_lazy("Core indicator value"),
}


def _matches(row: dict[str, Any], change: str) -> bool:
    kinds = {item["what"] for item in row["changes"]}
    return (
        not change
        or (change == "flips" and bool(row["flip"]))
        or change == row["flip"]
        or (change == "errors" and row["flip"] in (ERRORS_APPEARED, ERRORS_DISAPPEARED))
        or (change == "status" and "status" in kinds)
        or (change == "value" and kinds == {"core_value"})
    )


def _status(value: Any) -> str:
    return str(INDICATOR_STATUS_LABELS.get(value, value)) if value else "—"


def _change_text(change: dict[str, Any]) -> str:
    what, old, new = change["what"], change["old"], change["new"]
    if what == "status":
        return f"{indicator_name(change.get('code'))}: {_status(old)} → {_status(new)}"
    if what in ("ok", "core_passed"):
        return f"{CHANGE_WHAT_LABELS[what]}: {yes_no(old)} → {yes_no(new)}"
    return (
        f"{CHANGE_WHAT_LABELS[what]}: {old if old is not None else '—'} → {new if new is not None else '—'}"
    )


def _rows(impact: dict[str, Any], *, city: str, change: str, sort: str) -> list[dict[str, Any]]:
    titles = {code: selectors.scheme_title(code) for code in {row["scheme"] for row in impact["rows"]}}
    rows = [row for row in impact["rows"] if (not city or row["city"] == city) and _matches(row, change)]
    if sort == "park":
        rows.sort(key=lambda row: (row["city"], row["park"], row["year"], row["scheme"]))
    elif sort == "year":
        rows.sort(key=lambda row: (-row["year"], row["city"], row["park"], row["scheme"]))
    return [
        {
            **row,
            "scheme_title": titles[row["scheme"]],
            "flip_label": FLIP_LABELS.get(row["flip"], ""),
            "core_old": row["old"]["core_value"],
            "core_new": row["new"]["core_value"],
            "texts": [_change_text(item) for item in row["changes"]],
        }
        for row in rows
    ]


def _draft(kind: str, pk: int) -> FactorSet | Scheme:
    model = DRAFT_KINDS.get(kind)
    version = model.objects.filter(pk=pk).first() if model is not None else None
    if version is None or (version.impact is None and version.status != VersionStatus.DRAFT):
        raise Http404
    return version


def _act(request: HttpRequest, draft: FactorSet | Scheme) -> HttpResponse:
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    try:
        if action in ("publish", "discard") and draft.status == VersionStatus.DRAFT:
            draft_impact_refresh(draft=draft)  # the preview shown on the page, kept with the closed draft
        if action == "publish":
            services.reference_draft_publish(draft=draft, by=request.user, comment=comment)
            messages.success(request, _("%(version)s is published and current.") % {"version": str(draft)})
            return redirect("indicators:factor-list")
        if action == "discard":
            services.reference_draft_discard(draft=draft, by=request.user, comment=comment)
            messages.success(request, _("The draft %(version)s is discarded.") % {"version": str(draft)})
            return redirect("indicators:factor-list")
        if action == "refresh" and draft.status == VersionStatus.DRAFT:
            draft_impact_refresh(draft=draft, force=True)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(draft_url(draft))


@login_required
@require_http_methods(["GET", "POST"])
def draft_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A draft's impact on every stored park-year, with Publish and Discard (POST ``action``)."""
    if not permissions.can_manage_factors(request.user):
        raise PermissionDenied
    draft = _draft(kind, pk)
    if request.method == "POST":
        return _act(request, draft)
    stored = draft.impact if isinstance(draft.impact, dict) else None
    if draft.status == VersionStatus.DRAFT and draft_impact_stale(draft):
        stored = draft_impact_compute(draft)  # shown, not stored: a GET never writes
    impact: dict[str, Any] = stored if stored is not None else {"rows": [], "counts": {}}
    city, change, sort = (
        request.GET.get("city", ""),
        request.GET.get("change", ""),
        request.GET.get("sort", ""),
    )
    change = change if change in CHANGE_FILTERS else ""
    sort = sort if sort in SORTS else "flips"
    return render(
        request,
        "indicators/draft_detail.html",
        {
            "draft": draft,
            "kind": kind,
            "is_open": draft.status == VersionStatus.DRAFT,
            "impact": impact,
            "computed_at": draft_impact_computed_at(impact),
            "counts": impact.get("counts") or {},
            "rows": _rows(impact, city=city, change=change, sort=sort) if impact.get("rows") else [],
            "cities": sorted({row["city"] for row in impact.get("rows") or []}),
            "city": city,
            "change": change,
            "sort": sort,
            "change_filters": CHANGE_FILTERS,
            "sorts": SORTS,
            "changes": selectors.version_changes(draft),
        },
    )

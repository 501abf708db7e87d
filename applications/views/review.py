"""The review screens: the review panel and its transitions, the timeline, revision changes, the queues.

The application page includes ``partials/_review_panel.html`` and ``partials/_timeline.html``; passing
``review_context(user, application)`` in its context renders them at once, otherwise each loads itself
from its fragment URL here (htmx) with a plain link as the no-script fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parks.models import City
from zcpark.core.exceptions import ApplicationError, error_messages

from .. import permissions, selectors, services
from ..models import RECOMMENDED_STATUSES, Application, ApplicationStatus
from ..review_forms import TransitionForm, action_forms, grouped_errors
from ..selectors import activity, review
from ..workflow import ACTION_LABELS, APPLICATION, TRANSITIONS, review_stage

PAGE_SIZE = 25
CITY_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
PROVINCE_STATUSES = [ApplicationStatus(s) for s in RECOMMENDED_STATUSES]


@dataclass(frozen=True)
class QuotaUsage:
    used: int
    quota: int | None

    @property
    def left(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.used, 0)


def review_context(
    user: Any, application: Application, *, posted: dict[str, Any] | None = None, with_timeline: bool = True
) -> dict[str, Any]:
    """Everything the review panel and the timeline partials need (for the application page's context):
    ``actions``, ``review`` (the action forms and the city's quota usage) and ``timeline``."""
    actions = services.actions_for(user, application)
    needs_facts = any(review_stage(TRANSITIONS[action]) == "city" for action, _verb in actions)
    quota = None
    if any(action == "recommend" for action, _verb in actions):
        used = selectors.recommended_count(call=application.call, city_id=application.park.zone.city_id)
        quota = QuotaUsage(used=used, quota=application.call.quota_per_city)
    facts = activity.eligibility_facts(application) if needs_facts else None
    context: dict[str, Any] = {
        "application": application,
        "actions": actions,
        "review": {"forms": action_forms(actions, facts=facts, posted=posted), "quota": quota},
    }
    if with_timeline:
        context["timeline"] = activity.application_timeline(application)
    return context


@login_required
@require_GET
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review panel and the timeline on a page of their own (the panel's no-script fallback)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return render(request, "applications/review_application.html", review_context(request.user, application))


@login_required
@require_GET
def application_review_panel(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    context = review_context(request.user, application, with_timeline=False)
    return render(request, "applications/partials/_review_panel.html", context)


@login_required
@require_GET
def application_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    context = {"application": application, "timeline": activity.application_timeline(application)}
    return render(request, "applications/partials/_timeline.html", context)


def _refused(request: HttpRequest, application: Application, message: str, errors: dict) -> HttpResponse:
    """The decision was not taken: say why, list every unmet condition, and offer the form again."""
    context = review_context(request.user, application, posted=request.POST.dict(), with_timeline=False)
    context.update({"message": message, "error_groups": grouped_errors(errors)})
    return render(request, "applications/review_problems.html", context, status=400)


@login_required
@require_POST
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action in TRANSITIONS and not APPLICATION.may_take(request.user, application, TRANSITIONS[action]):
        raise PermissionDenied
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _refused(request, application, _("The decision was not recorded."), form.errors)
    if form.needs_confirmation:
        context = {
            "application": application,
            "form": form,
            "verb": dict(services.actions_for(request.user, application)).get(action, action),
        }
        return render(request, "applications/review_confirm.html", context)
    try:
        services.application_transition(
            by=request.user,
            application=application,
            action=action,
            comment=form.cleaned_data["comment"],
            conditions=form.conditions_list(),
            checklist=form.checklist(),
        )
    except ApplicationError as exc:
        return _refused(request, application, exc.message, exc.errors)
    except ValidationError as exc:
        errors = error_messages(exc)
        return _refused(request, application, _("The decision was not recorded."), errors)
    messages.success(
        request, _("%(park)s: %(event)s.") % {"park": application.park, "event": ACTION_LABELS[action]}
    )
    return redirect("applications:application-detail", pk=application.pk)


@login_required
@require_GET
def application_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The revisions and what changed between two of them (by default the latest and the one before)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    revisions = list(selectors.revision_list(application))
    old, new = activity.revision_pair(revisions, old=request.GET.get("old"), new=request.GET.get("new"))
    groups = activity.revision_changes(old, new)
    context = {"application": application, "revisions": revisions, "old": old, "new": new, "groups": groups}
    return render(request, "applications/revision_changes.html", context)


def _sort_links(sort: str, keys: list[str]) -> dict[str, dict[str, str]]:
    """Per column: the sort its header link asks for (toggling direction) and the arrow it shows now."""
    links = {}
    for key in keys:
        arrow = "▲" if sort == key else ("▼" if sort == f"-{key}" else "")
        links[key] = {"next": f"-{key}" if sort == key else key, "arrow": arrow}
    return links


@login_required
@require_GET
def review_city(request: HttpRequest) -> HttpResponse:
    """The city reviewer's queue: its city's applications in one state, with their 2025 figures and quota."""
    if not permissions.can_view_city_queue(request.user):
        raise PermissionDenied
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    status = status if status in CITY_STATUSES else ""
    sort = request.GET.get("sort", "")
    queue = review.city_queue(user=request.user, status=status, sort=sort)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = review.city_queue_rows(list(page.object_list), city_id=request.user.city_id)
    context = {"page": page, "rows": rows, "status": status, "statuses": CITY_STATUSES, "sort": sort}
    context["sorts"] = _sort_links(sort, list(review.SORTS_COMMON))
    return render(request, "applications/review_city.html", context)


@login_required
@require_GET
def review_province(request: HttpRequest) -> HttpResponse:
    """The province's comparison of recommended applications across cities (observers read it too)."""
    if not permissions.can_view_province_queue(request.user):
        raise PermissionDenied
    status = request.GET.get("status", ApplicationStatus.RECOMMENDED)
    status = status if status in PROVINCE_STATUSES else ""
    city, sort = request.GET.get("city", ""), request.GET.get("sort", "")
    queue = review.province_queue(user=request.user, status=status, city=city, sort=sort)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = review.province_queue_rows(list(page.object_list))
    context = {"page": page, "rows": rows, "status": status, "statuses": PROVINCE_STATUSES, "sort": sort}
    context.update({"city": city, "cities": City.objects.order_by("code")})
    context["sorts"] = _sort_links(sort, list(review.SORTS_PROVINCE))
    return render(request, "applications/review_province.html", context)


urls = [
    path("applications/<int:pk>/review/", application_review, name="application-review"),
    path("applications/<int:pk>/review/panel/", application_review_panel, name="application-review-panel"),
    path("applications/<int:pk>/timeline/", application_timeline, name="application-timeline"),
    path("applications/<int:pk>/transition/", application_transition, name="application-transition"),
    path("applications/<int:pk>/changes/", application_changes, name="application-changes"),
    path("review/city/", review_city, name="review-city"),
    path("review/province/", review_province, name="review-province"),
]

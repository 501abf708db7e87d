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
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from parks.permissions import is_province_admin
from zcpark.core.exceptions import ApplicationError, error_messages
from zcpark.core.sheets import export_filename, xlsx_response
from zcpark.core.threads import reads_internal, thread_side

from .. import list_exports, permissions, selectors, services
from ..list_forms import ApplicationFilterForm
from ..models import RECOMMENDED_STATUSES, Application, ApplicationStatus
from ..review_forms import TransitionForm, action_effect, action_undo, grouped_errors, review_panel
from ..selectors import activity, review
from ..services.bulk import BULK_ACTIONS
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


def _offered(user: Any, application: Application) -> list[tuple[str, str]]:
    """The actions the panel offers: the workflow's, less withdrawing a draft never submitted (there is
    nothing to take back; the API keeps the workflow's withdrawal of a draft)."""
    actions = services.actions_for(user, application)
    if application.status == ApplicationStatus.DRAFT:
        actions = [(action, verb) for action, verb in actions if action != "withdraw"]
    return actions


def _return_opinion(application: Application, timeline: list[activity.TimelineEntry]) -> Any:
    """The opinion a returned dossier was returned with (the newest return's), or None."""
    if application.status != ApplicationStatus.RETURNED:
        return None
    return next((e.opinion for e in timeline if e.opinion and e.opinion.action == "return"), None)


def review_context(
    user: Any, application: Application, *, posted: dict[str, Any] | None = None, with_timeline: bool = True
) -> dict[str, Any]:
    """Everything the review panel and the timeline partials need (for the application page's context):
    ``actions``, ``review`` (the panel's form and the city's quota usage), ``timeline`` and, for a
    returned dossier, ``return_opinion``."""
    actions = _offered(user, application)
    needs_facts = any(review_stage(TRANSITIONS[action]) == "city" for action, _verb in actions)
    quota = None
    if any(action == "recommend" for action, _verb in actions):
        used = selectors.recommended_count(call=application.call, city_id=application.park.zone.city_id)
        quota = QuotaUsage(used=used, quota=application.call.quota_per_city)
    facts = activity.eligibility_facts(application) if needs_facts else None
    panel = review_panel(actions, facts=facts, city=application.park.zone.city.name, posted=posted)
    context: dict[str, Any] = {
        "application": application,
        "actions": actions,
        "review": {"panel": panel, "quota": quota},
    }
    if with_timeline:
        context["timeline"] = activity.application_timeline(
            application, internal=reads_internal(thread_side(user, application))
        )
        context["return_opinion"] = _return_opinion(application, context["timeline"])
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
    internal = reads_internal(thread_side(request.user, application))
    context = {
        "application": application,
        "timeline": activity.application_timeline(application, internal=internal),
    }
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
            "effect": action_effect(action, city=application.park.zone.city.name),
            "undo": action_undo(action),
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


# What each sort key orders by, in words (the export's head names the order it was taken in).
SORT_LABELS: dict[str, Any] = {
    "park": gettext_lazy("Park"),
    "zone": gettext_lazy("Development zone"),
    "call": gettext_lazy("Call for applications"),
    "submitted": gettext_lazy("Submitted at"),
    "revision": gettext_lazy("Revision"),
    "investment": gettext_lazy("Total investment"),
    "core": gettext_lazy("2025 carbon per energy"),
    "clean": gettext_lazy("2025 clean energy share"),
    "city": gettext_lazy("City"),
    "green_direct": gettext_lazy("2025 direct green power share"),
    "energy": gettext_lazy("2025 energy consumption"),
    "emissions": gettext_lazy("2025 carbon emissions"),
    "period": gettext_lazy("Construction period"),
}


@dataclass(frozen=True)
class ListQuery:
    """A list page's query as its page and its export share it: the filters (a form, for their words),
    the sort, the narrowed and ordered rows, and the options the filters offer."""

    form: ApplicationFilterForm
    filters: review.ApplicationFilters
    sort: str
    queryset: QuerySet[Application]
    calls: list[review.CallOption]
    cities: list[review.CityOption]

    def shown(self) -> dict[str, str]:
        """The filters and the order in words, for the head of the export."""
        names = {
            "status": {value: str(label) for value, label in ApplicationStatus.choices},
            "city": {city.code: city.name for city in self.cities},
            "call": {str(option.pk): option.title for option in self.calls},
        }
        shown = self.form.shown(names)
        key = self.sort.lstrip("-")
        if key in SORT_LABELS:
            order = _("descending") if self.sort.startswith("-") else _("ascending")
            shown[_("Sorted by")] = f"{SORT_LABELS[key]}（{order}）"
        return shown

    def context(self) -> dict[str, Any]:
        """What ``partials/_application_filters.html`` shows."""
        status_choices = [(s, ApplicationStatus(s).label) for s in self.form.statuses]
        return {
            "filters": self.filters,
            "sort": self.sort,
            "calls": self.calls,
            "cities": self.cities,
            "status_choices": status_choices,
        }


def _city_query(request: HttpRequest) -> ListQuery:
    if not permissions.can_view_city_queue(request.user):
        raise PermissionDenied
    form = ApplicationFilterForm(
        request.GET, statuses=CITY_STATUSES, default_status=ApplicationStatus.SUBMITTED
    )
    filters, sort = form.filters(), request.GET.get("sort", "")
    # The calls the filter offers, with the city's recommendations spent in each (the quota column).
    calls = review.call_options(user=request.user, city_id=request.user.city_id)
    queue = review.city_queue(user=request.user, status=filters.status, sort=sort, filters=filters)
    return ListQuery(form, filters, sort, queue, calls, [])


@login_required
@require_GET
def review_city(request: HttpRequest) -> HttpResponse:
    """The city reviewer's queue: its city's applications in one state, with their 2025 figures and quota."""
    query = _city_query(request)
    page = Paginator(query.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = review.city_queue_rows(list(page.object_list), calls=query.calls)
    context = {"page": page, "rows": rows, "status": query.filters.status, "statuses": CITY_STATUSES}
    context.update(query.context())
    context["sorts"] = _sort_links(query.sort, list(review.SORTS_COMMON))
    return render(request, "applications/review_city.html", context)


@login_required
@require_GET
def review_city_export(request: HttpRequest) -> HttpResponse:
    """The city's queue as the page shows it (every page of it) in an Excel sheet."""
    query = _city_query(request)
    rows = review.city_queue_rows(list(query.queryset), calls=query.calls)
    content = list_exports.city_queue_workbook(rows, filters=query.shown())
    return xlsx_response(content, filename=export_filename(_("City review queue")))


def _province_query(request: HttpRequest) -> ListQuery:
    if not permissions.can_view_province_queue(request.user):
        raise PermissionDenied
    form = ApplicationFilterForm(
        request.GET, statuses=PROVINCE_STATUSES, default_status=ApplicationStatus.RECOMMENDED
    )
    filters, sort = form.filters(), request.GET.get("sort", "")
    queue = review.province_queue(user=request.user, status=filters.status, sort=sort, filters=filters)
    cities, calls = review.filter_options(request.user)
    return ListQuery(form, filters, sort, queue, calls, cities)


@login_required
@require_GET
def review_province(request: HttpRequest) -> HttpResponse:
    """The province's comparison of recommended applications across cities (observers read it too); the
    province picks several recommended ones to decide on at once."""
    query = _province_query(request)
    page = Paginator(query.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = review.province_queue_rows(list(page.object_list))
    context = {"page": page, "rows": rows, "status": query.filters.status, "statuses": PROVINCE_STATUSES}
    context.update(query.context())
    # The province picks recommended applications to decide on together (when the page has any).
    pickable = any(row.application.status == ApplicationStatus.RECOMMENDED for row in rows)
    context.update({"city": query.filters.city, "can_decide": pickable and is_province_admin(request.user)})
    context["bulk_actions"] = [(verb, TRANSITIONS[verb].button) for verb in BULK_ACTIONS]
    context["sorts"] = _sort_links(query.sort, list(review.SORTS_PROVINCE))
    return render(request, "applications/review_province.html", context)


@login_required
@require_GET
def review_province_export(request: HttpRequest) -> HttpResponse:
    """The province's comparison table as the page shows it (every page of it) in an Excel sheet."""
    query = _province_query(request)
    rows = review.province_queue_rows(list(query.queryset))
    content = list_exports.province_queue_workbook(rows, filters=query.shown())
    return xlsx_response(content, filename=export_filename(_("Provincial review")))


def application_list_query(request: HttpRequest) -> ListQuery:
    """The applications list narrowed and ordered as its URL asks (the page, in views.dossier, and its
    export share it): search, city, call, state, submission dates; the user's scope always."""
    form = ApplicationFilterForm(request.GET, statuses=list(ApplicationStatus.values))
    filters = form.filters()
    applications = review.application_filter(
        selectors.application_list_visible_to(user=request.user), filters
    )
    cities, calls = review.filter_options(request.user)
    return ListQuery(form, filters, "", applications, calls, cities)


@login_required
@require_GET
def application_list_export(request: HttpRequest) -> HttpResponse:
    """The applications list as the user sees it (scope and filters, every page) in an Excel sheet."""
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    query = application_list_query(request)
    content = list_exports.application_list_workbook(query.queryset, filters=query.shown())
    return xlsx_response(content, filename=export_filename(_("Applications")))


urls = [
    path("applications/<int:pk>/review/", application_review, name="application-review"),
    path("applications/<int:pk>/review/panel/", application_review_panel, name="application-review-panel"),
    path("applications/<int:pk>/timeline/", application_timeline, name="application-timeline"),
    path("applications/<int:pk>/transition/", application_transition, name="application-transition"),
    path("applications/<int:pk>/changes/", application_changes, name="application-changes"),
    path("applications/export/", application_list_export, name="application-list-export"),
    path("review/city/", review_city, name="review-city"),
    path("review/city/export/", review_city_export, name="review-city-export"),
    path("review/province/", review_province, name="review-province"),
    path("review/province/export/", review_province_export, name="review-province-export"),
]

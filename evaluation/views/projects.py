"""Construction project pages: the list, a project's page (trajectory, reports, orders, incentives,
timeline), annual reports, rectification orders, removal, incentives and the city's self-assessment.

Seeing follows the project (``selectors.*_get_for_user``: out of scope is 404); acting follows the role
(park staff report and answer, the city assesses and requests acceptance, the province supervises): a
visible page with a forbidden action is 403. The services check every rule and raise; the pages show it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from indicators.downloads import dataset_response, template_response
from indicators.selectors import factor_set_current_document, park_year_find
from indicators.services import DatasetInputErrors
from indicators.uploads import read_energy_upload
from parks.models import City
from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, error_messages, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.imports import import_history_for
from zcpark.core.models import AuditEvent, ImportBatch
from zcpark.core.sheets import export_filename, xlsx_response
from zcpark.core.svgcharts import Series, line_chart, responsive
from zcpark.core.threads import thread_panel

from .. import list_exports, permissions, selectors, services
from ..forms import (
    IncentiveForm,
    OrderAnswerForm,
    OrderCloseForm,
    OrderEscalateForm,
    OrderExtendForm,
    OrderIssueForm,
    OrderReturnForm,
    ProjectRemoveForm,
    ReportForm,
)
from ..models import (
    AnnualReport,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
    ReportStatus,
)
from ..permissions import can_remind_late_reports
from ..selectors import activity
from ..selectors.project_rows import project_rows
from ..selectors.projects import CONSTRUCTION_YEARS, ProjectFilters, project_list_filtered
from ..selectors.supervision import supervision_row_for
from ..services.supervision import reminded_today
from ..workflow import ORDER
from . import national

PAGE_SIZE = 25
# A rectification order's default deadline: a month to answer.
ORDER_DAYS_DEFAULT = 30
TIMELINE_LIMIT = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _refusal(exc: ApplicationError) -> dict[str, Any]:
    """A service's refusal for the page: its message and every condition it named."""
    return {"message": exc.message, "lines": exc.reasons()}


# ---- list and project page ---------------------------------------------------------------------


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user sees, searched and filtered from the URL; ``?format=xlsx`` exports every
    matching project (not only the page) with the same filters."""
    _require(permissions.can_view_projects(request.user))
    filters = ProjectFilters.from_query(request.GET)
    today = timezone.localdate()
    annotated = project_list_filtered(user=request.user, filters=filters, today=today)
    whole = can_view_whole_program(request.user)
    if request.GET.get("format") == "xlsx":
        statuses = dict(ProjectStatus.choices)
        shown = {
            _("Search"): filters.q,
            _("City"): list_exports.city_label(filters.city),
            _("Status"): str(statuses.get(filters.status, "")),
            _("Construction year"): str(filters.year or ""),
        }
        content = list_exports.projects_workbook(project_rows(list(annotated)), filters=shown)
        return xlsx_response(content, filename=export_filename(_("Construction projects")))
    page = Paginator(annotated, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": project_rows(list(page.object_list)),
        "filters": filters,
        "status": filters.status,
        "statuses": ProjectStatus.choices,
        "city": filters.city,
        "cities": City.objects.order_by("code") if whole else [],
        "years": CONSTRUCTION_YEARS,
        "can_remind": can_remind_late_reports(request.user),
        "can_view_supervision": permissions.can_view_supervision(request.user),
        "today": today,
    }
    return render(request, "evaluation/projects/project_list.html", context)


def _trajectory_charts(project: ConstructionProject) -> list[dict[str, Any]]:
    """Each indicator's rows (year × value / target, lagging flagged) with its small SVG chart."""
    charts = []
    for row in selectors.trajectory(project):
        draw = partial(
            line_chart,
            categories=[str(point.year) for point in row.points],
            series=[
                Series(name=_("Value"), values=[point.value for point in row.points]),
                Series(name=_("Target"), values=[point.target for point in row.points], dashed=True),
            ],
            y_label=row.unit,
        )
        svg = responsive(draw)
        charts.append({"row": row, "svg": mark_safe(svg)})  # noqa: S308 - svgcharts escapes every label
    return charts


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    user = request.user
    charts = _trajectory_charts(project)
    context = {
        "project": project,
        "entry": project.list_entry,
        "construction_list": project.list_entry.construction_list,
        "charts": charts,
        "lagging": [chart["row"] for chart in charts if chart["row"].lagging],
        "key_projects": selectors.key_projects(project),
        "reports": selectors.annual_reports(project),
        "orders": selectors.orders(project),
        "incentives": selectors.incentives(project),
        "evaluations": selectors.evaluations(project),
        "events": selectors.timeline_for_reader(
            request.user, selectors.project_timeline(project), limit=TIMELINE_LIMIT
        ),
        "today": timezone.localdate(),
        "can_supervise": permissions.can_supervise(user),
        "is_park_staff": permissions.is_park_staff_of(user, project),
        "is_city_reviewer": permissions.is_city_reviewer_of(user, project),
        **national.project_context(user, project),
    }
    return render(request, "evaluation/projects/project_detail.html", context)


# ---- annual reports ----------------------------------------------------------------------------


def _report_editable(user: Any, project: ConstructionProject, report: AnnualReport) -> bool:
    return (
        permissions.is_park_staff_of(user, project)
        and project.is_active
        and report.status == ReportStatus.DUE
    )


def _report_save(
    request: HttpRequest, report: AnnualReport, form: ReportForm
) -> tuple[list[dict[str, str]], ImportBatch | None]:
    """Save the draft (narrative, progress) and, when a file is uploaded, preview what it changes in the
    year's data (stored only once the preview is saved); the upload's problems (then nothing is saved)."""
    upload, outcome = form.cleaned_data.get("file"), None
    if upload:
        outcome = read_energy_upload(upload, year=report.year, factor_set=factor_set_current_document())
        if outcome.errors:
            return outcome.errors, None
    batch = None
    try:
        batch = services.annual_report_save_and_preview(
            by=request.user,
            report=report,
            narrative=form.cleaned_data["narrative"],
            progress=form.progress(),
            document=outcome.dataset or {} if outcome is not None else None,
            file_name=upload.name if upload else "",
            back_url=reverse("evaluation:report-detail", args=[report.project_id, report.year]),
        )
    except ValidationError as exc:
        problems = []
        for key, items in error_messages(exc, "").items():
            name = form.field_for(key) or (key if key == "narrative" else None)
            if name:
                form.add_error(name, items)
            else:
                problems += [{"path": "" if key == "__all__" else key, "message": m} for m in items]
        return problems, None
    except DatasetInputErrors as exc:
        return [outcome.located(dict(e)) if outcome else dict(e) for e in exc.errors], None
    except ApplicationError as exc:
        form.add_error(None, exc.message)
    return [], batch


def _year_imports(user: Any, project: ConstructionProject, year: int) -> list[ImportBatch]:
    """The year's import history (an undo on the latest saved one, to whoever may import into it)."""
    park_year = park_year_find(park_id=project.park_id, year=year)
    return import_history_for(user, park_year) if park_year else []


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
    project = report.project
    key_projects = list(selectors.key_projects(project))
    saved = {item.key_project_id: item for item in report.progress.all()}
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    bound = (request.POST, request.FILES) if action == "save" else ()
    form = ReportForm(*bound, year=year, key_projects=key_projects, saved=saved)
    upload_errors: list[dict[str, str]] = []
    refusal: dict[str, Any] | None = None
    if action:
        _require(permissions.is_park_staff_of(request.user, project))
        if action == "submit":
            try:
                services.annual_report_submit(by=request.user, report=report)
            except ApplicationError as exc:
                refusal = _refusal(exc)
            else:
                messages.success(request, _("The %(year)s annual report was submitted.") % {"year": year})
                return redirect("evaluation:report-detail", pk=project.pk, year=year)
        elif form.is_valid():
            upload_errors, batch = _report_save(request, report, form)
            if batch is not None:
                messages.success(
                    request, _("The draft was saved. Check what the file changes, then save it.")
                )
                return redirect("core:import-preview", pk=batch.pk)
            if not upload_errors and not form.errors:
                messages.success(request, _("The draft was saved."))
                return redirect("evaluation:report-detail", pk=project.pk, year=year)
    editable = _report_editable(request.user, project, report)
    context = {
        "project": project,
        "report": report,
        "form": form,
        "progress": [(kp, saved.get(kp.pk)) for kp in key_projects],
        "can_edit": editable,
        "problems": services.report_problems(report, today=timezone.localdate()) if editable else [],
        "upload_errors": upload_errors,
        "refusal": refusal,
        "batches": _year_imports(request.user, project, report.year),
        "today": timezone.localdate(),
        "threads": thread_panel(
            user=request.user,
            target=report,
            anchor="",
            post_url=reverse("evaluation:report-thread", args=[project.pk, report.year]),
        ),
        # A submitted report shows the numbers it was submitted with (and today's, if recomputed since).
        **activity.report_figures(
            project, report.year, report.submitted_at if report.status == ReportStatus.SUBMITTED else None
        ),
    }
    return render(request, "evaluation/projects/report_detail.html", context, status=400 if action else 200)


@login_required
@require_GET
def report_template(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The Excel template with the park's name, type and the report's year filled in."""
    report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
    park = report.project.park
    return template_response(park_name=park.name, park_type=park.park_type, year=year)


@login_required
@require_GET
def report_dataset(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The stored dataset of the report's year, as JSON (``?format=xlsx``: as the Excel template)."""
    report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
    dataset = selectors.assessment_results(report.project, year).dataset
    if dataset is None:
        raise Http404
    return dataset_response(
        dataset.document,
        stem=f"{report.project.park.name}-{year}",
        as_xlsx=request.GET.get("format") == "xlsx",
    )


# ---- rectification orders ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_supervise(request.user))
    today = timezone.localdate()
    initial: dict[str, Any] = {"deadline": today + timedelta(days=ORDER_DAYS_DEFAULT)}
    if request.GET.get("from") == "supervision":
        # Issued from the 督导 list: the title and requirements say why the park is on it.
        row = supervision_row_for(project, user=request.user, today=today)
        initial.update(row.order_prefill if row else {})
    form = OrderIssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The rectification order was issued; the park has been told."))
            return redirect("evaluation:order-detail", pk=order.pk)
    return render(request, "evaluation/projects/order_form.html", {"project": project, "form": form})


ORDER_ACTIONS = {
    "answer": OrderAnswerForm,
    "close": OrderCloseForm,
    "return": OrderReturnForm,
    "extend_deadline": OrderExtendForm,
    "escalate": OrderEscalateForm,
}


def _order_forms(request: HttpRequest, order: RectificationOrder, action: str) -> dict[str, Any]:
    """The forms the user may use on the order now (the posted one bound)."""
    allowed = [t.verb for t in ORDER.actions_for(request.user, order) if t.verb in ORDER_ACTIONS]
    return {
        name: ORDER_ACTIONS[name](request.POST if name == action else None, prefix=name) for name in allowed
    }


def _order_act(request: HttpRequest, order: RectificationOrder, action: str, form: Any) -> None:
    data = form.cleaned_data
    if action == "answer":
        services.order_answer(by=request.user, order=order, answer=data["answer"])
        messages.success(request, _("Your answer was sent to the Provincial DRC."))
    elif action == "close":
        services.order_close(by=request.user, order=order, comment=data["comment"])
        messages.success(request, _("The order was closed."))
    elif action == "extend_deadline":
        services.order_extend_deadline(
            by=request.user, order=order, comment=data["comment"], deadline=data["deadline"]
        )
        messages.success(request, _("The deadline was extended; the park and its city have been told."))
    elif action == "escalate":
        services.order_escalate(
            by=request.user, order=order, comment=data["comment"], document_no=data["document_no"]
        )
        messages.success(request, _("The park was removed from the construction list."))
    else:
        services.order_return(
            by=request.user, order=order, comment=data["comment"], deadline=data["deadline"]
        )
        messages.success(request, _("The answer was sent back with a new deadline."))


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "remind":
        return _order_remind(request, order)
    forms = _order_forms(request, order, action)
    if action:
        if action not in forms:
            # Visible order, but not this user's move (or not in this state).
            _require(action in ORDER_ACTIONS and _may_ever(request.user, order, action))
            verb = ORDER.by_verb[action].button or ORDER.by_verb[action].label
            messages.error(request, _("“%(action)s” is not possible for this order now.") % {"action": verb})
            return redirect("evaluation:order-detail", pk=order.pk)
        form = forms[action]
        if form.is_valid():
            try:
                _order_act(request, order, action, form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                form.add_error(None, service_error_text(exc))
            else:
                return redirect("evaluation:order-detail", pk=order.pk)
    context = {
        "order": order,
        "project": order.project,
        "forms": forms,
        "events": selectors.timeline_for_reader(request.user, AuditEvent.objects.for_object(order)),
        "threads": thread_panel(
            user=request.user,
            target=order,
            anchor="",
            post_url=reverse("evaluation:order-thread", args=[order.pk]),
        ),
        "today": timezone.localdate(),
        "can_remind": order.status == OrderStatus.OVERDUE and permissions.can_supervise(request.user),
        "reminded_today": order.status == OrderStatus.OVERDUE and reminded_today(order),
    }
    return render(request, "evaluation/projects/order_detail.html", context, status=400 if action else 200)


def _order_remind(request: HttpRequest, order: RectificationOrder) -> HttpResponse:
    """The province reminds the park of an overdue order (no move; at most once a day)."""
    _require(permissions.can_supervise(request.user))
    try:
        services.order_remind(by=request.user, order=order)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The park and its city were reminded."))
    return redirect("evaluation:order-detail", pk=order.pk)


def _may_ever(user: Any, order: RectificationOrder, action: str) -> bool:
    """Whether the role takes ``action`` on orders at all (a wrong state is a message, not a 403)."""
    if action == "answer":
        return permissions.is_park_staff_of(user, order.project)
    return permissions.can_supervise(user)


# ---- removal and incentives --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def project_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (what removal means, reason and document number); POST removes."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_supervise(request.user))
    form = ProjectRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_remove(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(park)s was removed from the construction list; the public list shows it.")
                % {"park": project.park.name},
            )
            return redirect("evaluation:project-detail", pk=project.pk)
    context = {"project": project, "form": form, "construction_list": project.list_entry.construction_list}
    return render(request, "evaluation/projects/project_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def incentive_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    _require(permissions.can_supervise(request.user))
    form = IncentiveForm(request.POST or None, initial={"granted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.incentive_add(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The incentive was noted."))
            return redirect("evaluation:project-detail", pk=project.pk)
    return render(request, "evaluation/projects/incentive_form.html", {"project": project, "form": form})


urls = [
    path("projects/", project_list, name="project-list"),
    path("projects/<int:pk>/", project_detail, name="project-detail"),
    path("projects/<int:pk>/reports/<int:year>/", report_detail, name="report-detail"),
    path("projects/<int:pk>/reports/<int:year>/template/", report_template, name="report-template"),
    path("projects/<int:pk>/reports/<int:year>/dataset/", report_dataset, name="report-dataset"),
    path("projects/<int:pk>/orders/new/", order_create, name="order-create"),
    path("orders/<int:pk>/", order_detail, name="order-detail"),
    path("projects/<int:pk>/remove/", project_remove, name="project-remove"),
    path("projects/<int:pk>/incentives/new/", incentive_create, name="incentive-create"),
]

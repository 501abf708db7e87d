"""City progress reports: the overview of cities × periods (the province and observers every city, a city
its own; ``?format=xlsx`` exports it), a report's page where the city writes and submits and the province
returns, reminding late cities, and the public library of typical practices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parks.models import Role
from parks.permissions import can_view_whole_program
from parks.selectors import city_list
from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors
from zcpark.core.sheets import export_filename, xlsx_response

from .. import permissions
from ..city_report_forms import CityReportForm, CityReportReturnForm, PracticeForm
from ..list_exports_city_reports import city_reports_workbook, overview_filters
from ..models import CityProgressReport, PracticeScene, TypicalPractice
from ..selectors import city_reports as selectors
from ..services import city_reports as services
from ..workflow.city_reports import CITY_REPORT, period_of

LIBRARY_PAGE_SIZE = 20
ACTIONS = ("save", "practice", "remove-practice", "submit", "return")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def city_report_list(request: HttpRequest) -> HttpResponse:
    """Cities × periods, late reports marked; filters (city, period, late) from the URL."""
    _require(permissions.can_view_city_reports(request.user))
    filters = overview_filters(request.GET)
    today = timezone.localdate()
    overview = selectors.city_report_overview(user=request.user, today=today, filters=filters)
    if request.GET.get("format") == "xlsx":
        content = city_reports_workbook(overview, filters=filters)
        return xlsx_response(content, filename=export_filename(_("City progress reports")))
    context = {
        "overview": overview,
        "filters": filters,
        "filtered": any(filters.values()),
        "cities": city_list() if can_view_whole_program(request.user) else [],
        "periods": selectors.city_report_periods(),
        "can_remind": permissions.can_remind_late_cities(request.user) and bool(overview.late),
        "current_period": period_of(today),
        "today": today,
    }
    return render(request, "evaluation/city_reports/overview.html", context)


def _forms(
    report: CityProgressReport, post: Any = None, files: Any = None, action: str = ""
) -> dict[str, Any]:
    projects = [(p.pk, p.park.name) for p in selectors.city_projects(report.city_id, report.period_end)]
    return {
        "form": CityReportForm(post if action == "save" else None, initial={"narrative": report.narrative}),
        "practice_form": PracticeForm(
            *((post, files) if action == "practice" else ()), projects=projects, prefix="practice"
        ),
        "return_form": CityReportReturnForm(post if action == "return" else None),
    }


def _act(request: HttpRequest, report: CityProgressReport, action: str, forms: dict[str, Any]) -> Any:
    """Run the posted action: a redirect when done, a refusal to show, or None (a form has errors)."""
    user, post = request.user, request.POST
    form_of = {"save": "form", "practice": "practice_form", "return": "return_form"}
    try:
        if action == "save":
            if not forms["form"].is_valid():
                return None
            services.city_report_save(
                by=user, report=report, narrative=forms["form"].cleaned_data["narrative"]
            )
            messages.success(request, _("The report was saved; the parks' figures were refreshed."))
        elif action == "practice":
            form = forms["practice_form"]
            if not form.is_valid():
                return None
            upload = form.cleaned_data["file"]
            services.practice_add(
                by=user,
                report=report,
                project_id=form.cleaned_data["project"],
                title=form.cleaned_data["title"],
                scene=form.cleaned_data["scene"],
                description=form.cleaned_data["description"],
                file=upload,
                name=upload.name if upload else "",
            )
            messages.success(request, _("The practice was added."))
        elif action == "remove-practice":
            raw = str(post.get("practice", ""))
            practice = report.practices.filter(pk=int(raw)).first() if raw.isdigit() else None
            if practice is None:
                return {"message": _("That practice is not in this report."), "lines": []}
            services.practice_remove(by=user, practice=practice)
            messages.success(request, _("The practice was removed."))
        elif action == "submit":
            services.city_report_submit(by=user, report=report)
            messages.success(request, _("The report was submitted; the Provincial DRC has been told."))
        else:
            if not forms["return_form"].is_valid():
                return None
            services.city_report_return(
                by=user, report=report, comment=forms["return_form"].cleaned_data["comment"]
            )
            messages.success(request, _("The report was returned to the city."))
    except ValidationError as exc:
        if action in form_of:
            add_service_errors(forms[form_of[action]], exc)
            return None
        return {"message": _("The report cannot be submitted yet."), "lines": exc.messages}
    except ApplicationError as exc:
        return {"message": exc.message, "lines": exc.reasons()}
    return redirect("evaluation:city-report-detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def city_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: figures, narrative, practices and its submissions; the city writes, the province returns."""
    report = selectors.city_report_get_for_user(user=request.user, pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        if action not in ACTIONS:
            return HttpResponse(status=400)
        allowed = (
            permissions.can_return_city_report(request.user, report)
            if action == "return"
            else permissions.may_for_city_report(request.user, report, Role.CITY_REVIEWER)
        )
        _require(allowed)
    forms = _forms(report, request.POST, request.FILES, action)
    refusal = None
    if action:
        outcome = _act(request, report, action, forms)
        if isinstance(outcome, HttpResponse):
            return outcome
        refusal = outcome
    context = {
        "report": report,
        **forms,
        "figures": selectors.figures_display(report.figures),
        "practices": report.practices.select_related("project__park"),
        "submissions": report.submissions.select_related("submitted_by"),
        "can_write": permissions.can_write_city_report(request.user, report),
        "can_return": permissions.can_return_city_report(request.user, report),
        "actions": CITY_REPORT.actions_for(request.user, report),
        "late": selectors.is_late(report, timezone.localdate()),
        "refusal": refusal,
    }
    status = 400 if action and (refusal or any(f.errors for f in forms.values())) else 200
    return render(request, "evaluation/city_reports/detail.html", context, status=status)


@login_required
@require_POST
def city_reports_remind(request: HttpRequest) -> HttpResponse:
    """The province reminds every late city (once a day per report)."""
    _require(permissions.can_remind_late_cities(request.user))
    result = services.city_reports_remind_late(by=request.user)
    if result.sent:
        messages.success(
            request,
            ngettext(
                "%(count)s city was reminded: %(reports)s.",
                "%(count)s cities were reminded: %(reports)s.",
                len(result.sent),
            )
            % {"count": len(result.sent), "reports": "、".join(result.sent)},
        )
    else:
        messages.info(request, _("No reminder was sent: every late city has been reminded today already."))
    if result.unreachable:
        messages.warning(
            request,
            _("No active account to notify at: %(parks)s.") % {"parks": "、".join(result.unreachable)},
        )
    return redirect("evaluation:city-report-list")


@require_GET
def practice_file(request: HttpRequest, pk: int) -> FileResponse:
    """A practice's photo or attachment: anyone for the public library's, else who sees the report."""
    practice: TypicalPractice = selectors.practice_get_for_user(user=request.user, pk=pk)
    response = FileResponse(practice.file.open("rb"), as_attachment=True, filename=practice.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def submission_file(request: HttpRequest, pk: int, number: int, index: int) -> FileResponse:
    """A practice's file as submitted version ``number`` of the report sent it (who sees the report)."""
    path, name = selectors.submission_file_for_user(user=request.user, pk=pk, number=number, index=index)
    response = FileResponse(selectors.practice_storage().open(path, "rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def practice_library(request: HttpRequest) -> HttpResponse:
    """The public library of typical practices (accepted parks), filtered by city and scene in the URL."""
    filters = {
        "city": request.GET.get("city", "").strip()[:12],
        "scene": request.GET.get("scene", "") if request.GET.get("scene") in PracticeScene.values else "",
    }
    page = Paginator(selectors.practice_library(filters=filters), LIBRARY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "cities": city_list(),
        "scenes": PracticeScene.choices,
    }
    return render(request, "evaluation/city_reports/practice_library.html", context)


urls = [
    path("city-reports/", city_report_list, name="city-report-list"),
    path("city-reports/remind/", city_reports_remind, name="city-reports-remind"),
    path("city-reports/<int:pk>/", city_report_detail, name="city-report-detail"),
    path("practices/<int:pk>/file/", practice_file, name="practice-file"),
    path(
        "city-reports/<int:pk>/submissions/<int:number>/practices/<int:index>/file/",
        submission_file,
        name="city-report-submission-file",
    ),
    path("public/practices/", practice_library, name="practice-library"),
]

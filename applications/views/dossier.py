"""The dossier: the application list and page, its sections, energy years, emissions and attachments.

Park staff edit while the dossier is a draft or returned (``permissions.can_edit_dossier``); everyone who
may see the application reads the same pages without the forms. Out-of-scope applications are 404
(``selectors.application_get_for_user``); a write the user may not make is 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from indicators.downloads import dataset_response, template_response
from indicators.exemptions import exemption_warnings
from indicators.selectors import factor_set_current_document
from indicators.uploads import EnergyYearUploadForm
from parks.geojson import boundary_sketch
from parks.models import Role
from zcpark.core.exceptions import ApplicationError, error_messages

from .. import permissions, selectors, services
from ..dossier.pages import section_url
from ..dossier.schema import section_problems
from ..dossier.sections import FORM_SECTIONS
from ..exemptions.selectors import claim_rows
from ..exports import dossier_export_list
from ..forms import (
    ApplicationStartForm,
    SectionForm,
    section_data_from_post,
)
from ..models import HISTORY_YEARS, Application, SectionCode
from ..selectors import analysis, feasibility_page, quality
from ..selectors.objections import application_notice_context
from ..tables.panels import table_import_panels
from ..threads import section_thread_panel
from .energy_imports import energy_year_preview, year_imports
from .review import application_list_query, review_context

PAGE_SIZE = 25
# Annex 1's wording for the sections that are not forms (the form sections carry theirs in the schema).
SECTION_HELP = {
    SectionCode.ENERGY: gettext_lazy(
        "Annex 1, 1(3): the park's energy supply and consumption in the last three years by type of energy; "
        "supply distinguishes energy bought in from energy the park supplies itself, consumption "
        "distinguishes fuel, energy conversion and feedstock uses."
    ),
    SectionCode.EMISSIONS: gettext_lazy(
        "Annex 1, 1(4): the park's emissions in the last three years, computed with the national accounting "
        "method (零碳园区碳排放核算方法（试行）): yearly emissions, emissions per unit of energy and the "
        "emission structure. Nothing is typed here: everything comes from the energy years."
    ),
    SectionCode.ATTACHMENTS: gettext_lazy(
        "The evidence the review needs: the development zone's approval or catalog entry, the boundary map "
        "of a park within a park, and any document supporting the dossier."
    ),
}


def _nav(application: Application, active: str | None) -> list[dict[str, Any]]:
    """Every section in Annex 1's order with its completeness, problems and page."""
    return [
        {
            "code": state.code,
            "title": state.title,
            "complete": state.complete,
            "problems": state.problems,
            "url": section_url(application, state.code),
            "active": state.code == active,
        }
        for state in selectors.dossier_progress(application)
    ]


def _read_only_reason(user: Any, application: Application) -> str:
    """Why the park's own staff cannot edit now (empty for everyone else: they only ever read)."""
    if user.role != Role.PARK_STAFF or application.park_id != user.park_id:
        return ""
    if permissions.is_frozen_by_call(application):
        return _("The call is closed: the dossier is frozen.")
    if not application.is_editable_status:
        return _("The dossier is %(status)s: it can be changed again only if the city returns it.") % {
            "status": application.get_status_display()
        }
    return ""


def _page(request: HttpRequest, application: Application, active: str | None, **extra: Any) -> dict[str, Any]:
    """The context every dossier page shares: the application, the section navigation and edit rights."""
    return {
        "application": application,
        "nav": _nav(application, active),
        "active_code": active,
        "section_title": SectionCode(active).label if active else "",
        "section_help": FORM_SECTIONS[active].help
        if active in FORM_SECTIONS
        else SECTION_HELP.get(active or "", ""),
        "can_edit": permissions.can_edit_dossier(request.user, application),
        "read_only_reason": _read_only_reason(request.user, application),
        # The section a redirect says was just saved: the browser drops its copy of the typed input.
        "saved_code": request.GET.get("saved", "") if request.GET.get("saved") in SectionCode.values else "",
        "threads": section_thread_panel(request.user, application, active) if active else None,
        **extra,
    }


# --- List, start, detail ------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_applications(request.user):
        raise PermissionDenied
    # Search, city, call, state and submission dates from the URL (the export reads the same).
    query = application_list_query(request)
    page = Paginator(query.queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    park = request.user.park if request.user.role == Role.PARK_STAFF else None
    can_start = park is not None and selectors.calls_open_to(park, today=timezone.localdate()).exists()
    return render(
        request,
        "applications/application_list.html",
        {"page": page, "can_start": can_start, **query.context()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest) -> HttpResponse:
    park = request.user.park if request.user.role == Role.PARK_STAFF else None
    if park is None or not permissions.can_create_application(request.user, park):
        raise PermissionDenied
    form = ApplicationStartForm(request.POST or None, park=park, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                by=request.user, park=park, call=form.cleaned_data["call"]
            )
        except ApplicationError as exc:
            form.add_error("call", exc.errors.get("call") or exc.message)
        else:
            messages.success(request, _("The application was started. Fill in each section, then submit it."))
            return redirect("applications:application-detail", pk=application.pk)
    return render(request, "applications/application_start.html", {"form": form, "park": park})


def _checklist(application: Application) -> list[dict[str, Any]]:
    """The submission gate's unmet conditions, grouped, each group linked to where it is fixed."""
    labels = {
        "call": _("Call for applications"),
        "eligibility": _("Eligibility"),
        **dict(SectionCode.choices),
    }
    problems = selectors.submission_problems(application, today=timezone.localdate())
    return [
        {
            "key": key,
            "label": str(labels.get(key, key)),
            "problems": items,
            "url": section_url(application, key) if key in SectionCode.values else "",
        }
        for key, items in problems.items()
    ]


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    own_park = request.user.role == Role.PARK_STAFF and application.park_id == request.user.park_id
    # The review panel (the workflow's action forms) and the timeline render at once from this.
    context = review_context(request.user, application)
    context |= _page(
        request,
        application,
        None,
        checklist=_checklist(application) if own_park and application.is_editable_status else None,
        indicators=analysis.indicator_history(selectors.history_results(application)),
        history_years=HISTORY_YEARS,
    )
    context["complete_count"] = sum(1 for entry in context["nav"] if entry["complete"])
    context["exports"] = dossier_export_list(application)
    context |= application_notice_context(application)
    context["exemptions"] = claim_rows(application, request.user)
    return render(request, "applications/application_detail.html", context)


# --- Form sections ------------------------------------------------------------------------------


def _section_extras(application: Application, code: str, form: SectionForm) -> dict[str, Any]:
    """What a section shows besides its form: the 2025 baseline beside the targets, the computed analysis
    on the feasibility page."""
    if code == SectionCode.TARGETS:
        form.attach_row_extras("targets", analysis.baseline_indicators(application))
    if code == SectionCode.FEASIBILITY:
        return {"analysis": feasibility_page.feasibility_context(application)}
    if code == SectionCode.OVERVIEW:
        # The optional map polygon is part of the park's registration (edited on the park's page).
        return {"sketch": boundary_sketch(application.park.boundary_geojson)}
    return {}


def _next_section_url(application: Application, code: str) -> str:
    codes = SectionCode.values
    index = codes.index(code)
    return section_url(application, codes[index + 1]) if index + 1 < len(codes) else ""


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    spec = FORM_SECTIONS.get(code)
    if spec is None:
        raise Http404
    form, status = None, 200
    if request.method == "POST":
        if not permissions.can_edit_dossier(request.user, application):
            raise PermissionDenied
        raw = section_data_from_post(spec, request.POST)
        version = request.POST.get("version", "")
        try:
            services.dossier_section_save(
                by=request.user,
                application=application,
                code=code,
                data=raw,
                expected_version=int(version) if version.isdigit() else None,
            )
        except ValidationError as exc:
            form = SectionForm(spec, raw, error_messages(exc))
        except ApplicationError as exc:
            form = SectionForm(spec, raw, {"__all__": [exc.message]})
            status = exc.status_code
        else:
            target = _next_section_url(application, code) if "save_next" in request.POST else ""
            if target:  # staying on the section, its own notice says what is still missing
                messages.success(request, _("%(section)s was saved.") % {"section": spec.title})
            return redirect(f"{target or request.path}?saved={code}")
    return section_page(request, application, code, form=form, status=status)


def section_page(
    request: HttpRequest,
    application: Application,
    code: str,
    *,
    form: Any = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """A form section's page: its form (``form``, else the stored section), its tables' Excel imports."""
    spec, section = FORM_SECTIONS[code], application.sections.filter(code=code).first()
    stored = section.data if section is not None else {}
    form = SectionForm(spec, stored) if form is None else form
    context = _page(request, application, code, spec=spec, form=form, section=section, **extra)
    context["problems"] = section_problems(spec, stored)
    context["next_url"] = _next_section_url(application, code)
    context["table_imports"] = table_import_panels(request.user, application, code)
    context.update(_section_extras(application, code, form))
    return render(request, "applications/section_edit.html", context, status=status)


# --- Energy years -------------------------------------------------------------------------------


@login_required
def section_energy(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    context = _page(request, application, SectionCode.ENERGY, **quality.energy_section(application))
    return render(request, "applications/section_energy.html", context)


def _application_year(request: HttpRequest, pk: int, year: int) -> Application:
    """The application (404 outside the user's scope) of an energy-year page (404 for another year)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if year not in HISTORY_YEARS:
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
def energy_year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    application = _application_year(request, pk, year)
    post = request.method == "POST"
    form = EnergyYearUploadForm(request.POST if post else None, request.FILES if post else None, year=year)
    upload_errors: list[dict[str, str]] = []
    if post:
        if not permissions.can_edit_dossier(request.user, application):
            raise PermissionDenied
        if form.is_valid():
            upload_errors, batch = energy_year_preview(request, application, year, form)
            if batch is not None:
                return redirect("core:import-preview", pk=batch.pk)
    return render(
        request,
        "applications/section_energy_year.html",
        _energy_year_context(request, application, year, form, upload_errors),
    )


def _energy_year_context(
    request: HttpRequest, application: Application, year: int, form: Any, upload_errors: list[dict[str, str]]
) -> dict[str, Any]:
    datasets = selectors.history_datasets(application)
    state = analysis.year_state(year, datasets[year], selectors.history_results(application)[year])
    factor_doc = factor_set_current_document()
    names = {c["code"]: c.get("name", c["code"]) for c in factor_doc.get("carriers", [])}
    summary = (
        analysis.energy_year_summary(state.dataset.document, carrier_names=names) if state.dataset else None
    )
    return _page(
        request,
        application,
        SectionCode.ENERGY,
        year=year,
        state=state,
        summary=summary,
        form=form,
        upload_errors=upload_errors,
        history_years=HISTORY_YEARS,
        quality_years=quality.dossier_quality(application, datasets, years=(year,)),
        exemption_warnings=(
            exemption_warnings(park_id=application.park_id, document=state.dataset.document)
            if state.dataset
            else []
        ),
        batches=year_imports(request, application, year),
    )


@login_required
@require_GET
def energy_year_download(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The stored dataset of the year, as JSON (``?format=xlsx``: as the Excel template, to edit)."""
    application = _application_year(request, pk, year)
    dataset = selectors.history_datasets(application)[year]
    if dataset is None:
        raise Http404
    return dataset_response(
        dataset.document, stem=f"{application.park.name}-{year}", as_xlsx=request.GET.get("format") == "xlsx"
    )


@login_required
@require_GET
def energy_year_template(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The Excel template with the park's name, type and the year filled in."""
    application = _application_year(request, pk, year)
    park = application.park
    return template_response(park_name=park.name, park_type=park.park_type, year=year)


# --- Emissions ----------------------------------------------------------------------------------


@login_required
def section_emissions(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    context = _page(request, application, SectionCode.EMISSIONS, **analysis.emissions_context(application))
    return render(request, "applications/section_emissions.html", context)


urls = [
    path("applications/", application_list, name="application-list"),
    path("applications/new/", application_start, name="application-start"),
    path("applications/<int:pk>/", application_detail, name="application-detail"),
    path("applications/<int:pk>/sections/<slug:code>/", section_edit, name="section-edit"),
    path("applications/<int:pk>/energy/", section_energy, name="section-energy"),
    path("applications/<int:pk>/energy/<int:year>/", energy_year, name="energy-year"),
    path(
        "applications/<int:pk>/energy/<int:year>/dataset/", energy_year_download, name="energy-year-download"
    ),
    path(
        "applications/<int:pk>/energy/<int:year>/template/", energy_year_template, name="energy-year-template"
    ),
    path("applications/<int:pk>/emissions/", section_emissions, name="section-emissions"),
]

"""HTML pages for parks and, for the province, portal users. Thin: form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zcpark.core.forms import add_service_errors

from . import permissions, selectors, services
from .forms import ParkForm, ParkProfileForm, SetPasswordForm, UserCreateForm, UserEditForm
from .geojson import boundary_sketch
from .models import City, ParkScope, ParkType, Role

PAGE_SIZE = 25


@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_parks_list(request.user):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "").strip() for key in ("city", "park_type", "scope", "q")}
    parks = selectors.park_list_visible_to(user=request.user, filters=filters)
    page = Paginator(parks, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "parks/partials/_park_table.html" if request.headers.get("HX-Request") else "parks/park_list.html"
    )
    response = render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "cities": City.objects.all() if request.user.role in (Role.PROVINCE_ADMIN, Role.OBSERVER) else [],
            "park_types": ParkType.choices,
            "scopes": ParkScope.choices,
            "can_create_park": permissions.can_create_park(request.user),
        },
    )
    # The table alone and the whole page share the URL: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    park = selectors.park_get_visible_to(user=request.user, pk=pk)
    return render(
        request,
        "parks/park_detail.html",
        {
            "park": park,
            "sketch": boundary_sketch(park.boundary_geojson),
            "events": selectors.park_events(park=park),
            "staff": park.staff.filter(is_active=True, is_machine=False).order_by("username"),
            "can_edit": permissions.can_edit_park_profile(request.user, park),
            "monthly_year": timezone.localdate().year,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def park_edit(request: HttpRequest, pk: int) -> HttpResponse:
    park = selectors.park_get_visible_to(user=request.user, pk=pk)
    if not permissions.can_edit_park_profile(request.user, park):
        raise PermissionDenied
    form_class = ParkForm if permissions.can_edit_park_registration(request.user, park) else ParkProfileForm
    form = form_class(request.POST or None, instance=park)
    if request.method == "POST" and form.is_valid():
        try:
            services.park_update(park=park, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The park was saved."))
            return redirect("parks:park-detail", pk=park.pk)
    return render(request, "parks/park_form.html", {"form": form, "park": park})


@login_required
@require_http_methods(["GET", "POST"])
def park_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_park(request.user):
        raise PermissionDenied
    form = ParkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            park = services.park_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The park was registered."))
            return redirect("parks:park-detail", pk=park.pk)
    return render(request, "parks/park_form.html", {"form": form, "park": None})


def _require_user_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    filters = {key: request.GET.get(key, "").strip() for key in ("role", "city", "q")}
    users = selectors.user_list(
        by=request.user, role=filters["role"], city_code=filters["city"], q=filters["q"]
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "parks/user_list.html",
        {"page": page, "filters": filters, "roles": Role.choices, "cities": City.objects.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_user_manager(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = services.user_create(
                by=request.user, username=data.pop("username"), password=data.pop("password"), **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account %(username)s was created.") % {"username": user.username})
            return redirect("parks:user-list")
    return render(request, "parks/user_form.html", {"form": form, "account": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    account = selectors.user_get_manageable(by=request.user, pk=pk)
    form = UserEditForm(request.POST or None, instance=account)
    password_form = SetPasswordForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account %(username)s was saved.") % {"username": account.username})
            return redirect("parks:user-list")
    return render(
        request, "parks/user_form.html", {"form": form, "account": account, "password_form": password_form}
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    account = selectors.user_get_manageable(by=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(user=account, by=request.user, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))
    return redirect("parks:user-edit", pk=account.pk)


@login_required
@require_POST
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    account = selectors.user_get_manageable(by=request.user, pk=pk)
    form = SetPasswordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the new password."))
    else:
        try:
            services.user_set_password(user=account, by=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The new password is set."))
    return redirect("parks:user-edit", pk=account.pk)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user_manager(request)
    account = selectors.user_get_manageable(by=request.user, pk=pk)
    services.user_unlock(user=account, by=request.user)
    messages.success(
        request, _("The sign-in lockout of %(username)s was cleared.") % {"username": account.username}
    )
    return redirect("parks:user-edit", pk=account.pk)

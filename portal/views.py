"""Pages that belong to no single app: the landing page, each role's home page and to-do list,
notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.selectors.activity import home_todo
from evaluation.list_exports import NotificationFilters, notifications_workbook
from evaluation.selectors.acceptance import expert_reviews_past
from evaluation.selectors.activity import construction_todo
from evaluation.selectors.city_reports import city_report_todo
from evaluation.selectors.dashboard import plan_goals
from parks import permissions
from parks.models import Role
from parks.selectors import home_summary
from zcpark.core.models import Notification
from zcpark.core.services import notification_mark_read
from zcpark.core.sheets import export_filename, xlsx_response
from zcpark.core.threads import threads_awaiting

NOTIFICATIONS_PAGE_SIZE = 25


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    return render(request, "portal/landing.html", {"plan": plan_goals()})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    summary = home_summary(user=request.user)
    today = timezone.localdate()
    is_expert = request.user.role == Role.EXPERT
    return render(
        request,
        "portal/home.html",
        {
            "summary": summary,
            "can_manage_users": permissions.can_manage_users(request.user),
            "can_create_park": permissions.can_create_park(request.user),
            "can_manage_reference_data": permissions.can_manage_reference_data(request.user),
            "can_edit_own_park": summary.park is not None
            and permissions.can_edit_park_profile(request.user, summary.park),
            "todo": home_todo(user=request.user, today=today),
            "construction_todo": construction_todo(user=request.user, today=today),
            "city_report_todo": city_report_todo(user=request.user, today=today),
            "questions": threads_awaiting(user=request.user),
            "past_reviews": expert_reviews_past(user=request.user) if is_expert else [],
            "today": today,
        },
    )


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked; searched (title or message) and filtered
    (read or unread) from the URL. ``?format=xlsx`` exports every matching one of the user's own."""
    filters = NotificationFilters.from_query(request.GET)
    notifications = filters.apply(Notification.objects.filter(recipient=request.user))
    if request.GET.get("format") == "xlsx":
        content = notifications_workbook(
            notifications.iterator(), filters=filters.shown(), absolute=request.build_absolute_uri
        )
        return xlsx_response(content, filename=export_filename(_("Notifications")))
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page, "filters": filters})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read and follow its link (a local one only)."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    notification_mark_read(user=request.user, notification_id=notification.pk)
    safe = url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.url if notification.url and safe else "portal:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("portal:notifications")

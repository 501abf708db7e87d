"""The clarification threads of an annual report and of an order: the panel's post (the panels render
with their pages)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from zcpark.core.thread_views import thread_post_response

from .. import selectors


@login_required
@require_POST
def report_thread_post(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
    back = reverse("evaluation:report-detail", args=[pk, year])
    return thread_post_response(request, target=report, anchor="", back=back)


@login_required
@require_POST
def order_thread_post(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    back = reverse("evaluation:order-detail", args=[pk])
    return thread_post_response(request, target=order, anchor="", back=back)


urls = [
    path("projects/<int:pk>/reports/<int:year>/threads/", report_thread_post, name="report-thread"),
    path("orders/<int:pk>/threads/", order_thread_post, name="order-thread"),
]

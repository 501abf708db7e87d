"""The dossier section's clarification thread: the panel's post (the panel itself renders with every
section page, ``dossier._page``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from zcpark.core.thread_views import thread_post_response

from .. import selectors
from ..dossier.pages import section_url
from ..models import SectionCode


@login_required
@require_POST
def section_thread_post(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if code not in SectionCode.values:
        raise Http404
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return thread_post_response(request, target=application, anchor=code, back=section_url(application, code))


urls = [
    path("applications/<int:pk>/sections/<slug:code>/threads/", section_thread_post, name="section-thread"),
]

"""Official documents: issuing one from a decision's page (its 文号 and date), and downloading the PDF.

The issue form sits in the documents section of the page that shows the decision (the application's
review panel, the list, the order, the acceptance evaluation); its page of its own shows the form again
with the errors. A download is for whoever sees the document (the list's notice: everyone).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zcpark.core.forms import add_service_errors

from ..document_forms import DocumentIssueForm
from ..document_models import DocumentKind, OfficialDocument
from ..official import document_spec
from ..permissions import can_issue_document
from ..selectors.documents import document_current, document_get_for_user, documents_of
from ..services.documents import official_document_issue


@login_required
@require_http_methods(["GET", "POST"])
def document_issue(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The issue form of one kind of document for one decision (GET), and issuing it (POST)."""
    spec = document_spec(kind)
    source = spec.get(request.user, pk)
    if not can_issue_document(request.user, spec, source):
        raise PermissionDenied
    current = document_current(spec, source)
    if request.method == "POST":
        form = DocumentIssueForm(request.POST)
        if form.is_valid():
            try:
                document = official_document_issue(
                    by=request.user,
                    kind=kind,
                    source=source,
                    number=form.cleaned_data["number"],
                    issued_on=form.cleaned_data["issued_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Issued %(document)s.") % {"document": document})
                return redirect(spec.page_url(source) + "#documents")
    else:
        form = DocumentIssueForm(
            initial={
                "number": current.number if current else spec.recorded_number(source),
                "issued_on": timezone.localdate(),
            }
        )
    context = {
        "form": form,
        "kind_label": DocumentKind(kind).label,
        "source": source,
        "back_url": spec.page_url(source),
        "current": current,
        "documents": list(documents_of(source, (kind,))),
    }
    return render(request, "applications/document_issue.html", context, status=400 if form.errors else 200)


@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's PDF under its 文号 and title; signed-out visitors get the list's notices only."""
    try:
        document: OfficialDocument = document_get_for_user(user=request.user, pk=pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document_filename(document))


def document_filename(document: OfficialDocument) -> str:
    return f"{document.number} {document.title}.pdf".replace("/", "-")


urls = [
    path("documents/issue/<str:kind>/<int:pk>/", document_issue, name="document-issue"),
    path("documents/<int:pk>/download/", document_download, name="document-download"),
]

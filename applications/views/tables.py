"""The dossier tables from Excel: a table's template (prefilled with the dossier's rows) and its upload.

The upload is read cell by cell (``tables.reader``); with any error the section's page lists them by
sheet and cell and nothing is stored; without, the import is previewed (``zcpark.core.imports``) and the
preview page offers to save or discard it. The template: everyone who sees the dossier (else 404). The
upload: the park's own staff (403 for others who see the dossier), while the dossier may change (else the
reason, as a form save gives it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import BootstrapFormMixin
from zcpark.core.imports import import_preview
from zcpark.core.sheets import xlsx_response

from .. import selectors
from ..models import Application
from ..services.dossiers import check_editable
from ..tables.importers import may_import, section_data, table_rows
from ..tables.reader import read_table
from ..tables.specs import TABLE_KINDS, TableKind
from ..tables.template import build_table_template
from .dossier import section_page


class TableUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.TABLE_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        return upload


def _table(request: HttpRequest, pk: int, kind: str) -> tuple[Application, TableKind]:
    """The application (404 outside the user's scope) and the table kind (404 when unknown)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    table = TABLE_KINDS.get(kind)
    if table is None:
        raise Http404
    return application, table


@login_required
@require_GET
def table_template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application, table = _table(request, pk, kind)
    title = f"{application.park} · {application.call}"
    content = build_table_template(table, table_rows(application, table), title=title)
    return xlsx_response(content, filename=f"{application.park.name}-{table.sheet_name()}.xlsx")


@login_required
@require_POST
def table_import(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application, table = _table(request, pk, kind)
    if not may_import(request.user, application):
        raise PermissionDenied
    form = TableUploadForm(request.POST, request.FILES)
    errors: list[dict[str, str]] = []
    if not form.is_valid():
        errors = [{"message": str(m)} for messages in form.errors.values() for m in messages]
    else:
        try:
            check_editable(request.user, application)
        except ApplicationError as exc:
            errors = [{"message": exc.message}]
        else:
            upload = form.cleaned_data["file"]
            read = read_table(
                upload.read(), table, file_name=upload.name, section=section_data(application, table.section)
            )
            if read.rows is not None and not read.errors:
                batch = import_preview(
                    kind=table.kind,
                    target=application,
                    content=read.rows,
                    by=request.user,
                    file_name=upload.name,
                    origin=application,
                )
                return redirect("core:import-preview", pk=batch.pk)
            errors = [error.as_dict() for error in read.errors]
    return section_page(
        request, application, table.section, status=400, upload_errors=errors, upload_kind=table.kind
    )


urls = [
    path("applications/<int:pk>/tables/<slug:kind>/template/", table_template, name="table-template"),
    path("applications/<int:pk>/tables/<slug:kind>/import/", table_import, name="table-import"),
]

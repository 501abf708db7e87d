"""The calculator page: a dataset in (Excel, JSON or a blank form), the result on screen; nothing stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zcpark.core.jsonio import InvalidJSON, parse_decimal_json

from . import engine
from .calculator import calculator_evaluate
from .calculator_forms import DatasetForms, PasteForm, SchemeForm, UploadForm
from .models import EMISSION_SOURCE_LABELS, GRID_BASIS_LABELS
from .selectors import factor_set_current_record, local_scheme_code, scheme_codes
from .workbook import build_template, export_workbook, read_workbook

MODES = ("upload", "paste", "form")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_CLASSES = {
    "pass": "success",
    "fail": "danger",
    "exempt": "secondary",
    "no_data": "light",
    "not_applicable": "secondary",
}


@login_required
@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    factor_doc = _factor_document()
    carriers = [(c["code"], c["name"]) for c in factor_doc["carriers"]]
    post = request.POST if request.method == "POST" else None
    mode = request.POST.get("mode", "upload") if post else "upload"
    if mode not in MODES:
        mode = "upload"
    dataset_forms = DatasetForms(
        post if mode == "form" else None, carriers=carriers, defaults=_method_defaults(factor_doc)
    )
    context: dict[str, Any] = {
        "mode": mode,
        "scheme_form": SchemeForm(post, schemes=scheme_codes(), initial={"scheme": local_scheme_code()}),
        "upload_form": UploadForm(post, request.FILES) if mode == "upload" else UploadForm(),
        "paste_form": PasteForm(post) if mode == "paste" else PasteForm(),
        "dataset_forms": dataset_forms,
        "basics_form": dataset_forms.basics,
        "energy_formset": dataset_forms.energy,
    }
    if post is not None and context["scheme_form"].is_valid():
        dataset, input_errors, locate = _dataset_from(context, mode, factor_doc)
        context["input_errors"] = input_errors
        if dataset is not None:
            describe = dataset_forms.where if mode == "form" else None
            context.update(
                _evaluated(dataset, context["scheme_form"].cleaned_data["scheme"], locate, describe)
            )
    return render(request, "indicators/calculator.html", context)


@login_required
@require_POST
def calculator_download(request: HttpRequest) -> HttpResponse:
    """Re-evaluate the posted dataset and send it as JSON or Excel (dataset + result)."""
    try:
        dataset = parse_decimal_json(request.POST.get("dataset", ""))
    except InvalidJSON:
        return HttpResponse(_("The dataset could not be read."), status=400)
    try:
        evaluation = calculator_evaluate(dataset=dataset, scheme_code=request.POST.get("scheme"))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    if request.POST.get("format") == "xlsx":
        content = export_workbook(
            dataset=dataset,
            result=evaluation.document() if evaluation.ok else None,
            factor_set=_factor_document(),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="zcpark-result.xlsx"'
        return response
    response = HttpResponse(engine.dumps(evaluation.document(), indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="zcpark-result.json"'
    return response


@login_required
@require_GET
def calculator_template(request: HttpRequest) -> HttpResponse:
    """The Excel template for one park-year, with the current factor set's carriers."""
    content = build_template(factor_set=_factor_document())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="zcpark-dataset-template.xlsx"'
    return response


def _factor_document() -> dict[str, Any]:
    record = factor_set_current_record()
    if record is None:  # a portal set up without reference data: say what to do, not a 500
        raise ImproperlyConfigured("No factor set is loaded: run python manage.py load_reference_data.")
    return record.document


def _method_defaults(factor_doc: dict[str, Any]) -> dict[str, Any]:
    """The factor set's defaults of the method settings (§5.2), shown as the blank form's default choice."""
    return engine.method_defaults(factor_doc)


Locate = Callable[[str], tuple[str, str] | None]  # dataset path → (sheet, cell) of an upload
Describe = Callable[[str], str]  # dataset path → where it is on the blank form


def _dataset_from(
    context: dict[str, Any], mode: str, factor_doc: dict[str, Any]
) -> tuple[Any, list[dict[str, str]], Locate | None]:
    """The dataset the user gave, or None with the problems (sheet/cell or path) to show.

    The third item locates dataset paths in the uploaded workbook; None when there was none.
    """
    if mode == "upload":
        form = context["upload_form"]
        if not form.is_valid():
            return None, [], None
        upload = form.cleaned_data["file"]
        if upload.name.lower().endswith(".xlsx"):
            read = read_workbook(upload.read(), factor_set=factor_doc)
            return read.dataset, [e.as_dict() for e in read.errors], read.locate
        data = upload.read()
    elif mode == "paste":
        form = context["paste_form"]
        if not form.is_valid():
            return None, [], None
        data = form.cleaned_data["text"]
    else:
        dataset_forms = context["dataset_forms"]
        if not dataset_forms.is_valid():
            return None, [], None
        return dataset_forms.document(), [], None
    try:
        return parse_decimal_json(data), [], None
    except InvalidJSON as exc:
        return None, exc.document["errors"], None


def _evaluated(
    dataset: Any, scheme_code: str, locate: Locate | None = None, describe: Describe | None = None
) -> dict[str, Any]:
    try:
        evaluation = calculator_evaluate(dataset=dataset, scheme_code=scheme_code)
    except ValidationError as exc:
        return {"input_errors": [{"path": "", "code": "invalid", "message": m} for m in exc.messages]}
    document = evaluation.document()
    context: dict[str, Any] = {"dataset_json": engine.dumps(dataset), "scheme_code": scheme_code}
    if not evaluation.ok:
        context["input_errors"] = _located(document["errors"], locate, describe)
        return context
    for item in document["indicators"]:
        item["status_class"] = STATUS_CLASSES[item["status"]]
    basis_labels = GRID_BASIS_LABELS
    document["factors"]["basis_label"] = basis_labels.get(document["factors"]["grid_ef_basis"], "")
    for row in document["sensitivity"]:
        row["basis_label"] = basis_labels.get(row["grid_ef_basis"], row["grid_ef_basis"])
    context["result"] = document
    context["chart_data"] = document["totals"]["by_source_tco2"]
    context["source_labels"] = {key: str(label) for key, label in EMISSION_SOURCE_LABELS.items()}
    return context


def _located(
    errors: list[dict[str, str]], locate: Locate | None, describe: Describe | None = None
) -> list[dict[str, str]]:
    """Engine errors with the sheet and cell of their path added, when the dataset was a workbook,
    or with where the path is on the blank form (``where``), when it was the form."""
    if describe is not None:
        return [{**error, "where": describe(error.get("path", ""))} for error in errors]
    if locate is None:
        return errors
    located = []
    for error in errors:
        where = locate(error.get("path", ""))
        located.append(error if where is None else {**error, "sheet": where[0], "cell": where[1]})
    return located

"""An energy year uploaded: the Excel template filled in or a dataset document (JSON), read and checked
by the engine before anything is stored. Dossiers and annual reports both take one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zcpark.core.jsonio import InvalidJSON, parse_decimal_json

from .calculator import calculator_evaluate
from .calculator_forms import UploadForm
from .workbook import read_workbook


class EnergyYearUploadForm(UploadForm):
    """One energy year: the Excel template filled in, or a dataset document (JSON)."""

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The Excel template for %(year)s filled in (.xlsx), or a dataset document (.json) for %(year)s; "
            "at most 20 MB. What it changes in the stored year is shown before it is saved."
        ) % {"year": year}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.json"


@dataclass
class UploadOutcome:
    """A dataset read from an upload and checked by the engine, or every problem found (sheet and cell
    for a workbook, the dataset path for JSON)."""

    dataset: dict[str, Any] | None
    errors: list[dict[str, str]]
    locate: Any = None  # dataset path -> (sheet, cell), for errors found after reading a workbook

    def add(self, path: str, code: str, message: str) -> None:
        self.errors.append(self.located({"path": path, "code": code, "message": message}))

    def located(self, error: dict[str, str]) -> dict[str, str]:
        where = self.locate(error.get("path", "")) if self.locate else None
        return error if where is None else {**error, "sheet": where[0], "cell": where[1]}


def read_energy_upload(upload: Any, *, year: int, factor_set: dict[str, Any]) -> UploadOutcome:
    """The upload (.xlsx template or .json document) as a dataset for ``year``, refused with every problem
    when it is unreadable, is for another year, or the engine finds input errors (nothing is stored)."""
    if upload.name.lower().endswith(".xlsx"):
        read = read_workbook(upload.read(), factor_set=factor_set)
        outcome = UploadOutcome(read.dataset, [e.as_dict() for e in read.errors], read.locate)
    else:
        try:
            outcome = UploadOutcome(parse_decimal_json(upload.read()), [])
        except InvalidJSON as exc:
            return UploadOutcome(None, exc.document["errors"])
    if outcome.errors or outcome.dataset is None:
        return outcome
    if not isinstance(outcome.dataset, dict):
        outcome.add("", "invalid", _("The dataset must be a JSON object."))
        return outcome
    if str(outcome.dataset.get("year")) != str(year):
        outcome.add(
            "year",
            "invalid",
            _("The document is for %(doc)s, not %(year)s: upload the %(year)s data on this page.")
            % {"doc": outcome.dataset.get("year", "—"), "year": year},
        )
        return outcome
    try:
        evaluation = calculator_evaluate(dataset=outcome.dataset)
    except ValidationError as exc:
        for message in exc.messages:
            outcome.add("", "invalid", message)
        return outcome
    if not evaluation.ok:
        outcome.errors.extend(outcome.located(dict(e)) for e in evaluation.document()["errors"])
    return outcome

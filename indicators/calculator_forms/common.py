"""Building blocks of the calculator forms: the choices, the field helpers and ``BlockForm``, and the forms
of the upload, paste and scheme choices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zcpark.core.forms import BootstrapFormMixin

from ..engine.dataset import CORE_CODE
from ..models import (
    ELECTRICITY_TCE_BASIS_LABELS,
    EMISSION_SOURCE_LABELS,
    ENERGY_USE_LABELS,
    GRID_BASIS_LABELS,
    METHOD_SETTING_LABELS,
    IndicatorCode,
)
from ..selectors import reference_titles

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
USE_CHOICES = list(ENERGY_USE_LABELS.items())
BASIS_CHOICES = [
    ("", _("Default of the factor set")),
    *((code, label) for code, label in GRID_BASIS_LABELS.items()),
]
PARK_TYPE_CHOICES = [("non_chemical", _("Non-chemical park")), ("chemical", _("Chemical park"))]
# The method settings and the electricity bases, labelled once in indicators.models.
ELECTRICITY_TCE_LABELS = ELECTRICITY_TCE_BASIS_LABELS
SETTING_LABELS = METHOD_SETTING_LABELS
YES_NO = {True: _("Yes"), False: _("No")}
YES_NO_CHOICES = [("true", YES_NO[True]), ("false", YES_NO[False])]
# direct_emissions[].kind (§1.2, §1.6): the 附件4 term the measured tonnes are added to.
DIRECT_KIND_CHOICES = [
    ("process", EMISSION_SOURCE_LABELS["process"]),
    ("conversion", EMISSION_SOURCE_LABELS["transform"]),
]
GUIDING_CODES = [code for code in IndicatorCode.values if code != CORE_CODE]
EMPTY = (None, "")

Path = tuple[str, ...]


class SchemeForm(BootstrapFormMixin, forms.Form):
    scheme = forms.ChoiceField(label=_("Indicator scheme"), choices=())

    def __init__(self, *args: Any, schemes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = reference_titles()
        self.fields["scheme"].choices = [(code, titles.get(code, code)) for code in schemes]


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Dataset file"),
        help_text=_("The Excel template filled in (.xlsx) or a dataset document (.json), at most 20 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not upload.name.lower().endswith((".xlsx", ".json")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a JSON file (.json)."))
        return upload


class PasteForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Dataset document (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "font-monospace"}),
    )


# --- building blocks ----------------------------------------------------------------------------


def _decimal(label: Any, help_text: Any = "") -> forms.DecimalField:
    """A quantity ≥ 0, read as Decimal (never float); the document gets it as a string."""
    return forms.DecimalField(label=label, required=False, min_value=Decimal(0), help_text=help_text)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0)


def _is_true(value: str) -> bool:
    return value == "true"


def _setting(label: Any, choices: Iterable[tuple[Any, Any]] = (), *, boolean: bool = False) -> forms.Field:
    """A method setting: the empty choice (relabelled with the factor set's default) leaves the key out."""
    if boolean:
        choices = YES_NO_CHOICES
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("", _("Default of the factor set")), *choices],
        coerce=_is_true if boolean else str,
        empty_value=None,
    )


def _json_value(value: Any) -> Any:
    """A cleaned value as the document holds it: numbers as strings, counts and booleans as JSON."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def _put(document: dict[str, Any], path: Path, value: Any) -> None:
    node = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _dotted(path: Path) -> str:
    return ".".join(path)


@dataclass
class Group:
    """Fields shown together under a small heading; ``width`` is their Bootstrap column width."""

    title: Any
    fields: list[forms.BoundField]
    width: int = 4


class BlockForm(BootstrapFormMixin, forms.Form):
    """A form whose fields are document paths (``PATHS``), shown in ``GROUPS`` of field names."""

    PATHS: dict[str, Path] = {}
    GROUPS: list[tuple[Any, list[str], int]] = []

    def groups(self) -> list[Group]:
        return [Group(title, [self[name] for name in names], width) for title, names, width in self.GROUPS]

    def put_into(self, document: dict[str, Any]) -> None:
        for name, path in self.PATHS.items():
            value = self.cleaned_data.get(name)
            if value not in EMPTY:
                _put(document, path, _json_value(value))

    def places(self) -> dict[str, str]:
        """Document path → the label of its field, for engine errors."""
        return {_dotted(path): str(self.fields[name].label) for name, path in self.PATHS.items()}

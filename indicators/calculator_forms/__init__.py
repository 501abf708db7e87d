"""Forms of the calculator page: upload a file, paste JSON, or fill a blank dataset form.

The blank form covers every block of a ``zcpark.dataset/2`` document (docs/accounting.md §5): one
form or formset per block, bundled by ``DatasetForms``, which also writes the document. Plain
forms name the document path of each field (``PATHS``), so that the document, and the place on the
page of every engine error, follow from one table; a field left empty leaves its key out, and a
block (or resources sub-block) with nothing filled in is left out altogether (absent = no data).
"""

from __future__ import annotations

from ..models import ELECTRICITY_LABELS
from .blocks import BasicsForm, ExemptionsForm, MethodForm, OffsetsForm, ResourcesForm, SupplyForm
from .bundle import DatasetForms, Section, Table
from .common import (
    BASIS_CHOICES,
    MAX_UPLOAD_BYTES,
    USE_CHOICES,
    PasteForm,
    SchemeForm,
    UploadForm,
)
from .rows import DirectEmissionRowForm, EnergyRowForm, ProcessRowForm, ProductRowForm

__all__ = [
    "BASIS_CHOICES",
    "ELECTRICITY_LABELS",
    "MAX_UPLOAD_BYTES",
    "USE_CHOICES",
    "BasicsForm",
    "DatasetForms",
    "DirectEmissionRowForm",
    "EnergyRowForm",
    "ExemptionsForm",
    "MethodForm",
    "OffsetsForm",
    "PasteForm",
    "ProcessRowForm",
    "ProductRowForm",
    "ResourcesForm",
    "SchemeForm",
    "Section",
    "SupplyForm",
    "Table",
    "UploadForm",
]

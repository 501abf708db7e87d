"""The calculator: evaluate a dataset with the current factor set and scheme, storing nothing.

Shared by the `evaluate_dataset` command, the calculator API and the calculator page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import engine
from .models import FactorSet, Scheme
from .selectors import factor_set_current, local_scheme_code, scheme_codes, scheme_current


def calculator_evaluate(*, dataset: Mapping[str, Any], scheme_code: str | None = None) -> engine.Evaluation:
    """Evaluate ``dataset`` under the current version of ``scheme_code`` (default: the province's)."""
    factor_set, scheme = calculator_reference(scheme_code)
    return engine.evaluate(dataset, factor_set=factor_set, scheme=scheme)


def calculator_reference(scheme_code: str | None = None) -> tuple[engine.FactorSet, engine.Scheme]:
    """The current factor set and the current version of ``scheme_code`` as engine objects (parsed once
    per version and cached): a caller evaluating many datasets reads them once."""
    code = scheme_code or local_scheme_code()
    try:
        scheme = scheme_current(code)
    except Scheme.DoesNotExist as exc:
        raise ValidationError(
            {
                "scheme": [
                    _("Unknown scheme %(code)s; use one of %(codes)s.")
                    % {"code": code, "codes": ", ".join(scheme_codes())}
                ]
            }
        ) from exc
    try:
        factor_set = factor_set_current()
    except FactorSet.DoesNotExist as exc:
        raise ValidationError(
            _("No factor set is loaded: run python manage.py load_reference_data.")
        ) from exc
    return factor_set, scheme

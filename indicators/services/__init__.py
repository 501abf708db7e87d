"""Writes for indicators: factor-set and scheme versions, park-year datasets and their results.

Every change of reference data is a new immutable version made current in one transaction, with
an audit event, and a recomputation of every stored result scheduled after commit. Results are
append-only: ``indicator_results_compute`` keeps a current result the engine reproduces and
otherwise supersedes it, so the history says which result was current when.

Split by concept and re-exported here, so ``indicators.services.<name>`` keeps working:
``reference`` (factor sets and schemes: fixtures, new versions), ``datasets`` (park-year
datasets) and ``results`` (computing and recomputing stored results).
"""

from __future__ import annotations

from .datasets import park_dataset_save
from .reference import (
    GRID_FACTOR_MAX,
    GRID_FACTOR_MAX_PLACES,
    factor_set_add_grid_factor,
    factor_set_load_fixture,
    scheme_load_fixture,
    scheme_new_version,
)
from .reference import _check_factor_manager as _check_factor_manager
from .reference import _decimal_text as _decimal_text
from .reference import _factor_set_new_version as _factor_set_new_version
from .reference import _json_safe as _json_safe
from .reference import _next_version as _next_version
from .reference import _parse_factor_set as _parse_factor_set
from .reference import _parse_scheme as _parse_scheme
from .reference import _read_fixture as _read_fixture
from .reference import _schedule_recompute as _schedule_recompute
from .reference import _validate_grid_factor as _validate_grid_factor
from .reference import _validate_threshold as _validate_threshold
from .results import _PLACEHOLDER as _PLACEHOLDER
from .results import (
    ENGINE_ERROR_CODE,
    RECOMPUTE_CHUNK,
    RecomputeSummary,
    indicator_results_compute,
    indicator_results_recompute_all,
    logger,
)
from .results import _comparable as _comparable
from .results import _compute as _compute
from .results import _current_reference as _current_reference
from .results import _evaluate as _evaluate

# The public interface. The private helpers above are re-exported too (``x as x``), under their
# old names, for code that reached into the single-module version.
__all__ = [
    "ENGINE_ERROR_CODE",
    "GRID_FACTOR_MAX",
    "GRID_FACTOR_MAX_PLACES",
    "RECOMPUTE_CHUNK",
    "RecomputeSummary",
    "factor_set_add_grid_factor",
    "factor_set_load_fixture",
    "indicator_results_compute",
    "indicator_results_recompute_all",
    "logger",
    "park_dataset_save",
    "scheme_load_fixture",
    "scheme_new_version",
]

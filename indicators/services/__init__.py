"""Writes for indicators: factor-set and scheme versions, park-year datasets and their results.

Every change of reference data is a new immutable version made current in one transaction, with
an audit event, and a recomputation of every stored result scheduled after commit. Results are
append-only: ``indicator_results_compute`` keeps a current result the engine reproduces and
otherwise supersedes it, so the history says which result was current when.

Split by concept and re-exported here, so ``indicators.services.<name>`` keeps working:
``reference`` (factor sets and schemes loaded from fixtures), ``factor_edits`` (the province's
edits of the current factor set), ``schemes`` (new thresholds of a scheme), ``drafts`` (every edit is a
draft first, published or discarded), ``impact`` (a draft's impact preview on the stored results),
``versions`` (the steps every new version shares), ``datasets`` (park-year datasets),
``quality_rules`` (the data-quality rules), ``results`` (computing and recomputing stored results) and
``recompute`` (where the recomputation of every result stands).
"""

from __future__ import annotations

from .datasets import DatasetInputErrors, dataset_input_errors, park_dataset_save
from .drafts import DRAFT_MACHINES, reference_draft_discard, reference_draft_publish
from .factor_edits import (
    GRID_FACTOR_MAX,
    GRID_FACTOR_MAX_PLACES,
    factor_set_add_equivalent_coefficient,
    factor_set_add_grid_factor,
    factor_set_correct_constant,
)
from .impact import draft_impact_compute, draft_impact_refresh, draft_impact_stale
from .quality_rules import quality_rule_update
from .recompute import RecomputeState, results_recompute_request, results_recompute_state
from .reference import factor_set_load_fixture, scheme_load_fixture
from .results import (
    ENGINE_ERROR_CODE,
    RECOMPUTE_CHUNK,
    RecomputeSummary,
    indicator_results_compute,
    indicator_results_recompute_all,
    indicator_results_sweep,
    logger,
)
from .schemes import scheme_new_version

__all__ = [
    "DRAFT_MACHINES",
    "ENGINE_ERROR_CODE",
    "GRID_FACTOR_MAX",
    "GRID_FACTOR_MAX_PLACES",
    "RECOMPUTE_CHUNK",
    "DatasetInputErrors",
    "RecomputeState",
    "RecomputeSummary",
    "dataset_input_errors",
    "draft_impact_compute",
    "draft_impact_refresh",
    "draft_impact_stale",
    "factor_set_add_equivalent_coefficient",
    "factor_set_add_grid_factor",
    "factor_set_correct_constant",
    "factor_set_load_fixture",
    "indicator_results_compute",
    "indicator_results_recompute_all",
    "indicator_results_sweep",
    "logger",
    "park_dataset_save",
    "quality_rule_update",
    "reference_draft_discard",
    "reference_draft_publish",
    "results_recompute_request",
    "results_recompute_state",
    "scheme_load_fixture",
    "scheme_new_version",
]
